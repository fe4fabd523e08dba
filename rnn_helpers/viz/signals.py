"""Signals drawn: a pen trajectory (handwriting read point by point)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

__all__ = ["draw_pen_path", "pen_path_artists", "set_pen_path"]


def pen_path_artists(ax, T: int, color: str = "#0072B2") -> dict:
    """Empty artists of a pen path of T points on ``ax`` (filled by :func:`set_pen_path`): the
    faint rest of the path, the part read so far, its points sized 1..T, the hollow start."""
    (rest,) = ax.plot([], [], color="0.85", lw=1.5, zorder=1)
    (read,) = ax.plot([], [], "-", color=color, lw=2.5, zorder=2)
    dots = ax.scatter(np.zeros(0), np.zeros(0), color=color, zorder=3)
    (start,) = ax.plot([], [], "o", ms=10, mfc="none", mec="#D55E00", mew=2, zorder=4)  # where the pen went down
    ax.set(xlim=(-0.08, 1.08), ylim=(-0.08, 1.08), aspect="equal")
    ax.set_xticks([])
    ax.set_yticks([])
    return {"rest": rest, "read": read, "dots": dots, "start": start, "sizes": np.linspace(12, 40, T)}


def set_pen_path(artists: dict, points, steps: int) -> None:
    """Show the first ``steps`` points of ``points`` (T, 2) in ``artists`` (from :func:`pen_path_artists`)."""
    T = len(points)
    rest = points[steps - 1 :] if steps < T else points[:0]
    artists["rest"].set_data(rest[:, 0], rest[:, 1])
    artists["read"].set_data(points[:steps, 0], points[:steps, 1])
    artists["dots"].set_offsets(points[:steps])
    artists["dots"].set_sizes(artists["sizes"][:steps])
    artists["start"].set_data(points[:1, 0], points[:1, 1])


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
    set_pen_path(pen_path_artists(ax, T, color), points, steps)
    return ax
