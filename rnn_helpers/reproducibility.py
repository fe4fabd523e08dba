"""Seeding and determinism for the notebooks' setup cell."""

from __future__ import annotations

import os
import random

import numpy as np

__all__ = ["seed_everything"]


def seed_everything(seed: int) -> np.random.Generator:
    """Seed ``random``, numpy and torch from ``seed`` and make torch deterministic.

    torch is limited to one CPU thread: reductions split over a different number of threads
    round differently, and the committed outputs must match on every machine.

    Returns a ``numpy.random.Generator`` seeded with ``seed`` for the notebook to use.
    """
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool):
        raise ValueError(f"seed must be an int, got {type(seed).__name__}")
    random.seed(seed)
    np.random.seed(seed)
    os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
    import torch

    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)
    return np.random.default_rng(seed)
