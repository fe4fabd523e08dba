"""Drawings and explorer of the parallel scan: what is drawn matches the scan's structure."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.collections import LineCollection

from rnn_helpers.explorers import scan_tree_explorer
from rnn_helpers.linear_recurrence import scan_tree_view
from rnn_helpers.viz.scan import draw_scan_tree, draw_sequential_depth, scan_tree_geometry


@pytest.mark.parametrize("T, t", [(8, None), (16, 11), (5, 1)])
def test_tree_draws_every_combine_and_highlights_the_path(T, t):
    fig, ax = plt.subplots()
    draw_scan_tree(T, t=t, ax=ax)
    grey, hot = [c for c in ax.collections if isinstance(c, LineCollection)]
    v = scan_tree_view(T, T if t is None else t)
    n_pass = T * v["depth"]  # vertical carries
    assert len(grey.get_segments()) + len(hot.get_segments()) == v["combines"] + n_pass
    if t is None:
        assert len(hot.get_segments()) == 0
    else:
        assert sum(len(e) for e in v["used_edges"]) == t - 1
        assert len(hot.get_segments()) >= t - 1
    (points,) = [c for c in ax.collections if not isinstance(c, LineCollection)]
    assert len(points.get_offsets()) == T * (v["depth"] + 1)
    assert f"{v['depth']} rounds" in ax.get_title()
    plt.close(fig)


def test_geometry_unit_box():
    g = scan_tree_geometry(scan_tree_view(8, 6))
    assert g["nodes"][:, 0].min() == 0 and g["nodes"][:, 0].max() == 1
    assert g["nodes"][:, 1].max() == 0 and g["nodes"][:, 1].min() == -1
    assert g["node_used"].sum() == 6 + 3 + 2 + 1  # inputs 1..6, then fewer partial results per round


def test_depth_plot_lines():
    fig, ax = plt.subplots()
    draw_sequential_depth(1024, ax=ax)
    loop, scan = ax.get_lines()
    assert loop.get_ydata()[-1] == 1024 and scan.get_ydata()[-1] == 10
    plt.close(fig)


def test_explorer_follows_its_sliders():
    e = scan_tree_explorer(T=16, t=11)
    first = bytes(e.widget.children[-1].value)
    assert e.state["depth"] == 4 and e.state["t"] == 11
    e.controls["T"].value = 5  # t is clamped to the new T
    assert e.state["loop_steps"] == 5 and e.state["t"] == 5 and e.controls["t"].max == 5
    e.controls["T"].value = 32
    e.controls["t"].value = 20
    assert e.state["depth"] == 5 and e.state["used"][0] == list(range(20))
    assert bytes(e.widget.children[-1].value) != first
    with pytest.raises(ValueError, match="T must be in 2..32"):
        scan_tree_explorer(T=40)
    assert np.isfinite(e.state["combines"])


def test_seed_scores_one_column_per_model():
    from rnn_helpers.viz.seeds import draw_seed_scores

    fig, ax = plt.subplots()
    draw_seed_scores({"a": [0.5, 0.6, 0.55], "b": [1.0, 1.0, 1.0]}, ax=ax, baseline=0.5, baseline_label="chance")
    lines = [ln for ln in ax.get_lines() if (ln.get_gid() or "").startswith("seeds:")]
    assert [ln.get_gid() for ln in lines] == ["seeds:a", "seeds:b"]
    assert len(set(lines[1].get_xdata())) == 3  # equal scores drawn side by side
    assert "3 seeds each" in ax.get_title() and "chance" in ax.get_title()
    with pytest.raises(ValueError, match="at least one score"):
        draw_seed_scores({"a": []}, ax=ax)
    plt.close(fig)
