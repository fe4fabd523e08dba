"""Explorers of gated cells: LSTM gates set by hand (notebook 04), a gate heatmap scrubbed over
time (notebook 04), GRU gates set by hand (notebook 05).
"""

from __future__ import annotations

import ipywidgets as W
import numpy as np
from matplotlib.patches import Rectangle

from ..lstm import lstm_forward
from ..style import COURSE_COLORS
from ..viz.gates import SCALES, plot_gate_heatmap
from .base import Explorer, agg_figure, check_step, register_explorer, wire

__all__ = [
    "lstm_gate_view",
    "lstm_gate_explorer",
    "gate_scrub_view",
    "gate_scrub_explorer",
    "gru_gate_view",
    "gru_gate_explorer",
]


def _logit(p: float) -> float:
    """Inverse sigmoid, clipped at +-40 (sigma(40) = 1 to float64 precision)."""
    p = float(np.clip(p, 0.0, 1.0))
    if p >= 1.0:
        return 40.0
    if p <= 0.0:
        return -40.0
    return float(np.clip(np.log(p / (1.0 - p)), -40.0, 40.0))


def lstm_gate_view(forget: float, input: float, output: float, x=None, c0: float = 1.0) -> dict:
    """A one-unit LSTM whose gates are held at fixed values: what happens to the memory c_t?

    With W_h = 0 and gate biases logit(value), every step has f_t = forget, i_t = input,
    o_t = output, and the candidate g_t = tanh(x_t) follows the input:

        c_t = f c_{t-1} + i g_t,    h_t = o tanh(c_t)

    so forget = 1, input = 0 keeps c_t = c_0 for ever; forget < 1 lets it decay as f^t.
    Computed with ``lstm_forward`` (D = H = 1).

    Inputs:
        forget, input, output: gate values in [0, 1].
        x: (T,) inputs (default: 20 steps, a pulse +2 at t = 4 and -1.5 at t = 12).
        c0: initial memory c_0.
    Returns:
        dict with "t" (T,) steps 1..T, "x", "g", "c", "h" (T,), and "f", "i", "o" (T,) gates.
    """

    for name, value in (("forget", forget), ("input", input), ("output", output)):
        if not 0.0 <= value <= 1.0:
            raise ValueError(f"{name} must be a gate value in [0, 1], got {value}")
    if x is None:
        x = np.zeros(20)
        x[3], x[11] = 2.0, -1.5
    x = np.asarray(x, dtype=float)
    if x.ndim != 1:
        raise ValueError(f"x must have shape (T,), got {x.shape}")
    T = x.size
    Wx = np.array([[0.0, 0.0, 1.0, 0.0]])  # (D, 4H): only the candidate g reads x
    Wh = np.zeros((1, 4))  # (H, 4H): gates do not depend on h
    b = np.array([_logit(input), _logit(forget), 0.0, _logit(output)])  # (4H,) order i, f, g, o
    h, c, cache = lstm_forward(x.reshape(1, T, 1), np.zeros((1, 1)), np.full((1, 1), c0),
                               Wx, Wh, b)  # fmt: skip
    gates = {k: v[0, :, 0] for k, v in cache["gates"].items()}
    return {"t": np.arange(1, T + 1), "x": x, "g": gates["g"], "c": c[0, :, 0], "h": h[0, :, 0],
            "f": gates["f"], "i": gates["i"], "o": gates["o"]}  # fmt: skip


def lstm_gate_explorer(x=None, c0: float = 1.0) -> Explorer:
    """Forget / input / output sliders over ``lstm_gate_view``: c_t and h_t over the steps.

    Returns: an Explorer with controls "forget", "input", "output".
    """

    v0 = lstm_gate_view(1.0, 0.0, 1.0, x, c0)
    t = v0["t"]
    fig = agg_figure((7.5, 4.2))
    ax = fig.add_subplot()
    bars = ax.bar(t, v0["g"], color="0.75", width=0.6)
    (c_line,) = ax.plot(t, v0["c"], color=COURSE_COLORS[0], marker="o", markersize=4,
                        label="memory $c_t$")  # fmt: skip
    (h_line,) = ax.plot(t, v0["h"], color=COURSE_COLORS[1], marker="s", markersize=4,
                        label="output $h_t$")  # fmt: skip
    ax.axhline(c0, color=COURSE_COLORS[0], linestyle=":", linewidth=1.5)
    ax.axhline(0, color="0.6", linewidth=1)
    top = max(2.2, abs(c0) + float(np.abs(v0["g"]).sum()) * 0.75)
    ax.set_ylim(-top, top)
    ax.set_xlim(0.3, t[-1] + 0.7)
    ax.set_xlabel("step $t$")
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5))
    fig.subplots_adjust(left=0.1, right=0.72, bottom=0.15, top=0.88)
    title = ax.set_title(" ")
    slider = lambda v, d: W.FloatSlider(value=v, min=0.0, max=1.0, step=0.05, description=d)  # noqa: E731
    controls = {"forget": slider(1.0, "forget f"), "input": slider(0.0, "input i"),
                "output": slider(1.0, "output o")}  # fmt: skip

    def update():
        v = lstm_gate_view(controls["forget"].value, controls["input"].value,
                           controls["output"].value, x, c0)  # fmt: skip
        c_line.set_ydata(np.clip(v["c"], -top, top))
        h_line.set_ydata(v["h"])
        for bar, g in zip(bars, v["i"] * v["g"]):
            bar.set_height(g)  # what is actually written: i_t g_t
        title.set_text(f"f={v['f'][0]:.2f}, i={v['i'][0]:.2f}, o={v['o'][0]:.2f}:  "
                       f"c_T = {v['c'][-1]:.3f}")  # fmt: skip
        return v, [*bars, c_line, h_line, title]

    bars.set_label("written $i_t g_t$")
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5))
    return wire(controls, fig, update, [*bars, c_line, h_line, title])


@register_explorer("lstm_gates", sweep={"forget": [0.5, 0.9, 1.0], "input": [1.0, 0.5, 0.0],
                                        "output": [0.2, 1.0]})  # fmt: skip
def _example_lstm_gates() -> Explorer:
    return lstm_gate_explorer()


def gate_scrub_view(gates: dict, gate: str, t: int) -> dict:
    """The values of one gate at one step, for scrubbing along a heatmap.

    Inputs:
        gates: dict name -> (T, H) activations of one sequence (e.g. ``cache["gates"]`` of
            ``lstm_forward`` at [n]); gate: a key of ``gates``; t: step 1..T.
    Returns:
        dict with "gate", "t", "values" (H,), "mean", and "scale": "gate" (0..1) for sigmoid
        gates, "signed" (-1..1) for the candidates g and n.
    """
    if gate not in gates:
        raise ValueError(f"gate must be one of {sorted(gates)}, got {gate!r}")
    v = np.asarray(gates[gate], dtype=float)
    if v.ndim != 2:
        raise ValueError(f"gates[{gate!r}] must have shape (T, H), got {v.shape}")
    t = check_step("t", t, 1, v.shape[0])
    values = v[t - 1]
    scale = "signed" if gate in ("g", "n", "h", "c") else "gate"
    return {"gate": gate, "t": t, "values": values, "mean": float(values.mean()), "scale": scale}


def gate_scrub_explorer(gates: dict, tokens: list[str] | None = None) -> Explorer:
    """A gate heatmap (time x units) with a slider over t: the column is boxed and its values
    drawn as bars beside it; a dropdown picks the gate.

    Inputs: gates: dict name -> (T, H) (or (N, T, H): the first sequence is used);
        tokens: T labels for the time axis.
    Returns: an Explorer with controls "gate" and "t".
    """

    gates = {k: (np.asarray(v)[0] if np.asarray(v).ndim == 3 else np.asarray(v))
             for k, v in gates.items()}  # fmt: skip
    names = list(gates)
    T, H = gates[names[0]].shape
    for name, v in gates.items():
        lo, hi, _ = SCALES[gate_scrub_view(gates, name, 1)["scale"]]
        if v.shape != (T, H) or v.min() < lo - 1e-9 or v.max() > hi + 1e-9:
            raise ValueError(
                f"gates[{name!r}] must have shape (T, H) = ({T}, {H}) with values in "
                f"[{lo:g}, {hi:g}], got shape {v.shape}, range [{v.min():.3g}, {v.max():.3g}]"
            )
    if tokens is not None and len(tokens) != T:
        raise ValueError(f"tokens must have T = {T} entries, got {len(tokens)}")
    fig = agg_figure((max(7.0, 0.42 * T + 3.5), 4.4))
    ax = fig.add_axes((0.08, 0.24 if tokens else 0.16, 0.62, 0.66))
    ax_bar = fig.add_axes((0.8, 0.24 if tokens else 0.16, 0.17, 0.66))
    first = gate_scrub_view(gates, names[0], 1)
    plot_gate_heatmap(gates[names[0]], ax, scale=first["scale"], tokens=tokens, colorbar=False)
    im = ax.images[0]
    box = Rectangle((-0.5, -0.5), 1, H, fill=False, edgecolor="black", linewidth=3)
    ax.add_patch(box)
    bars = ax_bar.barh(np.arange(H), first["values"], color="0.5", height=0.7, edgecolor="0.3")
    ax_bar.set_ylim(-0.5, H - 0.5)
    ax_bar.set_xlim(-1.0, 1.0)  # fixed (both scales fit), so the background can be reused
    ax_bar.set_yticks([])
    ax_bar.set_xlabel("value at $t$")
    ax_bar.axvline(0, color="0.4", linewidth=1)
    title = ax.set_title(" ", loc="left", fontsize=14)
    controls = {
        "gate": W.Dropdown(options=names, value=names[0], description="gate"),
        "t": W.IntSlider(value=1, min=1, max=T, description="t"),
    }
    shown_gate = [names[0]]

    def update():
        v = gate_scrub_view(gates, controls["gate"].value, controls["t"].value)
        lo, hi, cmap = SCALES[v["scale"]]
        if shown_gate[0] != v["gate"]:
            im.set_data(gates[v["gate"]].T)
            im.set_cmap(cmap)
            im.set_clim(lo, hi)
            shown_gate[0] = v["gate"]
        box.set_x(v["t"] - 1.5)  # column t-1 spans t-1.5 .. t-0.5
        colors = im.cmap(im.norm(v["values"]))
        for bar, value, color in zip(bars, v["values"], colors):
            bar.set_width(value)
            bar.set_facecolor(color)
        word = f" ('{tokens[v['t'] - 1]}')" if tokens else ""
        title.set_text(f"{v['gate']} at t = {v['t']}{word}: mean {v['mean']:.2f}")
        return v, [im, box, *bars, title]

    return wire(controls, fig, update, [box, *bars, title])


@register_explorer("gate_scrub", sweep={"t": [3, 7, 10], "gate": ["f", "g", "o"]})
def _example_gate_scrub() -> Explorer:

    rng = np.random.default_rng(0)
    words = "the cat sat on the mat and then it ran".split()
    vocab = sorted(set(words))
    x = np.eye(len(vocab))[[vocab.index(w) for w in words]][None]  # (1, T, V) one-hot
    D, H = len(vocab), 6
    _, _, cache = lstm_forward(x, np.zeros((1, H)), np.zeros((1, H)),
                               rng.normal(size=(D, 4 * H)), 0.5 * rng.normal(size=(H, 4 * H)),
                               np.zeros(4 * H))  # fmt: skip
    return gate_scrub_explorer(cache["gates"], tokens=words)


_DEFAULT_X = np.array([0, 0, 1, 1, 1, 1, 0, 0, -1, -1, -1, -1, 0, 0, 1, 1, 0, 0, 0, 0], dtype=float)


def gru_gate_view(update: float, reset: float, x=None, h0: float = 0.8, wx: float = 2.0, wh: float = 1.5) -> dict:
    """Run a one-unit GRU with its gates held at ``update`` (z) and ``reset`` (r).

        n_t = tanh(wx x_t + r * wh h_{t-1}),   h_t = (1 - z) n_t + z h_{t-1}

    Inputs:
        update: z in [0, 1]; reset: r in [0, 1]; x: (T,) inputs (default: a pulse pattern of
            T = 20); h0: initial state; wx, wh: the input and recurrent weights.
    Returns:
        dict with "x" (T,), "n" (T,) candidates, "h" (T + 1,) states h_0..h_T, "update",
        "reset", and "carried" = z^T, the share of h_0 still in h_T.
    """
    for name, v in (("update", update), ("reset", reset)):
        if not 0.0 <= float(v) <= 1.0:
            raise ValueError(f"{name} must be in [0, 1], got {v}")
    x = _DEFAULT_X if x is None else np.asarray(x, dtype=float)
    if x.ndim != 1 or x.size == 0:
        raise ValueError(f"x must have shape (T,), got {x.shape}")
    z, r = float(update), float(reset)
    h = np.empty(x.size + 1)
    n = np.empty(x.size)
    h[0] = h0
    for t in range(x.size):
        n[t] = np.tanh(wx * x[t] + r * wh * h[t])  # candidate
        h[t + 1] = (1 - z) * n[t] + z * h[t]  # interpolate old state and candidate
    return {"x": x, "n": n, "h": h, "update": z, "reset": r, "carried": z**x.size}


def gru_gate_explorer(x=None, h0: float = 0.8) -> Explorer:
    """Sliders for the update gate z and the reset gate r of a one-unit GRU; the figure shows
    the input x_t, the candidate n_t and the state h_t over time.

    Returns: an Explorer with controls "update" and "reset"; state is the :func:`gru_gate_view` dict.
    """

    first = gru_gate_view(0.5, 1.0, x, h0)
    T = first["x"].size
    fig = agg_figure((8.0, 4.2), dpi=72)
    ax = fig.add_axes((0.1, 0.14, 0.86, 0.64))
    t = np.arange(1, T + 1)
    ax.step(t, first["x"], where="mid", color="0.6", label="input $x_t$")
    (line_n,) = ax.plot(t, first["n"], "--", color=COURSE_COLORS[1], label="candidate $n_t$")
    (line_h,) = ax.plot(np.arange(T + 1), first["h"], "-o", color=COURSE_COLORS[0], ms=4, label="state $h_t$")
    ax.axhline(h0, color="0.3", linestyle=":", linewidth=1.2)
    ax.set(xlabel="time step $t$", ylim=(-1.15, 1.15), xlim=(-0.5, T + 0.5))
    ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=3, fontsize=11)  # above the data
    title = fig.text(0.1, 0.92, " ", fontsize=13)
    controls = {
        "update": W.FloatSlider(value=0.5, min=0.0, max=1.0, step=0.05, description="update z"),
        "reset": W.FloatSlider(value=1.0, min=0.0, max=1.0, step=0.05, description="reset r"),
    }

    def update():
        v = gru_gate_view(controls["update"].value, controls["reset"].value, x, h0)
        line_n.set_ydata(v["n"])
        line_h.set_ydata(v["h"])
        title.set_text(
            f"$z$ = {v['update']:.2f}: $h_T$ = {v['h'][-1]:+.2f}; share of $h_0$ kept $z^T$ = {v['carried']:.3f}"
        )
        return v, (line_n, line_h, title)

    return wire(controls, fig, update, (line_n, line_h, title))


@register_explorer("gru_gates", sweep={"update": [0.0, 0.9, 1.0], "reset": [0.0, 0.5, 1.0]})
def _example_gru_gates() -> Explorer:
    return gru_gate_explorer()
