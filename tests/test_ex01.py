"""The notebook 01 checks accept right answers and name each common mistake."""

import numpy as np
import pytest

from rnn_helpers.exercises.ex01 import check_scalar_forward, check_seen_a_one


def right(x, w, wp, O0):
    O, prev = [], O0
    for xt in x:
        prev = np.tanh(xt * w + prev * wp)
        O.append(prev)
    return np.array(O)


def test_right_scalar_forward_passes(capsys):
    check_scalar_forward(right)
    assert capsys.readouterr().out.startswith("Correct")


@pytest.mark.parametrize(
    "fn, words",
    [
        (lambda x, w, wp, O0: right(x, wp, w, O0), "swapped"),
        (lambda x, w, wp, O0: np.arctanh(right(x, w, wp, O0)) * 0 + _linear(x, w, wp, O0), "tanh"),
        (lambda x, w, wp, O0: np.tanh(x * w + O0 * wp), "no recurrence"),
        (lambda x, w, wp, O0: np.concatenate([[O0], right(x, w, wp, O0)]), "includes O_0"),
        (lambda x, w, wp, O0: right(x, w, wp, O0)[:-1], "one output per step"),
        (lambda x, w, wp, O0: right(x, w, wp, O0) + 0.1, "does not match"),
        (lambda x, w, wp, O0: 1 / 0, "ZeroDivisionError"),
    ],
)
def test_scalar_forward_mistakes_are_named(fn, words):
    with pytest.raises(AssertionError, match=words):
        check_scalar_forward(fn)


def _linear(x, w, wp, O0):
    O, prev = [], O0
    for xt in x:
        prev = xt * w + prev * wp
        O.append(prev)
    return np.array(O)


def test_seen_a_one_accepts_a_right_unit(capsys):
    check_seen_a_one(1.0, 1.0, 0.0)
    check_seen_a_one(0.8, 1.0, 0.0)
    assert capsys.readouterr().out.count("Correct") == 2


@pytest.mark.parametrize(
    "weights, words",
    [
        ((1.0, 0.0, 0.0), "echoes the current bit"),
        ((1.0, 1.0, 1.0), "on from the start"),
        ((-1.0, 1.0, 0.0), "never turns on"),
        ((1.0, 0.6, 0.0), "must stay on"),
        ((1.0, 0.3, 0.0), "echoes"),
    ],
)
def test_seen_a_one_mistakes_are_named(weights, words):
    with pytest.raises(AssertionError, match=words):
        check_seen_a_one(*weights)
