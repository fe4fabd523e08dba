"""ipywidgets explorers: a pure function computes what to show, a thin builder wires controls to it.

Every explorer is an :class:`Explorer`: ``controls`` (name -> widget with a ``value``), the
``widget`` to display, and ``state`` (whatever the pure function last returned, so tests and
benchmarks can check what changed without a browser). Setting ``controls[name].value``
re-renders synchronously.

Explorers register a cheap example with :func:`register_explorer` so that
``benchmarks/run.py --only widgets`` can time every one of them (set a value, redraw).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Explorer", "register_explorer", "EXPLORERS"]


@dataclass
class Explorer:
    """A built explorer: its controls, the widget to display, and the last computed state."""

    controls: dict[str, Any]
    widget: Any
    state: dict[str, Any] = field(default_factory=dict)

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


# name -> (factory building a small example Explorer, {control name: values to cycle through})
EXPLORERS: dict[str, tuple[Callable[[], Explorer], dict[str, list[Any]]]] = {}


def register_explorer(name: str, sweep: dict[str, list[Any]]):
    """Decorator registering a zero-argument factory of an example explorer for the benchmarks.

    ``sweep`` maps control names to the values the benchmark sets one after another.
    """

    def decorate(factory: Callable[[], Explorer]) -> Callable[[], Explorer]:
        if name in EXPLORERS:
            raise ValueError(f"explorer {name!r} is registered twice")
        EXPLORERS[name] = (factory, sweep)
        return factory

    return decorate
