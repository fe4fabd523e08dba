"""Tree drawings: layout and what is drawn."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.collections import LineCollection, PathCollection

from rnn_helpers.trees import parse_tree
from rnn_helpers.viz.trees import draw_tree, tree_layout, update_tree_values


def test_layout_puts_parents_above_and_between_children():
    t = parse_tree("(AND (OR 1 0) 1)")
    xy = tree_layout(t)  # post-order: 1 0 OR 1 AND
    np.testing.assert_allclose(xy[:, 0], [0, 1, 0.5, 2, 1.25])
    np.testing.assert_allclose(xy[:, 1], [-2, -2, -1, -1, 0])


def test_draw_tree_draws_nodes_edges_labels_and_colours():
    t = parse_tree("(XOR (AND 1 1) (OR 0 1))")
    values = np.array([0.0, 1.0, np.nan, 0.5, 0.25, np.nan, np.nan])
    fig, ax = plt.subplots()
    out = draw_tree(t, values=values, ax=ax, value_label="P(true)")
    assert out is ax
    edges = [c for c in ax.collections if isinstance(c, LineCollection)]
    nodes = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert len(edges) == 1 and len(edges[0].get_segments()) == 6
    assert len(nodes) == 1 and len(nodes[0].get_offsets()) == 7
    faces = nodes[0].get_facecolors()
    np.testing.assert_allclose(faces[2], [1, 1, 1, 1])  # not computed: white
    cmap = plt.get_cmap("viridis")
    np.testing.assert_allclose(faces[1], cmap(1.0))
    texts = [tx.get_text() for tx in ax.texts]
    assert texts.count("XOR") == 1 and "0.25" in texts and "0.50" in texts
    assert sum("." in tx for tx in texts) == 4  # four values shown
    assert "P(true)" in ax.get_title()
    plt.close(fig)


def test_draw_tree_creates_axes_and_rejects_wrong_value_count():
    t = parse_tree("(AND 1 0)")
    ax = draw_tree(t)
    assert len(ax.collections[1].get_offsets()) == 3
    plt.close(ax.figure)
    with pytest.raises(ValueError, match=r"values must have shape \(M,\) = \(3,\)"):
        draw_tree(t, values=[0.1, 0.2])


def test_update_tree_values_recolours_without_redrawing():
    t = parse_tree("(AND 1 0)")
    fig, ax = plt.subplots()
    draw_tree(t, values=[np.nan, np.nan, np.nan], ax=ax)
    n_artists = len(ax.texts) + len(ax.collections)
    assert not any(tx.get_visible() and "." in tx.get_text() for tx in ax.texts)
    update_tree_values(ax, [0.0, 1.0, 0.5])
    assert len(ax.texts) + len(ax.collections) == n_artists
    faces = ax.collections[1].get_facecolors()
    np.testing.assert_allclose(faces[1], plt.get_cmap("viridis")(1.0))
    shown = sorted(tx.get_text() for tx in ax.texts if tx.get_visible() and "." in tx.get_text())
    assert shown == ["0.00", "0.50", "1.00"]
    labels = {tx.get_text(): tx.get_color() for tx in ax.texts if tx.get_gid().startswith("label-")}
    assert labels["1"] == "white" and labels["0"] == "black"  # dark purple face (0.0) vs yellow (1.0)
    with pytest.raises(ValueError, match="values must have shape"):
        update_tree_values(ax, [0.1])
    plt.close(fig)
    _, empty = plt.subplots()
    with pytest.raises(ValueError, match="no tree"):
        update_tree_values(empty, [0.1])
    plt.close(empty.figure)
