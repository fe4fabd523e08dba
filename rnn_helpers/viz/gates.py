"""What a recurrent net does inside, over time: gate heatmaps, cell-state traces, trajectories.

Colour scales are fixed so that pictures can be compared: sigmoid outputs (gates) always map
0..1 onto ``GATE_CMAP``; tanh quantities (candidates, hidden states) always map -1..1 onto
``SIGNED_CMAP``. A forget gate that is bright yellow is close to 1 in every figure of the
course.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes

from ..style import COURSE_COLORS, GATE_CMAP, SIGNED_CMAP

__all__ = [
    "SCALES",
    "plot_gate_heatmap",
    "plot_lstm_gates",
    "plot_cell_state",
    "pca_2d",
    "plot_hidden_trajectory",
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


def plot_cell_state(
    c,
    ax: Axes | None = None,
    *,
    units: list[int] | None = None,
    tokens: list[str] | None = None,
    markers: list[int] | None = None,
    label: str = "c",
) -> Axes:
    """Traces of the cell state (or any state) of chosen units over time, one line per unit.

    Inputs:
        c: (T, H) states of one sequence (e.g. ``c[n]`` from ``lstm_forward``).
        units: which units to draw (default: all when H <= 8, else the 6 with the largest range).
        tokens, markers: as in ``plot_gate_heatmap``.
        label: symbol for the y label and legend ("c" gives $c_t$).
    Returns:
        The Axes with one Line2D per unit (gid "trace:<unit>").
    """
    v = _as_time_by_units("c", c)
    T, H = v.shape
    if units is None:
        units = list(range(H)) if H <= 8 else sorted(np.argsort(np.ptp(v, axis=0))[-6:].tolist())
    for u in units:
        if not 0 <= u < H:
            raise ValueError(f"unit {u} outside 0..{H - 1} (c has shape {v.shape})")
    if ax is None:
        _, ax = plt.subplots(figsize=(min(14, max(6, 0.45 * T + 2.5)), 4))
    t = np.arange(T)
    for j, u in enumerate(units):
        ax.plot(
            t,
            v[:, u],
            marker="o" if T <= 30 else None,
            markersize=4,
            color=COURSE_COLORS[j % len(COURSE_COLORS)],
            label=f"unit {u}",
            gid=f"trace:{u}",
        )
    ax.axhline(0, color="grey", linewidth=1)
    ax.set_ylabel(f"${label}_t$")
    ax.set_xlabel("time step $t$" if tokens is None else "")
    _time_axis(ax, T, tokens, markers)
    if len(units) <= 8:
        ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5))
    return ax


def pca_2d(h) -> tuple[np.ndarray, np.ndarray]:
    """Project states onto their first two principal components (numpy SVD, no sklearn).

    Inputs:
        h: (T, H) or (N, T, H) states; all N*T points share one projection.
    Returns:
        coords: (T, 2) or (N, T, 2) projected, centred points;
        explained: (2,) fraction of the variance along each component.

    With X the (N*T, H) centred points and X = U S V^T, the coordinates are X V[:, :2]
    and the explained fractions S_k^2 / sum S^2.
    """
    v = np.asarray(h, dtype=float)
    if v.ndim not in (2, 3):
        raise ValueError(f"h must have shape (T, H) or (N, T, H), got {v.shape}")
    if v.shape[-1] < 2:
        raise ValueError(f"h needs at least H = 2 units to project to 2-D, got shape {v.shape}")
    if not np.all(np.isfinite(v)):
        raise ValueError("h contains NaN or inf")
    X = v.reshape(-1, v.shape[-1])  # (N*T, H)
    X = X - X.mean(axis=0)
    _, S, Vt = np.linalg.svd(X, full_matrices=False)
    # fix the sign of each component so results do not flip between runs/platforms
    signs = np.sign(Vt[:2, np.argmax(np.abs(Vt[:2]), axis=1)].diagonal())
    signs[signs == 0] = 1.0
    coords = X @ (Vt[:2].T * signs)  # (N*T, 2)
    total = float(np.sum(S**2))
    explained = S[:2] ** 2 / total if total > 0 else np.zeros(2)
    return coords.reshape(*v.shape[:-1], 2), explained


def plot_hidden_trajectory(
    h,
    ax: Axes | None = None,
    *,
    labels: list[str] | None = None,
    tokens: list[str] | None = None,
) -> Axes:
    """Hidden-state trajectories projected to 2-D with PCA: one line per sequence.

    Inputs:
        h: (T, H) one sequence or (N, T, H) several (projected together by ``pca_2d``).
        labels: N legend labels (one per sequence).
        tokens: T strings written next to the points (one sequence only).
    Returns:
        The Axes: per sequence a Line2D (gid "trajectory:<n>") with a circle at t = 1 and a
        star at t = T; axis labels give the explained variance.
    """
    v = np.asarray(h, dtype=float)
    coords, explained = pca_2d(v)
    if coords.ndim == 2:
        coords = coords[None]  # (1, T, 2)
    N, T, _ = coords.shape
    if labels is not None and len(labels) != N:
        raise ValueError(f"labels must have N = {N} entries, got {len(labels)}")
    if tokens is not None and (N != 1 or len(tokens) != T):
        raise ValueError(f"tokens need one sequence of T = {T} steps, got N = {N}, {len(tokens)}")
    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 5.5))
    for i in range(N):
        color = COURSE_COLORS[i % len(COURSE_COLORS)]
        p = coords[i]
        ax.plot(
            p[:, 0],
            p[:, 1],
            "-",
            color=color,
            marker=".",
            markersize=8,
            alpha=0.9,
            label=labels[i] if labels else None,
            gid=f"trajectory:{i}",
        )
        ax.plot(*p[0], "o", color=color, markersize=10, markeredgecolor="black", gid=f"start:{i}")
        ax.plot(*p[-1], "*", color=color, markersize=16, markeredgecolor="black", gid=f"end:{i}")
    ax.plot([], [], "o", color="grey", markeredgecolor="black", label="start $t=1$")
    ax.plot([], [], "*", color="grey", markeredgecolor="black", markersize=14, label="end $t=T$")
    if tokens is not None:
        for t, word in enumerate(tokens):
            ax.annotate(
                str(word),
                coords[0, t],
                textcoords="offset points",
                xytext=(6, 6),
                fontsize=plt.rcParams["font.size"] - 2,
            )
    ax.set_xlabel(f"PC 1 ({100 * explained[0]:.0f}% of variance)")
    ax.set_ylabel(f"PC 2 ({100 * explained[1]:.0f}%)")
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5))
    return ax
