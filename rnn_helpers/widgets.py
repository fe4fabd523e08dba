"""ipywidgets explorers: a pure function computes what to show, a thin builder wires controls to it.

Every explorer is an :class:`Explorer`: ``controls`` (name -> widget with a ``value``), the
``widget`` to display, and ``state`` (whatever the pure function last returned, so tests and
benchmarks can check what changed without a browser). Setting ``controls[name].value``
re-renders synchronously.

Explorers register a cheap example with :func:`register_explorer` so that
``benchmarks/run.py --only widgets`` can time every one of them (set a value, redraw).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = [
    "Explorer",
    "register_explorer",
    "EXPLORERS",
    "unroll_view",
    "unroll_explorer",
    "bptt_path_view",
    "bptt_path_explorer",
    "gradient_lag_view",
    "gradient_lag_explorer",
    "lstm_gate_view",
    "lstm_gate_explorer",
    "gate_scrub_view",
    "gate_scrub_explorer",
    "learning_rate_view",
    "learning_rate_explorer",
    "cell_step_view",
    "cell_step_explorer",
]


@dataclass
class Explorer:
    """A built explorer: its controls, the widget to display, and the last computed state."""

    controls: dict[str, Any]
    widget: Any
    state: dict[str, Any] = field(default_factory=dict)

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


# name -> (factory building a small example Explorer, {control name: values to cycle through})
EXPLORERS: dict[str, tuple[Callable[[], Explorer], dict[str, list[Any]]]] = {}


def register_explorer(name: str, sweep: dict[str, list[Any]]):
    """Decorator registering a zero-argument factory of an example explorer for the benchmarks.

    ``sweep`` maps control names to the values the benchmark sets one after another.
    """

    def decorate(factory: Callable[[], Explorer]) -> Callable[[], Explorer]:
        if name in EXPLORERS:
            raise ValueError(f"explorer {name!r} is registered twice")
        EXPLORERS[name] = (factory, sweep)
        return factory

    return decorate


# ----------------------------------------------------------------------------------------------
# Explorers over the drawings of rnn_helpers.viz. Each has a pure ``*_view`` function (numbers
# only, unit-tested) and a builder that draws one Agg figure once and, on every control change,
# updates its artists' data and re-renders it to PNG into an ipywidgets.Image.
#
# | explorer | controls | shows |
# |---|---|---|
# | unroll_explorer | t | the graph computed up to step t; h_1..h_t as a heatmap |
# | bptt_path_explorer | t, k, K | the path of one BPTT term, its factors, truncation |
# | gradient_lag_explorer | scale, activation, T | ||dh_T/dh_k|| against lag, with its bound |
# | lstm_gate_explorer | forget, input, output | c_t and h_t of a one-unit LSTM over time |
# | gate_scrub_explorer | gate, t | a gate heatmap with column t boxed, its values as bars |
# | learning_rate_explorer | lr | the loss of gradient descent on a tiny RNN |
# | cell_step_explorer | t, unit | an LSTM/GRU cell diagram with the values of step t |

_DPI = 96  # widget images: sharp at their drawn size, readable on a projector, cheap to render


def _agg_figure(figsize: tuple[float, float]):
    """A figure outside pyplot (never shown twice by Jupyter) with an Agg canvas."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, dpi=_DPI)
    FigureCanvasAgg(fig)
    return fig


class _Blitter:
    """Renders a figure to PNG fast: the static part is drawn once and kept as a background;
    each update restores it and draws only the changing artists on top (matplotlib blitting).

    ``animated`` artists are left out of the background (images are always in it, so an
    image that changes must be opaque and drawn again by each update)."""

    def __init__(self, fig, animated):
        self.fig = fig
        for artist in animated:
            artist.set_animated(True)
        self.background = None

    def png(self, artists) -> bytes:
        from PIL import Image

        canvas = self.fig.canvas
        if self.background is None:
            canvas.draw()  # everything not animated
            self.background = canvas.copy_from_bbox(self.fig.bbox)
        else:
            canvas.restore_region(self.background)
        for artist in artists:
            self.fig.draw_artist(artist)
        width, height = canvas.get_width_height()
        buf = io.BytesIO()
        Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1).save(
            buf, format="png", compress_level=1
        )
        return buf.getvalue()


def _wire(controls: dict, fig, animated, update: Callable[[], tuple[dict, list]]) -> Explorer:
    """Build the Explorer: controls above the image. Every change calls ``update``, which moves
    the figure's artists and returns (state, artists to draw over the static background)."""
    import ipywidgets as W

    width = int(round(fig.get_figwidth() * fig.dpi))
    # Shown at the size it is drawn: stretching a PNG makes it blurry.
    image = W.Image(format="png", layout=W.Layout(width=f"{width}px", max_width="100%"))
    blitter = _Blitter(fig, animated)
    box = W.VBox([W.HBox(list(controls.values())), image])
    explorer = Explorer(controls, box, {})

    def refresh(_=None):
        state, artists = update()
        image.value = blitter.png(artists)
        explorer.state.clear()
        explorer.state.update(state)

    for control in controls.values():
        control.observe(refresh, names="value")
    refresh()
    return explorer


def _check_step(name: str, value, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be an int in {low}..{high}, got {value!r}")
    if not low <= value <= high:
        raise ValueError(f"{name} must be in {low}..{high}, got {value}")
    return int(value)


def _patch_centre(patch) -> tuple[float, float]:
    return patch.get_x() + patch.get_width() / 2, patch.get_y() + patch.get_height() / 2


def _graph_artists(ax) -> dict[str, Any]:
    """gid -> artist for every artist of an unrolled graph drawn by ``draw_unrolled``."""
    return {a.get_gid(): a for a in ax.get_children() if a.get_gid()}


# ---------------------------------------------------------------- 1. unrolling step by step


def unroll_view(x, Wx, Wh, b, t: int, h0=None) -> dict:
    """Run the vanilla RNN over one sequence and return what step t shows.

    h_s = tanh(x_s W_x + h_{s-1} W_h + b) for s = 1..T (``rnn_forward``).

    Inputs:
        x: (T, D) one input sequence; Wx (D, H), Wh (H, H), b (H,); h0: (H,) or None (zeros).
        t: the step to show, 1..T.
    Returns:
        dict with "t", "h" (T, H) every state, "h_t" (H,) the state after step t,
        "seen" (t, H) the states computed so far.
    """
    from .rnn import rnn_forward

    x = np.asarray(x, dtype=float)
    if x.ndim != 2:
        raise ValueError(f"x must have shape (T, D) (one sequence), got {x.shape}")
    T = x.shape[0]
    t = _check_step("t", t, 1, T)
    H = np.asarray(Wh).shape[-1]
    h0 = np.zeros(H) if h0 is None else np.asarray(h0, dtype=float)
    h, _ = rnn_forward(x[None], h0[None], Wx, Wh, b)  # (1, T, H)
    h = h[0]  # (T, H)
    return {"t": t, "h": h, "h_t": h[t - 1], "seen": h[:t]}


def unroll_explorer(x, Wx, Wh, b, tokens: list[str] | None = None) -> Explorer:
    """Slider t over ``unroll_view``: the graph lights up to step t, the heatmap fills in h_1..h_t.

    Inputs: as ``unroll_view`` (x (T, D), weights); tokens: T labels for the inputs.
    Returns: an Explorer with control "t"; state = the last ``unroll_view`` result.
    """
    import ipywidgets as W
    from matplotlib.patches import Rectangle

    from .style import SIGNED_CMAP
    from .viz.graphs import draw_unrolled

    T = np.asarray(x).shape[0]
    full = unroll_view(x, Wx, Wh, b, T)
    H = full["h"].shape[1]
    fig = _agg_figure((max(6.5, 1.25 * T + 1.0), 6.4))
    ax_g = fig.add_axes((0.02, 0.44, 0.96, 0.55))
    ax_h = fig.add_axes((0.1, 0.13, 0.8, 0.22))
    draw_unrolled(T, ax=ax_g, show_loss=False, edge_labels="first", tokens=tokens)
    art = _graph_artists(ax_g)
    x_hi, (y_lo, y_hi) = ax_g.get_xlim()[1], ax_g.get_ylim()
    # steps not computed yet are veiled by a white overlay; the current h_t gets a frame
    veil = Rectangle((0, y_lo), 0, y_hi - y_lo, facecolor="white", edgecolor="none", alpha=0.82,
                     zorder=10)  # fmt: skip
    ax_g.add_patch(veil)
    node = art["h_1"]
    frame = Rectangle((0, 0), node.get_width() + 0.16, node.get_height() + 0.16, fill=False,
                      edgecolor="black", linewidth=3, zorder=11)  # fmt: skip
    ax_g.add_patch(frame)
    im = ax_h.imshow(np.zeros((H, T)), cmap=SIGNED_CMAP, vmin=-1, vmax=1, aspect="auto",
                     interpolation="nearest", origin="lower",
                     extent=(0.5, T + 0.5, -0.5, H - 0.5))  # fmt: skip
    im.cmap.set_bad("white")  # opaque, so redrawing the image covers the last one
    ax_h.grid(False)
    ax_h.set_xticks(np.arange(1, T + 1))
    ax_h.set_yticks(np.arange(H) if H <= 8 else [])
    ax_h.set_xlabel("step $t$")
    ax_h.set_ylabel("$h_t$ units")
    box = Rectangle((0.5, -0.5), 1, H, fill=False, edgecolor="black", linewidth=3)
    ax_h.add_patch(box)
    title = ax_h.set_title(" ", fontsize=14, loc="left")
    controls = {"t": W.IntSlider(value=1, min=1, max=T, description="t")}

    def update():
        v = unroll_view(x, Wx, Wh, b, controls["t"].value)
        t = v["t"]
        cx, cy = _patch_centre(art[f"h_{t}"])
        frame.set_xy((cx - frame.get_width() / 2, cy - frame.get_height() / 2))
        right = cx + node.get_width() / 2 + 0.04  # just right of h_t: later steps are veiled
        veil.set_x(right)
        veil.set_width(max(0.0, x_hi - right))
        shown = np.full((H, T), np.nan)
        shown[:, :t] = v["seen"].T
        im.set_data(np.ma.masked_invalid(shown))
        box.set_x(t - 0.5)
        first = ", ".join(f"{u:.2f}" for u in v["h_t"][:4])
        more = ", ..." if H > 4 else ""
        title.set_text(f"$h_{{{t}}}$ = [{first}{more}]")
        return v, [veil, frame, im, box, title]

    return _wire(controls, fig, [veil, frame, im, box, title], update)


@register_explorer("unroll", sweep={"t": [2, 4, 6, 1]})
def _example_unroll() -> Explorer:
    rng = np.random.default_rng(0)
    T, D, H = 6, 2, 4
    return unroll_explorer(rng.normal(size=(T, D)), rng.normal(size=(D, H)),
                           0.6 * rng.normal(size=(H, H)), np.zeros(H))  # fmt: skip


# ---------------------------------------------------------------- 2. one BPTT term


def bptt_path_view(h, Wh, t: int, k: int, truncate: int | None = None) -> dict:
    """The factor of one BPTT term that carries the gradient from h_t back to h_k (tanh RNN).

    dh_j/dh_{j-1} = diag(1 - h_j^2) W_h^T, so dh_t/dh_k = prod_{j=k+1}^{t} diag(1 - h_j^2) W_h^T
    (the identity when k = t). With truncated BPTT (K = ``truncate``) the term is dropped
    when t - k >= K.

    Inputs:
        h: (T, H) hidden states h_1..h_T of one sequence (``rnn_forward``); Wh: (H, H).
        t, k: 1 <= k <= t <= T. truncate: None or K >= 1.
    Returns:
        dict with "t", "k", "n_recurrent" (= t - k, the W_h edges on the path),
        "jacobian_norm" (spectral norm of dh_t/dh_k), "step_norms" (t - k,) the norm of each
        factor dh_j/dh_{j-1} for j = t, ..., k+1, and "dropped" (True when truncation cuts it).
    """
    h = np.asarray(h, dtype=float)
    Wh = np.asarray(Wh, dtype=float)
    if h.ndim != 2:
        raise ValueError(f"h must have shape (T, H) (one sequence), got {h.shape}")
    T, H = h.shape
    if Wh.shape != (H, H):
        raise ValueError(f"Wh must have shape (H, H) = ({H}, {H}), got {Wh.shape}")
    t = _check_step("t", t, 1, T)
    k = _check_step("k", k, 1, t)
    J = np.eye(H)  # dh_t/dh_t
    step_norms = []
    for j in range(t, k, -1):  # j = t, ..., k+1 (1-based); h_j is h[j - 1]
        factor = (1.0 - h[j - 1] ** 2)[:, None] * Wh.T  # dh_j/dh_{j-1}, (H, H)
        step_norms.append(np.linalg.norm(factor, 2))
        J = J @ factor
    dropped = truncate is not None and t - k >= truncate
    return {"t": t, "k": k, "n_recurrent": t - k, "jacobian_norm": float(np.linalg.norm(J, 2)),
            "step_norms": np.array(step_norms), "dropped": bool(dropped)}  # fmt: skip


def bptt_path_explorer(x, Wx, Wh, b) -> Explorer:
    """Sliders t and k (and truncation K, 0 = none) over ``bptt_path_view`` on an unrolled graph.

    The path from L_t back to h_k glows; its term is written under the graph with the norm of
    dh_t/dh_k for this network; with K > 0 the cut is drawn and terms beyond it grey out.

    Inputs: x (T, D) one sequence and the weights of a tanh RNN (``rnn_forward``).
    Returns: an Explorer with controls "t", "k", "K"; state = the last ``bptt_path_view``.
    """
    import ipywidgets as W
    from matplotlib.patches import FancyBboxPatch

    from .rnn import rnn_forward
    from .style import HIGHLIGHT_COLOR
    from .viz.graphs import bptt_term_latex, draw_unrolled

    x = np.asarray(x, dtype=float)
    T = x.shape[0]
    h = rnn_forward(x[None], np.zeros((1, np.asarray(Wh).shape[0])), Wx, Wh, b)[0][0]  # (T, H)
    fig = _agg_figure((max(6.5, 1.2 * T + 1.2), 5.6))
    ax = fig.add_axes((0.01, 0.0, 0.98, 0.92))
    draw_unrolled(T, ax=ax, edge_labels="first")
    y_lo = ax.get_ylim()[0]
    ax.set_ylim(y_lo - 1.9, ax.get_ylim()[1])
    art = _graph_artists(ax)
    centre = {gid: _patch_centre(a) for gid, a in art.items() if gid[:2] in ("x_", "h_", "y_", "L_")}

    def glow(a: str, b_: str):
        (x0, y0), (x1, y1) = centre[a], centre[b_]
        (line,) = ax.plot([x0, x1], [y0, y1], color=HIGHLIGHT_COLOR, linewidth=14, alpha=0.85,
                          zorder=1, solid_capstyle="round", visible=False)  # fmt: skip
        return line

    glows = {}
    for s in range(1, T + 1):
        glows[("loss", s)] = glow(f"y_{s}", f"L_{s}")
        glows[("W_y", s)] = glow(f"h_{s}", f"y_{s}")
        if s > 1:
            glows[("W_h", s)] = glow(f"h_{s - 1}", f"h_{s}")  # the edge into h_s
    halos = {}
    for gid in centre:
        if gid[0] in "hyL":
            cx, cy = centre[gid]
            w, hh = art[gid].get_width(), art[gid].get_height()
            patch = FancyBboxPatch((cx - w / 2 - 0.08, cy - hh / 2 - 0.08), w + 0.16, hh + 0.16,
                                   boxstyle="round,pad=0.02,rounding_size=0.16",
                                   facecolor=HIGHLIGHT_COLOR, edgecolor="none", alpha=0.85,
                                   zorder=1, visible=False)  # fmt: skip
            ax.add_patch(patch)
            halos[gid] = patch
    cuts = {}
    for s in range(1, T):
        (cx0, cy), (cx1, _) = centre[f"h_{s}"], centre[f"h_{s + 1}"]
        (line,) = ax.plot([(cx0 + cx1) / 2] * 2, [cy + 0.08, -0.3], color="black",
                          linestyle=(0, (4, 3)), linewidth=2, zorder=6, visible=False)  # fmt: skip
        cuts[s] = line
    x_mid = sum(ax.get_xlim()) / 2
    caption = ax.text(x_mid, y_lo - 0.2, "", ha="center", va="top", fontsize=18)
    numbers = ax.text(x_mid, y_lo - 1.3, "", ha="center", va="top", fontsize=14)
    controls = {
        "t": W.IntSlider(value=T, min=1, max=T, description="loss at t"),
        "k": W.IntSlider(value=1, min=1, max=T, description="back to k"),
        "K": W.IntSlider(value=0, min=0, max=T, description="truncate K"),
    }

    def update():
        t = controls["t"].value
        if controls["k"].value > t:
            controls["k"].value = t  # re-enters update through the observer; harmless
        k = min(controls["k"].value, t)
        K = controls["K"].value or None
        v = bptt_path_view(h, Wh, t, k, truncate=K)
        cut_at = t - K if K is not None and t - K >= 1 else None
        for a in [*glows.values(), *halos.values(), *cuts.values()]:
            a.set_visible(False)
        lit, dim = HIGHLIGHT_COLOR, "#BBBBBB"
        glows[("loss", t)].set(visible=True, color=lit)
        glows[("W_y", t)].set(visible=True, color=lit)
        for s in range(k + 1, t + 1):
            beyond = cut_at is not None and s <= cut_at
            glows[("W_h", s)].set(visible=True, color=dim if beyond else lit)
        for gid in [f"L_{t}", f"y_{t}"] + [f"h_{s}" for s in range(k, t + 1)]:
            beyond = cut_at is not None and gid.startswith("h_") and int(gid[2:]) <= cut_at
            halos[gid].set(visible=True, facecolor=dim if beyond else lit)
        if cut_at is not None:
            cuts[cut_at].set_visible(True)
        caption.set_text(bptt_term_latex(t, k))
        verdict = "dropped by truncation" if v["dropped"] else f"{v['n_recurrent']} factors"
        numbers.set_text(rf"$\|\partial h_{{{t}}}/\partial h_{{{k}}}\|$ = {v['jacobian_norm']:.3g}   ({verdict})")
        # highlighter under the path, then the path's own edges, nodes and labels over it
        path_edges = [f"edge:loss:y_{t}->L_{t}", f"edge:W_y:h_{t}->y_{t}"]
        path_edges += [f"edge:W_h:h_{s - 1}->h_{s}" for s in range(k + 1, t + 1)]
        path_nodes = [f"L_{t}", f"y_{t}"] + [f"h_{s}" for s in range(k, t + 1)]
        shown = [a for a in [*glows.values(), *halos.values()] if a.get_visible()]
        shown += [art[e] for e in path_edges] + [art[n] for n in path_nodes]
        shown += [art[f"text:{n}"] for n in path_nodes] + labels
        shown += [c for c in cuts.values() if c.get_visible()] + [caption, numbers]
        return v, shown

    labels = [a for gid, a in art.items() if gid.startswith("label:")]
    animated = [*glows.values(), *halos.values(), *cuts.values(), caption, numbers]
    return _wire(controls, fig, animated, update)


@register_explorer("bptt_path", sweep={"t": [6, 3, 5], "k": [1, 2, 4], "K": [0, 2, 3]})
def _example_bptt_path() -> Explorer:
    rng = np.random.default_rng(1)
    T, D, H = 6, 2, 4
    return bptt_path_explorer(rng.normal(size=(T, D)), rng.normal(size=(D, H)),
                              0.5 * rng.normal(size=(H, H)), np.zeros(H))  # fmt: skip


# ---------------------------------------------------------------- 3. gradient norm vs lag


def gradient_lag_view(scale: float, activation: str = "tanh", T: int = 50, H: int = 16,
                      seed: int = 0) -> dict:  # fmt: skip
    """||dh_T/dh_k|| against the lag T - k for W_h = scale * (random orthogonal matrix).

    dh_T/dh_k = prod_{t=k+1}^{T} diag(f'(a_t)) W_h, bounded by (gamma * scale)^(T-k) with
    gamma = max|f'| (1 for tanh and ReLU, 1/4 for sigmoid).

    Inputs:
        scale: spectral radius (= every singular value) of W_h; activation: "tanh", "relu"
        or "sigmoid"; T steps; H units; seed for W_h, h_0 and the inputs.
    Returns:
        dict with "lag" (T+1,), "norms" (T+1,), "bound" (T+1,) = (gamma scale)^lag,
        "verdict": "vanishing" (||dh_T/dh_0|| < 1e-3), "exploding" (> 1e3) or "kept".
    """
    from .training import activation_derivative_bound, hidden_jacobian_norms, scaled_orthogonal

    if not scale > 0:
        raise ValueError(f"scale must be positive, got {scale!r}")
    T = _check_step("T", T, 1, 10_000)
    W = scaled_orthogonal(H, scale, seed)
    norms = hidden_jacobian_norms(W, activation, T, seed)
    lag = np.arange(T + 1)
    gamma = activation_derivative_bound(activation)
    end = norms[-1]
    verdict = "vanishing" if end < 1e-3 else "exploding" if end > 1e3 else "kept"
    return {"lag": lag, "norms": norms, "bound": (gamma * scale) ** lag, "verdict": verdict,
            "scale": scale, "activation": activation, "T": T}  # fmt: skip


def gradient_lag_explorer(H: int = 16, seed: int = 0) -> Explorer:
    """Sliders for the recurrent-weight scale and T, a dropdown for the activation, over
    ``gradient_lag_view``: the gradient norm against lag on a log scale with its bound.

    Returns: an Explorer with controls "scale", "activation", "T".
    """
    import ipywidgets as W
    from matplotlib.ticker import NullLocator

    from .style import COURSE_COLORS

    fig = _agg_figure((7.5, 4.2))
    ax = fig.add_subplot()
    (line,) = ax.plot([], [], color=COURSE_COLORS[0], marker="o", markersize=3,
                      label=r"$\|\partial h_T/\partial h_k\|$")  # fmt: skip
    (bound,) = ax.plot([], [], "--", color="0.45", label=r"bound $(\gamma\,s)^{T-k}$")
    ax.axhline(1.0, color="0.7", linewidth=1)
    ax.set_yscale("log")
    floor, ceiling = 1e-20, 1e20  # fixed axes, so the background can be reused
    ax.set_ylim(floor, ceiling)
    ax.set_yticks([10.0**e for e in range(-20, 21, 5)])
    ax.yaxis.set_minor_locator(NullLocator())
    ax.set_xlim(0, 100)
    ax.set_xlabel("lag $T-k$")
    ax.set_ylabel("gradient norm")
    legend = ax.legend(loc="upper right")
    fig.subplots_adjust(left=0.14, right=0.97, bottom=0.16, top=0.88)
    title = ax.set_title(" ")
    controls = {
        "scale": W.FloatSlider(value=1.0, min=0.5, max=1.5, step=0.05, description="scale s"),
        "activation": W.Dropdown(options=["tanh", "relu", "sigmoid"], value="tanh", description="f"),  # fmt: skip
        "T": W.IntSlider(value=50, min=10, max=100, step=10, description="T"),
    }

    def update():
        v = gradient_lag_view(controls["scale"].value, controls["activation"].value,
                              controls["T"].value, H, seed)  # fmt: skip
        line.set_data(v["lag"], np.clip(v["norms"], floor, ceiling))
        bound.set_data(v["lag"], np.clip(v["bound"], floor, ceiling))
        title.set_text(f"{v['activation']}, s = {v['scale']:.2f}: "
                       f"||dh_T/dh_0|| = {v['norms'][-1]:.2g} ({v['verdict']})")  # fmt: skip
        return v, [bound, line, legend, title]

    return _wire(controls, fig, [line, bound, legend, title], update)


@register_explorer("gradient_vs_lag", sweep={"scale": [0.8, 1.2, 1.0],
                                             "activation": ["relu", "sigmoid", "tanh"],
                                             "T": [30, 100, 50]})  # fmt: skip
def _example_gradient_lag() -> Explorer:
    return gradient_lag_explorer()


# ---------------------------------------------------------------- 4. LSTM gates by hand


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
    from .lstm import lstm_forward

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
    import ipywidgets as W

    from .style import COURSE_COLORS

    v0 = lstm_gate_view(1.0, 0.0, 1.0, x, c0)
    t = v0["t"]
    fig = _agg_figure((7.5, 4.2))
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
    return _wire(controls, fig, [*bars, c_line, h_line, title], update)


@register_explorer("lstm_gates", sweep={"forget": [0.5, 0.9, 1.0], "input": [1.0, 0.5, 0.0],
                                        "output": [0.2, 1.0]})  # fmt: skip
def _example_lstm_gates() -> Explorer:
    return lstm_gate_explorer()


# ---------------------------------------------------------------- 5. gate heatmap over time


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
    t = _check_step("t", t, 1, v.shape[0])
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
    import ipywidgets as W
    from matplotlib.patches import Rectangle

    from .viz.gates import SCALES, plot_gate_heatmap

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
    fig = _agg_figure((max(7.0, 0.42 * T + 3.5), 4.4))
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

    return _wire(controls, fig, [box, *bars, title], update)


@register_explorer("gate_scrub", sweep={"t": [3, 7, 10], "gate": ["f", "g", "o"]})
def _example_gate_scrub() -> Explorer:
    from .lstm import lstm_forward

    rng = np.random.default_rng(0)
    words = "the cat sat on the mat and then it ran".split()
    vocab = sorted(set(words))
    x = np.eye(len(vocab))[[vocab.index(w) for w in words]][None]  # (1, T, V) one-hot
    D, H = len(vocab), 6
    _, _, cache = lstm_forward(x, np.zeros((1, H)), np.zeros((1, H)),
                               rng.normal(size=(D, 4 * H)), 0.5 * rng.normal(size=(H, 4 * H)),
                               np.zeros(4 * H))  # fmt: skip
    return gate_scrub_explorer(cache["gates"], tokens=words)


# ---------------------------------------------------------------- 6. learning rate


def _lr_problem(seed: int = 0, N: int = 32, T: int = 6, H: int = 4) -> dict:
    """A small many-to-one regression for a tanh RNN: predict the mean of a 1-D sequence."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(N, T, 1))
    return {"x": x, "y": x.mean(axis=(1, 2)), "Wx": 0.5 * rng.normal(size=(1, H)),
            "Wh": 0.3 * rng.normal(size=(H, H)), "b": np.zeros(H),
            "w": 0.5 * rng.normal(size=H), "c": 0.0}  # fmt: skip


def learning_rate_view(lr: float, steps: int = 60, seed: int = 0) -> dict:
    """Full-batch gradient descent with learning rate ``lr`` on a tiny tanh RNN.

    Model: h = rnn_forward(x, 0, W_x, W_h, b), y_hat = h_T . w + c, loss L = mean (y_hat - y)^2
    on a fixed batch (N=32, T=6, H=4; target: the mean of the sequence). Every step
    theta <- theta - lr * dL/dtheta, with dL/dh_T from the readout and BPTT by ``rnn_backward``.

    Inputs: lr > 0; steps; seed of the data and the starting weights.
    Returns:
        dict with "lr", "loss" (steps + 1,) (stops early, padded with inf, if it diverges),
        "verdict": "diverging" (stopped early, or ends above its start), "oscillating" (ends
        below its start but climbed above it on the way), "too small" (ends above a quarter
        of its start) or "good".
    """
    from .rnn import rnn_backward, rnn_forward

    if not lr > 0:
        raise ValueError(f"lr must be positive, got {lr!r}")
    p = _lr_problem(seed)
    x, y = p["x"], p["y"]
    N, T, _ = x.shape
    Wx, Wh, b, w, c = p["Wx"], p["Wh"], p["b"], p["w"], p["c"]
    H = Wh.shape[0]
    losses = np.full(steps + 1, np.inf)
    for s in range(steps + 1):
        h, cache = rnn_forward(x, np.zeros((N, H)), Wx, Wh, b)
        err = h[:, -1] @ w + c - y  # (N,)
        losses[s] = float(np.mean(err**2))
        if s == steps or not np.isfinite(losses[s]) or losses[s] > 1e3 * losses[0]:
            break
        dyhat = 2.0 * err / N  # dL/dy_hat (N,)
        dh = np.zeros_like(h)  # (N, T, H): only h_T feeds the loss
        dh[:, -1] = dyhat[:, None] * w
        _, _, dWx, dWh, db = rnn_backward(dh, cache)
        dw, dc = h[:, -1].T @ dyhat, dyhat.sum()
        Wx, Wh, b, w, c = Wx - lr * dWx, Wh - lr * dWh, b - lr * db, w - lr * dw, c - lr * dc
    final = losses[np.isfinite(losses)][-1]
    if not np.isfinite(losses[-1]) or final > losses[0]:
        verdict = "diverging"
    elif np.max(losses) > 1.05 * losses[0]:
        verdict = "oscillating"  # it climbed above its start on the way: lr near the limit
    elif final > 0.25 * losses[0]:
        verdict = "too small"
    else:
        verdict = "good"
    return {"lr": float(lr), "loss": losses, "verdict": verdict}


def learning_rate_explorer(steps: int = 60, seed: int = 0) -> Explorer:
    """A log-scale learning-rate slider over ``learning_rate_view``: the loss per step.

    Returns: an Explorer with control "lr".
    """
    import ipywidgets as W
    from matplotlib.ticker import NullLocator

    from .style import COURSE_COLORS

    fig = _agg_figure((7.5, 4.2))
    ax = fig.add_subplot()
    (line,) = ax.plot(np.arange(steps + 1), np.ones(steps + 1), color=COURSE_COLORS[0],
                      marker="o", markersize=3)  # fmt: skip
    start = learning_rate_view(1e-3, 1, seed)["loss"][0]
    ax.axhline(start, color="0.5", linestyle="--", linewidth=1.5, label="start")
    ax.set_yscale("log")
    ax.set_ylim(start * 1e-3, start * 1e3)
    ax.yaxis.set_minor_locator(NullLocator())
    ax.set_xlim(0, steps)
    ax.set_xlabel("gradient-descent step")
    ax.set_ylabel("loss")
    ax.legend(loc="upper right")
    fig.subplots_adjust(left=0.14, right=0.97, bottom=0.16, top=0.88)
    title = ax.set_title(" ")
    controls = {"lr": W.FloatLogSlider(value=0.1, base=10, min=-3, max=1, step=0.25,
                                       description="lr")}  # fmt: skip

    def update():
        v = learning_rate_view(controls["lr"].value, steps, seed)
        line.set_ydata(np.clip(v["loss"], start * 1e-3, start * 1e3))
        title.set_text(f"lr = {v['lr']:.3g}: {v['verdict']} (final loss "
                       f"{v['loss'][np.isfinite(v['loss'])][-1]:.3g})")  # fmt: skip
        return v, [line, title]

    return _wire(controls, fig, [line, title], update)


@register_explorer("learning_rate", sweep={"lr": [0.001, 0.1, 1.0, 10.0]})
def _example_learning_rate() -> Explorer:
    return learning_rate_explorer()


# ---------------------------------------------------------------- 7. one cell step, live values


def cell_step_view(values: dict, t: int, unit: int = 0, h0=None, c0=None) -> dict:
    """The numbers a cell diagram shows at step t: every quantity of that step for one unit.

    Inputs:
        values: dict name -> (T, H) arrays of one sequence, named as ``draw_cell`` expects
            (LSTM: "i", "f", "g", "o", "c", "h"; GRU: "r", "z", "n", "h"; optionally "x").
        t: step 1..T; unit: which hidden unit; h0, c0: (H,) initial states (default zeros),
            shown as h_{t-1}, c_{t-1} at t = 1.
    Returns:
        dict with "t", "unit" and "values": name -> float, including "h_prev" (and "c_prev"
        when "c" is given).
    """
    arrays = {k: np.asarray(v, dtype=float) for k, v in values.items()}
    if not arrays or any(a.ndim != 2 for a in arrays.values()):
        raise ValueError("values must be a non-empty dict name -> (T, H) array")
    T, H = arrays["h"].shape if "h" in arrays else next(iter(arrays.values())).shape
    t = _check_step("t", t, 1, T)
    unit = _check_step("unit", unit, 0, H - 1)
    shown = {k: float(a[t - 1, unit]) for k, a in arrays.items() if k != "x"}
    if "x" in arrays:
        shown["x"] = float(arrays["x"][t - 1, 0])
    for key, init in (("h", h0), ("c", c0)):
        if key in arrays:
            prev = arrays[key][t - 2] if t > 1 else (np.zeros(H) if init is None else init)
            shown[f"{key}_prev"] = float(np.asarray(prev, dtype=float)[unit])
    return {"t": t, "unit": unit, "values": shown}


def cell_step_explorer(values: dict, kind: str = "lstm", tokens: list[str] | None = None,
                       h0=None, c0=None) -> Explorer:  # fmt: skip
    """A cell diagram (``draw_cell``) annotated with the values of step t, with sliders for t
    and the unit: watch f_t, i_t, c_t, ... change as the sequence is read.

    Inputs: values as in ``cell_step_view`` (e.g. ``{**cache["gates"], "h": h, "c": c}`` of
        ``lstm_forward``, at one sequence n); kind: "lstm" or "gru"; tokens: T input labels.
    Returns: an Explorer with controls "t" and "unit"; state = the last ``cell_step_view``.
    """
    import ipywidgets as W

    from .viz.cells import draw_cell

    first = cell_step_view(values, 1, 0, h0, c0)
    T, H = np.asarray(values["h"]).shape
    fig = _agg_figure((9.0, 5.0))
    ax = fig.add_axes((0.0, 0.0, 1.0, 0.9))
    draw_cell(kind, ax=ax, values={k: np.array([v]) for k, v in first["values"].items()})
    texts = {t.get_gid()[6:]: t for t in ax.texts if (t.get_gid() or "").startswith("value:")}
    title = ax.set_title(" ", fontsize=15)
    controls = {
        "t": W.IntSlider(value=1, min=1, max=T, description="t"),
        "unit": W.IntSlider(value=0, min=0, max=H - 1, description="unit"),
    }

    def update():
        v = cell_step_view(values, controls["t"].value, controls["unit"].value, h0, c0)
        for key, text in texts.items():
            text.set_text(f"{v['values'][key]:.2f}")
        word = f" ('{tokens[v['t'] - 1]}')" if tokens else ""
        title.set_text(f"step t = {v['t']}{word}, unit {v['unit']}")
        return v, [*texts.values(), title]

    return _wire(controls, fig, [*texts.values(), title], update)


@register_explorer("cell_step", sweep={"t": [2, 5, 8], "unit": [1, 0]})
def _example_cell_step() -> Explorer:
    from .lstm import lstm_forward

    rng = np.random.default_rng(2)
    T, D, H = 8, 3, 4
    x = rng.normal(size=(1, T, D))
    h, c, cache = lstm_forward(x, np.zeros((1, H)), np.zeros((1, H)),
                               rng.normal(size=(D, 4 * H)), 0.5 * rng.normal(size=(H, 4 * H)),
                               np.zeros(4 * H))  # fmt: skip
    values = {k: g[0] for k, g in cache["gates"].items()} | {"h": h[0], "c": c[0]}
    return cell_step_explorer(values, "lstm")
