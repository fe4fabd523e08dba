"""Exercise checks for notebook 06: encoder-decoder networks and attention.

Each ``check_*`` returns a short message when the answer is right and raises
``AssertionError`` naming the mistake it recognises when it is wrong.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch
import torch.nn.functional as F

__all__ = ["check_masked_loss", "check_context"]

_PAD, _EOS = 0, 2


def _loss_case():
    g = torch.Generator().manual_seed(6)
    logits = torch.randn(3, 5, 7, generator=g, dtype=torch.float64)  # (N, T_y, V)
    targets = torch.tensor([[4, 5, 2, 0, 0], [3, 2, 0, 0, 0], [6, 4, 5, 3, 2]])  # <eos> = 2, <pad> = 0
    return logits, targets


def check_masked_loss(masked_loss: Callable) -> str:
    """Check ``masked_loss(logits, targets)``: mean cross-entropy over the non-``<pad>`` (id 0)
    target positions. logits (N, T_y, V), targets (N, T_y) long; returns a scalar."""
    logits, targets = _loss_case()
    try:
        got = float(masked_loss(logits, targets))
    except (ValueError, TypeError, RuntimeError) as exc:
        raise AssertionError(
            f"masked_loss raised {type(exc).__name__}: {exc}. Flatten first: logits to (N*T_y, V) "
            "= (15, 7) and targets to (N*T_y,) = (15,)"
        ) from exc
    per_token = F.cross_entropy(logits.reshape(-1, 7), targets.reshape(-1), reduction="none")  # (N T_y,)
    real = (targets != _PAD).reshape(-1)
    want = per_token[real].mean().item()
    if np.isclose(got, want):
        return "Correct: the loss averages over the 10 real tokens and ignores the 5 pads."
    mistakes = {
        "the pads are counted: every position entered the mean (use ignore_index=PAD or a mask)": per_token.mean(),
        "the loss is summed, not averaged over the real tokens": per_token[real].sum(),
        "the sum over real tokens was divided by all N*T_y positions, pads included; "
        "divide by the number of real tokens": per_token[real].sum() / per_token.numel(),
        "the <eos> tokens were masked too; only <pad> (id 0) must be left out": per_token[
            ((targets != _PAD) & (targets != _EOS)).reshape(-1)
        ].mean(),
        "only the pads were kept: the mask is inverted": per_token[~real].mean(),
    }
    for why, wrong in mistakes.items():
        if np.isclose(got, float(wrong)):
            raise AssertionError(f"Not yet: {why}.")
    raise AssertionError(f"Not yet: expected {want:.4f}, got {got:.4f}.")


def check_context(context: Callable) -> str:
    """Check ``context(e, h)``: attention weights alpha = softmax(e) over the T_x source
    positions and the context c = sum_j alpha_j h_j. e (T_x,), h (T_x, D); returns c (D,)."""
    rng = np.random.default_rng(60)
    e = rng.normal(size=5) * 2
    h = rng.normal(size=(5, 3))
    try:
        got = np.asarray(context(e, h), dtype=float)
    except (ValueError, TypeError) as exc:
        raise AssertionError(
            f"context raised {type(exc).__name__}: {exc}. alpha has shape (T_x,) = (5,) and h (T_x, D) "
            "= (5, 3): alpha @ h has shape (D,)"
        ) from exc
    alpha = np.exp(e - e.max()) / np.exp(e - e.max()).sum()
    want = alpha @ h
    if got.shape == (5,):
        raise AssertionError(
            "c has shape (T_x,) = (5,): you summed over D; weight the rows of h and sum over the T_x positions"
        )
    if got.shape != want.shape:
        raise AssertionError(f"c must have shape (D,) = {want.shape}, got {got.shape}")
    if np.allclose(got, want):
        return "Correct: c = sum_j softmax(e)_j h_j, a weighted average of the encoder states."
    mistakes = {
        "the scores were used as weights without a softmax": e @ h,
        "the scores were normalised by their sum, not by a softmax (exp first)": (e / e.sum()) @ h,
        "every position got the same weight: that is the mean of h, not attention": h.mean(0),
        "the weights were taken from the largest score only (hard argmax), not a softmax": h[e.argmax()],
    }
    for why, wrong in mistakes.items():
        if np.asarray(wrong).shape == want.shape and np.allclose(got, wrong):
            raise AssertionError(f"Not yet: {why}.")
    raise AssertionError("Not yet: c differs from softmax(e) @ h.")
