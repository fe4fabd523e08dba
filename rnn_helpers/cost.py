"""Measuring the cost of recurrence: processor time of one forward pass, per sequence.

Not re-exported at the top level: ``from rnn_helpers.cost import ...``.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import torch

__all__ = ["cpu_time_per_sequence"]


def cpu_time_per_sequence(layer: Callable[[torch.Tensor], object], x: torch.Tensor, repeats: int = 5) -> float:
    """Best of ``repeats`` processor times (seconds) of one forward call ``layer(x)``, divided by N.

    Measured with ``time.thread_time``: the processor time of the calling thread only, so other
    programs running at the same time do not inflate it. Run torch with one thread
    (``torch.set_num_threads(1)``), so that all of the layer's work happens in this thread.
    x: (N, T, D). Returns seconds per sequence.
    """
    if x.ndim != 3:
        raise ValueError(f"x must have shape (N, T, D), got {tuple(x.shape)}")
    if torch.get_num_threads() != 1:
        raise ValueError(f"torch must run one thread (torch.set_num_threads(1)), got {torch.get_num_threads()}")
    best = float("inf")
    with torch.no_grad():
        layer(x)  # warm-up
        for _ in range(repeats):
            start = time.thread_time()
            layer(x)
            best = min(best, time.thread_time() - start)
    return best / len(x)
