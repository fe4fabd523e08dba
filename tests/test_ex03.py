"""Notebook 03's checks: clipping by norm, the gradient-norm measurement and the sigmoid question
accept right answers, name each common mistake, say "Not yet" to a stub and never raise."""

import numpy as np
import pytest
import torch

from rnn_helpers.exercises.ex03 import (
    _norm_case,
    _norm_mistakes,
    check_clip_gradient,
    check_gradient_norms,
    check_vanishing_steps,
    gradient_norms_reference,
)


def stub(*args):
    raise NotImplementedError


def right(g, threshold):
    norm = np.linalg.norm(g)
    return g * threshold / norm if norm > threshold else g


def test_right_clip_passes_and_stub_is_not_yet(capsys):
    assert check_clip_gradient(right) and capsys.readouterr().out.startswith("Correct")
    assert check_clip_gradient(stub) is False and capsys.readouterr().out.startswith("Not yet")


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
        (lambda g, t: -right(g, t), "does not match"),
        (lambda g, t: 1 / 0, "raised ZeroDivisionError"),
    ],
)
def test_clip_mistakes_are_named(fn, words, capsys):
    assert check_clip_gradient(fn) is False
    assert words in capsys.readouterr().out


def test_reference_norms_agree_with_autograd():
    Wh, h = _norm_case()
    T = h.shape[0] - 1
    x = torch.tensor(np.random.default_rng(3).standard_normal((T, 2)))  # any inputs: rebuild a run
    Wx = torch.tensor(np.random.default_rng(4).standard_normal((2, Wh.shape[0])))
    W = torch.tensor(Wh)
    hs = [torch.tensor(h[0])]
    for t in range(T):
        hs.append(torch.tanh(x[t] @ Wx + hs[-1] @ W))
    states = torch.stack(hs).detach().numpy()
    ref = gradient_norms_reference(Wh, states)
    for j in (1, 4, T):
        f = lambda h_k, k=T - j: _roll(h_k, x, Wx, W, k, T)
        J = torch.autograd.functional.jacobian(f, torch.tensor(states[T - j]))
        assert abs(np.linalg.norm(J.numpy(), 2) - ref[j]) < 1e-10 * max(1.0, ref[j])


def _roll(h, x, Wx, W, k, T):
    for t in range(k, T):
        h = torch.tanh(x[t] @ Wx + h @ W)
    return h


def test_gradient_norms(capsys):
    Wh, h = _norm_case()
    assert check_gradient_norms(gradient_norms_reference) and capsys.readouterr().out.startswith("Correct")
    assert check_gradient_norms(stub) is False and capsys.readouterr().out.startswith("Not yet")
    words = ["tanh derivative is missing", "off by one in time", "wrong order: dh_T", "Frobenius", "norms come in"]
    mistakes = _norm_mistakes(Wh, h)
    assert len(mistakes) == len(words)
    for wrong, w in zip(mistakes.values(), words, strict=True):
        assert check_gradient_norms(lambda a, b, v=wrong: v) is False
        assert w in capsys.readouterr().out
    assert check_gradient_norms(lambda a, b: np.ones(3)) is False and "T + 1" in capsys.readouterr().out
    assert check_gradient_norms(lambda a, b: a @ np.ones(7)) is False and "raised" in capsys.readouterr().out


@pytest.mark.parametrize(
    "answer, words",
    [
        (20, "Correct"),
        (19, "off by one"),
        (7, "gamma / |w'|"),
        (10, "|w'| = 2 was left out"),
        (-20, "negative"),
        (None, "Not yet"),
        (float("inf"), "tanh bound"),
        (25, "smaller n"),
        ("20", "an int"),
        (5, "still above"),
    ],
)
def test_vanishing_steps(answer, words, capsys):
    assert check_vanishing_steps(answer) is (answer == 20)
    out = capsys.readouterr().out
    assert words in out and "0.5^" not in out and "e-07" not in out


def test_checker_reference_is_the_course_clip():
    from rnn_helpers.exercises.ex03 import _ref_clip
    from rnn_helpers.gradients import clip_by_norm

    for g, t in [(np.array([30.0, -40.0]), 5.0), (np.array([[0.3, -0.1], [0.2, 0.05]]), 1.0)]:
        np.testing.assert_array_equal(_ref_clip(g, t), clip_by_norm(g, t))
