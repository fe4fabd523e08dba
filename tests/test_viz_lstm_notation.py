"""The LSTM drawings use the course's notation: C_t and C~_t, never c_t or g_t."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from rnn_helpers import lstm_forward
from rnn_helpers.viz.cells import draw_cell
from rnn_helpers.viz.gates import plot_lstm_gates


def test_cell_diagram_names_the_cell_state_and_candidate_in_course_notation():
    ax = draw_cell("lstm")
    names = {t.get_gid(): t.get_text() for t in ax.texts if t.get_gid()}
    assert names["io:c_prev"] == "$C_{t-1}$" and names["io:c"] == "$C_t$"
    assert names["name:g"] == r"$\tilde C_t$"
    assert not any(s in "".join(names.values()) for s in ("c_t", "g_t", "c_{t-1}"))
    plt.close("all")


def test_gate_panels_title_the_candidate_c_tilde():
    rng = np.random.default_rng(0)
    _, _, cache = lstm_forward(rng.normal(size=(1, 5, 2)), np.zeros((1, 3)), np.zeros((1, 3)),
                               rng.normal(size=(2, 12)), rng.normal(size=(3, 12)), np.zeros(12))  # fmt: skip
    axes = plot_lstm_gates(cache["gates"], n=0, names=("i", "f", "g", "o"))
    titles = " ".join(ax.get_title(loc="left") + ax.get_title() for ax in axes)
    assert r"$\tilde C_t$" in titles and "g_t" not in titles
    plt.close("all")
