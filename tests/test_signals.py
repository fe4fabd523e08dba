"""Handwriting and cost helpers: pen drawing, confusion matrix, the pen-reader explorer, processor time."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

from rnn_helpers.explorers import pen_reader_explorer, pen_reader_view  # noqa: E402
from rnn_helpers.models import cpu_time_per_sequence  # noqa: E402
from rnn_helpers.training import confusion_matrix  # noqa: E402
from rnn_helpers.viz.confusion import plot_confusion_errors  # noqa: E402
from rnn_helpers.viz.signals import draw_pen_path  # noqa: E402


def test_draw_pen_path_draws_the_read_part_and_the_rest_faint():
    points = np.linspace(0, 1, 16).reshape(8, 2)
    ax = draw_pen_path(points, steps=3)
    lines = ax.get_lines()
    assert len(lines[0].get_xdata()) == 6 and len(lines[1].get_xdata()) == 3  # rest (from point 3), read part
    with pytest.raises(ValueError, match="steps must be in 1..8"):
        draw_pen_path(points, steps=9)
    with pytest.raises(ValueError, match=r"shape \(T, 2\)"):
        draw_pen_path(np.zeros((8, 3)))
    plt.close("all")


def test_confusion_matrix_rows_are_true_labels():
    counts = confusion_matrix(np.array([0, 1, 1, 2]), np.array([0, 0, 1, 2]), C=3)
    assert counts.tolist() == [[1, 1, 0], [0, 1, 0], [0, 0, 1]]
    ax = plot_confusion_errors(counts)
    assert len(ax.texts) == 4  # one count per non-empty cell
    with pytest.raises(ValueError, match="must have the same shape"):
        confusion_matrix(np.zeros(3, int), np.zeros(4, int))
    plt.close("all")


def test_pen_reader_view_and_explorer():
    rng = np.random.default_rng(0)
    points, probs = rng.random((5, 8, 2)), rng.dirichlet(np.ones(10), size=(5, 8))
    view = pen_reader_view(points, probs, 2, 3)
    assert view["guess"] == int(np.argmax(probs[2, 2])) and view["steps"] == 3
    with pytest.raises(ValueError, match="steps in 1..8"):
        pen_reader_view(points, probs, 2, 0)
    explorer = pen_reader_explorer(points, probs, np.arange(5))
    explorer.controls["digit"].value = 4
    explorer.controls["steps"].value = 8
    assert explorer.state["guess"] == int(np.argmax(probs[4, 7])) and explorer.state["steps"] == 8


def test_cpu_time_per_sequence_needs_one_thread_and_three_axes():
    torch.set_num_threads(1)
    layer = torch.nn.GRU(3, 4, batch_first=True)
    assert cpu_time_per_sequence(layer, torch.zeros(2, 5, 3), repeats=2) >= 0
    with pytest.raises(ValueError, match=r"\(N, T, D\)"):
        cpu_time_per_sequence(layer, torch.zeros(5, 3))
