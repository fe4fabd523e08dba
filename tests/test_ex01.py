"""Notebook 01's checks: the right forward passes pass, each common mistake is named, a stub gets
"Not yet", and nothing raises."""

import numpy as np
import pytest

from rnn_helpers import rnn_forward, rnn_step_forward
from rnn_helpers.exercises.ex01 import check_rnn_forward, check_rnn_step_forward, check_seen_a_one


def _out(capsys):
    return capsys.readouterr().out


def stub(*args):
    raise NotImplementedError


def step_right(x, h_prev, Wx, Wh, b):
    return np.tanh(x @ Wx + h_prev @ Wh + b)


def forward_right(x, h0, Wx, Wh, b):
    h, out = h0, []
    for t in range(x.shape[1]):
        h = step_right(x[:, t], h, Wx, Wh, b)
        out.append(h)
    return np.stack(out, axis=1)


def test_right_answers_pass(capsys):
    assert check_rnn_step_forward(step_right) and "Correct" in _out(capsys)
    assert check_rnn_forward(forward_right) and "Correct" in _out(capsys)
    assert check_rnn_step_forward(rnn_step_forward) and check_rnn_forward(rnn_forward)  # (h, cache) accepted


def test_stubs_say_not_yet(capsys):
    assert check_rnn_step_forward(stub) is False and _out(capsys).startswith("Not yet")
    assert check_rnn_forward(stub) is False and _out(capsys).startswith("Not yet")


@pytest.mark.parametrize(
    "fn, words",
    [
        (lambda x, h, Wx, Wh, b: np.tanh(x @ Wx + h @ Wh.T + b), "W_h is transposed"),
        (lambda x, h, Wx, Wh, b: np.tanh(x @ Wx + b), "previous state is missing"),
        (lambda x, h, Wx, Wh, b: np.tanh(x @ Wx + h @ Wh), "bias b is missing"),
        (lambda x, h, Wx, Wh, b: x @ Wx + h @ Wh + b, "activation is missing"),
        (lambda x, h, Wx, Wh, b: 1 / (1 + np.exp(-(x @ Wx + h @ Wh + b))), "sigmoid"),
        (lambda x, h, Wx, Wh, b: np.tanh(x @ Wx) + h @ Wh + b, "input term only"),
        (lambda x, h, Wx, Wh, b: np.tanh(x @ Wh + h @ Wx + b), "raised ValueError"),
        (lambda x, h, Wx, Wh, b: np.tanh(x @ Wx + h @ Wh + b)[:, :2], "must have shape"),
        (lambda x, h, Wx, Wh, b: 2 * np.tanh(x @ Wx + h @ Wh + b), "does not match"),
    ],
)
def test_step_mistakes_are_named(fn, words, capsys):
    assert check_rnn_step_forward(fn) is False
    out = _out(capsys)
    assert words in out and (out.startswith("Not quite") or out.startswith("Not yet"))


def _no_carry(x, h0, Wx, Wh, b):
    return np.stack([step_right(x[:, t], h0, Wx, Wh, b) for t in range(x.shape[1])], axis=1)


def _off_by_one(x, h0, Wx, Wh, b):
    h = forward_right(x, h0, Wx, Wh, b)
    return np.concatenate([h0[:, None], h[:, :-1]], axis=1)


@pytest.mark.parametrize(
    "fn, words",
    [
        (_no_carry, "state is not carried"),
        (_off_by_one, "off by one in time"),
        (lambda x, h0, Wx, Wh, b: forward_right(x[:, ::-1], h0, Wx, Wh, b), "read backwards"),
        (lambda x, h0, Wx, Wh, b: forward_right(x, h0, Wx, Wh.T, b), "W_h is transposed"),
        (lambda x, h0, Wx, Wh, b: forward_right(x, h0, Wx, Wh, b).transpose(1, 0, 2), "time comes first"),
        (lambda x, h0, Wx, Wh, b: forward_right(x, h0, Wx, Wh, b)[:, -1], "only the last state"),
        (lambda x, h0, Wx, Wh, b: [step_right(x[t], h0, Wx, Wh, b) for t in range(x.shape[1])], "raised"),
        (lambda x, h0, Wx, Wh, b: forward_right(x, 0 * h0, Wx, Wh, b), "steps match"),
    ],
)
def test_forward_mistakes_are_named(fn, words, capsys):
    assert check_rnn_forward(fn) is False
    assert words in _out(capsys)


def test_seen_a_one(capsys):
    assert check_seen_a_one(1.0, 1.0, 0.0)
    out = _out(capsys)
    assert out.startswith("Correct") and "1.0" not in out and "w_h =" not in out  # no answer printed
    assert check_seen_a_one(None, None, None) is False and _out(capsys).startswith("Not yet")
    for args, words in [
        ((1.0, 0.0, 0.0), "only echoes"),
        ((0.0, 0.0, 1.0), "on from the start"),
        ((0.1, 0.0, 0.0), "never turns on"),
        ((1.0, 0.6, 0.0), "stay on"),
    ]:
        assert check_seen_a_one(*args) is False and words in _out(capsys)


def test_checker_reference_is_the_course_implementation():
    from rnn_helpers.exercises.ex01 import _case, _ref_forward, _ref_step

    x, h0, Wx, Wh, b = _case(5)
    np.testing.assert_allclose(_ref_step(x[:, 0], h0, Wx, Wh, b)[0], rnn_step_forward(x[:, 0], h0, Wx, Wh, b)[0],
                               rtol=1e-13)  # fmt: skip
    np.testing.assert_allclose(_ref_forward(x, h0, Wx, Wh, b)[0], rnn_forward(x, h0, Wx, Wh, b)[0], rtol=1e-13)
