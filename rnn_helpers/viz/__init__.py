"""Matplotlib drawings of recurrent networks, computed from the actual numbers.

Every function takes ``ax=None``, draws into it (creating a figure when None) and returns
what it drew on; nothing here calls ``plt.show()`` or changes global style.

| module | draws |
|---|---|
| ``graphs`` | folded and unrolled computational graphs, BPTT paths, truncation cuts |
| ``cells`` | the vanilla, LSTM and GRU cells, optionally with one step's live values |
| ``gates`` | gate heatmaps (time x units), cell-state traces, hidden-state trajectories |
| ``flow`` | gradient norm against time lag, several models overlaid |
| ``curves`` | loss curves, live while training and static at the end |
| ``attention``, ``trees`` | attention heatmaps, recursive-net trees |
"""

from __future__ import annotations

import importlib
import importlib.util

from . import cells, curves, flow, gates, graphs
from .cells import *  # noqa: F403
from .curves import *  # noqa: F403
from .flow import *  # noqa: F403
from .gates import *  # noqa: F403
from .graphs import *  # noqa: F403

__all__: list[str] = [
    *graphs.__all__,
    *cells.__all__,
    *gates.__all__,
    *flow.__all__,
    *curves.__all__,
]

# attention.py and trees.py are written alongside this package; they join when present.
for _name in ("attention", "trees"):
    if importlib.util.find_spec(f"{__name__}.{_name}") is not None:
        _module = importlib.import_module(f"{__name__}.{_name}")
        globals().update({_n: getattr(_module, _n) for _n in _module.__all__})
        __all__ += list(_module.__all__)
