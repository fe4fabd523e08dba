"""Checks for the exercises of notebook 01 (the recurrence equations).

Each ``check_*`` runs the learner's answer on test cases and compares it with the right answer
and with the common mistakes. It prints a success message, or raises ``AssertionError`` with a
message naming the mistake it recognised, so a notebook cell fails visibly.
"""

from __future__ import annotations

import itertools

import numpy as np

__all__ = ["check_scalar_forward", "check_seen_a_one"]


def _scalar_variants(x, w, wp, O0):
    """The right outputs O_1..O_T and those of the usual mistakes, for one sequence x (T,)."""

    def run(step, keep_O0=False):
        O, prev = [], O0
        for t in range(len(x)):
            prev = step(t, prev)
            O.append(prev)
        return np.array(([O0] if keep_O0 else []) + O)

    return {
        None: run(lambda t, p: np.tanh(x[t] * w + p * wp)),
        "the weights are swapped: the input is multiplied by w' and the previous output by w": run(
            lambda t, p: np.tanh(x[t] * wp + p * w)
        ),
        "the activation f = tanh is missing": run(lambda t, p: x[t] * w + p * wp),
        "there is no recurrence: every step uses O_0 instead of the previous output O_{t-1}": run(
            lambda t, p: np.tanh(x[t] * w + O0 * wp)
        ),
        "the result includes O_0: return only O_1 .. O_T (T values)": run(
            lambda t, p: np.tanh(x[t] * w + p * wp), keep_O0=True
        ),
    }


def check_scalar_forward(fn) -> None:
    """Check ``fn(x, w, w_prime, O0) -> O`` computing O_t = tanh(x_t w + O_{t-1} w') for t = 1..T.

    Inputs: fn taking x (T,), w, w_prime, O0 and returning O_1..O_T, shape (T,).
    Prints a success message; raises AssertionError naming the mistake when fn is wrong.
    """
    cases = [
        (np.array([0.5, -1.0, 0.8, 0.3]), 0.9, 0.6, 0.2),
        (np.array([1.0, 0.0, 0.0, -0.5, 2.0]), -0.7, 1.3, -0.4),
    ]
    for x, w, wp, O0 in cases:
        try:
            got = np.asarray(fn(x.copy(), w, wp, O0), dtype=float)
        except Exception as err:  # the learner's code raised: report it, don't hide it
            raise AssertionError(f"your function raised {type(err).__name__}: {err}") from err
        variants = _scalar_variants(x, w, wp, O0)
        for mistake, expected in variants.items():
            if got.shape == expected.shape and np.allclose(got, expected, atol=1e-9):
                if mistake is None:
                    break
                raise AssertionError(f"Not yet: {mistake}.")
        else:
            if got.shape != (len(x),):
                raise AssertionError(f"expected one output per step, shape ({len(x)},), got shape {got.shape}")
            raise AssertionError(
                f"O does not match for x = {x.tolist()}, w = {w}, w' = {wp}, O_0 = {O0}: "
                f"expected {np.round(variants[None], 4).tolist()}, got {np.round(got, 4).tolist()}"
            )
    msg = "Correct: O_t = tanh(x_t w + O_{t-1} w'), one output per step."
    print(msg)


def _run_seen(wx, wh, b, bits):
    h, out = 0.0, []
    for bit in bits:
        h = max(0.0, wx * bit + wh * h + b)  # h_t = relu(w_x x_t + w_h h_{t-1} + b)
        out.append(h > 0.5)
    return out


def check_seen_a_one(wx: float, wh: float, b: float, max_len: int = 10) -> None:
    """Check hand-set weights of a one-unit ReLU RNN answering "has a 1 appeared so far?".

    The unit is h_t = relu(w_x x_t + w_h h_{t-1} + b) with h_0 = 0 and x_t in {0, 1}; the answer
    after step t is h_t > 1/2. Every bit string up to ``max_len`` is tried.
    Prints a success message; raises AssertionError naming the mistake when the weights are
    wrong.
    """
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
        msg = (
            f"Correct: w_x = {wx:g}, w_h = {wh:g}, b = {b:g} remembers a 1 on every bit string up to length {max_len}."
        )
        print(msg)
        return
    if always_on:
        hint = "the unit is on from the start: the bias b (or h_0's effect) is too large"
    elif always_off:
        hint = "the unit never turns on: a 1 must push h_t above 1/2, so w_x + b > 1/2"
    elif echoes_input:
        hint = (
            "the unit only echoes the current bit: it has no memory, so give the previous "
            "state a positive recurrent weight w_h that keeps h_t above 1/2"
        )
    else:
        bits, got, want = wrong
        hint = (
            f"on the input {''.join(map(str, bits))} the answers are "
            f"{[int(v) for v in got]}, expected {[int(v) for v in want]}; once on, the "
            f"unit must stay on (w_h h_t + b > 1/2 while the input is 0)"
        )
    raise AssertionError(f"Not yet: {hint}.")
