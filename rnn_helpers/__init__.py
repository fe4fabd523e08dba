"""Helpers for the RNN course.

The top level holds what a learner types: the numpy cells with hand-written BPTT (``ops``,
``rnn``, ``lstm``, ``gru``, ``bidirectional``), gradient checking, conversion to and from
``torch.nn``, ``seed_everything`` and ``use_course_style``. Everything else is imported from its
topic module, one idea per module (see CONTRIBUTING.md):
``from rnn_helpers.training import fit``, ``from rnn_helpers.explorers import lstm_gate_explorer``.

Importing this package does nothing but import: no seeding, no plotting style, no downloads.
"""

from . import bidirectional, gradcheck, gru, lstm, ops, rnn, torch_convert
from .bidirectional import *  # noqa: F403
from .gradcheck import *  # noqa: F403
from .gru import *  # noqa: F403
from .lstm import *  # noqa: F403
from .ops import *  # noqa: F403
from .reproducibility import seed_everything
from .rnn import *  # noqa: F403
from .style import use_course_style
from .torch_convert import *  # noqa: F403

__all__ = [
    *ops.__all__,
    *rnn.__all__,
    *lstm.__all__,
    *gru.__all__,
    *bidirectional.__all__,
    *gradcheck.__all__,
    *torch_convert.__all__,
    "seed_everything",
    "use_course_style",
]
