"""Tests of gate heatmaps, cell-state traces and PCA trajectories: fixed scales, what is drawn."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rnn_helpers import lstm_forward
from rnn_helpers.style import GATE_CMAP, SIGNED_CMAP
from rnn_helpers.viz.gates import (
    pca_2d,
    plot_cell_state,
    plot_gate_heatmap,
    plot_hidden_trajectory,
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


def test_cell_state_one_line_per_unit(lstm_run):
    h, c, cache = lstm_run
    ax = plot_cell_state(c[0], units=[0, 2])
    traces = [ln for ln in ax.lines if (ln.get_gid() or "").startswith("trace:")]
    assert [ln.get_gid() for ln in traces] == ["trace:0", "trace:2"]
    np.testing.assert_allclose(traces[1].get_ydata(), c[0, :, 2])
    ax = plot_cell_state(np.random.default_rng(0).normal(size=(5, 20)))
    assert len([ln for ln in ax.lines if (ln.get_gid() or "").startswith("trace:")]) == 6
    with pytest.raises(ValueError, match="unit 9"):
        plot_cell_state(c[0], units=[9])


def test_pca_2d_recovers_a_plane():
    rng = np.random.default_rng(0)
    plane = rng.normal(size=(50, 2)) * [3.0, 1.0]
    basis = np.linalg.qr(rng.normal(size=(6, 2)))[0]  # (H, 2) orthonormal
    coords, explained = pca_2d(plane @ basis.T + 5.0)
    np.testing.assert_allclose(explained.sum(), 1.0, atol=1e-12)
    assert explained[0] > explained[1]
    # distances are preserved by the projection
    d0 = np.linalg.norm(plane[:, None] - plane[None], axis=-1)
    d1 = np.linalg.norm(coords[:, None] - coords[None], axis=-1)
    np.testing.assert_allclose(d0, d1, atol=1e-9)


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 3), st.integers(2, 6), st.integers(2, 5))
def test_pca_2d_shapes(N, T, H):
    h = np.random.default_rng(N * 100 + T * 10 + H).normal(size=(N, T, H))
    coords, explained = pca_2d(h)
    assert coords.shape == (N, T, 2)
    assert np.all(explained >= 0) and explained.sum() <= 1 + 1e-12
    coords2, _ = pca_2d(h[0])
    assert coords2.shape == (T, 2)


def test_pca_2d_bad_input():
    with pytest.raises(ValueError, match="H = 2"):
        pca_2d(np.zeros((4, 1)))
    with pytest.raises(ValueError, match=r"\(T, H\)"):
        pca_2d(np.zeros(4))


def test_trajectory_draws_one_line_per_sequence(lstm_run):
    h, c, cache = lstm_run
    ax = plot_hidden_trajectory(h, labels=["one", "two"])
    lines = [ln for ln in ax.lines if (ln.get_gid() or "").startswith("trajectory:")]
    assert len(lines) == 2 and all(len(ln.get_xdata()) == 7 for ln in lines)
    assert "PC 1" in ax.get_xlabel()
    with pytest.raises(ValueError, match="labels"):
        plot_hidden_trajectory(h, labels=["one"])
    ax = plot_hidden_trajectory(h[0], tokens=list("abcdefg"))
    assert len(ax.texts) == 7
