"""Drawings of the parallel scan: its tree of combines, and sequential depth against T.

Every function takes ``ax=None``, draws into it (creating a figure when None) and returns the
Axes; nothing here calls ``plt.show()``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.collections import LineCollection

from ..linear_recurrence import scan_depth, scan_tree_view
from ..style import OKABE_ITO

__all__ = ["scan_tree_geometry", "draw_scan_tree", "draw_sequential_depth"]

_GREY = "0.75"
_HIGHLIGHT = OKABE_ITO["vermillion"]  # yellow, the course highlight, is faint on thin lines


def scan_tree_geometry(view: dict) -> dict:
    """Coordinates of the scan tree of :func:`~rnn_helpers.linear_recurrence.scan_tree_view`,
    in a unit box (x: step 1..T -> 0..1, y: round 0 at the top -> 0, last round -> -1).

    Returns:
        dict with "nodes" ((depth + 1) * T, 2), "node_used" (bool per node), "edges" (list of
        segments of every combine and pass-through), "edges_used" (the segments on h_t's path).
    """
    T, depth = view["loop_steps"], view["depth"]
    xs = np.linspace(0.0, 1.0, T) if T > 1 else np.array([0.5])
    ys = -np.arange(depth + 1) / max(depth, 1)
    nodes = np.array([(xs[c], ys[k]) for k in range(depth + 1) for c in range(T)])  # (K T, 2)
    used = [set(u) for u in view["used"]]
    node_used = np.array([c in used[k] for k in range(depth + 1) for c in range(T)])
    edges, edges_used = [], []
    for k, level in enumerate(view["levels"]):
        on_path = set(view["used_edges"][k])
        for src, dst in level:  # the combine of element dst - 2^k into element dst
            seg = [(xs[src], ys[k]), (xs[dst], ys[k + 1])]
            (edges_used if (src, dst) in on_path else edges).append(seg)
        for c in range(T):  # every element also carries its own value down
            seg = [(xs[c], ys[k]), (xs[c], ys[k + 1])]
            (edges_used if c in used[k] and c in used[k + 1] else edges).append(seg)
    return {"nodes": nodes, "node_used": node_used, "edges": edges, "edges_used": edges_used}


def draw_scan_tree(T: int, t: int | None = None, ax=None):
    """The Hillis-Steele scan over T steps: a row per round, a column per step; slanted lines are
    combines (element t - 2^k into element t), vertical lines carry a value down. With ``t``
    (1-based) the combines that build h_t are highlighted.

    Returns:
        ax (the combines and pass-throughs are two LineCollections: grey, then highlighted).
    """
    ax = plt.gca() if ax is None else ax
    view = scan_tree_view(T, T if t is None else t)
    g = scan_tree_geometry(view)
    hi = t is not None
    ax.add_collection(LineCollection(g["edges"] + ([] if hi else g["edges_used"]), colors=_GREY, linewidths=1.2))
    ax.add_collection(LineCollection(g["edges_used"] if hi else [], colors=_HIGHLIGHT, linewidths=2.4))
    colors = np.where(g["node_used"] & hi, _HIGHLIGHT, OKABE_ITO["blue"])
    ax.scatter(g["nodes"][:, 0], g["nodes"][:, 1], s=max(12, 900 / T), c=colors, zorder=3)
    depth = view["depth"]
    for k in range(depth + 1):
        label = "inputs $(a_t, b_t)$" if k == 0 else f"round {k}: stride {2 ** (k - 1)}"
        ax.text(-0.04, -k / max(depth, 1), label, ha="right", va="center", fontsize=13)
    ax.set_xlim(-0.45, 1.04)
    ax.set_ylim(-1.12, 0.12)
    ax.set_axis_off()
    title = f"T = {T}: {depth} rounds, {view['combines']} combines (the loop: {T} steps)"
    if hi:
        title += f"; $h_{{{t}}}$ highlighted"
    ax.set_title(title, fontsize=13)
    return ax


def draw_sequential_depth(T_max: int = 4096, ax=None):
    """Sequential steps against T: T for the loop, ceil(log2 T) for the scan (log-log axes).

    Returns:
        ax with two lines: "loop" and "scan".
    """
    ax = plt.gca() if ax is None else ax
    Ts = np.unique(np.round(np.logspace(0, np.log10(T_max), 200)).astype(int))
    ax.plot(Ts, Ts, label="loop: $T$ steps", color=OKABE_ITO["vermillion"])
    ax.plot(Ts, [max(scan_depth(int(T)), 1) for T in Ts], label=r"scan: $\lceil \log_2 T \rceil$ rounds",
            color=OKABE_ITO["blue"])  # fmt: skip
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("sequence length $T$")
    ax.set_ylabel("sequential steps")
    ax.legend()
    return ax
