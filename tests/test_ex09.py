"""The exercise check of notebook 09 accepts the reference and names each common mistake."""

import numpy as np
import pytest

from rnn_helpers.charlm import sampling_distribution
from rnn_helpers.exercises.ex09 import check_sampling_distribution


def _softmax(z):
    e = np.exp(z - z[np.isfinite(z)].max())
    return e / e.sum()


def _top(s, k, smallest=False):
    keep = np.zeros(len(s), bool)
    if k is None:
        keep[:] = True
    else:
        keep[np.argsort(s if smallest else -s, kind="stable")[:k]] = True
    return keep


def _stub(s, tau, k):
    raise NotImplementedError


def _right(s, tau, k):
    return _softmax(np.where(_top(s, k), s / tau, -np.inf))


MISTAKES = [
    (lambda s, tau, k: _softmax(np.where(_top(s, k), s * tau, -np.inf)), "multiplies the scores"),
    (lambda s, tau, k: _softmax(np.where(_top(s, k), s, -np.inf)) / tau, "probabilities were divided"),
    (lambda s, tau, k: _softmax(np.where(_top(s, k), s, -np.inf)), "temperature has no effect"),
    (lambda s, tau, k: np.where(_top(s, k), _softmax(s / tau), 0.0), "renormalise"),
    (lambda s, tau, k: _softmax(np.where(_top(s, k), s / tau, 0.0)), "set to 0 instead of -inf"),
    (lambda s, tau, k: _softmax(s / tau), "top_k is ignored"),
    (lambda s, tau, k: np.where(_top(s, k), s / tau, 0.0), "apply the softmax"),
    (lambda s, tau, k: _softmax(np.where(_top(s, k, smallest=True), s / tau, -np.inf)), "k smallest"),
    (lambda s, tau, k: _softmax(np.where(_top(s, None if k is None else k + 1), s / tau, -np.inf)), "k \\+ 1"),
    (lambda s, tau, k: _softmax(np.where(_top(s, None if k is None else max(k - 1, 1)), s / tau, -np.inf)), "k - 1"),
    (lambda s, tau, k: None, "returns None"),
    (lambda s, tau, k: np.ones(3) / 3, "one probability per character"),
    (lambda s, tau, k: _right(s, tau, int(k)), "raised TypeError.*keep every character"),
    (lambda s, tau, k: _right(s, tau, k) * 0.5, "sum to 0.500"),
    (lambda s, tau, k: np.roll(_right(s, tau, k), 1), "differ from softmax"),
]


def test_reference_and_a_correct_answer_pass(capsys):
    assert check_sampling_distribution(sampling_distribution)
    assert check_sampling_distribution(_right)
    out = capsys.readouterr().out
    assert out.count("Correct:") == 2
    assert "[" not in out and "0." not in out  # the answer's values are not printed


def test_stub_says_not_yet(capsys):
    assert check_sampling_distribution(_stub) is False
    assert capsys.readouterr().out.startswith("Not yet:")


@pytest.mark.parametrize("fn, why", MISTAKES, ids=[w for _, w in MISTAKES])
def test_each_mistake_is_named(fn, why, capsys):
    assert check_sampling_distribution(fn) is False
    out = capsys.readouterr().out
    assert out.startswith("Not quite:"), out
    assert __import__("re").search(why, out), out
