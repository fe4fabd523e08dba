"""Checks for the exercises of notebook 02 (backpropagation through time), and the deliberately
buggy backward the notebook shows failing the gradient check.

The tanh RNN of :mod:`rnn_helpers.rnn`: a_t = x_t W_x + h_{t-1} W_h + b, h_t = tanh(a_t), with
x (N, T, D), h0 (N, H), W_x (D, H), W_h (H, H), b (H,). Each ``check_*`` compares the learner's
function with the right answer and with the common mistakes, and names the mistake it
recognises (raising ``AssertionError``), or prints and returns a success message.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "rnn_backward_forgot_carry",
    "check_rnn_step_backward",
    "check_rnn_backward",
]


def _bptt(dh, x, h0, h, Wx, Wh, mistake: str | None = None):
    """Tanh-RNN BPTT written out, optionally with one classic mistake (for the checks).

    mistake: None, "no carry" (dh_t = dh[:, t] only), "overwrite" (dW = instead of +=),
    "carry skips tanh'" (carry added after the derivative), "h_t for h_{t-1}" (off by one in
    time in dW_h), "untransposed Wh" (carry = da W_h instead of da W_h^T).
    Returns: dx (N, T, D), dh0 (N, H), dWx (D, H), dWh (H, H), db (H,).
    """
    N, T, H = h.shape
    dx = np.zeros_like(x)
    dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros(H)
    dh_next = np.zeros((N, H))  # dL/dh_t arriving from step t+1
    for t in range(T - 1, -1, -1):
        h_prev = h0 if t == 0 else h[:, t - 1]  # (N, H)
        if mistake == "h_t for h_{t-1}":
            h_prev = h[:, t]
        if mistake == "no carry":
            da = dh[:, t] * (1 - h[:, t] ** 2)
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


def _call(fn, *args):
    try:
        return fn(*args)
    except Exception as err:
        raise AssertionError(f"your function raised {type(err).__name__}: {err}") from err


_NAMES = ("dx", "dh_prev", "dWx", "dWh", "db")


def check_rnn_step_backward(fn) -> None:
    """Check ``fn(dh_next, x, h_prev, h_next, Wx, Wh) -> (dx, dh_prev, dWx, dWh, db)`` for one
    tanh step h_next = tanh(x W_x + h_prev W_h + b). Uses D != H so a transposed weight shows.

    Prints a success message; raises AssertionError naming the first wrong output and its
    mistake.
    """
    x, h0, Wx, Wh, b, h, dh = _case(0, N=3, T=1, D=2, H=4)
    x, h_next, dnext = x[:, 0], h[:, 0], dh[:, 0]
    da = dnext * (1 - h_next**2)
    right = (da @ Wx.T, da @ Wh.T, x.T @ da, h0.T @ da, da.sum(0))
    mistakes = {
        "dx": {"the tanh derivative (1 - h_t^2) is missing": dnext @ Wx.T},
        "dh_prev": {
            "the tanh derivative (1 - h_t^2) is missing": dnext @ Wh.T,
            "W_h is not transposed: dh_prev = da W_h^T": da @ Wh,
            "the derivative uses h_{t-1} instead of h_t: (1 - h_t^2)": (dnext * (1 - h0**2)) @ Wh.T,
        },
        "dWx": {"the tanh derivative (1 - h_t^2) is missing": x.T @ dnext},
        "dWh": {
            "the tanh derivative (1 - h_t^2) is missing": h0.T @ dnext,
            "dW_h is transposed: dW_h = h_{t-1}^T da": da.T @ h0,
            "dW_h uses h_t instead of h_{t-1}": h_next.T @ da,
        },
        "db": {
            "db must be summed over the batch (shape (H,))": da,
            "db is averaged over the batch; the loss is a sum, so sum da": da.mean(0),
        },
    }
    got = _call(fn, dnext.copy(), x.copy(), h0.copy(), h_next.copy(), Wx.copy(), Wh.copy())
    if not isinstance(got, tuple | list) or len(got) != 5:
        raise AssertionError("return a tuple (dx, dh_prev, dWx, dWh, db)")
    for name, g, r in zip(_NAMES, got, right, strict=True):
        g = np.asarray(g, dtype=float)
        if g.shape == r.shape and np.allclose(g, r, atol=1e-9):
            continue
        for why, v in mistakes[name].items():
            if g.shape == v.shape and np.allclose(g, v, atol=1e-9):
                raise AssertionError(f"Not yet: {name} is wrong: {why}.")
        if g.shape != r.shape:
            hint = " (a transposed weight?)" if g.ndim == r.ndim == 2 else ""
            raise AssertionError(f"Not yet: {name} must have shape {r.shape}, got {g.shape}{hint}.")
        raise AssertionError(f"Not yet: {name} is wrong (max abs difference {np.max(np.abs(g - r)):.3g}).")
    msg = "Correct: all five gradients of one tanh step match."
    print(msg)


def check_rnn_backward(fn) -> None:
    """Check ``fn(dh, x, h0, h, Wx, Wh) -> (dx, dh0, dWx, dWh, db)``: BPTT for a tanh RNN with
    a loss at every step (dh (N, T, H) holds dL/dh_t of each step's own loss term).

    Recognised mistakes: the carry from step t+1 forgotten, the carry added after the tanh
    derivative, weight gradients overwritten instead of accumulated, h_t used for h_{t-1} (off
    by one in time), W_h not transposed in the carry.
    Prints a success message; raises AssertionError naming the mistake.
    """
    x, h0, Wx, Wh, b, h, dh = _case(1, N=3, T=5, D=2, H=3)
    right = _bptt(dh, x, h0, h, Wx, Wh)
    got = _call(fn, dh.copy(), x.copy(), h0.copy(), h.copy(), Wx.copy(), Wh.copy())
    if not isinstance(got, tuple | list) or len(got) != 5:
        raise AssertionError("return a tuple (dx, dh0, dWx, dWh, db)")
    got = [np.asarray(g, dtype=float) for g in got]
    names = ("dx", "dh0", "dWx", "dWh", "db")
    for name, g, r in zip(names, got, right, strict=True):
        if g.shape != r.shape:
            raise AssertionError(f"Not yet: {name} must have shape {r.shape}, got {g.shape}.")
    if all(np.allclose(g, r, atol=1e-9) for g, r in zip(got, right, strict=True)):
        msg = "Correct: BPTT matches, with the carry from step t+1 and accumulated weight gradients."
        print(msg)
        return
    explain = {
        "no carry": "the gradient from step t+1 is not carried into step t (dh_t must be dh[:, t] + the carry)",
        "carry skips tanh'": "the carry is added after the tanh derivative; add it to dh[:, t] "
        "first, then multiply by (1 - h_t^2)",
        "overwrite": "the weight gradients are overwritten at every step; the weights are shared, "
        "so add (+=) the contribution of every step",
        "h_t for h_{t-1}": "off by one in time: dW_h must use h_{t-1} (h0 at the first step), not h_t",
        "untransposed Wh": "the carry must be da W_h^T, not da W_h (a transposed weight)",
    }
    for mistake, why in explain.items():
        v = _bptt(dh, x, h0, h, Wx, Wh, mistake=mistake)
        if all(np.allclose(g, r, atol=1e-9) for g, r in zip(got, v, strict=True)):
            raise AssertionError(f"Not yet: {why}.")
    wrong = [n for n, g, r in zip(names, got, right, strict=True) if not np.allclose(g, r, atol=1e-9)]
    raise AssertionError(f"Not yet: {', '.join(wrong)} do not match the reference BPTT.")
