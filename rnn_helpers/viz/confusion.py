"""Confusion matrices: counts of (true class, predicted class), one annotated grid per model."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np

__all__ = ["plot_confusion", "plot_confusion_errors"]


def plot_confusion(m: np.ndarray, labels: Sequence[str], ax=None, title: str | None = None):
    """Draw the (C, C) count matrix ``m`` (row: true class, column: predicted) with each count
    written in its cell; the colour is the share of its row. Returns ax (one text per cell)."""
    m = np.asarray(m)
    if m.ndim != 2 or m.shape[0] != m.shape[1] or m.shape[0] != len(labels):
        raise ValueError(f"m must have shape (C, C) = ({len(labels)}, {len(labels)}), got {m.shape}")
    if ax is None:
        _, ax = plt.subplots(figsize=(3.5, 3.2))
    share = m / np.maximum(m.sum(1, keepdims=True), 1)
    ax.imshow(share, cmap="Blues", vmin=0, vmax=1)
    for i in range(len(labels)):
        for j in range(len(labels)):
            ax.text(
                j,
                i,
                str(m[i, j]),
                ha="center",
                va="center",
                fontsize=14,
                color="white" if share[i, j] > 0.6 else "black",
            )
    ax.set(xticks=range(len(labels)), yticks=range(len(labels)), xlabel="predicted", ylabel="true")
    ax.set_xticklabels(labels)
    ax.set_yticklabels(labels)
    if title:
        ax.set_title(title, fontsize=13)
    return ax


def plot_confusion_errors(counts, ax=None):
    """Confusion matrix of many classes as an image with the counts written in; the diagonal dimmed so errors stand out.

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
