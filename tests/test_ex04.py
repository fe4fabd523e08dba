"""The notebook 04 checks accept right answers and name each common mistake."""

import numpy as np
import pytest
import torch

from rnn_helpers import lstm_step_forward
from rnn_helpers.exercises.ex04 import PARAMETER_QUESTION, check_cell_update, check_lstm_parameter_count


def right(f, i, g, o, c_prev):
    c = f * c_prev + i * g
    return c, o * np.tanh(c)


def test_right_cell_update_passes(capsys):
    check_cell_update(right)
    assert capsys.readouterr().out.startswith("Correct")


def test_the_right_update_is_the_core_lstm_step():
    """The reference answer agrees with the course's numpy LSTM step (gate order i, f, g, o)."""
    rng = np.random.default_rng(0)
    N, D, H = 2, 3, 4
    x, h0, c0 = rng.normal(size=(N, D)), rng.normal(size=(N, H)), rng.normal(size=(N, H))
    Wx, Wh, b = rng.normal(size=(D, 4 * H)), rng.normal(size=(H, 4 * H)), rng.normal(size=4 * H)
    h, c, cache = lstm_step_forward(x, h0, c0, Wx, Wh, b)
    gates = cache["gates"]
    c_want, h_want = right(gates["f"], gates["i"], gates["g"], gates["o"], c0)
    np.testing.assert_allclose(c, c_want)
    np.testing.assert_allclose(h, h_want)


@pytest.mark.parametrize(
    "fn, words",
    [
        (lambda f, i, g, o, c: (c + i * g, o * np.tanh(c + i * g)), "forget gate is missing"),
        (lambda f, i, g, o, c: right(i, f, g, o, c), "swapped"),
        (lambda f, i, g, o, c: (f * c + g, o * np.tanh(f * c + g)), "input gate is missing"),
        (lambda f, i, g, o, c: (f * c + i * g, o * (f * c + i * g)), "needs the tanh"),
        (lambda f, i, g, o, c: (f * c + i * g, np.tanh(f * c + i * g)), "output gate is missing"),
        (lambda f, i, g, o, c: (f * c + i * g, o * np.tanh(c)), "not C_{t-1}"),
        (lambda f, i, g, o, c: (f * c + i * g, o * np.tanh(c) + 1), "h_t is not"),
        (lambda f, i, g, o, c: (f * c - i * g, o * np.tanh(f * c - i * g)), "C_t should be"),
        (lambda f, i, g, o, c: (f * c + i * g,), "raised ValueError"),
        (lambda f, i, g, o, c: (f.ravel(), o.ravel()), "shape"),
    ],
)
def test_cell_update_mistakes_are_named(fn, words):
    with pytest.raises(AssertionError) as err:
        check_cell_update(fn)
    assert words in str(err.value)


def test_right_parameter_count_passes_and_matches_torch(capsys):
    D, H = PARAMETER_QUESTION["D"], PARAMETER_QUESTION["H"]
    n = sum(p.numel() for p in torch.nn.LSTM(D, H).parameters())
    check_lstm_parameter_count(n)
    assert "Correct" in capsys.readouterr().out and n == 2560


@pytest.mark.parametrize(
    "answer, words",
    [
        (2480, "two bias vectors"),
        (2400, "biases are missing"),
        (640, "multiply by 4"),
        (1760, "input weights"),
        (960, "recurrent weights"),
        (1920, "GRU"),
        (1234, "count 4 blocks"),
        (2560.0, "an int"),
    ],
)
def test_parameter_count_mistakes_are_named(answer, words):
    with pytest.raises(AssertionError) as err:
        check_lstm_parameter_count(answer)
    assert words in str(err.value)
