"""Notebook 02's check of the learner's whole BPTT: the right answer passes, each classic mistake
is named, a stub gets "Not yet"; the deliberately buggy backward really is wrong."""

import numpy as np
import pytest

from rnn_helpers import rnn_backward, rnn_forward
from rnn_helpers.exercises.ex02 import _EXPLAIN, _bptt, check_rnn_backward, rnn_backward_forgot_carry


def test_right_answer_passes(capsys):
    assert check_rnn_backward(lambda dh, x, h0, h, Wx, Wh: _bptt(dh, x, h0, h, Wx, Wh))
    assert capsys.readouterr().out.startswith("Correct")


def test_stub_says_not_yet(capsys):
    def stub(*args):
        raise NotImplementedError

    assert check_rnn_backward(stub) is False
    assert capsys.readouterr().out.startswith("Not yet")


@pytest.mark.parametrize(
    "mistake, words",
    [
        ("no carry", "not carried"),
        ("no tanh'", "tanh derivative is missing"),
        ("carry skips tanh'", "after the tanh derivative"),
        ("overwrite", "overwritten"),
        ("h_t for h_{t-1}", "off by one in time"),
        ("untransposed Wh", "transposed weight"),
        ("forward in time", "forward in time"),
    ],
)
def test_mistakes_are_named(mistake, words, capsys):
    assert check_rnn_backward(lambda dh, x, h0, h, Wx, Wh: _bptt(dh, x, h0, h, Wx, Wh, mistake=mistake)) is False
    out = capsys.readouterr().out
    assert out.startswith("Not quite: looks like") and words in out


def test_every_mistake_is_tested():
    assert set(_EXPLAIN) == {
        "no carry",
        "no tanh'",
        "carry skips tanh'",
        "overwrite",
        "h_t for h_{t-1}",
        "untransposed Wh",
        "forward in time",
    }


@pytest.mark.parametrize(
    "learner, words",
    [
        (lambda dh, x, h0, h, Wx, Wh: _bptt(dh, x, h0, h, Wx, Wh)[:4], "return a tuple"),
        (lambda dh, x, h0, h, Wx, Wh: (*_bptt(dh, x, h0, h, Wx, Wh)[:4], np.zeros((3, 4))), "summed over the batch"),
        (
            lambda dh, x, h0, h, Wx, Wh: (*_bptt(dh, x, h0, h, Wx, Wh)[:4], 2 * _bptt(dh, x, h0, h, Wx, Wh)[4]),
            "db do not match",
        ),
        (lambda dh, x, h0, h, Wx, Wh: dh @ Wx, "raised ValueError"),
    ],
)
def test_other_wrong_answers(learner, words, capsys):
    assert check_rnn_backward(learner) is False
    assert words in capsys.readouterr().out


def test_reference_bptt_equals_the_core_and_the_buggy_one_does_not():
    """The checker's own reference is the course's rnn_backward."""
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
    dh_last = np.zeros_like(dh)
    dh_last[:, -1] = dh[:, -1]
    np.testing.assert_allclose(
        rnn_backward_forgot_carry(dh_last, cache)[2], rnn_backward(dh_last, cache, truncate=1)[2]
    )
