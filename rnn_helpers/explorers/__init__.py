"""ipywidgets explorers: a pure ``*_view`` function computes what to show, a thin builder wires
controls to a figure through :func:`~rnn_helpers.explorers.base.wire`.

One module per topic. This package imports every module in its folder and re-exports each
module's ``__all__``, so an explorer is registered in :data:`EXPLORERS` (and importable as
``from rnn_helpers.explorers import lstm_gate_explorer``) because its file exists. Nothing else
in ``rnn_helpers`` imports from here; notebooks, tests and benchmarks do.
"""

import importlib
import pkgutil

from .base import EXPLORERS, Explorer, register_explorer

__all__ = ["EXPLORERS", "Explorer", "register_explorer"]

for _info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
    if _info.name == "base":
        continue
    _module = importlib.import_module(f"{__name__}.{_info.name}")
    for _name in _module.__all__:
        if _name in globals():
            raise ImportError(f"explorers.{_info.name} exports {_name!r}, which another topic module already exports")
        globals()[_name] = getattr(_module, _name)
    __all__ += _module.__all__
