"""Results of several seeds per model, side by side: one dot per seed, one column per model.

The function takes ``ax=None``, draws into it and returns the Axes; no ``plt.show()``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from ..style import COURSE_COLORS

__all__ = ["draw_seed_scores"]


def draw_seed_scores(scores: dict[str, list[float]], ax=None, *, ylabel: str = "score",
                     baseline: float | None = None, baseline_label: str | None = None,
                     logy: bool = False):  # fmt: skip
    """One column per model, one dot per seed (spread sideways so equal scores stay visible).

    Inputs:
        scores: model name -> its scores, one per seed (in seed order).
        ylabel: axis label; baseline: dashed reference line (e.g. chance), labelled
        ``baseline_label`` in the title; logy: log scale.
    Returns:
        ax, with one Line2D of dots per model (gid "seeds:<name>").
    """
    if not scores or any(len(v) == 0 for v in scores.values()):
        raise ValueError(f"scores must map each model to at least one score, got {scores!r}")
    ax = plt.gca() if ax is None else ax
    for i, (name, values) in enumerate(scores.items()):
        k = len(values)
        offsets = np.linspace(-0.08, 0.08, k) if k > 1 else np.zeros(1)
        ax.plot(i + offsets, values, "o", ms=11, alpha=0.85, color=COURSE_COLORS[i % len(COURSE_COLORS)],
                gid=f"seeds:{name}")  # fmt: skip
    ax.set_xticks(range(len(scores)), list(scores))
    ax.set_xlim(-0.5, len(scores) - 0.5)
    if baseline is not None:
        ax.axhline(baseline, color="0.5", ls="--", lw=1.2)
    if logy:
        ax.set_yscale("log")
    n = {len(v) for v in scores.values()}
    title = f"{n.pop()} seeds each" if len(n) == 1 else "seeds"
    ax.set(ylabel=ylabel, title=title + (f" (dashed: {baseline_label})" if baseline_label else ""))
    return ax
