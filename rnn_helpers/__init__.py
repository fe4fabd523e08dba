"""Helpers for the RNN course: numpy cells with hand-written BPTT, torch models, tasks,
plots and explorers.

Importing this package does nothing but import: no seeding, no plotting style, no downloads.
Call ``seed_everything`` and ``use_course_style`` explicitly (each notebook's setup cell does).
"""

from . import (
    bidirectional,
    datasets,
    family,
    gradcheck,
    gru,
    lstm,
    models,
    ops,
    programs,
    reproducibility,
    rnn,
    scalar,
    seq2seq,
    style,
    tasks,
    torch_convert,
    training,
    trees,
    viz,
    widgets,
)
from .bidirectional import *  # noqa: F403
from .datasets import *  # noqa: F403
from .family import *  # noqa: F403
from .gradcheck import *  # noqa: F403
from .gru import *  # noqa: F403
from .lstm import *  # noqa: F403
from .models import *  # noqa: F403
from .ops import *  # noqa: F403
from .programs import *  # noqa: F403
from .reproducibility import *  # noqa: F403
from .rnn import *  # noqa: F403
from .scalar import *  # noqa: F403
from .seq2seq import *  # noqa: F403
from .style import *  # noqa: F403
from .tasks import *  # noqa: F403
from .torch_convert import *  # noqa: F403
from .training import *  # noqa: F403
from .trees import *  # noqa: F403
from .viz import *  # noqa: F403
from .widgets import *  # noqa: F403

__all__ = [
    *reproducibility.__all__,
    *ops.__all__,
    *gradcheck.__all__,
    *rnn.__all__,
    *lstm.__all__,
    *gru.__all__,
    *bidirectional.__all__,
    *torch_convert.__all__,
    *style.__all__,
    *viz.__all__,
    *widgets.__all__,
    *tasks.__all__,
    *models.__all__,
    *training.__all__,
    *scalar.__all__,
    *programs.__all__,
    *seq2seq.__all__,
    *trees.__all__,
    *datasets.__all__,
    *family.__all__,
]
