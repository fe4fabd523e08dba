"""Static loss curves: one line per run, optionally smoothed by a running mean."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes

from ..style import COURSE_COLORS

__all__ = ["plot_loss_curves"]


def _running_mean(v: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Running mean over windows of k: returns (x positions 1-based, means)."""
    k = max(1, min(int(k), v.size))
    means = np.convolve(v, np.ones(k) / k, mode="valid")  # (n - k + 1,)
    return np.arange(k, v.size + 1), means


def plot_loss_curves(
    histories,
    ax: Axes | None = None,
    *,
    key: str = "loss",
    smooth: int = 1,
    logy: bool = False,
    xlabel: str = "training step",
    ylabel: str | None = None,
    baseline: float | None = None,
    raw: bool = True,
    baseline_label: str | None = None,
) -> Axes:
    """Loss per step for one or several runs, overlaid with a legend.

    Inputs:
        histories: dict label -> (list/array of values or a history dict holding ``key``),
            or a single list/array/history dict.
        key: which series of a history dict to draw ("loss", "val_loss", ...).
        smooth: running-mean window; with smooth > 1 the raw values are drawn faintly behind.
        logy: log scale on y. baseline: dashed horizontal reference (e.g. chance loss).
        baseline_label: legend entry of the dashed line (None: no entry).
        raw: with smooth > 1, also draw the raw values faintly.
    Returns:
        The Axes; one Line2D per run with gid "curve:<label>" (the smoothed one if smooth > 1).
    """
    single = not isinstance(histories, dict) or (
        key in histories and not isinstance(histories[key], dict)
    )  # one run: a series, or one history dict {"loss": [...], ...}
    if single:
        histories = {None: histories}
    if not histories:
        raise ValueError("histories must contain at least one run")
    if ax is None:
        _, ax = plt.subplots()
    for i, (label, h) in enumerate(histories.items()):
        if isinstance(h, dict):
            if key not in h:
                raise ValueError(f"history {label!r} has no {key!r} (keys: {sorted(h)})")
            h = h[key]
        v = np.asarray(h, dtype=float)
        if v.ndim != 1 or v.size == 0:
            raise ValueError(f"run {label!r} must be a non-empty 1-D series, got shape {v.shape}")
        color = COURSE_COLORS[i % len(COURSE_COLORS)]
        steps = np.arange(1, v.size + 1)
        if smooth > 1:
            if raw:
                ax.plot(steps, v, color=color, alpha=0.25, linewidth=1, gid=f"raw:{label}")
            steps, v = _running_mean(v, smooth)
        ax.plot(steps, v, color=color, label=label, gid=f"curve:{label}")
    if baseline is not None:
        ax.axhline(baseline, color="0.4", linestyle="--", linewidth=1.5, gid="baseline", label=baseline_label)
    elif baseline_label is not None:
        raise ValueError("baseline_label needs a baseline")
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel or key.replace("_", " "))
    if any(label is not None for label in histories) or (baseline is not None and baseline_label is not None):
        ax.legend()
    return ax
