"""What a recurrent net does inside, over time: gate heatmaps and the gates of an LSTM over one sequence.

Colour scales are fixed so that pictures can be compared: sigmoid outputs (gates) always map
0..1 onto ``GATE_CMAP``; tanh quantities (candidates, hidden states) always map -1..1 onto
``SIGNED_CMAP``. A forget gate that is bright yellow is close to 1 in every figure of the
course.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes

from ..style import GATE_CMAP, SIGNED_CMAP

__all__ = [
    "SCALES",
    "plot_gate_heatmap",
    "plot_lstm_gates",
]

# scale name -> (vmin, vmax, colormap); "symmetric" takes its limits from the data (+-max|v|,
# at least 1) for unbounded quantities such as the LSTM cell state c_t.
SCALES = {
    "gate": (0.0, 1.0, GATE_CMAP),
    "signed": (-1.0, 1.0, SIGNED_CMAP),
    "symmetric": (None, None, SIGNED_CMAP),
}

_LSTM_SCALE = {
    "i": "gate", "f": "gate", "g": "signed", "o": "gate", "c": "symmetric", "h": "signed",
}  # fmt: skip
_GRU_SCALE = {"r": "gate", "z": "gate", "n": "signed", "h": "signed"}
_GATE_NAMES = {
    "i": "input gate $i_t$",
    "f": "forget gate $f_t$",
    "g": r"candidate $g_t$",
    "o": "output gate $o_t$",
    "c": "cell state $c_t$",
    "h": "hidden state $h_t$",
    "r": "reset gate $r_t$",
    "z": "update gate $z_t$",
    "n": "candidate $n_t$",
}


def _as_time_by_units(name: str, values) -> np.ndarray:
    v = np.asarray(values, dtype=float)
    if v.ndim == 1:
        v = v[:, None]  # (T,) -> (T, 1)
    if v.ndim != 2:
        raise ValueError(f"{name} must have shape (T, H) (one sequence), got {v.shape}")
    if not np.all(np.isfinite(v)):
        raise ValueError(f"{name} contains NaN or inf")
    return v


def _time_axis(ax: Axes, T: int, tokens, markers, axis="x"):
    if tokens is not None:
        if len(tokens) != T:
            raise ValueError(f"tokens must have T = {T} entries, got {len(tokens)}")
        ticks = np.arange(T)
        set_ticks = ax.set_xticks if axis == "x" else ax.set_yticks
        set_ticks(ticks, [str(s) for s in tokens], rotation=90 if axis == "x" else 0)
    for m in markers or ():
        if not 0 <= m < T:
            raise ValueError(f"marker position {m} outside the time axis 0..{T - 1}")
        ax.axvline(m, color="black", linestyle="--", linewidth=1.5, gid=f"marker:{m}")


def plot_gate_heatmap(
    values,
    ax: Axes | None = None,
    *,
    scale: str = "gate",
    tokens: list[str] | None = None,
    markers: list[int] | None = None,
    title: str | None = None,
    colorbar: bool = True,
) -> Axes:
    """Heatmap of one quantity over time (x axis) and units (y axis) on a fixed colour scale.

    Inputs:
        values: (T, H) array for one sequence (e.g. ``cache["gates"]["f"][n]``), or (T,).
        scale: "gate" for sigmoid outputs (fixed 0..1, sequential ``GATE_CMAP``), "signed"
            for tanh quantities (fixed -1..1, diverging ``SIGNED_CMAP``), or "symmetric" for
            unbounded ones like c_t (-m..m with m = max(1, max|v|) rounded up to 0.5).
            Values outside a fixed scale raise ValueError (they would be clipped silently).
        tokens: T labels for the time axis (the input tokens).
        markers: time indices to mark with dashed vertical lines (e.g. where a cue appears).
        title: axes title; colorbar: add a colour bar.
    Returns:
        The Axes; its image is ``ax.images[0]`` with clim exactly the scale's limits.
    """
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {tuple(SCALES)}, got {scale!r}")
    v = _as_time_by_units("values", values)  # (T, H)
    lo, hi, cmap = SCALES[scale]
    if scale == "symmetric":
        hi = max(1.0, float(np.ceil(2 * np.abs(v).max()) / 2))
        lo = -hi
    if v.min() < lo - 1e-9 or v.max() > hi + 1e-9:
        raise ValueError(
            f"values span [{v.min():.3g}, {v.max():.3g}], outside the {scale!r} scale "
            f"[{lo:g}, {hi:g}]; use scale='signed' for tanh quantities"
        )
    T, H = v.shape
    if ax is None:
        _, ax = plt.subplots(figsize=(min(14, max(5, 0.45 * T + 2.5)), min(8, max(2.6, 0.3 * H + 1.8))))
    im = ax.imshow(
        v.T, aspect="auto", cmap=cmap, vmin=lo, vmax=hi, interpolation="nearest",
        origin="lower", extent=(-0.5, T - 0.5, -0.5, H - 0.5),
    )  # fmt: skip
    im.set_gid("heatmap")
    ax.grid(False)
    ax.set_xlabel("time step $t$" if tokens is None else "")
    ax.set_ylabel("unit")
    if H <= 10:
        ax.set_yticks(np.arange(H))
    _time_axis(ax, T, tokens, markers)
    if title:
        ax.set_title(title)
    if colorbar:
        cb = ax.figure.colorbar(im, ax=ax, fraction=0.05, pad=0.02)
        cb.set_ticks([lo, (lo + hi) / 2, hi])
    return ax


def plot_lstm_gates(
    gates: dict,
    *,
    n: int = 0,
    tokens: list[str] | None = None,
    markers: list[int] | None = None,
    names: tuple[str, ...] | None = None,
    axes=None,
):
    """One heatmap per gate, stacked, sharing the time axis (LSTM i, f, g, o or GRU r, z, n).

    Inputs:
        gates: dict name -> (N, T, H) (``cache["gates"]``, optionally with "c" and "h") or
            name -> (T, H).
        n: which sequence of the batch to show.
        names: which keys to draw, in order (default: the gates present, in the cell's order).
        tokens, markers: as in ``plot_gate_heatmap``; tokens label only the bottom axes.
        axes: sequence of Axes, one per name; None creates a figure.
    Returns:
        The array of Axes.
    """
    if not isinstance(gates, dict) or not gates:
        raise ValueError("gates must be a non-empty dict name -> (N, T, H) array")
    order = ("i", "f", "g", "o", "c", "h") if "i" in gates else ("r", "z", "n", "h")
    names = tuple(names) if names is not None else tuple(k for k in order if k in gates)
    for k in names:
        if k not in gates:
            raise ValueError(f"no {k!r} in gates (keys: {sorted(gates)})")
    scales = {**_GRU_SCALE, **_LSTM_SCALE}
    if axes is None:
        T = np.asarray(gates[names[0]]).shape[-2]
        H = np.asarray(gates[names[0]]).shape[-1]
        row_h = min(2.6, max(1.5, 0.22 * H + 0.9))
        _, axes = plt.subplots(len(names), 1, figsize=(min(14, max(6, 0.45 * T + 3)), row_h * len(names) + 0.8),
                               sharex=True, squeeze=False, layout="constrained")  # fmt: skip
        axes = axes[:, 0]
    if len(axes) != len(names):
        raise ValueError(f"axes must have {len(names)} entries (one per name), got {len(axes)}")
    for i, (k, ax) in enumerate(zip(names, axes)):
        v = np.asarray(gates[k], dtype=float)
        if v.ndim == 3:
            if not 0 <= n < v.shape[0]:
                raise ValueError(f"n={n} outside the batch of gates[{k!r}] {v.shape}")
            v = v[n]
        last = i == len(names) - 1
        plot_gate_heatmap(
            v, ax, scale=scales.get(k, "signed"), tokens=tokens if last else None,
            markers=markers, title=None,
        )  # fmt: skip
        ax.set_ylabel("")
        ax.set_title(_GATE_NAMES.get(k, k), loc="left", fontsize=plt.rcParams["font.size"])
        if not last:
            ax.set_xlabel("")
    return np.asarray(axes)
