"""Exercise checks of notebook 05 accept the solution and name each common mistake."""

import numpy as np
import pytest

from rnn_helpers import gru_step_forward
from rnn_helpers.exercises.ex05 import check_gru_parameters, check_gru_step, check_shift_ceiling


def _sig(a):
    return 1 / (1 + np.exp(-a))


def _parts(x, h, Wx, Wh, bx, bh):
    H = h.shape[1]
    ax, ah = x @ Wx + bx, h @ Wh + bh
    return H, ax, ah, _sig(ax[:, :H] + ah[:, :H]), _sig(ax[:, H : 2 * H] + ah[:, H : 2 * H])


def test_gru_step_solution_and_mistakes():
    assert check_gru_step(lambda *a: gru_step_forward(*a)[0]).startswith("Correct")

    def swapped(*a):
        H, ax, ah, r, z = _parts(*a)
        return z * np.tanh(ax[:, 2 * H :] + r * ah[:, 2 * H :]) + (1 - z) * a[1]

    def cho(x, h, Wx, Wh, bx, bh):
        H, ax, ah, r, z = _parts(x, h, Wx, Wh, bx, bh)
        return (1 - z) * np.tanh(ax[:, 2 * H :] + (r * h) @ Wh[:, 2 * H :] + bh[2 * H :]) + z * h

    def no_reset(*a):
        H, ax, ah, r, z = _parts(*a)
        return (1 - z) * np.tanh(ax[:, 2 * H :] + ah[:, 2 * H :]) + z * a[1]

    def candidate(*a):
        H, ax, ah, r, z = _parts(*a)
        return np.tanh(ax[:, 2 * H :] + r * ah[:, 2 * H :])

    mistakes = {"swapped": swapped, "before W_hn": cho, "missing": no_reset, "candidate n_t": candidate,
                "shape": lambda x, h, *r: h[:1], "raised": lambda x, h, Wx, *r: Wx @ x,
                "differs": lambda x, h, *r: h * 0}  # fmt: skip
    for why, fn in mistakes.items():
        with pytest.raises(AssertionError, match=why):
            check_gru_step(fn)


def test_gru_parameters_solution_and_mistakes():
    assert check_gru_parameters(lambda D, H: 3 * H * (D + H) + 6 * H).startswith("Correct")
    mistakes = {
        "LSTM": lambda D, H: 4 * H * (D + H) + 8 * H,
        "counted one": lambda D, H: 3 * H * (D + H) + 3 * H,
        "biases are missing": lambda D, H: 3 * H * (D + H),
        "plain RNN": lambda D, H: H * (D + H) + 2 * H,
        "expected": lambda D, H: 0,
        "raised": lambda D: D,
    }
    for why, fn in mistakes.items():
        with pytest.raises(AssertionError, match=why):
            check_gru_parameters(fn)


def test_shift_ceiling_solution_and_mistakes():
    assert check_shift_ceiling(lambda T, k, V: ((T - k) / V + k) / T).startswith("Correct")
    mistakes = {
        "add k/T": lambda T, k, V: (T - k) / (V * T),
        "chance alone": lambda T, k, V: 1 / V,
        r"1/\(V \+ 1\)": lambda T, k, V: ((T - k) / (V + 1) + k) / T,
        "swapped": lambda T, k, V: (k / V + (T - k)) / T,
        "expected": lambda T, k, V: 0.5,
        "raised": lambda T, k, V: 1 / 0,
    }
    for why, fn in mistakes.items():
        with pytest.raises(AssertionError, match=why):
            check_shift_ceiling(fn)
