"""Matplotlib drawings of recurrent networks, computed from the actual numbers.

Every function takes ``ax=None``, draws into it (creating a figure when None) and returns
what it drew on; nothing here calls ``plt.show()`` or changes global style.

| module | draws |
|---|---|
| ``graphs`` | folded and unrolled computational graphs, BPTT paths, truncation cuts |
| ``cells`` | the vanilla, LSTM and GRU cells, optionally with one step's live values |
| ``gates`` | gate heatmaps (time x units), the LSTM gates over one sequence |
| ``flow`` | gradient norm against time lag, several models overlaid |
| ``curves`` | static loss curves |
| ``attention``, ``trees`` | attention heatmaps, recursive-net trees |
| ``text`` | text coloured character by character (a hidden unit's activation) |
| ``confusion`` | confusion matrices (true x predicted counts) |
| ``signals`` | pen trajectories, confusion matrices |
"""

from __future__ import annotations

from . import attention, cells, confusion, curves, flow, gates, graphs, signals, text, trees
from .attention import *  # noqa: F403
from .cells import *  # noqa: F403
from .confusion import *  # noqa: F403
from .curves import *  # noqa: F403
from .flow import *  # noqa: F403
from .gates import *  # noqa: F403
from .graphs import *  # noqa: F403
from .signals import *  # noqa: F403
from .text import *  # noqa: F403
from .trees import *  # noqa: F403

__all__: list[str] = [
    *graphs.__all__,
    *cells.__all__,
    *gates.__all__,
    *flow.__all__,
    *curves.__all__,
    *attention.__all__,
    *trees.__all__,
    *text.__all__,
    *confusion.__all__,
    *signals.__all__,
]
