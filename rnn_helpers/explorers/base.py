"""The Explorer type, the registry, and the one figure-to-image render path.

An explorer is a pure ``*_view`` function (numbers only, unit-tested) plus a thin builder that
draws one Agg figure once and hands it to :func:`wire`. ``wire`` puts the controls above an
``ipywidgets.Image`` and, on every control change, calls the builder's ``update`` (which moves
the figure's artists and returns ``(state, artists)``) and renders the figure to PNG with
:class:`Renderer`:

* with ``animated`` artists (the fast path): the static part is drawn once and kept as a
  background; each update restores it and draws only the moving artists (matplotlib blitting);
* without (``animated=None``): the whole figure is drawn again (for explorers whose axes,
  ticks or whole drawing change).

Either way the pixels are encoded by one PNG encoder (Pillow, fast zlib level).

Every topic module registers a cheap example with :func:`register_explorer`, so that
``benchmarks/run.py --only widgets`` and the tests find every explorer in :data:`EXPLORERS`.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

import ipywidgets as W
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

__all__ = ["Explorer", "EXPLORERS", "register_explorer", "DPI", "agg_figure", "Renderer", "wire",
           "check_step"]  # fmt: skip

DPI = 96  # widget images: sharp at their drawn size, readable on a projector, cheap to render


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
    """Decorator registering a zero-argument factory of an example explorer.

    ``sweep`` maps control names to the values the benchmark (and the tests) set in turn.
    """

    def decorate(factory: Callable[[], Explorer]) -> Callable[[], Explorer]:
        if name in EXPLORERS:
            raise ValueError(f"explorer {name!r} is registered twice")
        EXPLORERS[name] = (factory, sweep)
        return factory

    return decorate


def agg_figure(figsize: tuple[float, float], dpi: int = DPI) -> Figure:
    """A figure outside pyplot (never shown twice by Jupyter) with an Agg canvas."""
    fig = Figure(figsize=figsize, dpi=dpi)
    FigureCanvasAgg(fig)
    return fig


class Renderer:
    """Renders a figure to PNG bytes: the one figure-to-image path of every explorer.

    ``animated``: artists left out of the cached background and drawn by each frame
    (blitting; axes limits, ticks and images must then stay fixed, and a changing image must be
    opaque and listed among the artists of each frame). ``None``: every frame draws the whole
    figure.
    """

    def __init__(self, fig: Figure, animated: Sequence | None = None):
        if not isinstance(fig.canvas, FigureCanvasAgg):
            FigureCanvasAgg(fig)
        self.fig = fig
        self.blit = animated is not None
        for artist in animated or ():
            artist.set_animated(True)
        self.background = None

    def png(self, artists: Sequence = ()) -> bytes:
        canvas = self.fig.canvas
        if not self.blit:
            canvas.draw()
        elif self.background is None:
            canvas.draw()  # everything not animated
            self.background = canvas.copy_from_bbox(self.fig.bbox)
        else:
            canvas.restore_region(self.background)
        if self.blit:
            for artist in artists:
                self.fig.draw_artist(artist)
        width, height = canvas.get_width_height()
        buf = io.BytesIO()
        Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1).save(
            buf, format="png", compress_level=1
        )
        return buf.getvalue()


def wire(
    controls: dict[str, Any],
    fig: Figure,
    update: Callable[[], tuple[dict, Sequence]],
    animated: Sequence | None = None,
    *,
    stack: bool = False,
    below: Sequence = (),
    watch: Sequence[str] | None = None,
    cache_key: Callable[[], Hashable] | None = None,
) -> Explorer:
    """Build the Explorer: controls above the image of ``fig``, shown at its drawn pixel width.

    Inputs:
        controls: name -> ipywidget with a ``value``.
        fig: the figure, drawn once by the builder.
        update: called on every change (and once now); moves the figure's artists and returns
            (state, artists to draw on the background).
        animated: see :class:`Renderer` (None: draw the whole figure every time).
        stack: one control per row instead of one row of controls.
        below: extra widgets shown under the image (e.g. a caption).
        watch: names of the controls whose changes redraw (default: all).
        cache_key: if given, the image and state of each key are kept and shown again instantly.
    Returns:
        the Explorer; ``state`` holds the last state ``update`` returned.
    """
    # Shown at the size it is drawn: stretching a PNG makes it blurry.
    renderer = Renderer(fig, animated)
    width = fig.canvas.get_width_height()[0]  # pixels of the rendered PNG
    image = W.Image(format="png", layout=W.Layout(width=f"{width}px", max_width="100%"))
    header = list(controls.values()) if stack else [W.HBox(list(controls.values()))]
    explorer = Explorer(controls, W.VBox([*header, image, *below]), {})
    cache: dict[Hashable, tuple[bytes, dict]] = {}
    busy = [False]

    def refresh(_=None):
        if busy[0]:  # an update that sets a control (e.g. a slider's range) redraws once
            return
        busy[0] = True
        try:
            key = cache_key() if cache_key is not None else None
            if key is not None and key in cache:
                png, state = cache[key]
            else:
                state, artists = update()
                png = renderer.png(artists)
                if key is not None:
                    cache[key] = (png, state)
            image.value = png
            explorer.state.clear()
            explorer.state.update(state)
        finally:
            busy[0] = False

    for name in controls if watch is None else watch:
        controls[name].observe(refresh, names="value")
    refresh()
    return explorer


def check_step(name: str, value, low: int, high: int) -> int:
    """``value`` as an int in low..high, or ValueError naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be an int in {low}..{high}, got {value!r}")
    if not low <= value <= high:
        raise ValueError(f"{name} must be in {low}..{high}, got {value}")
    return int(value)
