"""Signals drawn: a pen trajectory (handwriting read point by point)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

__all__ = ["draw_pen_path"]


def draw_pen_path(points, steps: int | None = None, ax=None, color: str = "#0072B2"):
    """Draw a pen path (T, 2): the first ``steps`` points (all if None) joined in writing order.

    The start is a hollow circle, later points are numbered 1..T by size; the rest of the path
    is drawn faint grey when ``steps`` < T. Returns ax.
    """
    points = np.asarray(points, dtype=float)
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(f"points must have shape (T, 2), got {points.shape}")
    T = len(points)
    steps = T if steps is None else steps
    if not 1 <= steps <= T:
        raise ValueError(f"steps must be in 1..{T}, got {steps}")
    if ax is None:
        _, ax = plt.subplots(figsize=(2, 2))
    if steps < T:
        ax.plot(points[steps - 1 :, 0], points[steps - 1 :, 1], color="0.85", lw=1.5, zorder=1)
    ax.plot(points[:steps, 0], points[:steps, 1], "-", color=color, lw=2.5, zorder=2)
    ax.scatter(points[:steps, 0], points[:steps, 1], s=np.linspace(12, 40, T)[:steps], color=color, zorder=3)
    ax.plot(*points[0], "o", ms=10, mfc="none", mec="#D55E00", mew=2, zorder=4)  # where the pen went down
    ax.set(xlim=(-0.08, 1.08), ylim=(-0.08, 1.08), aspect="equal")
    ax.set_xticks([])
    ax.set_yticks([])
    return ax
