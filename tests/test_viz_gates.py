"""Tests of gate heatmaps, cell-state traces and PCA trajectories: fixed scales, what is drawn."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest

from rnn_helpers import lstm_forward
from rnn_helpers.style import GATE_CMAP, SIGNED_CMAP
from rnn_helpers.viz.gates import (
    plot_gate_heatmap,
    plot_lstm_gates,
)


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def lstm_run():
    rng = np.random.default_rng(1)
    N, T, D, H = 2, 7, 3, 4
    x = rng.normal(size=(N, T, D))
    Wx, Wh = rng.normal(size=(D, 4 * H)), rng.normal(size=(H, 4 * H))
    return lstm_forward(x, np.zeros((N, H)), np.zeros((N, H)), Wx, Wh, np.zeros(4 * H))


def test_gate_heatmap_fixed_zero_one_scale_even_for_narrow_values():
    v = np.full((5, 3), 0.4)
    v[0, 0] = 0.6
    ax = plot_gate_heatmap(v)
    im = ax.images[0]
    assert im.get_clim() == (0.0, 1.0)
    assert im.get_cmap().name == GATE_CMAP
    # time on x, units on y
    assert im.get_array().shape == (3, 5)


def test_signed_heatmap_fixed_minus_one_one(lstm_run):
    h, c, cache = lstm_run
    ax = plot_gate_heatmap(cache["gates"]["g"][0], scale="signed")
    im = ax.images[0]
    assert im.get_clim() == (-1.0, 1.0)
    assert im.get_cmap().name == SIGNED_CMAP


def test_symmetric_scale_covers_data():
    v = np.array([[0.2, -2.3], [1.1, 0.0]])
    im = plot_gate_heatmap(v, scale="symmetric").images[0]
    assert im.get_clim() == (-2.5, 2.5)
    im = plot_gate_heatmap(v / 10, scale="symmetric").images[0]
    assert im.get_clim() == (-1.0, 1.0)


def test_heatmap_tokens_and_markers():
    toks = ["a", "b", "c", "d"]
    ax = plot_gate_heatmap(np.full((4, 2), 0.5), tokens=toks, markers=[1, 3])
    assert [t.get_text() for t in ax.get_xticklabels()] == toks
    assert sorted(ln.get_gid() for ln in ax.lines) == ["marker:1", "marker:3"]
    assert [ln.get_xdata()[0] for ln in ax.lines] == [1, 3]


def test_heatmap_rejects_values_off_scale_and_bad_shapes():
    with pytest.raises(ValueError, match="scale='signed'"):
        plot_gate_heatmap(np.array([[-0.5, 0.5]]))
    with pytest.raises(ValueError, match=r"\(T, H\)"):
        plot_gate_heatmap(np.zeros((2, 3, 4)))
    with pytest.raises(ValueError, match="tokens"):
        plot_gate_heatmap(np.zeros((3, 2)), tokens=["a"])
    with pytest.raises(ValueError, match="marker"):
        plot_gate_heatmap(np.zeros((3, 2)), markers=[3])
    with pytest.raises(ValueError, match="scale"):
        plot_gate_heatmap(np.zeros((3, 2)), scale="log")
    with pytest.raises(ValueError, match="NaN"):
        plot_gate_heatmap(np.array([[np.nan]]))


def test_plot_lstm_gates_one_panel_per_gate_with_right_scales(lstm_run):
    h, c, cache = lstm_run
    axes = plot_lstm_gates({**cache["gates"], "c": c}, n=1, tokens=list("abcdefg"))
    assert len(axes) == 5
    clims = [ax.images[0].get_clim() for ax in axes]
    assert clims[:4] == [(0.0, 1.0), (0.0, 1.0), (-1.0, 1.0), (0.0, 1.0)]  # i, f, g, o
    assert clims[4][1] >= np.abs(c[1]).max() and clims[4][0] == -clims[4][1]
    np.testing.assert_allclose(axes[1].images[0].get_array(), cache["gates"]["f"][1].T)
    assert [t.get_text() for t in axes[-1].get_xticklabels()] == list("abcdefg")
    with pytest.raises(ValueError, match="no 'q'"):
        plot_lstm_gates(cache["gates"], names=["q"])
    with pytest.raises(ValueError, match="n=5"):
        plot_lstm_gates(cache["gates"], n=5)


def test_plot_lstm_gates_gru_order():
    g = {k: np.full((1, 3, 2), 0.5) for k in ("z", "r", "n")}
    axes = plot_lstm_gates(g)
    assert [ax.get_title(loc="left").split()[0] for ax in axes] == ["reset", "update", "candidate"]
