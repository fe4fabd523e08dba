"""Explorers of the unrolled graph: the forward pass step by step (notebook 01) and one BPTT
term's path with truncation (notebook 02).
"""

from __future__ import annotations

from typing import Any

import ipywidgets as W
import numpy as np
from matplotlib.patches import FancyBboxPatch, Rectangle

from ..rnn import rnn_forward
from ..style import HIGHLIGHT_COLOR, SIGNED_CMAP
from ..viz.graphs import bptt_term_latex, draw_unrolled
from .base import Explorer, agg_figure, check_step, register_explorer, wire

__all__ = ["unroll_view", "unroll_explorer", "bptt_path_view", "bptt_path_explorer"]


def _patch_centre(patch) -> tuple[float, float]:
    return patch.get_x() + patch.get_width() / 2, patch.get_y() + patch.get_height() / 2


def _graph_artists(ax) -> dict[str, Any]:
    """gid -> artist for every artist of an unrolled graph drawn by ``draw_unrolled``."""
    return {a.get_gid(): a for a in ax.get_children() if a.get_gid()}


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

    x = np.asarray(x, dtype=float)
    if x.ndim != 2:
        raise ValueError(f"x must have shape (T, D) (one sequence), got {x.shape}")
    T = x.shape[0]
    t = check_step("t", t, 1, T)
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

    T = np.asarray(x).shape[0]
    full = unroll_view(x, Wx, Wh, b, T)
    H = full["h"].shape[1]
    fig = agg_figure((max(6.5, 1.25 * T + 1.0), 6.4))
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

    return wire(controls, fig, update, [veil, frame, im, box, title])


@register_explorer("unroll", sweep={"t": [2, 4, 6, 1]})
def _example_unroll() -> Explorer:
    rng = np.random.default_rng(0)
    T, D, H = 6, 2, 4
    return unroll_explorer(rng.normal(size=(T, D)), rng.normal(size=(D, H)),
                           0.6 * rng.normal(size=(H, H)), np.zeros(H))  # fmt: skip


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
    t = check_step("t", t, 1, T)
    k = check_step("k", k, 1, t)
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

    x = np.asarray(x, dtype=float)
    T = x.shape[0]
    h = rnn_forward(x[None], np.zeros((1, np.asarray(Wh).shape[0])), Wx, Wh, b)[0][0]  # (T, H)
    fig = agg_figure((max(6.5, 1.2 * T + 1.2), 5.6))
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
    return wire(controls, fig, update, animated)


@register_explorer("bptt_path", sweep={"t": [6, 3, 5], "k": [1, 2, 4], "K": [0, 2, 3]})
def _example_bptt_path() -> Explorer:
    rng = np.random.default_rng(1)
    T, D, H = 6, 2, 4
    return bptt_path_explorer(rng.normal(size=(T, D)), rng.normal(size=(D, H)),
                              0.5 * rng.normal(size=(H, H)), np.zeros(H))  # fmt: skip
