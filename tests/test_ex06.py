"""Exercise checks of notebook 06 accept the solution and name each common mistake."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from rnn_helpers.exercises.ex06 import check_context, check_masked_loss


def _flat(logits, targets):
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1), reduction="none")


def test_masked_loss_solution_and_mistakes():
    ok = lambda lo, y: F.cross_entropy(lo.reshape(-1, lo.shape[-1]), y.reshape(-1), ignore_index=0)
    assert check_masked_loss(ok).startswith("Correct")
    mask = lambda y: (y != 0).reshape(-1)
    mistakes = {
        "pads are counted": lambda lo, y: _flat(lo, y).mean(),
        "summed": lambda lo, y: _flat(lo, y)[mask(y)].sum(),
        "divided by all": lambda lo, y: _flat(lo, y)[mask(y)].sum() / y.numel(),
        "<eos> tokens were masked": lambda lo, y: _flat(lo, y)[((y != 0) & (y != 2)).reshape(-1)].mean(),
        "inverted": lambda lo, y: _flat(lo, y)[~mask(y)].mean(),
        "Flatten first": lambda lo, y: F.cross_entropy(lo, y),
        "expected": lambda lo, y: torch.tensor(0.0),
    }
    for why, fn in mistakes.items():
        with pytest.raises(AssertionError, match=why):
            check_masked_loss(fn)


def test_context_solution_and_mistakes():
    softmax = lambda e: np.exp(e - e.max()) / np.exp(e - e.max()).sum()
    assert check_context(lambda e, h: softmax(e) @ h).startswith("Correct")
    mistakes = {
        "without a softmax": lambda e, h: e @ h,
        "by their sum": lambda e, h: (e / e.sum()) @ h,
        "same weight": lambda e, h: h.mean(0),
        "hard argmax": lambda e, h: h[e.argmax()],
        "summed over D": lambda e, h: (softmax(e)[:, None] * h).sum(1),
        "raised": lambda e, h: h @ e,
        "differs": lambda e, h: np.zeros(3),
    }
    for why, fn in mistakes.items():
        with pytest.raises(AssertionError, match=why):
            check_context(fn)
