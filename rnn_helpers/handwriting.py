"""Handwriting as pen trajectories: the UCI pen-based digits, drawn and read point by point.

Not re-exported at the top level: ``from rnn_helpers.handwriting import ...``.

Each digit was written on a tablet; its pen path is resampled to T = 8 points (x, y) in writing
order, at equal distances along the path, scaled to 0..100 (we divide by 100). x_t is 1 x D with
D = 2: the pen position at step t.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

__all__ = ["load_pendigits", "draw_pen_path", "confusion_matrix", "plot_confusion", "pen_reader_view"]

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
PENDIGITS_SHA256 = {
    "train": ("pendigits.tra", "e2b9eb9f0d0467e2b64a4816a3420edf2b8043447576f4b84337aba44a9f97d3"),
    "test": ("pendigits.tes", "8bd03229c5c5291fefe43e45465dd948d2645bf23328b9d993e0b777666b2015"),
}


def load_pendigits(split: str, data_dir: str | Path | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Pen-based digits: points (N, T=8, D=2) in 0..1 (x right, y up), labels (N,) in 0..9.

    ``split`` "train" (7494 digits, 30 writers) or "test" (3498 digits, 14 other writers).
    """
    if split not in PENDIGITS_SHA256:
        raise ValueError(f"split must be 'train' or 'test', got {split!r}")
    name, sha = PENDIGITS_SHA256[split]
    path = Path(data_dir or DATA_DIR) / name
    if not path.is_file():
        raise FileNotFoundError(f"data file {path} is missing; restore it with `git checkout -- data/{name}`.")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != sha:
        raise ValueError(f"data file {path} was altered: its SHA-256 is {digest}, expected {sha}.")
    rows = np.array([[int(v) for v in line.split(",")] for line in path.read_text(encoding="ascii").splitlines()])
    return rows[:, :16].reshape(-1, 8, 2) / 100.0, rows[:, 16]  # (N, 8, 2), (N,)


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


def confusion_matrix(pred, labels, C: int = 10) -> np.ndarray:
    """Counts (C, C): row = true class, column = predicted class."""
    pred, labels = np.asarray(pred), np.asarray(labels)
    if pred.shape != labels.shape or pred.ndim != 1:
        raise ValueError(f"pred and labels must be 1-D of equal shape, got {pred.shape} and {labels.shape}")
    counts = np.zeros((C, C), dtype=int)
    np.add.at(counts, (labels, pred), 1)
    return counts


def plot_confusion(counts, ax=None):
    """Confusion matrix as an image with the counts written in; the diagonal dimmed so errors stand out.

    Returns ax.
    """
    counts = np.asarray(counts)
    C = len(counts)
    if ax is None:
        _, ax = plt.subplots(figsize=(5.5, 5))
    off = counts * (1 - np.eye(C, dtype=int))
    ax.imshow(off, cmap="Oranges", vmin=0, vmax=max(1, off.max()))
    for i in range(C):
        for j in range(C):
            if counts[i, j]:
                ax.text(
                    j, i, str(counts[i, j]), ha="center", va="center", fontsize=9, color="0.5" if i == j else "black"
                )
    ax.set(xticks=range(C), yticks=range(C), xlabel="predicted", ylabel="true")
    return ax


def pen_reader_view(points, probs, index: int, steps: int) -> dict:
    """A digit read point by point: the pen path so far and the classifier's probabilities after it.

    Inputs: points (N, T, 2); probs (N, T, C), the softmax after each point; index < N;
    1 <= steps <= T. Returns dict with "points" (T, 2) of that digit, "steps", "p" (C,) after
    ``steps`` points and "guess" (argmax of p).
    """
    points, probs = np.asarray(points), np.asarray(probs)
    if points.ndim != 3 or points.shape[2] != 2 or probs.ndim != 3 or probs.shape[:2] != points.shape[:2]:
        raise ValueError(
            f"points must be (N, T, 2) and probs (N, T, C) with the same N, T; got {points.shape} and {probs.shape}"
        )
    N, T, _ = points.shape
    if not 0 <= index < N or not 1 <= steps <= T:
        raise ValueError(f"index must be in 0..{N - 1} and steps in 1..{T}, got {index} and {steps}")
    p = probs[index, steps - 1]
    return {"points": points[index], "steps": steps, "p": p, "guess": int(np.argmax(p))}
