"""Computational graphs of recurrent networks: folded into a loop, or unrolled in time.

The vanilla RNN drawn here computes, for t = 1..T,

    h_t = tanh(W_x x_t + W_h h_{t-1} + b),    y_t = W_y h_t + c,    L = sum_t L_t(y_t)

Every edge is coloured by the weight matrix it multiplies (``rnn_helpers.style.WEIGHT_COLORS``):
input-to-hidden ``W_x``, hidden-to-hidden ``W_h``, hidden-to-output ``W_y``. In the unrolled
graph the same matrix appears at every step, so the same colour and label repeat: that is
parameter sharing. Layers, directions and the decoder each have their own matrices; their
edges keep the colour of their role and their labels name the matrix (``W_h^{(2)}``).

Artists carry a ``gid`` so that tests and explorers can find them:
nodes ``"x_3"``, ``"h_3"``, ``"y_3"``, ``"L_3"`` (stacked layers ``"h[2]_3"``, the two
directions ``"hf_3"``/``"hb_3"``, the decoder ``"s_2"``), edges
``"edge:<role>:<source>-><target>"`` such as ``"edge:W_h:h_2->h_3"``, the glow under a
highlighted gradient path ``"path:<edge gid>"``, truncation marks ``"cut:h_2->h_3"``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
from matplotlib.path import Path

from ..style import HIGHLIGHT_COLOR, OKABE_ITO, WEIGHT_COLORS

__all__ = ["LAYOUTS", "draw_unrolled", "bptt_term_latex", "draw_scalar_chain"]

LAYOUTS = (
    "one-to-one",
    "one-to-many",
    "many-to-one",
    "many-to-many",
    "encoder-decoder",
    "bidirectional",
    "stacked",
)

# Fill colour of each kind of node (light tints, so the text and the edges stay readable).
_NODE_FILL = {
    "x": "#DCEEFB",  # inputs: light sky blue
    "h": "#EDEDED",  # hidden states: light grey
    "y": "#D5F0E6",  # outputs: light green
    "L": "#FFFFFF",  # losses: white
}
_EDGE_COLOR = {**WEIGHT_COLORS, "loss": "#555555", "context": WEIGHT_COLORS["W_h"]}
_DIMMED = "#BBBBBB"
_NODE_W, _NODE_H = 0.78, 0.56


class _Graph:
    """Collects nodes and edges in data coordinates and draws them into one Axes."""

    def __init__(self, ax: Axes, edge_labels: str, fontsize: float):
        self.ax = ax
        self.edge_labels = edge_labels
        self.fontsize = fontsize
        self.nodes: dict[str, FancyBboxPatch] = {}
        self.pos: dict[str, tuple[float, float]] = {}
        self.edges: dict[str, FancyArrowPatch] = {}
        self.labelled_roles: set[str] = set()

    def node(self, gid: str, xy: tuple[float, float], text: str, kind: str, size=None) -> None:
        w, h = size or (_NODE_W, _NODE_H)
        patch = FancyBboxPatch(
            (xy[0] - w / 2, xy[1] - h / 2),
            w,
            h,
            boxstyle="round,pad=0.02,rounding_size=0.12",
            facecolor=_NODE_FILL[kind],
            edgecolor="#333333",
            linewidth=1.6,
            linestyle="--" if kind == "L" else "-",
            zorder=3,
            gid=gid,
        )
        self.ax.add_artist(patch)
        self.ax.text(
            *xy,
            text,
            ha="center",
            va="center",
            fontsize=self.fontsize + 1,
            zorder=4,
            gid=f"text:{gid}",
        )
        self.nodes[gid] = patch
        self.pos[gid] = xy

    def _exit_point(self, gid: str, toward: tuple[float, float]) -> tuple[float, float]:
        """Where the straight line from node ``gid``'s centre toward ``toward`` leaves its box.

        Computed directly (matplotlib's patchA/patchB clipping bisects Bezier curves at every
        draw, which made redraws ~10x slower)."""
        (cx, cy), patch = self.pos[gid], self.nodes[gid]
        hw, hh = patch.get_width() / 2 + 0.03, patch.get_height() / 2 + 0.03
        dx, dy = toward[0] - cx, toward[1] - cy
        scale = min(hw / abs(dx) if dx else float("inf"), hh / abs(dy) if dy else float("inf"))
        return cx + scale * dx, cy + scale * dy

    def edge(self, src: str, dst: str, role: str, label: str | None, dimmed=False, label_at=0.5):
        gid = f"edge:{role}:{src}->{dst}"
        color = _DIMMED if dimmed else _EDGE_COLOR[role]
        arrow = FancyArrowPatch(
            self._exit_point(src, self.pos[dst]),
            self._exit_point(dst, self.pos[src]),
            arrowstyle="-|>",
            mutation_scale=16,
            linewidth=2.2,
            color=color,
            shrinkA=0,
            shrinkB=0,
            zorder=2,
            gid=gid,
        )
        self.ax.add_artist(arrow)
        self.edges[gid] = arrow
        show = self.edge_labels == "all" or (self.edge_labels == "first" and label not in self.labelled_roles)
        if label and show and not dimmed:
            self.labelled_roles.add(label)
            (x0, y0), (x1, y1) = self.pos[src], self.pos[dst]
            mx, my = x0 + label_at * (x1 - x0), y0 + label_at * (y1 - y0)
            if abs(y1 - y0) < 1e-9:  # horizontal: label above the arrow
                kw = dict(xy=(mx, my + 0.1), ha="center", va="bottom")
            else:  # vertical or slanted: label beside it
                kw = dict(xy=(mx + 0.08, my), ha="left", va="center")
            self.ax.text(
                *kw.pop("xy"),
                label,
                color=color,
                fontsize=self.fontsize - 1,
                zorder=5,
                gid=f"label:{gid}",
                **kw,
            )
        return gid

    def glow(self, edge_gid: str, color=HIGHLIGHT_COLOR) -> None:
        """A thick translucent band under an edge, like a highlighter pen."""
        src, dst = edge_gid.split(":", 2)[2].split("->")
        (x0, y0), (x1, y1) = self.pos[src], self.pos[dst]
        self.ax.plot(
            [x0, x1],
            [y0, y1],
            color=color,
            linewidth=14,
            alpha=0.85,
            zorder=1,
            solid_capstyle="round",
            gid=f"path:{edge_gid}",
        )

    def halo(self, gid: str, color=HIGHLIGHT_COLOR) -> None:
        x, y = self.pos[gid]
        w, h = self.nodes[gid].get_width(), self.nodes[gid].get_height()
        self.ax.add_artist(
            FancyBboxPatch(
                (x - w / 2 - 0.08, y - h / 2 - 0.08),
                w + 0.16,
                h + 0.16,
                boxstyle="round,pad=0.02,rounding_size=0.16",
                facecolor=color,
                edgecolor="none",
                alpha=0.85,
                zorder=1,
                gid=f"halo:{gid}",
            )
        )

    def self_loop(self, gid: str, label: str) -> None:
        """The folded recurrence: an arrow leaving the right of node ``gid`` and re-entering it."""
        x, y = self.pos[gid]
        r = x + _NODE_W / 2
        verts = [(r, y + 0.14), (r + 0.75, y + 0.75), (r + 0.75, y - 0.75), (r, y - 0.14)]
        path = Path(verts, [Path.MOVETO, Path.CURVE4, Path.CURVE4, Path.CURVE4])
        arrow = FancyArrowPatch(
            path=path,
            arrowstyle="-|>",
            mutation_scale=16,
            linewidth=2.2,
            color=WEIGHT_COLORS["W_h"],
            zorder=2,
            gid=f"edge:W_h:{gid}->{gid}",
        )
        self.ax.add_artist(arrow)
        self.edges[arrow.get_gid()] = arrow
        self.ax.text(
            r + 0.66,
            y,
            label,
            color=WEIGHT_COLORS["W_h"],
            fontsize=self.fontsize - 1,
            ha="left",
            va="center",
            zorder=5,
            gid=f"label:edge:W_h:{gid}->{gid}",
        )

    def cut(self, src: str, dst: str, text: str) -> None:
        """A dashed line through the gap after ``src`` cutting the recurrent edge src -> dst."""
        (x0, y0), (x1, _) = self.pos[src], self.pos[dst]
        mx = (x0 + x1) / 2
        self.ax.plot(
            [mx, mx],
            [y0 + 0.08, -0.3],
            color="black",
            linestyle=(0, (4, 3)),
            linewidth=2,
            zorder=6,
            gid=f"cut:{src}->{dst}",
        )
        self.ax.text(
            mx,
            -0.38,
            text,
            ha="center",
            va="top",
            fontsize=self.fontsize - 1,
            zorder=6,
            gid=f"cuttext:{src}->{dst}",
        )


def bptt_term_latex(t: int, k: int, weight: str = "W_h") -> str:
    """One term of the BPTT sum as mathtext: the path from the loss L_t back to step k.

    dL_t/dW_h = sum_{k=1}^{t} (dL_t/dh_t) (prod_{j=k+1}^{t} dh_j/dh_{j-1}) (d+h_k/dW_h),
    where d+ is the immediate derivative (h_{k-1} held fixed). Returns the term for one k.
    """
    if not 1 <= k <= t:
        raise ValueError(f"need 1 <= k <= t, got t={t}, k={k}")
    factors = [rf"\frac{{\partial L_{{{t}}}}}{{\partial h_{{{t}}}}}"]
    if t - k <= 3:
        factors += [rf"\frac{{\partial h_{{{j}}}}}{{\partial h_{{{j - 1}}}}}" for j in range(t, k, -1)]
    else:
        factors.append(rf"\prod_{{j={k + 1}}}^{{{t}}}\frac{{\partial h_j}}{{\partial h_{{j-1}}}}")
    factors.append(rf"\frac{{\partial^+ h_{{{k}}}}}{{\partial {weight}}}")
    return "$" + r"\,".join(factors) + "$"


def _check_int(name: str, value, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise ValueError(f"{name} must be an int >= {low}, got {value!r}")
    return value


def draw_unrolled(
    T: int | None = None,
    layout: str = "many-to-many",
    ax: Axes | None = None,
    *,
    folded: bool | str = False,
    highlight: tuple[int, int] | None = None,
    truncate: int | None = None,
    Ty: int | None = None,
    n_layers: int = 2,
    show_loss: bool = True,
    tokens: list[str] | None = None,
    symbols: dict[str, str] | None = None,
    edge_labels: str = "all",
    fontsize: float | None = None,
) -> Axes:
    """Draw an RNN folded into a loop or unrolled over T steps; return the Axes.

    Inputs:
        T: number of time steps (input steps Tx for "encoder-decoder"; output steps for
            "one-to-many"); default 4 (1 for "one-to-one", which allows only T=1).
        layout: one of ``LAYOUTS``: "one-to-one", "one-to-many" (one input x_1, outputs at every
            step), "many-to-one" (one output y_T), "many-to-many" (Tx = Ty, aligned),
            "encoder-decoder" (encoder h_1..h_Tx, decoder s_1..s_Ty, Tx != Ty allowed),
            "bidirectional" (forward and backward chains, y_t reads both), "stacked" (n_layers).
        ax: Axes to draw into; None creates a figure sized to the graph.
        folded: False (unrolled), True (the folded loop h_t -> h_t only) or "both" (folded,
            "=", unrolled). Only for the single-chain layouts.
        highlight: (t, k) with k <= t: glow along the path of one BPTT term, from the loss L_t
            through y_t, h_t, h_{t-1}, ..., h_k (t - k recurrent edges), and write the term
            dL_t/dh_t prod_{j=k+1}^{t} dh_j/dh_{j-1} d+h_k/dW_h under the graph.
        truncate: K for truncated BPTT: the gradient of L_t flows back at most K steps; a
            dashed cut is drawn on the recurrent edge h_{t-K} -> h_{t-K+1} (t from highlight,
            else t = T) and edges beyond it on a highlighted path are greyed out.
        Ty: decoder steps for "encoder-decoder" (default T - 1, at least 1).
        n_layers: number of layers for "stacked".
        show_loss: draw the losses L_t above the outputs.
        tokens: T strings shown under the inputs (e.g. the words of a sentence).
        symbols: rename node symbols, e.g. {"h": "O"} to match a text that writes O_t.
        edge_labels: "all" (label every edge), "first" (each matrix once) or "none".
        fontsize: base font size in points (default: rcParams["font.size"]).
    Returns:
        The Axes (nodes are FancyBboxPatch, edges FancyArrowPatch, found by gid as described
        in the module docstring).
    """
    T, truncate, in_steps, out_steps = _check_unrolled(
        T, layout, folded, highlight, truncate, show_loss, tokens, edge_labels
    )
    sym = {"x": "x", "h": "h", "y": "y", "L": "L", "s": "s"}
    sym.update(symbols or {})
    fontsize = float(fontsize or plt.rcParams["font.size"])
    dx = 2.0 if layout == "bidirectional" else 1.5
    row = {"x": 0.0, "h": 1.3, "y": 2.6, "L": 3.7}

    created = ax is None
    if created:
        _, ax = plt.subplots(figsize=(4, 3))
    g = _Graph(ax, edge_labels, fontsize)

    x_offset = _draw_folded(g, sym, row, show_loss, folded == "both") if folded else 0.0
    if folded is not True:
        col = lambda t: x_offset + (t - 1) * dx  # noqa: E731
        if layout == "bidirectional":
            _bidirectional(g, T, col, sym, show_loss, tokens)
        elif layout == "stacked":
            _stacked(g, T, col, sym, show_loss, n_layers, row)
        elif layout == "encoder-decoder":
            Ty = max(T - 1, 1) if Ty is None else _check_int("Ty", Ty, 1)
            _encoder_decoder(g, T, Ty, col, sym, show_loss, row)
        else:
            _chain(g, T, col, sym, show_loss, row, in_steps, out_steps, highlight, truncate)
        for t in in_steps if tokens is not None else []:
            ax.text(col(t), row["x"] - 0.45, tokens[t - 1], ha="center", va="top", fontsize=fontsize,
                    style="italic", gid=f"token:{t}")  # fmt: skip
    _frame(g, layout, folded, highlight, truncate, tokens, edge_labels, fontsize, created)
    return ax


def _check_unrolled(T, layout, folded, highlight, truncate, show_loss, tokens, edge_labels):
    """Validate ``draw_unrolled``'s arguments; return T, truncate and the steps with an input
    and with an output (and so a loss)."""
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {LAYOUTS}, got {layout!r}")
    if edge_labels not in ("all", "first", "none"):
        raise ValueError(f"edge_labels must be 'all', 'first' or 'none', got {edge_labels!r}")
    if folded not in (False, True, "both"):
        raise ValueError(f"folded must be False, True or 'both', got {folded!r}")
    if T is None:
        T = 1 if layout == "one-to-one" else 4
    T = _check_int("T", T, 1)
    if layout == "one-to-one" and T != 1:
        raise ValueError(f"layout 'one-to-one' has exactly one step: T must be 1, got {T}")
    if folded and layout in ("encoder-decoder", "bidirectional", "stacked"):
        raise ValueError(f"folded views are drawn for single-chain layouts, not {layout!r}")
    if tokens is not None and len(tokens) != T:
        raise ValueError(f"tokens must have T = {T} entries, got {len(tokens)}")
    if truncate is not None:
        truncate = _check_int("truncate", truncate, 1)
        if layout in ("encoder-decoder", "bidirectional", "stacked"):
            raise ValueError(f"truncate is drawn for single-chain layouts, not {layout!r}")
    # which steps have an input, an output (and so a loss)
    if layout == "one-to-many":
        in_steps, out_steps = [1], list(range(1, T + 1))
    elif layout == "many-to-one":
        in_steps, out_steps = list(range(1, T + 1)), [T]
    else:
        in_steps, out_steps = list(range(1, T + 1)), list(range(1, T + 1))

    if highlight is not None:
        if layout in ("encoder-decoder", "bidirectional", "stacked"):
            raise ValueError(f"highlight is drawn for single-chain layouts, not {layout!r}")
        if folded is True:
            raise ValueError("highlight needs the unrolled graph (folded=False or 'both')")
        if not show_loss:
            raise ValueError("highlight starts at a loss: show_loss must be True")
        t, k = highlight
        if not (1 <= k <= t <= T) or t not in out_steps:
            raise ValueError(
                f"highlight (t, k) needs 1 <= k <= t <= T = {T} and a loss at step t "
                f"(steps with a loss: {out_steps}), got {highlight}"
            )

    return T, truncate, in_steps, out_steps


def _draw_folded(g, sym: dict, row: dict, show_loss: bool, beside: bool) -> float:
    """The folded loop: one column, h feeding itself through W_h; with ``beside``, an "=" after
    it. Returns the x offset where an unrolled graph beside it starts."""
    ax, fontsize = g.ax, g.fontsize
    g.node("x_t", (0.0, row["x"]), f"${sym['x']}_t$", "x")
    g.node("h_t", (0.0, row["h"]), f"${sym['h']}_t$", "h")
    g.node("y_t", (0.0, row["y"]), f"${sym['y']}_t$", "y")
    g.edge("x_t", "h_t", "W_x", "$W_x$")
    g.edge("h_t", "y_t", "W_y", "$W_y$")
    g.self_loop("h_t", "$W_h$")
    if show_loss:
        g.node("L_t", (0.0, row["L"]), f"${sym['L']}_t$", "L")
        g.edge("y_t", "L_t", "loss", None)
    g.labelled_roles.clear()
    if not beside:
        return 0.0
    ax.text(2.0, row["h"], "=", fontsize=fontsize * 2.2, ha="center", va="center", gid="equals")
    return 3.2


def _frame(g, layout, folded, highlight, truncate, tokens, edge_labels, fontsize, created) -> None:
    """Limits around the drawn nodes, the caption of a highlighted BPTT term, the figure size."""
    ax = g.ax
    ax.set_aspect("equal")
    ax.axis("off")
    ax.autoscale_view()
    xs = [p[0] for p in g.pos.values()]
    ys = [p[1] for p in g.pos.values()]
    x_lo, x_hi = min(xs) - 0.6, max(xs) + (1.6 if folded is True else 0.8)
    if layout == "bidirectional" and edge_labels != "none":
        x_hi += 1.4  # room for the "forward" / "backward" notes
    y_lo = min(ys) - 0.45
    if tokens is not None or truncate is not None or layout == "encoder-decoder":
        y_lo -= 0.6
    y_hi = max(ys) + 0.45
    if highlight is not None:
        y_lo -= 0.8
    ax.set_xlim(x_lo, x_hi)
    ax.set_ylim(y_lo, y_hi)
    if highlight is not None:
        t, k = highlight
        dropped = truncate is not None and t - k >= truncate
        caption = bptt_term_latex(t, k)
        if dropped:
            caption = "dropped by truncation:  " + caption
        ax.text(
            (x_lo + x_hi) / 2,
            y_lo + 0.05,
            caption,
            ha="center",
            va="bottom",
            fontsize=fontsize + 4,
            gid="caption",
        )
    if created:
        width, height = x_hi - x_lo, y_hi - y_lo
        ax.figure.set_size_inches(max(3.0, 0.95 * width), max(2.5, 0.95 * height))
        ax.set_position((0.0, 0.0, 1.0, 1.0))  # the graph fills its own figure


def _chain(g, T, col, sym, show_loss, row, in_steps, out_steps, highlight, truncate):
    """Single-layer chain: one-to-one, one-to-many, many-to-one, many-to-many."""
    for t in range(1, T + 1):
        g.node(f"h_{t}", (col(t), row["h"]), f"${sym['h']}_{{{t}}}$", "h")
    for t in in_steps:
        g.node(f"x_{t}", (col(t), row["x"]), f"${sym['x']}_{{{t}}}$", "x")
        g.edge(f"x_{t}", f"h_{t}", "W_x", "$W_x$")
    for t in range(2, T + 1):
        g.edge(f"h_{t - 1}", f"h_{t}", "W_h", "$W_h$")
    for t in out_steps:
        g.node(f"y_{t}", (col(t), row["y"]), f"${sym['y']}_{{{t}}}$", "y")
        g.edge(f"h_{t}", f"y_{t}", "W_y", "$W_y$")
        if show_loss:
            g.node(f"L_{t}", (col(t), row["L"]), f"${sym['L']}_{{{t}}}$", "L")
            g.edge(f"y_{t}", f"L_{t}", "loss", None)

    t_cut = highlight[0] if highlight is not None else T
    cut_at = None
    if truncate is not None and t_cut - truncate >= 1:
        cut_at = t_cut - truncate  # the edge h_{cut_at} -> h_{cut_at + 1} is cut
        g.cut(f"h_{cut_at}", f"h_{cut_at + 1}", f"cut\nK={truncate}")

    if highlight is not None:
        t, k = highlight
        path_nodes = [f"L_{t}", f"y_{t}"] + [f"h_{j}" for j in range(t, k - 1, -1)]
        edges = [f"edge:loss:y_{t}->L_{t}", f"edge:W_y:h_{t}->y_{t}"]
        edges += [f"edge:W_h:h_{j - 1}->h_{j}" for j in range(t, k, -1)]
        for e in edges:
            j_src = int(e.split("->")[0].split("_")[-1])
            beyond_cut = cut_at is not None and e.startswith("edge:W_h") and j_src < cut_at + 1
            g.glow(e, color=_DIMMED if beyond_cut else HIGHLIGHT_COLOR)
        for n in path_nodes:
            j = int(n.split("_")[-1])
            beyond_cut = cut_at is not None and n.startswith("h_") and j <= cut_at
            g.halo(n, color=_DIMMED if beyond_cut else HIGHLIGHT_COLOR)


def _bidirectional(g, T, col, sym, show_loss, tokens):
    yf, yb, yy, yl = 1.3, 2.5, 3.8, 4.9
    off = 0.5
    small = (0.7, 0.56)
    for t in range(1, T + 1):
        c = col(t)
        g.node(f"x_{t}", (c, 0.0), f"${sym['x']}_{{{t}}}$", "x")
        g.node(f"hf_{t}", (c - off, yf), rf"$\overrightarrow{{{sym['h']}}}_{{{t}}}$", "h", small)
        g.node(f"hb_{t}", (c + off, yb), rf"$\overleftarrow{{{sym['h']}}}_{{{t}}}$", "h", small)
        g.node(f"y_{t}", (c, yy), f"${sym['y']}_{{{t}}}$", "y")
        g.edge(f"x_{t}", f"hf_{t}", "W_x", None)
        g.edge(f"x_{t}", f"hb_{t}", "W_x", None)
        g.edge(f"hf_{t}", f"y_{t}", "W_y", None)
        g.edge(f"hb_{t}", f"y_{t}", "W_y", None)
        if show_loss:
            g.node(f"L_{t}", (c, yl), f"${sym['L']}_{{{t}}}$", "L")
            g.edge(f"y_{t}", f"L_{t}", "loss", None)
    for t in range(2, T + 1):
        # label past the middle, clear of the x -> backward-state arrow crossing there
        g.edge(f"hf_{t - 1}", f"hf_{t}", "W_h", r"$\overrightarrow{W}_h$", label_at=0.64)
        g.edge(f"hb_{t}", f"hb_{t - 1}", "W_h", r"$\overleftarrow{W}_h$")
    if g.edge_labels != "none":
        # one legend-like note for the slanted edges instead of a label on each
        g.ax.text(col(T) + 1.05, yf, "forward", fontsize=g.fontsize - 1, va="center", gid="note:f")
        g.ax.text(col(T) + 1.05, yb, "backward", fontsize=g.fontsize - 1, va="center", gid="note:b")


def _stacked(g, T, col, sym, show_loss, n_layers, row):
    n_layers = _check_int("n_layers", n_layers, 1)
    gap = 1.3
    y_of = {layer: gap * layer for layer in range(1, n_layers + 1)}
    y_out = gap * (n_layers + 1)
    h = sym["h"]
    for t in range(1, T + 1):
        g.node(f"x_{t}", (col(t), 0.0), f"${sym['x']}_{{{t}}}$", "x")
        below = f"x_{t}"
        for layer in range(1, n_layers + 1):
            gid = f"h[{layer}]_{t}"
            g.node(gid, (col(t), y_of[layer]), f"${h}^{{({layer})}}_{{{t}}}$", "h")
            g.edge(below, gid, "W_x", f"$W_x^{{({layer})}}$")
            below = gid
        g.node(f"y_{t}", (col(t), y_out), f"${sym['y']}_{{{t}}}$", "y")
        g.edge(below, f"y_{t}", "W_y", "$W_y$")
        if show_loss:
            g.node(f"L_{t}", (col(t), y_out + 1.1), f"${sym['L']}_{{{t}}}$", "L")
            g.edge(f"y_{t}", f"L_{t}", "loss", None)
    for layer in range(1, n_layers + 1):
        for t in range(2, T + 1):
            g.edge(f"h[{layer}]_{t - 1}", f"h[{layer}]_{t}", "W_h", f"$W_h^{{({layer})}}$")


def _encoder_decoder(g, Tx, Ty, col, sym, show_loss, row):
    for t in range(1, Tx + 1):
        g.node(f"x_{t}", (col(t), row["x"]), f"${sym['x']}_{{{t}}}$", "x")
        g.node(f"h_{t}", (col(t), row["h"]), f"${sym['h']}_{{{t}}}$", "h")
        g.edge(f"x_{t}", f"h_{t}", "W_x", "$W_x$")
        if t > 1:
            g.edge(f"h_{t - 1}", f"h_{t}", "W_h", "$W_h$")
    s = sym["s"]
    for j in range(1, Ty + 1):
        c = col(Tx + j) + 0.6  # a wider gap for the context arrow
        g.node(f"s_{j}", (c, row["h"]), f"${s}_{{{j}}}$", "h")
        g.node(f"y_{j}", (c, row["y"]), f"${sym['y']}_{{{j}}}$", "y")
        g.edge(f"s_{j}", f"y_{j}", "W_y", "$W_y$")
        if j > 1:
            g.edge(f"s_{j - 1}", f"s_{j}", "W_h", f"$W_{s}$")  # W_s, or W_d when symbols={"s": "d"}
        if show_loss:
            g.node(f"L_{j}", (c, row["L"]), f"${sym['L']}_{{{j}}}$", "L")
            g.edge(f"y_{j}", f"L_{j}", "loss", None)
    g.edge(f"h_{Tx}", "s_1", "context", "context")
    # brackets naming the two halves
    y_b = row["x"] - 0.55
    halves = (((col(1), col(Tx)), "encoder"), ((col(Tx + 1) + 0.6, col(Tx + Ty) + 0.6), "decoder"))
    for (a, b), name in halves:
        g.ax.plot(
            [a - 0.4, b + 0.4],
            [y_b, y_b],
            color=OKABE_ITO["black"],
            linewidth=1.5,
            gid=f"bracket:{name}",
        )
        g.ax.text(
            (a + b) / 2,
            y_b - 0.08,
            name,
            ha="center",
            va="top",
            fontsize=g.fontsize,
            gid=f"bracketlabel:{name}",
        )


# ----------------------------------------------------------------------------------------------
# The lecture notes' scalar recurrence unrolled, with one BPTT term highlighted.
#
#     O_t = f(x_t w + O_{t-1} w'),  t = 1..T,   y^ = O_T,   L = (y^ - y)^2 / 2
#
# Unlike :func:`rnn_helpers.viz.draw_unrolled` (the vector RNN with a read-out W_y), this graph
# draws the initial state O_0 and the w' edge O_0 -> O_1, and reads the prediction straight off
# the last state (a plain "=" edge, no weight), exactly as the equations above.
#
# Term i of dL/dw' (i = 1..T) follows the path L -> y^ -> O_T -> ... -> O_k with k = T - i + 1,
# then uses w' once, on the edge O_{k-1} -> O_k: its last factor is the immediate derivative
# d+O_k/dw' = f'(a_k) O_{k-1}. For i = T that edge starts at O_0, and with O_0 = 0 the term is 0.
#
# Artists carry gids: nodes "x_1", "O_0", "y_hat", "L"; edges "edge:W_x:x_1->O_1" (w),
# "edge:W_h:O_0->O_1" (w'), "edge:eq:O_4->y_hat", "edge:loss:y_hat->L"; the glow under the path
# "path:<edge gid>"; the glow marking where w' is used "use:<edge gid>".

_USE_COLOR = OKABE_ITO["reddish_purple"]  # where w' is used directly (the immediate derivative)


def draw_scalar_chain(T: int = 4, term: int | None = None, ax: Axes | None = None, *, O0_text: str = "O_0",
                      fontsize: float | None = None) -> Axes:  # fmt: skip
    """Draw x_1..x_T -> O_0..O_T -> y^ = O_T -> L; optionally highlight term ``term`` of dL/dw'.

    Inputs:
        T: number of steps (>= 1).
        term: None, or i in 1..T: highlight the path of term i (L back to O_k, k = T - i + 1)
            and, in a second colour, the w' edge O_{k-1} -> O_k where w' is used directly.
        ax: Axes to draw into (None: a new figure).
        O0_text: label of the initial state, e.g. "O_0 = 0".
        fontsize: base font size in points (default: rcParams["font.size"]).
    Returns:
        The Axes.
    """
    if isinstance(T, bool) or not isinstance(T, int) or T < 1:
        raise ValueError(f"T must be an int >= 1, got {T!r}")
    if term is not None and (isinstance(term, bool) or not isinstance(term, int) or not 1 <= term <= T):
        raise ValueError(f"term must be None or an int in 1..T = 1..{T}, got {term!r}")
    if ax is None:
        _, ax = plt.subplots(figsize=(1.5 * (T + 1), 3.6))
    fs = float(fontsize or plt.rcParams["font.size"])
    g = _Graph(ax, "all", fs)
    _EQ = "#555555"
    g.node("O_0", (0.0, 1.3), f"${O0_text}$", "h", size=(1.2 if "=" in O0_text else 0.78, 0.56))
    for t in range(1, T + 1):
        g.node(f"x_{t}", (1.4 * t, 0.0), f"$x_{{{t}}}$", "x")
        g.node(f"O_{t}", (1.4 * t, 1.3), f"$O_{{{t}}}$", "h")
    g.node("y_hat", (1.4 * T, 2.6), r"$\hat y$", "y")
    g.node("L", (1.4 * T, 3.8), "$L$", "L")
    for t in range(1, T + 1):
        g.edge(f"x_{t}", f"O_{t}", "W_x", "$w$")
        g.edge(f"O_{t - 1}", f"O_{t}", "W_h", "$w'$")
    for src, dst, role, text in [(f"O_{T}", "y_hat", "eq", "$=$"), ("y_hat", "L", "loss", None)]:
        gid = f"edge:{role}:{src}->{dst}"
        arrow = FancyArrowPatch(g._exit_point(src, g.pos[dst]), g._exit_point(dst, g.pos[src]),
                                arrowstyle="-|>", mutation_scale=16, linewidth=2.2, color=_EQ, zorder=2,
                                gid=gid)  # fmt: skip
        ax.add_artist(arrow)
        g.edges[gid] = arrow
        if text:
            x, y = g.pos[src]
            ax.text(x + 0.1, y + 0.65, text, color=_EQ, fontsize=fs, ha="left", va="center", gid=f"label:{gid}")
    if term is not None:
        k = T - term + 1  # the step whose w' edge is used directly
        path = ["L", "y_hat"] + [f"O_{t}" for t in range(T, k - 1, -1)]
        for node in path:
            g.halo(node)
        for src, dst in [("y_hat", "L"), (f"O_{T}", "y_hat")] + [(f"O_{t - 1}", f"O_{t}") for t in range(T, k, -1)]:
            role = "loss" if dst == "L" else "eq" if dst == "y_hat" else "W_h"
            g.glow(f"edge:{role}:{src}->{dst}")
        use = f"edge:W_h:O_{k - 1}->O_{k}"
        (x0, y0), (x1, y1) = g.pos[f"O_{k - 1}"], g.pos[f"O_{k}"]
        ax.plot([x0, x1], [y0, y1], color=_USE_COLOR, linewidth=14, alpha=0.8, zorder=1,
                solid_capstyle="round", gid=f"use:{use}")  # fmt: skip
    ax.set_xlim(-0.8, 1.4 * T + 0.8)
    ax.set_ylim(-0.45, 4.25)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax
