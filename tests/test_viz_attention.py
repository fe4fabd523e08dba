"""The attention heatmap draws what it is given, on a fixed 0..1 scale, with token labels."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from rnn_helpers.style import GATE_CMAP  # noqa: E402
from rnn_helpers.viz.attention import plot_attention  # noqa: E402


def _attention(T_y=4, T_x=3, seed=0):
    e = np.random.default_rng(seed).normal(size=(T_y, T_x))
    return np.exp(e) / np.exp(e).sum(1, keepdims=True)


def test_heatmap_data_scale_and_labels():
    a = _attention()
    ax = plot_attention(a, ["7", "3", "9"], ["five", "two", "three", "<eos>"])
    (im,) = ax.images
    assert np.allclose(im.get_array(), a) and im.get_clim() == (0.0, 1.0)
    assert im.get_cmap().name == GATE_CMAP
    assert [t.get_text() for t in ax.get_xticklabels()] == ["7", "3", "9"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["five", "two", "three", "<eos>"]
    assert len(ax.figure.axes) == 2  # heatmap and colour bar
    plt.close(ax.figure)


def test_into_given_axes_with_annotations_and_no_colorbar():
    fig, ax = plt.subplots()
    a = _attention(2, 5)
    out = plot_attention(a, list("abcde"), ["x", "y"], ax=ax, colorbar=False, annotate=True)
    assert out is ax and len(fig.axes) == 1
    assert sorted(t.get_text() for t in ax.texts) == sorted(f"{v:.2f}" for v in a.ravel())
    plt.close(fig)


@pytest.mark.parametrize(
    "a, why",
    [
        (np.full((3, 3), 1 / 3), r"shape \(T_y, T_x\) = \(4, 3\)"),
        (np.full((4, 3), 0.6), "sum to at most 1"),
        (np.full((4, 3), -0.1), r"in \[0, 1\]"),
        (np.full((4, 3), np.nan), "finite"),
    ],
)
def test_bad_attention_raises(a, why):
    with pytest.raises(ValueError, match=why):
        plot_attention(a, ["7", "3", "9"], ["a", "b", "c", "d"])
