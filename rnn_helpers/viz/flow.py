"""Gradient flow through time: how large dL/dh_k (or dh_T/dh_k) is, step by step, on a log scale.

For a vanilla RNN, dh_T/dh_k = prod_{t=k+1}^{T} diag(f'(a_t)) W_h^T, so its norm behaves
roughly like (gamma * sigma_max(W_h))^(T-k): a straight line on a log scale, falling
(vanishing) when the factor is below 1 and rising (exploding) above 1. An LSTM's cell path
multiplies forget gates instead and can stay flat.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes

from ..style import COURSE_COLORS

__all__ = ["plot_gradient_flow"]

_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")


def plot_gradient_flow(
    norms,
    ax: Axes | None = None,
    *,
    x: str = "lag",
    guides: dict[str, float] | None = None,
    ylabel: str | None = None,
    title: str | None = None,
) -> Axes:
    """Gradient norms against time on a log scale, several models overlaid with a legend.

    Inputs:
        norms: a dict label -> 1-D array of norms, or one array. With ``x="lag"`` entry j is
            the norm at lag j = T - k (j = 0, 1, ..., e.g. ``hidden_jacobian_norms``); with
            ``x="k"`` entry k-1 is the norm at step k = 1..T (e.g. ||dL/dh_k|| of a BPTT run).
            Zeros are not drawn (a log axis cannot show them); negative or NaN values raise.
        x: "lag" or "k" (which quantity the horizontal axis shows).
        guides: optional dict label -> rate r; each is drawn as a dashed grey line r^lag
            (for x="lag") through the first point, e.g. {"$0.9^{T-k}$": 0.9}.
        ylabel, title: override the default labels.
    Returns:
        The Axes (log y scale; one Line2D per model with gid "flow:<label>").
    """
    if x not in ("lag", "k"):
        raise ValueError(f"x must be 'lag' or 'k', got {x!r}")
    if not isinstance(norms, dict):
        norms = {None: norms}
    if not norms:
        raise ValueError("norms must contain at least one series")
    series = {}
    for label, v in norms.items():
        v = np.asarray(v, dtype=float)
        if v.ndim != 1 or v.size == 0:
            raise ValueError(f"norms[{label!r}] must be a non-empty 1-D array, got {v.shape}")
        if np.any(np.isnan(v)) or np.any(v < 0):
            raise ValueError(f"norms[{label!r}] must be >= 0 and not NaN (norms are lengths)")
        series[label] = v
    if ax is None:
        _, ax = plt.subplots()
    for i, (label, v) in enumerate(series.items()):
        pos = np.arange(v.size) if x == "lag" else np.arange(1, v.size + 1)
        shown = np.where(v > 0, v, np.nan)  # a log axis has no zero
        ax.plot(
            pos, shown, color=COURSE_COLORS[i % len(COURSE_COLORS)],
            marker=_MARKERS[i % len(_MARKERS)], markersize=5 if v.size <= 60 else 0,
            label=label, gid=f"flow:{label}",
        )  # fmt: skip
    for label, rate in (guides or {}).items():
        first = next(iter(series.values()))
        n = max(v.size for v in series.values())
        j = np.arange(n)
        start = first[0] if first[0] > 0 else 1.0
        ax.plot(j if x == "lag" else j + 1, start * float(rate) ** j, "--", color="0.45",
                linewidth=1.5, label=label, gid=f"guide:{label}")  # fmt: skip
    ax.set_yscale("log")
    if x == "lag":
        ax.set_xlabel("lag $T-k$ (steps back in time)")
        ax.set_ylabel(ylabel or r"$\|\partial h_T / \partial h_k\|$")
    else:
        ax.set_xlabel("step $k$")
        ax.set_ylabel(ylabel or r"$\|\partial L / \partial h_k\|$")
    if title:
        ax.set_title(title)
    if any(label is not None for label in series) or guides:
        ax.legend()
    return ax
