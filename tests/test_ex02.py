"""The notebook 02 checks accept right answers and name each common mistake; the deliberately
buggy backward really is wrong."""

import numpy as np
import pytest

from rnn_helpers import rnn_backward, rnn_forward
from rnn_helpers.exercises.ex02 import (
    _bptt,
    check_rnn_backward,
    check_rnn_step_backward,
    rnn_backward_forgot_carry,
)


def step_right(dnext, x, h_prev, h_next, Wx, Wh):
    da = dnext * (1 - h_next**2)
    return da @ Wx.T, da @ Wh.T, x.T @ da, h_prev.T @ da, da.sum(0)


def test_right_step_backward_passes(capsys):
    check_rnn_step_backward(step_right)
    assert capsys.readouterr().out.startswith("Correct")


def _patch(i, fn):
    def learner(dnext, x, h_prev, h_next, Wx, Wh):
        out = list(step_right(dnext, x, h_prev, h_next, Wx, Wh))
        out[i] = fn(dnext, x, h_prev, h_next, Wx, Wh)
        return tuple(out)

    return learner


@pytest.mark.parametrize(
    "learner, words",
    [
        (_patch(0, lambda d, x, hp, hn, Wx, Wh: d @ Wx.T), "dx is wrong: the tanh derivative"),
        (_patch(1, lambda d, x, hp, hn, Wx, Wh: (d * (1 - hn**2)) @ Wh), "W_h is not transposed"),
        (_patch(1, lambda d, x, hp, hn, Wx, Wh: (d * (1 - hp**2)) @ Wh.T), "uses h_{t-1}"),
        (_patch(2, lambda d, x, hp, hn, Wx, Wh: (d * (1 - hn**2)).T @ x), "transposed weight"),
        (_patch(3, lambda d, x, hp, hn, Wx, Wh: (d * (1 - hn**2)).T @ hp), "dW_h is transposed"),
        (_patch(3, lambda d, x, hp, hn, Wx, Wh: hn.T @ (d * (1 - hn**2))), "uses h_t instead"),
        (_patch(4, lambda d, x, hp, hn, Wx, Wh: d * (1 - hn**2)), "summed over the batch"),
        (_patch(4, lambda d, x, hp, hn, Wx, Wh: (d * (1 - hn**2)).mean(0)), "averaged"),
        (_patch(0, lambda d, x, hp, hn, Wx, Wh: (d * (1 - hn**2)) @ Wx.T * 2), "dx is wrong"),
    ],
)
def test_step_backward_mistakes_are_named(learner, words):
    with pytest.raises(AssertionError, match=words.replace("{", r"\{").replace("}", r"\}")):
        check_rnn_step_backward(learner)


def test_right_sequence_backward_passes(capsys):
    check_rnn_backward(lambda dh, x, h0, h, Wx, Wh: _bptt(dh, x, h0, h, Wx, Wh))
    assert capsys.readouterr().out.startswith("Correct")


@pytest.mark.parametrize(
    "mistake, words",
    [
        ("no carry", "not carried"),
        ("carry skips tanh'", "after the tanh derivative"),
        ("overwrite", "overwritten"),
        ("h_t for h_{t-1}", "off by one in time"),
        ("untransposed Wh", "transposed weight"),
    ],
)
def test_sequence_backward_mistakes_are_named(mistake, words):
    learner = lambda dh, x, h0, h, Wx, Wh: _bptt(dh, x, h0, h, Wx, Wh, mistake=mistake)
    with pytest.raises(AssertionError, match=words):
        check_rnn_backward(learner)


def test_unknown_sequence_mistake_lists_the_wrong_outputs():
    def learner(dh, x, h0, h, Wx, Wh):
        dx, dh0, dWx, dWh, db = _bptt(dh, x, h0, h, Wx, Wh)
        return dx, dh0, dWx, dWh, db * 2

    with pytest.raises(AssertionError, match="db do not match"):
        check_rnn_backward(learner)


def test_reference_bptt_equals_the_core_and_the_buggy_one_does_not():
    rng = np.random.default_rng(0)
    N, T, D, H = 2, 5, 3, 4
    x, h0 = rng.standard_normal((N, T, D)), rng.standard_normal((N, H))
    Wx, Wh, b = rng.standard_normal((D, H)), rng.standard_normal((H, H)) * 0.5, rng.standard_normal(H)
    h, cache = rnn_forward(x, h0, Wx, Wh, b)
    dh = rng.standard_normal((N, T, H))
    for ours, core in zip(_bptt(dh, x, h0, h, Wx, Wh), rnn_backward(dh, cache), strict=True):
        np.testing.assert_allclose(ours, core, rtol=1e-12, atol=1e-12)
    buggy = rnn_backward_forgot_carry(dh, cache)
    assert not np.allclose(buggy[3], rnn_backward(dh, cache)[3])
    # with a loss at the last step only, the bug keeps just the one-step term
    dh_last = np.zeros_like(dh)
    dh_last[:, -1] = dh[:, -1]
    np.testing.assert_allclose(
        rnn_backward_forgot_carry(dh_last, cache)[2], rnn_backward(dh_last, cache, truncate=1)[2]
    )
