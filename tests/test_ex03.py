"""The notebook 03 checks accept right answers and name each common mistake."""

import numpy as np
import pytest

from rnn_helpers.exercises.ex03 import check_clip_gradient, check_vanishing_steps


def right(g, threshold):
    norm = np.linalg.norm(g)
    return g * threshold / norm if norm > threshold else g


def test_right_clip_passes(capsys):
    check_clip_gradient(right)
    assert capsys.readouterr().out.startswith("Correct")


@pytest.mark.parametrize(
    "fn, words",
    [
        (lambda g, t: np.clip(g, -t, t), "np.clip"),
        (lambda g, t: g * t / np.linalg.norm(g), "even when ||g|| <= threshold"),
        (lambda g, t: g * t / np.linalg.norm(g) ** 2 if np.linalg.norm(g) > t else g, "||g||^2"),
        (lambda g, t: g / np.linalg.norm(g) if np.linalg.norm(g) > t else g, "factor threshold is missing"),
        (lambda g, t: right(g, t).ravel(), "keep the shape"),
        (lambda g, t: g, "came back unchanged"),
        (lambda g, t: g * t / np.abs(g).max() if np.abs(g).max() > t else g, "max norm"),
        (lambda g, t: -right(g, t), "expected"),
        (lambda g, t: 1 / 0, "raised ZeroDivisionError"),
    ],
)
def test_clip_mistakes_are_named(fn, words):
    with pytest.raises(AssertionError) as err:
        check_clip_gradient(fn)
    assert words in str(err.value)


def test_right_vanishing_steps_passes(capsys):
    check_vanishing_steps(20)
    assert "Correct" in capsys.readouterr().out


@pytest.mark.parametrize(
    "answer, words",
    [
        (19, "0.5^19"),
        (7, "gamma / |w'|"),
        (10, "|w'| = 2 was left out"),
        (-20, "negative"),
        (float("inf"), "tanh bound"),
        (25, "smallest n"),
        ("20", "an int"),
    ],
)
def test_vanishing_steps_mistakes_are_named(answer, words):
    with pytest.raises(AssertionError) as err:
        check_vanishing_steps(answer)
    assert words in str(err.value)
