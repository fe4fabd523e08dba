"""Exercise checks of notebook 08 accept the solution, never raise, and name each common mistake."""

import numpy as np
import pytest
import torch

from rnn_helpers.exercises.ex08 import (
    check_masked_token_metrics,
    check_precision_recall_f1,
    masked_token_metrics,
    precision_recall_f1,
)


def _stub(*args):
    raise NotImplementedError


def _prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _counts(pred, gold, positive):
    pred, gold = np.asarray(pred), np.asarray(gold)
    return (
        int(np.sum((pred == positive) & (gold == positive))),
        int(np.sum((pred == positive) & (gold != positive))),
        int(np.sum((pred != positive) & (gold == positive))),
    )


def test_precision_recall_f1_solution(capsys):
    assert check_precision_recall_f1(lambda p, g, positive=1: _prf(*_counts(p, g, positive)))
    out = capsys.readouterr().out
    assert out.startswith("Correct") and "0." not in out  # no values printed


@pytest.mark.parametrize(
    "fn, why",
    [
        (_stub, "Not yet"),
        (
            lambda p, g, positive=1: _prf(*_counts(p, g, positive))[1::-1] + (_prf(*_counts(p, g, positive))[2],),
            "swapped",
        ),
        (lambda p, g, positive=1: _prf(*_counts(p, g, 1)), "other class"),
        (
            lambda p, g, positive=1: (lambda q: (q[0], q[1], (q[0] + q[1]) / 2))(_prf(*_counts(p, g, positive))),
            "arithmetic mean",
        ),
        (
            lambda p, g, positive=1: (
                (float(np.mean(np.asarray(p) == np.asarray(g))),) + _prf(*_counts(p, g, positive))[1:]
            ),
            "accuracy",
        ),
        (
            lambda p, g, positive=1: (lambda tp, fp, fn: (tp / (tp + fp), tp / (tp + fn), 2 * tp / (2 * tp + fp + fn)))(
                *_counts(p, g, positive)
            ),
            "division by zero",
        ),
        (lambda p, g, positive=1: (0.5, 0.5, 0.5), "Count TP, FP and FN"),
        (lambda p, g, positive=1: None, "Not quite"),
    ],
)
def test_precision_recall_f1_mistakes(fn, why, capsys):
    assert check_precision_recall_f1(fn) is False
    assert why in capsys.readouterr().out


def test_reference_agrees_with_the_course_metric():
    from rnn_helpers.training import precision_recall_f1 as course

    for pred, gold, pos in [([1, 1, 0, 0], [1, 0, 1, 0], 1), ([0, 0], [1, 0], 1), ([2, 0, 1], [2, 2, 1], 2)]:
        assert precision_recall_f1(pred, gold, pos) == course(pred, gold, pos)


def _with_mask(make_mask, per_sentence=False):
    def fn(scores, target, lengths):
        real = make_mask(torch.arange(scores.shape[1])[None, :], lengths[:, None])
        if per_sentence:
            parts = [
                masked_token_metrics(scores[n : n + 1], target[n : n + 1], lengths[n : n + 1])
                for n in range(len(scores))
            ]
            return tuple(np.mean(parts, axis=0))
        loss = torch.nn.functional.cross_entropy(scores[real], target[real])
        return loss.item(), (scores.argmax(-1) == target)[real].float().mean().item()

    return fn


def test_masked_token_metrics_solution(capsys):
    assert check_masked_token_metrics(_with_mask(lambda t, n: t < n))
    out = capsys.readouterr().out
    assert out.startswith("Correct") and "0." not in out


@pytest.mark.parametrize(
    "fn, why",
    [
        (_stub, "Not yet"),
        (_with_mask(lambda t, n: (t >= 0) & (n >= 0)), "padding positions are counted"),
        (_with_mask(lambda t, n: t >= n), "inverted"),
        (_with_mask(lambda t, n: t <= n), "keeps one padding position"),
        (_with_mask(lambda t, n: t < n - 1), "drops each sentence's last token"),
        (_with_mask(lambda t, n: t < n, per_sentence=True), "each sentence is averaged first"),
        (lambda s, t, n: (0.0, 1.0), "build the mask"),
        (lambda s, t, n: s[:, :, 99], "IndexError"),
    ],
)
def test_masked_token_metrics_mistakes(fn, why, capsys):
    assert check_masked_token_metrics(fn) is False
    assert why in capsys.readouterr().out
