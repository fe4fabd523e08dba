"""Checks for the exercises of notebook 02 (backpropagation through time), and the deliberately
buggy backward the notebook shows failing the gradient check.

The tanh RNN of :mod:`rnn_helpers.rnn`: a_t = x_t W_x + h_{t-1} W_h + b, h_t = tanh(a_t), with
x (N, T, D), h0 (N, H), W_x (D, H), W_h (H, H), b (H,). Each ``check_*`` compares the learner's
function with the right answer and with the common mistakes, and names the mistake it
recognises. Checks print one line and return True or False; they never raise.
"""

from __future__ import annotations

import numpy as np

from .feedback import NOT_IMPLEMENTED, Raised, as_arrays, call, not_yet, raised, same, verdict

__all__ = ["rnn_backward_forgot_carry", "check_rnn_backward"]


def _bptt(dh, x, h0, h, Wx, Wh, mistake: str | None = None):
    """Tanh-RNN BPTT written out, optionally with one classic mistake (for the checks).

    mistake: None, "no carry" (dh_t = dh[:, t] only), "overwrite" (dW = instead of +=),
    "carry skips tanh'" (carry added after the derivative), "h_t for h_{t-1}" (off by one in
    time in dW_h), "untransposed Wh" (carry = da W_h instead of da W_h^T), "no tanh'" (the
    derivative 1 - h_t^2 left out), "forward in time" (the loop runs t = 0 .. T-1).
    Returns: dx (N, T, D), dh0 (N, H), dWx (D, H), dWh (H, H), db (H,).
    """
    N, T, H = h.shape
    dx = np.zeros_like(x, dtype=float)
    dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros(H)
    dh_next = np.zeros((N, H))  # dL/dh_t arriving from step t+1
    steps = range(T) if mistake == "forward in time" else range(T - 1, -1, -1)
    for t in steps:
        h_prev = h0 if t == 0 else h[:, t - 1]  # (N, H)
        if mistake == "h_t for h_{t-1}":
            h_prev = h[:, t]
        if mistake == "no carry":
            da = dh[:, t] * (1 - h[:, t] ** 2)
        elif mistake == "no tanh'":
            da = dh[:, t] + dh_next
        elif mistake == "carry skips tanh'":
            da = dh[:, t] * (1 - h[:, t] ** 2) + dh_next
        else:
            da = (dh[:, t] + dh_next) * (1 - h[:, t] ** 2)  # (N, H)
        dx[:, t] = da @ Wx.T  # (N, D)
        if mistake == "overwrite":
            dWx, dWh, db = x[:, t].T @ da, h_prev.T @ da, da.sum(0)
        else:
            dWx += x[:, t].T @ da
            dWh += h_prev.T @ da
            db += da.sum(0)
        dh_next = da @ (Wh if mistake == "untransposed Wh" else Wh.T)  # (N, H)
    return dx, dh_next, dWx, dWh, db


def rnn_backward_forgot_carry(dh, cache):
    """DELIBERATELY WRONG BPTT, for notebook 02: it forgets to carry dL/dh_t from step t+1.

    Same interface as :func:`rnn_helpers.rnn_backward` (tanh cache from ``rnn_forward``), but
    each step only sees its own loss gradient dh[:, t], so every path through later steps is
    lost and the gradient check fails whenever a loss reads more than one step.
    Returns: dx (N, T, D), dh0 (N, H), dWx (D, H), dWh (H, H), db (H,).
    """
    if cache.get("activation") != "tanh":
        raise ValueError("rnn_backward_forgot_carry only handles activation='tanh'")
    return _bptt(
        np.asarray(dh, float),
        cache["x"],
        cache["h0"],
        cache["h"],
        cache["Wx"],
        cache["Wh"],
        mistake="no carry",
    )


def _case(seed: int, N=3, T=4, D=2, H=3):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((N, T, D))
    h0 = rng.standard_normal((N, H)) * 0.5
    Wx, Wh, b = (
        rng.standard_normal((D, H)),
        rng.standard_normal((H, H)) * 0.6,
        rng.standard_normal(H),
    )
    h, prev = np.empty((N, T, H)), h0
    for t in range(T):
        prev = np.tanh(x[:, t] @ Wx + prev @ Wh + b)
        h[:, t] = prev
    return x, h0, Wx, Wh, b, h, rng.standard_normal((N, T, H))


_EXPLAIN = {
    "no carry": "the gradient from step t+1 is not carried into step t: dh_t must be dh[:, t] + dh_next",
    "no tanh'": "the tanh derivative is missing: da_t = dh_t * (1 - h_t^2)",
    "carry skips tanh'": "the carry is added after the tanh derivative; add dh_next to dh[:, t] first, "
    "then multiply by (1 - h_t^2)",
    "overwrite": "the weight gradients are overwritten at every step; the weights are shared, so add (+=) "
    "the contribution of every step",
    "h_t for h_{t-1}": "off by one in time: dW_h must use h_{t-1} (h0 at the first step), not h_t",
    "untransposed Wh": "a transposed weight: the carry is dh_next = da_t W_h^T, not da_t W_h",
    "forward in time": "the loop runs forward in time; BPTT walks t = T-1, ..., 0 so that step t+1's carry "
    "is ready when step t needs it",
}


def check_rnn_backward(fn) -> bool:
    """Check ``fn(dh, x, h0, h, Wx, Wh) -> (dx, dh0, dWx, dWh, db)``: BPTT for a tanh RNN with
    a loss at every step (dh (N, T, H) holds dL/dh_t of each step's own loss term).

    The right answer is the course's :func:`rnn_helpers.rnn_backward`. Recognised mistakes: the
    carry from step t+1 forgotten, the tanh derivative missing, the carry added after the tanh
    derivative, weight gradients overwritten instead of accumulated, h_t used for h_{t-1} (off by
    one in time), W_h not transposed in the carry, the loop running forward in time.
    Prints one line and returns True or False; never raises.
    """
    x, h0, Wx, Wh, b, h, dh = _case(1, N=3, T=5, D=2, H=4)
    right = _bptt(dh, x, h0, h, Wx, Wh)  # equals rnn_helpers.rnn_backward (tested)
    got = call(fn, dh.copy(), x.copy(), h0.copy(), h.copy(), Wx.copy(), Wh.copy())
    if got is NOT_IMPLEMENTED:
        return not_yet("rnn_backward")
    if isinstance(got, Raised):
        return raised(got.err, " (shapes: da_t (N, H), W_x (D, H), W_h (H, H), x[:, t] (N, D))")
    got = as_arrays(got, 5)
    if got is None:
        return verdict(False, "Not quite: return a tuple (dx, dh0, dWx, dWh, db).")
    names = ("dx", "dh0", "dWx", "dWh", "db")
    for name, g, r in zip(names, got, right, strict=True):
        if g.shape != r.shape:
            hint = " (summed over the batch?)" if name == "db" else ""
            return verdict(False, f"Not quite: {name} must have shape {r.shape}, got {g.shape}{hint}.")
    if all(same(g, r) for g, r in zip(got, right, strict=True)):
        return verdict(True, "Correct: all five gradients match rnn_helpers.rnn_backward, carry included.")
    for mistake, why in _EXPLAIN.items():
        v = _bptt(dh, x, h0, h, Wx, Wh, mistake=mistake)
        if all(same(g, r) for g, r in zip(got, v, strict=True)):
            return verdict(False, f"Not quite: looks like {why}.")
    wrong = [n for n, g, r in zip(names, got, right, strict=True) if not same(g, r)]
    return verdict(False, f"Not quite: {', '.join(wrong)} do not match the reference BPTT.")
