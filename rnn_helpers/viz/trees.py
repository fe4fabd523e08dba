"""Tree drawings for recursive nets: nodes coloured by a value, edges from children to parents.

Import as ``from rnn_helpers.viz.trees import draw_tree``. Pure matplotlib: leaves sit in a row
at the bottom in their left-to-right order, each parent centred above its two children, the
root on top.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.collections import LineCollection

from ..style import GATE_CMAP, OKABE_ITO

__all__ = ["tree_layout", "draw_tree", "update_tree_values"]


def tree_layout(tree) -> np.ndarray:
    """(x, y) of every node of ``tree`` in post-order (the order of ``tree.nodes()``), (M, 2).

    Leaves get x = 0, 1, 2, ... from left to right; a parent's x is the mean of its children's;
    y is minus the distance from the root (root at y = 0).
    """
    nodes = tree.nodes()
    index = {id(n): i for i, n in enumerate(nodes)}
    xy = np.zeros((len(nodes), 2))
    next_leaf = 0
    for i, node in enumerate(nodes):  # post-order: leaves come in left-to-right order
        if node.is_leaf:
            xy[i, 0] = next_leaf
            next_leaf += 1
        else:
            xy[i, 0] = np.mean([xy[index[id(c)], 0] for c in node.children])
    stack = [(tree, 0)]
    while stack:
        node, d = stack.pop()
        xy[index[id(node)], 1] = -d
        stack.extend((c, d + 1) for c in node.children)
    return xy


def draw_tree(
    tree,
    values: np.ndarray | None = None,
    ax=None,
    value_label: str | None = None,
    vmin: float = 0.0,
    vmax: float = 1.0,
    cmap: str = GATE_CMAP,
    show_values: bool = True,
):
    """Draw ``tree`` with each node's label, filled by its value on a fixed colour scale.

    Inputs:
        tree: a :class:`rnn_helpers.trees.Tree` with M nodes.
        values: (M,) one number per node in post-order (e.g. the net's P(true)), NaN for a node
            not computed yet (drawn white); None draws every node white.
        value_label: title naming the value (e.g. "P(true)").
        vmin, vmax, cmap: the fixed colour scale (default 0..1 sequential, as for
            probabilities).
        show_values: write each value, rounded to 2 decimals, under its node.
    Returns: ax. ``ax.collections`` holds the edges (LineCollection, M - 1 segments) and the
        nodes (PathCollection, M points).
    """
    nodes = tree.nodes()
    M = len(nodes)
    if values is None:
        values = np.full(M, np.nan)
    values = np.asarray(values, dtype=float)
    if values.shape != (M,):
        raise ValueError(f"values must have shape (M,) = ({M},), one per node, got {values.shape}")
    if ax is None:
        _, ax = plt.subplots(figsize=(max(4.0, 0.9 * sum(n.is_leaf for n in nodes)), 3.5))
    xy = tree_layout(tree)
    index = {id(n): i for i, n in enumerate(nodes)}
    segments = [(xy[index[id(c)]], xy[i]) for i, n in enumerate(nodes) for c in n.children]
    ax.add_collection(LineCollection(segments, colors=OKABE_ITO["black"], linewidths=1.5, zorder=1))
    ax.scatter(
        xy[:, 0],
        xy[:, 1],
        s=900,
        c=_faces(values, vmin, vmax, cmap),
        edgecolors=OKABE_ITO["black"],
        linewidths=1.5,
        zorder=2,
        gid="tree-nodes",
    )
    for i, node in enumerate(nodes):
        ax.text(
            xy[i, 0],
            xy[i, 1],
            node.label,
            ha="center",
            va="center",
            zorder=3,
            fontsize=10 if len(node.label) > 2 else 12,
            fontweight="bold",
            gid=f"label-{i}",
        )
        if show_values:
            ax.text(
                xy[i, 0],
                xy[i, 1] - 0.36,
                "",
                ha="center",
                va="top",
                fontsize=10,
                zorder=3,
                gid=f"value-{i}",
                bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 0.5},
            )
    update_tree_values(ax, values, vmin, vmax, cmap)
    ax.set_xlim(xy[:, 0].min() - 0.7, xy[:, 0].max() + 0.7)
    ax.set_ylim(xy[:, 1].min() - 0.85, 0.5)
    ax.set_axis_off()
    if value_label:
        ax.set_title(f"node colour: {value_label} ({vmin:g} to {vmax:g})", fontsize=12)
    return ax


def _faces(values: np.ndarray, vmin: float, vmax: float, cmap: str) -> list:
    colormap = plt.get_cmap(cmap)
    norm = (np.clip(values, vmin, vmax) - vmin) / (vmax - vmin)
    return [(1.0, 1.0, 1.0, 1.0) if np.isnan(v) else colormap(v) for v in norm]


def update_tree_values(ax, values, vmin: float = 0.0, vmax: float = 1.0, cmap: str = GATE_CMAP):
    """Recolour the nodes and rewrite the values of a tree already drawn by :func:`draw_tree`.

    Cheaper than drawing again (explorers call it when only the values change).
    Inputs: values (M,) in post-order, NaN for "not computed". Returns ax.
    """
    nodes = next((c for c in ax.collections if c.get_gid() == "tree-nodes"), None)
    if nodes is None:
        raise ValueError("ax holds no tree drawn by draw_tree")
    values = np.asarray(values, dtype=float)
    M = len(nodes.get_offsets())
    if values.shape != (M,):
        raise ValueError(f"values must have shape (M,) = ({M},), one per node, got {values.shape}")
    faces = _faces(values, vmin, vmax, cmap)
    nodes.set_facecolors(faces)
    dark = {f"label-{i}": sum(f[:3]) < 1.2 for i, f in enumerate(faces)}
    for text in ax.texts:
        gid = text.get_gid() or ""
        if gid.startswith("label-"):
            text.set_color("white" if dark[gid] else "black")
        elif gid.startswith("value-"):
            v = values[int(gid[6:])]
            text.set_text("" if np.isnan(v) else f"{v:.2f}")
            text.set_visible(not np.isnan(v))
    return ax
