"""Diagrams of one recurrent cell: the vanilla RNN, the LSTM and the GRU.

Boxes are neural-network layers (a matmul then sigma or tanh), circles are pointwise
operations (x multiply, + add, 1- one minus), lines carry vectors. Optionally each quantity is
annotated with its value at one step (``values``), taken from the caches of
``rnn_forward`` / ``lstm_forward`` / ``gru_forward``.

LSTM (gate order i, f, g, o as in ``LSTM_GATES``; the drawing uses the course's symbols, C~_t for
the candidate the code calls g, C_t for the cell state the code calls c):

    f_t = sigma(.)   i_t = sigma(.)   C~_t = tanh(.)   o_t = sigma(.)
    C_t = f_t * C_{t-1} + i_t * C~_t                (the line across the top)
    h_t = o_t * tanh(C_t)

GRU (order r, z, n as in ``GRU_GATES``; torch applies r to W_hn h_{t-1} + b_hn, the diagram
shows it as gating h_{t-1} on its way into the candidate):

    r_t = sigma(.)   z_t = sigma(.)   n_t = tanh(W_in x_t + r_t * (W_hn h_{t-1}) + ...)
    h_t = (1 - z_t) * n_t + z_t * h_{t-1}

Artists carry gids: layers ``"layer:f"``, pointwise ops ``"op:<name>"``, wires ``"wire:<name>"``
(the LSTM cell state is ``"wire:cell_state"``), values ``"value:<key>"``.
"""

from __future__ import annotations

import matplotlib.patheffects as pe
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

from ..style import OKABE_ITO, WEIGHT_COLORS

__all__ = ["CELL_KINDS", "draw_cell", "cell_values_at"]

CELL_KINDS = ("rnn", "lstm", "gru")

_LAYER_FILL = "#FBE3B4"  # light orange: a learned layer
_WIRE = "#333333"
_CELL_LINE = OKABE_ITO["black"]
_VALUE_COLOR = OKABE_ITO["blue"]


class _Canvas:
    def __init__(self, ax: Axes, fontsize: float):
        self.ax = ax
        self.fs = fontsize

    def layer(self, name: str, xy, text: str, w=1.0, h=0.75):
        self.ax.add_patch(
            FancyBboxPatch(
                (xy[0] - w / 2, xy[1] - h / 2),
                w,
                h,
                boxstyle="round,pad=0.02,rounding_size=0.12",
                facecolor=_LAYER_FILL,
                edgecolor=_WIRE,
                linewidth=1.6,
                zorder=3,
                gid=f"layer:{name}",
            )
        )
        self.ax.text(*xy, text, ha="center", va="center", fontsize=self.fs + 1, zorder=4, gid=f"layertext:{name}")

    def op(self, name: str, xy, symbol: str, r=0.3):
        self.ax.add_patch(Circle(xy, r, facecolor="white", edgecolor=_WIRE, linewidth=1.6, zorder=3, gid=f"op:{name}"))
        self.ax.text(*xy, symbol, ha="center", va="center", fontsize=self.fs + 1, zorder=4, gid=f"optext:{name}")

    def wire(self, name: str, points, color=_WIRE, lw=2.0, arrow=True, over=False):
        """A polyline through ``points``; an arrow head on its last segment."""
        pts = np.asarray(points, dtype=float)
        effects = [pe.withStroke(linewidth=lw + 5, foreground="white")] if over else None
        self.ax.plot(
            pts[:, 0], pts[:, 1], color=color, linewidth=lw, zorder=2.5 if over else 2,
            solid_capstyle="butt", gid=f"wire:{name}", path_effects=effects,
        )  # fmt: skip
        if arrow:
            self.ax.add_patch(
                FancyArrowPatch(
                    pts[-2],
                    pts[-1],
                    arrowstyle="-|>",
                    mutation_scale=15,
                    color=color,
                    linewidth=lw,
                    shrinkA=0,
                    shrinkB=0,
                    zorder=2.5 if over else 2,
                    gid=f"wirehead:{name}",
                )
            )

    def label(self, xy, text, gid, ha="center", va="center", color="black", size=0):
        self.ax.text(*xy, text, ha=ha, va=va, fontsize=self.fs + size, color=color, zorder=5, gid=gid)


def cell_values_at(cache_or_values: dict, t: int, n: int = 0) -> dict[str, np.ndarray]:
    """Pick the values of one step t (and sequence n) for ``draw_cell(values=...)``.

    Inputs:
        cache_or_values: a dict of arrays of shape (N, T, H), e.g. ``cache["gates"]`` of
            ``lstm_forward`` merged with {"h": h, "c": c}.
        t: time step index (0-based); n: sequence index in the batch.
    Returns:
        dict name -> (H,) array of step t; "h_prev"/"c_prev" are added from step t-1 when
        "h"/"c" are present (zeros at t=0 is *not* assumed: they are omitted there).
    """
    out = {}
    for key, arr in cache_or_values.items():
        arr = np.asarray(arr)
        if arr.ndim != 3:
            raise ValueError(f"values[{key!r}] must have shape (N, T, H), got {arr.shape}")
        if not (0 <= t < arr.shape[1]) or not (0 <= n < arr.shape[0]):
            raise ValueError(f"step t={t}, sequence n={n} outside values[{key!r}] {arr.shape}")
        out[key] = arr[n, t]
        if key in ("h", "c") and t > 0:
            out[f"{key}_prev"] = arr[n, t - 1]
    return out


def _fmt(values: dict | None, key: str, unit: int | None) -> str | None:
    if not values or key not in values:
        return None
    v = np.asarray(values[key], dtype=float)
    if v.ndim == 2:
        v = v[0]  # (N, H) -> first sequence of the batch
    if v.ndim > 1:
        raise ValueError(f"values[{key!r}] must have shape (H,) or (N, H), got {v.shape}")
    if unit is None:
        return f"{v.mean():.2f}"
    if not 0 <= unit < v.size:
        raise ValueError(f"unit must be in 0..{v.size - 1} for values[{key!r}], got {unit}")
    return f"{v[unit]:.2f}"


def draw_cell(
    kind: str = "lstm",
    ax: Axes | None = None,
    *,
    values: dict | None = None,
    unit: int | None = 0,
    fontsize: float | None = None,
) -> Axes:
    """Draw one cell's diagram; optionally write one step's values beside each quantity.

    Inputs:
        kind: "rnn" (vanilla tanh cell), "lstm" or "gru".
        ax: Axes to draw into; None creates one.
        values: optional dict of arrays (H,) or (N, H) (first row used) named like the
            cores' caches: "x", "h_prev", "h", and for the LSTM "c_prev", "c", "i", "f", "g",
            "o"; for the GRU "r", "z", "n". Missing keys are simply not annotated.
        unit: which hidden unit's value to show; None shows the mean over units.
        fontsize: base font size (default rcParams["font.size"]).
    Returns:
        The Axes (see the module docstring for the gids of the artists).
    """
    if kind not in CELL_KINDS:
        raise ValueError(f"kind must be one of {CELL_KINDS}, got {kind!r}")
    if values is not None and not isinstance(values, dict):
        raise ValueError(f"values must be a dict of arrays, got {type(values).__name__}")
    fs = float(fontsize or plt.rcParams["font.size"])
    created = ax is None
    if created:
        _, ax = plt.subplots(figsize={"rnn": (6.5, 4.2), "lstm": (9.5, 5.4), "gru": (9.5, 5.4)}[kind])
    c = _Canvas(ax, fs)
    val = lambda key: _fmt(values, key, unit)  # noqa: E731
    {"rnn": _rnn, "lstm": _lstm, "gru": _gru}[kind](c, val)
    ax.set_aspect("equal")
    ax.axis("off")
    lims = {"rnn": ((-1.6, 7.6), (-1.4, 4.9)), "lstm": ((-1.9, 11.9), (-1.3, 6.3)), "gru": ((-1.9, 11.9), (-1.3, 6.3))}[
        kind
    ]
    ax.set_xlim(*lims[0])
    ax.set_ylim(*lims[1])
    return ax


def _value(c: _Canvas, val, key: str, xy, ha="left", va="center"):
    text = val(key)
    if text is not None:
        c.label(xy, text, f"value:{key}", ha=ha, va=va, color=_VALUE_COLOR, size=-1)


def _body(c: _Canvas, x0, y0, x1, y1):
    c.ax.add_patch(
        FancyBboxPatch(
            (x0, y0),
            x1 - x0,
            y1 - y0,
            boxstyle="round,pad=0.05,rounding_size=0.4",
            facecolor="#F7F7F7",
            edgecolor="#999999",
            linewidth=1.5,
            zorder=0,
            gid="cell_body",
        )
    )


def _rnn(c: _Canvas, val):
    """Vanilla cell: h_t = tanh(W_x x_t + W_h h_{t-1} + b), y_t = W_y h_t."""
    _body(c, 0.9, 0.6, 5.3, 3.4)
    wx, wh, wy = WEIGHT_COLORS["W_x"], WEIGHT_COLORS["W_h"], WEIGHT_COLORS["W_y"]
    c.layer("tanh", (3.0, 2.0), "tanh", w=1.3)
    c.wire("h_prev", [(-1.0, 2.0), (2.35, 2.0)], color=wh, lw=2.4)
    c.wire("x", [(3.0, -0.6), (3.0, 1.62)], color=wx, lw=2.4)
    c.wire("h", [(3.65, 2.0), (6.9, 2.0)])
    c.wire("y", [(4.6, 2.0), (4.6, 4.1)], color=wy, lw=2.4)
    c.label((-1.1, 2.0), "$h_{t-1}$", "io:h_prev", ha="right", size=1)
    c.label((3.0, -0.7), "$x_t$", "io:x", va="top", size=1)
    c.label((7.0, 2.0), "$h_t$", "io:h", ha="left", size=1)
    c.label((4.6, 4.2), "$y_t$", "io:y", va="bottom", size=1)
    c.label((1.5, 2.15), "$W_h$", "wlabel:W_h", va="bottom", color=wh)
    c.label((3.1, 0.25), "$W_x$", "wlabel:W_x", ha="left", color=wx)
    c.label((4.7, 3.0), "$W_y$", "wlabel:W_y", ha="left", color=wy)
    _value(c, val, "h_prev", (-1.1, 1.6), ha="right")
    _value(c, val, "x", (3.6, -0.7), va="top")
    _value(c, val, "h", (5.8, 1.75), va="top")


def _lstm(c: _Canvas, val):
    _body(c, 0.0, 0.1, 10.0, 5.7)
    yc, yb, yl = 5.0, 0.8, 2.3  # cell-state line, bottom bus, layers
    # cell state: C_{t-1} -x(f)- -+(i*C~)- C_t
    c.wire("cell_state", [(-1.2, yc), (11.2, yc)], color=_CELL_LINE, lw=3.2)
    c.op("forget", (2.0, yc), r"$\times$")
    c.op("add", (5.0, yc), "$+$")
    # bus [h_{t-1}, x_t]
    c.wire("h_prev", [(-1.2, yb), (6.6, yb)], arrow=False)
    c.wire("x", [(0.7, -0.7), (0.7, yb)], arrow=False)
    for name, xpos, text in (
        ("f", 2.0, r"$\sigma$"),
        ("i", 3.5, r"$\sigma$"),
        ("g", 5.0, "tanh"),
        ("o", 6.6, r"$\sigma$"),
    ):
        c.wire(f"bus_{name}", [(xpos, yb), (xpos, yl - 0.38)])
        c.layer(name, (xpos, yl), text)
    c.wire("f", [(2.0, yl + 0.38), (2.0, yc - 0.3)])
    c.op("input", (5.0, 3.7), r"$\times$")
    c.wire("i", [(3.5, yl + 0.38), (3.5, 3.7), (4.7, 3.7)])
    c.wire("g", [(5.0, yl + 0.38), (5.0, 3.4)])
    c.wire("ig", [(5.0, 4.0), (5.0, yc - 0.3)])
    # output: h_t = o_t * tanh(C_t)
    c.op("output", (8.3, 3.0), r"$\times$")
    c.layer("tanh_c", (8.3, 4.05), "tanh", w=0.95, h=0.5)
    c.ax.patches[-1].set_boxstyle("round,pad=0.02,rounding_size=0.25")
    c.ax.patches[-1].set_facecolor("white")
    c.wire("c_branch", [(8.3, yc), (8.3, 4.3)])
    c.wire("tanh_c", [(8.3, 3.8), (8.3, 3.3)])
    c.wire("o", [(6.6, yl + 0.38), (6.6, 3.0), (8.0, 3.0)])
    c.wire("h", [(8.3, 2.7), (8.3, yb), (11.2, yb)])
    # names
    c.label((-1.3, yc), "$C_{t-1}$", "io:c_prev", ha="right", size=1)
    c.label((11.3, yc), "$C_t$", "io:c", ha="left", size=1)
    c.label((-1.3, yb), "$h_{t-1}$", "io:h_prev", ha="right", size=1)
    c.label((11.3, yb), "$h_t$", "io:h", ha="left", size=1)
    c.label((0.7, -0.8), "$x_t$", "io:x", va="top", size=1)
    for name, xpos in (("f", 2.0), ("i", 3.5), ("o", 6.6)):
        c.label((xpos - 0.12, yl + 0.55), f"${name}_t$", f"name:{name}", ha="right", va="bottom")
    c.label((5.12, yl + 0.55), r"$\tilde C_t$", "name:g", ha="left", va="bottom")
    c.label((6.2, yc + 0.35), "cell state", "name:cell_state", va="bottom", size=-1)
    # values
    for name, xpos in (("f", 2.0), ("i", 3.5), ("g", 5.0), ("o", 6.6)):
        _value(c, val, name, (xpos + 0.1, yl - 0.45), va="top")  # under the box, right of wire
    _value(c, val, "c_prev", (-1.3, yc - 0.35), ha="right", va="top")
    _value(c, val, "c", (11.3, yc - 0.35), va="top")
    _value(c, val, "h_prev", (-1.3, yb - 0.35), ha="right", va="top")
    _value(c, val, "h", (11.3, yb - 0.35), va="top")


def _gru(c: _Canvas, val):
    _body(c, 0.0, 0.1, 10.0, 5.7)
    yh, yb, yl, ym = 5.0, 0.8, 2.0, 3.6
    c.wire("h_line", [(-1.2, yh), (11.2, yh)], color=_CELL_LINE, lw=3.2)
    c.op("keep", (6.0, yh), r"$\times$")  # z * h_{t-1}
    c.op("add", (8.6, yh), "$+$")
    c.wire("h_prev", [(0.3, yh), (0.3, yb), (6.0, yb)], arrow=False)
    c.wire("x", [(1.0, -0.7), (1.0, yb)], arrow=False)
    for name, xpos, text in (("r", 1.8, r"$\sigma$"), ("n", 3.8, "tanh"), ("z", 6.0, r"$\sigma$")):
        c.wire(f"bus_{name}", [(xpos, yb), (xpos, yl - 0.38)])
        c.layer(name, (xpos, yl), text)
    # r gates h_{t-1} on its way into the candidate n
    c.op("reset", (1.8, ym), r"$\times$")
    c.wire("r", [(1.8, yl + 0.38), (1.8, ym - 0.3)])
    c.wire("h_to_reset", [(1.8, yh), (1.8, ym + 0.3)])
    c.wire("rh", [(2.1, ym), (3.8, ym), (3.8, yl + 0.38)])
    # z: keep z of the old state, write (1 - z) of the candidate
    c.wire("z", [(6.0, yl + 0.38), (6.0, yh - 0.3)])
    c.op("one_minus", (7.3, ym), "1-", r=0.32)
    c.wire("z_branch", [(6.0, ym), (6.98, ym)])
    c.op("write", (8.6, ym), r"$\times$")
    c.wire("one_minus_z", [(7.62, ym), (8.3, ym)])
    c.wire("n", [(4.3, yl), (4.8, yl), (4.8, 2.9), (8.6, 2.9), (8.6, ym - 0.3)], over=True)
    c.wire("write", [(8.6, ym + 0.3), (8.6, yh - 0.3)])
    c.label((-1.3, yh), "$h_{t-1}$", "io:h_prev", ha="right", size=1)
    c.label((11.3, yh), "$h_t$", "io:h", ha="left", size=1)
    c.label((1.0, -0.8), "$x_t$", "io:x", va="top", size=1)
    c.label((1.68, yl + 0.5), "$r_t$", "name:r", ha="right", va="bottom")
    c.label((3.68, yl + 0.5), "$n_t$", "name:n", ha="right", va="bottom")
    c.label((5.88, yl + 0.5), "$z_t$", "name:z", ha="right", va="bottom")
    for name, xpos in (("r", 1.8), ("n", 3.8), ("z", 6.0)):
        _value(c, val, name, (xpos + 0.1, yl - 0.45), va="top")
    _value(c, val, "h_prev", (-1.3, yh - 0.35), ha="right", va="top")
    _value(c, val, "h", (11.3, yh - 0.35), va="top")
