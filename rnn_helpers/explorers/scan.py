"""Explorer of the parallel scan's tree (notebook 12): sliders for T and for the output h_t to trace.

The numbers come from :func:`~rnn_helpers.linear_recurrence.scan_tree_view` (pure, tested) and
the coordinates from :func:`~rnn_helpers.viz.scan.scan_tree_geometry`; this builder only moves
artists.
"""

from __future__ import annotations

import ipywidgets as W
import numpy as np
from matplotlib.collections import LineCollection

from ..linear_recurrence import scan_tree_view
from ..style import OKABE_ITO
from ..viz.scan import scan_tree_geometry
from .base import Explorer, agg_figure, register_explorer, wire

__all__ = ["scan_tree_explorer"]

T_MAX = 32


def scan_tree_explorer(T: int = 16, t: int = 11) -> Explorer:
    """Sliders "T" (2..32 steps) and "t" (the output h_t whose combines are highlighted).

    Returns:
        an Explorer whose state is the :func:`scan_tree_view` of the current (T, t).
    """
    if not 2 <= T <= T_MAX or not 1 <= t <= T:
        raise ValueError(f"T must be in 2..{T_MAX} and t in 1..T, got T={T!r}, t={t!r}")
    fig = agg_figure((9.0, 4.4))
    ax = fig.add_axes((0.2, 0.02, 0.78, 0.84))
    ax.set_xlim(-0.04, 1.04)
    ax.set_ylim(-1.1, 0.1)
    ax.set_axis_off()
    grey = LineCollection([], colors="0.75", linewidths=1.2)
    hot = LineCollection([], colors=OKABE_ITO["vermillion"], linewidths=2.6)
    ax.add_collection(grey)
    ax.add_collection(hot)
    nodes = ax.scatter([0], [0], s=30, zorder=3)
    labels = [fig.text(0.19, 0.5, "", ha="right", va="center", fontsize=12) for _ in range(6)]
    title = fig.text(0.5, 0.95, " ", ha="center", va="center", fontsize=13)
    controls = {
        "T": W.IntSlider(value=T, min=2, max=T_MAX, description="T"),
        "t": W.IntSlider(value=t, min=1, max=T, description="output t"),
    }

    def update():
        T_now = controls["T"].value
        controls["t"].max = T_now  # clamps t when T shrinks
        v = scan_tree_view(T_now, controls["t"].value)
        g = scan_tree_geometry(v)
        grey.set_segments(g["edges"])
        hot.set_segments(g["edges_used"])
        nodes.set_offsets(g["nodes"])
        nodes.set_sizes(np.full(len(g["nodes"]), max(10.0, 700.0 / T_now)))
        nodes.set_facecolors(np.where(g["node_used"], OKABE_ITO["vermillion"], OKABE_ITO["blue"]))
        to_fig = ax.transData + fig.transFigure.inverted()
        for k, label in enumerate(labels):
            if k <= v["depth"]:
                y = to_fig.transform((0.0, -k / max(v["depth"], 1)))[1]
                label.set_position((0.19, y))
                label.set_text("inputs" if k == 0 else f"round {k}: stride {2 ** (k - 1)}")
            else:
                label.set_text("")
        title.set_text(f"T = {T_now}: {v['depth']} rounds, {v['combines']} combines (loop: {T_now} steps); "
                       f"$h_{{{v['t']}}}$ reads inputs 1..{v['t']}")  # fmt: skip
        return v, [grey, hot, nodes, *labels, title]

    return wire(controls, fig, update, [grey, hot, nodes, *labels, title])


@register_explorer("scan_tree", sweep={"T": [8, 32, 5], "t": [1, 5, 3]})
def _example_scan_tree() -> Explorer:
    return scan_tree_explorer()
