"""Tests of loss curves: static plots and the live curve that ends as a static figure."""

import matplotlib

matplotlib.use("Agg")
import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

from rnn_helpers.viz.curves import plot_loss_curves


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def curve_lines(ax):
    return [ln for ln in ax.lines if (ln.get_gid() or "").startswith("curve:")]


def test_several_runs_one_line_each():
    ax = plot_loss_curves({"a": [3.0, 2.0, 1.0], "b": {"loss": [2.0, 1.0], "grad_norm": [5, 5]}})
    lines = curve_lines(ax)
    assert [ln.get_label() for ln in lines] == ["a", "b"]
    np.testing.assert_allclose(lines[1].get_ydata(), [2.0, 1.0])
    np.testing.assert_allclose(lines[0].get_xdata(), [1, 2, 3])


def test_single_history_dict_draws_its_key():
    ax = plot_loss_curves({"loss": [3.0, 2.0], "grad_norm": [9.0, 9.0]}, key="grad_norm", logy=True)
    (line,) = curve_lines(ax)
    np.testing.assert_allclose(line.get_ydata(), [9.0, 9.0])
    assert ax.get_yscale() == "log"
    assert ax.get_legend() is None


def test_smoothing_is_a_running_mean_over_a_faint_raw_line():
    v = np.arange(10.0)
    ax = plot_loss_curves({"run": v}, smooth=4, baseline=2.0)
    (line,) = curve_lines(ax)
    np.testing.assert_allclose(line.get_ydata(), np.convolve(v, np.ones(4) / 4, mode="valid"))
    np.testing.assert_allclose(line.get_xdata(), np.arange(4, 11))
    assert [ln.get_gid() for ln in ax.lines].count("raw:run") == 1
    assert any(ln.get_gid() == "baseline" for ln in ax.lines)


def test_bad_histories():
    with pytest.raises(ValueError, match="no 'loss'"):
        plot_loss_curves({"a": {"acc": [1.0]}})
    with pytest.raises(ValueError, match="non-empty"):
        plot_loss_curves({"a": []})


def test_loss_curves_without_raw_lines_draw_one_smoothed_line_per_curve():
    ax = plot_loss_curves({"a": np.ones(50), "b": np.arange(50.0)}, smooth=10, raw=False)
    assert len(ax.lines) == 2 and len(ax.lines[0].get_xdata()) == 41
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b"]
    plt.close(ax.figure)


def test_baseline_label_adds_a_legend_entry():
    ax = plot_loss_curves({"a": [2.0, 1.0]}, baseline=1.5, baseline_label="constant guess")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "constant guess"]
    ax = plot_loss_curves({"a": [2.0, 1.0]}, baseline=1.5)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a"]
    with pytest.raises(ValueError, match="baseline_label"):
        plot_loss_curves({"a": [2.0, 1.0]}, baseline_label="x")
