"""Tests of the gradient-flow plot: log scale, one line per model, data drawn as given."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest

from rnn_helpers.viz.flow import plot_gradient_flow


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def flow_lines(ax):
    return [ln for ln in ax.lines if (ln.get_gid() or "").startswith("flow:")]


def test_models_overlaid_on_log_scale_with_legend():
    lag = np.arange(11)
    norms = {"rnn": 0.5**lag, "lstm": 0.95**lag, "exploding": 1.3**lag}
    ax = plot_gradient_flow(norms)
    assert ax.get_yscale() == "log"
    lines = flow_lines(ax)
    assert [ln.get_label() for ln in lines] == ["rnn", "lstm", "exploding"]
    assert len({ln.get_color() for ln in lines}) == 3
    np.testing.assert_allclose(lines[0].get_xdata(), lag)
    np.testing.assert_allclose(lines[2].get_ydata(), 1.3**lag)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["rnn", "lstm", "exploding"]
    assert "lag" in ax.get_xlabel()


def test_step_axis_and_single_array():
    ax = plot_gradient_flow(np.array([1e-4, 1e-2, 1.0]), x="k")
    (line,) = flow_lines(ax)
    np.testing.assert_allclose(line.get_xdata(), [1, 2, 3])
    assert ax.get_legend() is None
    assert "k" in ax.get_xlabel()


def test_zeros_are_gaps_and_guides_are_geometric():
    ax = plot_gradient_flow({"a": [1.0, 0.0, 0.25]}, guides={"half": 0.5})
    (line,) = flow_lines(ax)
    assert np.isnan(line.get_ydata()[1])
    (guide,) = [ln for ln in ax.lines if ln.get_gid() == "guide:half"]
    np.testing.assert_allclose(guide.get_ydata(), [1.0, 0.5, 0.25])


@pytest.mark.parametrize(
    "norms,kw,match",
    [
        ({"a": [1.0, -1.0]}, {}, ">= 0"),
        ({"a": [1.0, np.nan]}, {}, "NaN"),
        ({"a": np.ones((2, 2))}, {}, "1-D"),
        ({}, {}, "at least one"),
        ({"a": [1.0]}, {"x": "t"}, "x must be"),
    ],
)
def test_bad_input(norms, kw, match):
    with pytest.raises(ValueError, match=match):
        plot_gradient_flow(norms, **kw)
