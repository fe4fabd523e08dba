"""Handwriting helpers: the pen-digits loader, drawing, confusion matrix, the pen-reader explorer."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from rnn_helpers.cost import cpu_time_per_sequence  # noqa: E402
from rnn_helpers.handwriting import (  # noqa: E402
    confusion_matrix,
    draw_pen_path,
    load_pendigits,
    pen_reader_view,
    plot_confusion,
)


def test_pendigits_shapes_writers_and_checksum(tmp_path):
    P, y = load_pendigits("train")
    Pt, yt = load_pendigits("test")
    assert P.shape == (7494, 8, 2) and Pt.shape == (3498, 8, 2) and P.min() == 0 and P.max() == 1
    assert np.bincount(y).tolist()[:3] == [780, 779, 780] and np.bincount(yt).min() == 335
    with pytest.raises(ValueError, match="split must be"):
        load_pendigits("valid")
    (tmp_path / "pendigits.tes").write_text("1,2\n")
    with pytest.raises(ValueError, match="altered"):
        load_pendigits("test", tmp_path)


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
    ax = plot_confusion(counts)
    assert len(ax.texts) == 4  # one count per non-empty cell
    plt.close("all")


def test_pen_reader_view_and_explorer():
    rng = np.random.default_rng(0)
    points, probs = rng.random((5, 8, 2)), rng.dirichlet(np.ones(10), size=(5, 8))
    view = pen_reader_view(points, probs, 2, 3)
    assert view["guess"] == int(np.argmax(probs[2, 2])) and view["steps"] == 3
    with pytest.raises(ValueError, match="steps in 1..8"):
        pen_reader_view(points, probs, 2, 0)
    from rnn_helpers.pen_explorer import pen_reader_explorer

    explorer = pen_reader_explorer(points, probs, np.arange(5))
    explorer.controls["digit"].value = 4
    explorer.controls["steps"].value = 8
    assert explorer.state["guess"] == int(np.argmax(probs[4, 7]))


def test_cpu_time_per_sequence_needs_one_thread_and_three_axes():
    import torch

    torch.set_num_threads(1)
    layer = torch.nn.GRU(3, 4, batch_first=True)
    assert cpu_time_per_sequence(layer, torch.zeros(2, 5, 3), repeats=2) >= 0
    with pytest.raises(ValueError, match=r"\(N, T, D\)"):
        cpu_time_per_sequence(layer, torch.zeros(5, 3))
