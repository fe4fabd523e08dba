"""The lecture notes' scalar recurrence unrolled, with one BPTT term highlighted.

    O_t = f(x_t w + O_{t-1} w'),  t = 1..T,   y^ = O_T,   L = (y^ - y)^2 / 2

Unlike :func:`rnn_helpers.viz.draw_unrolled` (the vector RNN with a read-out W_y), this graph
draws the initial state O_0 and the w' edge O_0 -> O_1, and reads the prediction straight off
the last state (a plain "=" edge, no weight), exactly as the equations above.

Term i of dL/dw' (i = 1..T) follows the path L -> y^ -> O_T -> ... -> O_k with k = T - i + 1,
then uses w' once, on the edge O_{k-1} -> O_k: its last factor is the immediate derivative
d+O_k/dw' = f'(a_k) O_{k-1}. For i = T that edge starts at O_0, and with O_0 = 0 the term is 0.

Artists carry gids: nodes "x_1", "O_0", "y_hat", "L"; edges "edge:w:x_1->O_1",
"edge:w':O_0->O_1", "edge:eq:O_4->y_hat", "edge:loss:y_hat->L"; the glow under the path
"path:<edge gid>"; the glow marking where w' is used "use:<edge gid>".
"""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.patches import FancyArrowPatch

from ..style import OKABE_ITO
from .graphs import _Graph

__all__ = ["draw_scalar_chain"]

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
