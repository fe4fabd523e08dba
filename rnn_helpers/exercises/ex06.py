"""Exercise checks for notebook 06: encoder-decoder networks and attention.

Each ``check_*`` runs the learner's function on a small case, compares it with the course's
reference, prints "Correct: ...", "Not quite: looks like ..." (naming a common mistake it
recognises) or "Not yet: ..." (the stub still raises NotImplementedError), and returns True only
when the answer is right. It never prints the expected values.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch
import torch.nn.functional as F

__all__ = ["attention_reference", "check_attention", "check_masked_loss"]

_PAD, _EOS = 0, 2


def attention_reference(d: np.ndarray, h: np.ndarray, W_a: np.ndarray, pad: np.ndarray):
    """Multiplicative attention with a padding mask, in numpy (the course's reference).

        e_{t,s} = d_t W_a h_s^T,   e_{t,s} = -inf where x_s is <pad>,
        alpha_{t,s} = softmax over s of e_{t,s},   c_t = sum_s alpha_{t,s} h_s

    Inputs: d (N, T_y, H) decoder states; h (N, T_x, H) encoder states; W_a (H, H);
        pad (N, T_x) bool, True where the source token is <pad>.
    Returns: e (N, T_y, T_x) scores (-inf at <pad>), alpha (N, T_y, T_x), c (N, T_y, H).
    """
    e = d @ W_a @ h.transpose(0, 2, 1)  # (N, T_y, T_x)
    e = np.where(pad[:, None, :], -np.inf, e)
    z = np.exp(e - e.max(axis=2, keepdims=True))
    alpha = z / z.sum(axis=2, keepdims=True)  # softmax over s
    return e, alpha, alpha @ h  # c: (N, T_y, H)


def _softmax(x, axis):
    z = np.exp(x - x.max(axis=axis, keepdims=True))
    return z / z.sum(axis=axis, keepdims=True)


def _attention_case():
    rng = np.random.default_rng(6)
    N, T_y, T_x, H = 2, 3, 5, 4
    d, h = rng.normal(size=(N, T_y, H)), rng.normal(size=(N, T_x, H))
    W_a = rng.normal(size=(H, H))
    pad = np.zeros((N, T_x), dtype=bool)
    pad[0, 3:] = True  # sentence 0 has 3 real tokens, sentence 1 all 5
    return d, h, W_a, pad


def _attention_mistakes(d, h, W_a, pad):
    """For each common mistake (by name): the weights alpha it gives and where to compare them
    (positions whose value does not depend on how the mistake's NaNs or -infs fall out)."""
    raw = d @ W_a @ h.transpose(0, 2, 1)  # (N, T_y, T_x)
    padb = np.broadcast_to(pad[:, None, :], raw.shape)
    every = np.ones(raw.shape, dtype=bool)
    some_pad = np.broadcast_to(pad.any(axis=1)[:, None, None], raw.shape)  # rows an inverted mask leaves finite
    zeroed = np.where(padb, 0.0, raw)
    return {
        "the mask is inverted: the weights fall on the <pad> positions and the real words get none": (
            _softmax(np.where(~padb, -1e30, raw), 2), some_pad),
        "the softmax runs over the output steps t (axis 1), not over the source positions s (the last "
        "axis): each alpha_{t,:} must sum to 1": (_softmax(raw, 1), ~padb),
        "the mask is applied after the softmax: the real weights no longer sum to 1 (mask the scores "
        "with -inf before the softmax)": (_softmax(raw, 2) * ~padb, every),
        "there is no mask: the <pad> positions get weight": (_softmax(raw, 2), every),
        "the masked scores are set to 0 instead of -inf: exp(0) = 1 still gives <pad> weight": (
            _softmax(zeroed, 2), every),
        "W_a is transposed: e_{t,s} = d_t W_a h_s^T, not d_t W_a^T h_s^T": (
            _softmax(np.where(padb, -np.inf, d @ W_a.T @ h.transpose(0, 2, 1)), 2), every),
    }  # fmt: skip


def _same(a, b) -> bool:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape:
        return False
    fin = np.isfinite(b)
    return bool(np.allclose(a[fin], b[fin], atol=1e-8))


def check_attention(attention: Callable) -> bool:
    """Check ``attention(d, h, W_a, pad) -> (e, alpha, c)`` against :func:`attention_reference`.

    Scores are compared at the real (non-<pad>) positions only, so either convention for the
    masked scores is accepted. Prints a verdict; returns True when right.
    """
    d, h, W_a, pad = _attention_case()
    N, T_y, T_x, H = *d.shape[:2], h.shape[1], h.shape[2]
    try:
        e, alpha, c = (np.asarray(x, dtype=float) for x in attention(d.copy(), h.copy(), W_a.copy(), pad.copy()))
    except NotImplementedError:
        print("Not yet: your function still raises NotImplementedError; write its body and run the cell again.")
        return False
    except Exception as err:  # the learner's code raised: name it, don't crash the notebook
        shapes = f"d (N, T_y, H) = {d.shape}, h (N, T_x, H) = {h.shape}, W_a = {W_a.shape}, pad (N, T_x) = {pad.shape}"
        print(f"Not quite: your function raised {type(err).__name__}: {err}. Shapes here: {shapes}.")
        return False
    if e.shape == (N, T_x, T_y):
        print(f"Not quite: looks like the scores are transposed: e has shape (N, T_x, T_y) = {e.shape}; it must be "
              f"(N, T_y, T_x) = {(N, T_y, T_x)}, one row of scores per output step t: d W_a h^T.")  # fmt: skip
        return False
    for name, got, want in [("e", e, (N, T_y, T_x)), ("alpha", alpha, (N, T_y, T_x)), ("c", c, (N, T_y, H))]:
        if got.shape != want:
            print(f"Not quite: {name} must have shape {want}, got {got.shape}.")
            return False
    real = ~np.broadcast_to(pad[:, None, :], e.shape)
    ref = attention_reference(d, h, W_a, pad)
    if _same(e[real], ref[0][real]) and _same(alpha, ref[1]) and _same(c, ref[2]):
        print("Correct: the scores match at every real position, the weights are 0 on <pad> and sum to 1 over "
              "the source, and the contexts match the reference.")  # fmt: skip
        return True
    for why, (wrong, where) in _attention_mistakes(d, h, W_a, pad).items():
        if _same(alpha[where], wrong[where]):
            print(f"Not quite: looks like {why}.")
            return False
    if not _same(e[real], ref[0][real]):
        print("Not quite: the scores e differ from d_t W_a h_s^T at the real positions.")
    elif not _same(alpha, ref[1]):
        print("Not quite: the scores are right but the weights alpha are not softmax over s with <pad> masked out.")
    else:
        print("Not quite: the weights are right but c_t is not sum_s alpha_{t,s} h_s.")
    return False


def _loss_case():
    g = torch.Generator().manual_seed(6)
    logits = torch.randn(3, 5, 7, generator=g, dtype=torch.float64)  # (N, T_y, V)
    targets = torch.tensor([[4, 5, 2, 0, 0], [3, 2, 0, 0, 0], [6, 4, 5, 3, 2]])  # <eos> = 2, <pad> = 0
    return logits, targets


def check_masked_loss(masked_loss: Callable) -> bool:
    """Check ``masked_loss(logits, targets)``: mean cross-entropy over the non-<pad> (id 0)
    target positions. logits (N, T_y, V), targets (N, T_y) long; returns a scalar."""
    logits, targets = _loss_case()
    try:
        got = float(masked_loss(logits, targets))
    except NotImplementedError:
        print("Not yet: your function still raises NotImplementedError; write its body and run the cell again.")
        return False
    except Exception as exc:
        print(f"Not quite: masked_loss raised {type(exc).__name__}: {exc}. Flatten first: logits to (N*T_y, V) "
              "= (15, 7) and targets to (N*T_y,) = (15,).")  # fmt: skip
        return False
    per_token = F.cross_entropy(logits.reshape(-1, 7), targets.reshape(-1), reduction="none")  # (N T_y,)
    real = (targets != _PAD).reshape(-1)
    if np.isclose(got, per_token[real].mean().item()):
        print("Correct: the loss averages over the real tokens and ignores the pads.")
        return True
    mistakes = {
        "the pads are counted: every position entered the mean (use a mask or ignore_index=PAD)": per_token.mean(),
        "the loss is summed, not averaged over the real tokens": per_token[real].sum(),
        "the sum over real tokens was divided by all N*T_y positions, pads included": per_token[real].sum()
        / per_token.numel(),
        "the <eos> tokens were masked too; only <pad> (id 0) must be left out": per_token[
            ((targets != _PAD) & (targets != _EOS)).reshape(-1)
        ].mean(),
        "the mask is inverted: only the pads were kept": per_token[~real].mean(),
    }
    for why, wrong in mistakes.items():
        if np.isclose(got, float(wrong)):
            print(f"Not quite: looks like {why}.")
            return False
    print("Not quite: the value differs from the mean cross-entropy over the non-<pad> targets.")
    return False
