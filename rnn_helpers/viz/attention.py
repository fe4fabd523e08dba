"""Attention heatmaps: which source token each output token looked at.

Rows are the target (output) tokens y_t, columns the source tokens x_s; cell (t, s) is the
attention weight alpha_{t,s}, on a fixed 0..1 scale (each row sums to 1), the layout of Bahdanau
et al. (2015), Figure 3.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes

from ..style import GATE_CMAP

__all__ = ["plot_attention"]


def plot_attention(
    attention,
    source_tokens: list[str],
    target_tokens: list[str],
    ax: Axes | None = None,
    *,
    colorbar: bool = True,
    annotate: bool = False,
) -> Axes:
    """Heatmap of attention weights alpha_{t,s}, target tokens down, source tokens across.

    Inputs:
        attention: (T_y, T_x) array of weights in [0, 1], rows summing to at most 1
            (rows that sum to 0 are steps after the end, drawn empty).
        source_tokens: T_x labels for the columns; target_tokens: T_y labels for the rows.
        ax: where to draw (a new figure when None); colorbar: add a 0..1 colour bar;
        annotate: write each weight (2 decimals) in its cell.
    Returns:
        The Axes, holding one image with colour limits exactly (0, 1).
    """
    a = np.asarray(attention, dtype=float)
    T_y, T_x = len(target_tokens), len(source_tokens)
    if a.ndim != 2 or a.shape != (T_y, T_x):
        raise ValueError(f"attention must have shape (T_y, T_x) = ({T_y}, {T_x}) to match the tokens, got {a.shape}")
    if not np.all(np.isfinite(a)) or a.min() < -1e-9 or a.max() > 1 + 1e-9:
        raise ValueError(f"attention weights must be finite and in [0, 1], got range [{a.min():.3g}, {a.max():.3g}]")
    if np.any(a.sum(1) > 1 + 1e-6):
        raise ValueError(f"each attention row must sum to at most 1, got row sums up to {a.sum(1).max():.4g}")
    if ax is None:
        _, ax = plt.subplots(figsize=(max(4.0, 0.5 * T_x + 2.5), max(3.0, 0.45 * T_y + 1.5)))
    im = ax.imshow(a, cmap=GATE_CMAP, vmin=0.0, vmax=1.0, aspect="auto", interpolation="nearest")
    ax.set_xticks(np.arange(T_x), source_tokens)
    ax.set_yticks(np.arange(T_y), target_tokens)
    ax.tick_params(axis="x", top=True, labeltop=True, bottom=False, labelbottom=False)
    ax.set_xlabel("source $x_s$")
    ax.xaxis.set_label_position("top")
    ax.set_ylabel("output $y_t$")
    ax.grid(False)
    if annotate:
        for i in range(T_y):
            for j in range(T_x):
                ax.text(j, i, f"{a[i, j]:.2f}", ha="center", va="center", fontsize=9,
                        color="black" if a[i, j] > 0.6 else "white")  # fmt: skip
    if colorbar:
        ax.figure.colorbar(im, ax=ax, label=r"$\alpha_{t,s}$", fraction=0.05)
    return ax
