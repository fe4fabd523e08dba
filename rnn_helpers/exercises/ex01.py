"""Checks for the exercises of notebook 01 (the recurrence equations).

The learner writes the vanilla RNN forward pass, in the course's row-vector notation:

    rnn_step_forward(x, h_prev, Wx, Wh, b) -> h_next      h_t = tanh(x_t W_x + h_{t-1} W_h + b)
    rnn_forward(x, h0, Wx, Wh, b) -> h                    every h_t, t = 1..T, shape (N, T, H)

Each check compares with a reference equal to the course's :mod:`rnn_helpers.rnn` (tested) on cases with
D != H and N != T (so a transposed weight or a swapped axis shows), recognises the common
mistakes and names them. Checks print one line and return True or False; they never raise.
"""

from __future__ import annotations

import itertools

import numpy as np

from .feedback import NOT_IMPLEMENTED, Raised, call, not_yet, raised, same, verdict

__all__ = ["check_rnn_step_forward", "check_rnn_forward", "check_seen_a_one"]


def _ref_step(x, h_prev, Wx, Wh, b):
    """The reference step (tests check it equals rnn_helpers.rnn_step_forward)."""
    return np.tanh(x @ Wx + h_prev @ Wh + b), None  # h_t = tanh(x_t W_x + h_{t-1} W_h + b)


def _ref_forward(x, h0, Wx, Wh, b):
    """The reference sequence forward (tests check it equals rnn_helpers.rnn_forward)."""
    h, states = h0, []
    for t in range(x.shape[1]):
        h = _ref_step(x[:, t], h, Wx, Wh, b)[0]  # (N, H)
        states.append(h)
    return np.stack(states, axis=1), None  # (N, T, H)


def _case(seed: int, N: int = 3, T: int = 5, D: int = 2, H: int = 4):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((N, T, D))
    h0 = 0.5 * rng.standard_normal((N, H))
    Wx, Wh, b = rng.standard_normal((D, H)), 0.7 * rng.standard_normal((H, H)), rng.standard_normal(H)
    return x, h0, Wx, Wh, b


def _step_mistakes(x, h_prev, Wx, Wh, b):
    return {
        "W_h is transposed: the recurrent term is h_{t-1} W_h (row vectors), not h_{t-1} W_h^T": np.tanh(
            x @ Wx + h_prev @ Wh.T + b
        ),
        "the previous state is missing: without h_{t-1} W_h the RNN has no memory": np.tanh(x @ Wx + b),
        "the bias b is missing": np.tanh(x @ Wx + h_prev @ Wh),
        "the activation is missing: h_t = tanh(x_t W_x + h_{t-1} W_h + b)": x @ Wx + h_prev @ Wh + b,
        "the sigmoid is used where the vanilla RNN uses tanh": 1 / (1 + np.exp(-(x @ Wx + h_prev @ Wh + b))),
        "tanh is applied to the input term only, before adding h_{t-1} W_h + b": np.tanh(x @ Wx) + h_prev @ Wh + b,
    }


def check_rnn_step_forward(fn) -> bool:
    """Check ``fn(x, h_prev, Wx, Wh, b) -> h_next`` for one step, x (N, D), h_prev (N, H).

    Prints "Correct: ..." and returns True, or prints what is wrong and returns False.
    """
    x, h0, Wx, Wh, b = _case(0)
    x = x[:, 0]
    got = call(fn, x.copy(), h0.copy(), Wx.copy(), Wh.copy(), b.copy())
    if got is NOT_IMPLEMENTED:
        return not_yet("rnn_step_forward")
    if isinstance(got, Raised):
        hint = ""
        if "matmul" in str(got.err) or "shapes" in str(got.err) or "broadcast" in str(got.err):
            hint = " (check the shapes: x (N, D) @ W_x (D, H), h_prev (N, H) @ W_h (H, H))"
        return raised(got.err, hint)
    if isinstance(got, tuple):
        got = got[0]  # allow (h_next, cache) like the course's rnn_step_forward
    right, _ = _ref_step(x, h0, Wx, Wh, b)
    if same(got, right):
        return verdict(True, "Correct: your step matches rnn_helpers.rnn_step_forward.")
    got = np.asarray(got, dtype=float)
    if got.shape != right.shape:
        return verdict(False, f"Not quite: h_next must have shape (N, H) = {right.shape}, got {got.shape}.")
    for why, wrong in _step_mistakes(x, h0, Wx, Wh, b).items():
        if same(got, wrong):
            return verdict(False, f"Not quite: looks like {why}.")
    return verdict(False, "Not quite: h_next does not match the reference step (not a mistake this check knows).")


def _forward_mistakes(x, h0, Wx, Wh, b):
    N, T, _ = x.shape
    right, _ = _ref_forward(x, h0, Wx, Wh, b)
    no_carry = np.stack([np.tanh(x[:, t] @ Wx + h0 @ Wh + b) for t in range(T)], axis=1)
    shifted = np.concatenate([h0[:, None], right[:, :-1]], axis=1)
    reversed_, _ = _ref_forward(x[:, ::-1], h0, Wx, Wh, b)
    transposed, _ = _ref_forward(x, h0, Wx, Wh.T, b)
    return {
        "the state is not carried: every step starts again from h_0 instead of h_{t-1}": no_carry,
        "off by one in time: the output holds h_0 .. h_{T-1}; return h_1 .. h_T (drop h_0, keep the last)": shifted,
        "the sequence is read backwards (t = T .. 1)": reversed_,
        "W_h is transposed: the recurrent term is h_{t-1} W_h (row vectors), not h_{t-1} W_h^T": transposed,
        "time comes first in the output: return (N, T, H), batch first, not (T, N, H)": right.transpose(1, 0, 2),
    }


def check_rnn_forward(fn) -> bool:
    """Check ``fn(x, h0, Wx, Wh, b) -> h`` for a whole sequence, x (N, T, D), h (N, T, H).

    Prints "Correct: ..." and returns True, or prints what is wrong and returns False.
    """
    x, h0, Wx, Wh, b = _case(1, N=3, T=5, D=2, H=4)
    got = call(fn, x.copy(), h0.copy(), Wx.copy(), Wh.copy(), b.copy())
    if got is NOT_IMPLEMENTED:
        return not_yet("rnn_forward")
    if isinstance(got, Raised):
        return raised(got.err, " (x[:, t] is step t of every sequence, shape (N, D))")
    if isinstance(got, tuple):
        got = got[0]  # allow (h, cache) like the course's rnn_forward
    right, _ = _ref_forward(x, h0, Wx, Wh, b)
    if same(got, right):
        return verdict(True, "Correct: every h_t of every sequence matches rnn_helpers.rnn_forward.")
    got = np.asarray(got, dtype=float)
    for why, wrong in _forward_mistakes(x, h0, Wx, Wh, b).items():
        if same(got, wrong):
            return verdict(False, f"Not quite: looks like {why}.")
    if got.shape == right[:, -1].shape and same(got, right[:, -1]):
        return verdict(False, "Not quite: only the last state came back; return every step's state, shape (N, T, H).")
    if got.shape != right.shape:
        return verdict(False, f"Not quite: h must have shape (N, T, H) = {right.shape}, got {got.shape}.")
    good_steps = int(np.sum([same(got[:, t], right[:, t]) for t in range(right.shape[1])]))
    return verdict(False, f"Not quite: {good_steps} of {right.shape[1]} steps match the reference; "
                          "check how h_{t-1} is passed from one step to the next.")  # fmt: skip


def _run_seen(wx, wh, b, bits):
    h, out = 0.0, []
    for bit in bits:
        h = max(0.0, wx * bit + wh * h + b)  # h_t = relu(x_t w_x + h_{t-1} w_h + b)
        out.append(h > 0.5)
    return out


def check_seen_a_one(wx: float, wh: float, b: float, max_len: int = 10) -> bool:
    """Check hand-set weights of a one-unit ReLU RNN answering "has a 1 appeared so far?".

    The unit is h_t = relu(x_t w_x + h_{t-1} w_h + b) with h_0 = 0 and x_t in {0, 1}; the answer
    after step t is h_t > 1/2. Every bit string up to ``max_len`` is tried.
    Prints one line and returns True when every answer is right (without repeating the weights).
    """
    if None in (wx, wh, b):
        return verdict(False, "Not yet: set wx, wh and b to numbers, then run this cell again.")
    wx, wh, b = (float(v) for v in (wx, wh, b))
    wrong = None
    always_on = always_off = echoes_input = True
    for length in range(1, max_len + 1):
        for bits in itertools.product((0, 1), repeat=length):
            got = _run_seen(wx, wh, b, bits)
            want = list(itertools.accumulate((bool(v) for v in bits), lambda a, c: a or c))
            always_on &= all(got)
            always_off &= not any(got)
            echoes_input &= got == [bool(v) for v in bits]
            if wrong is None and got != want:
                wrong = (bits, got, want)
    if wrong is None:
        return verdict(True, f"Correct: your unit remembers a 1 on every bit string up to length {max_len}.")
    if always_on:
        hint = "the unit is on from the start: the bias b is too large"
    elif always_off:
        hint = "the unit never turns on: a 1 must push h_t above 1/2"
    elif echoes_input:
        hint = "the unit only echoes the current bit: it has no memory of earlier steps"
    else:
        bits, got, want = wrong
        hint = (
            f"on the input {''.join(map(str, bits))} the answers are {[int(v) for v in got]}, "
            f"expected {[int(v) for v in want]}: once on, the unit must stay on while the input is 0"
        )
    return verdict(False, f"Not quite: {hint}.")
