"""Text coloured character by character by a number, e.g. one hidden unit's activation (Karpathy 2015).

Every function takes ``ax=None``, draws into it and returns it.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from ..style import SIGNED_CMAP

__all__ = ["plot_text_activation"]


def plot_text_activation(
    text: str,
    values,
    ax=None,
    vmin: float = -1.0,
    vmax: float = 1.0,
    cmap: str = SIGNED_CMAP,
    width: int = 60,
    max_lines: int = 12,
):
    """Draw ``text`` in a monospace grid, each character on a cell coloured by ``values`` (len(text),).

    Lines are cut at ``width`` characters; a newline shows as '⏎' in its own coloured cell (it is a
    character the model reads too). At most ``max_lines`` rows. Colours on a fixed vmin..vmax scale
    (hidden states of tanh units: -1..1, diverging). Returns ax; its one image holds the colours
    (rows, width), NaN where there is no character.
    """
    values = np.asarray(values, dtype=float)
    if values.shape != (len(text),):
        raise ValueError(f"values must have shape (len(text),) = ({len(text)},), got {values.shape}")
    cells, r, c = np.full((max_lines, width), np.nan), 0, 0
    chars = []
    for ch, v in zip(text, values):
        if r >= max_lines:
            break
        cells[r, c] = v
        chars.append((r, c, "⏎" if ch == "\n" else ch))
        c += 1
        if ch == "\n" or c == width:
            r, c = r + 1, 0
    n_rows = min(max_lines, r + (c > 0))
    if ax is None:
        _, ax = plt.subplots(figsize=(0.2 * width, 0.36 * n_rows + 0.6))
    ax.imshow(cells[:n_rows], cmap=cmap, vmin=vmin, vmax=vmax, aspect="auto", interpolation="nearest")
    for r, c, ch in chars:
        ax.text(
            c, r, ch, ha="center", va="center", family="monospace", fontsize=12, color="0.45" if ch == "⏎" else "black"
        )
    ax.set_xticks([])
    ax.set_yticks([])
    return ax
