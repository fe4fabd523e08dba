"""Exercise check for notebook 05: a GRU step in torch's convention.

``check_gru_step`` calls the learner's function on a fixed case and compares it with a reference
written out here (self-contained, as the package layout asks; tests/test_ex05.py checks that it
equals the course's :func:`rnn_helpers.gru.gru_step_forward` and ``torch.nn.GRU``) and with the
common mistakes. It prints one line and returns True
(right) or False: "Not yet: ..." while the stub still raises ``NotImplementedError``,
"Not quite: looks like ..." when it recognises a mistake. It never raises and never prints
the answer's values.

torch's convention (row vectors, gate blocks r, z, n):
    r_t = σ(x_t W_xr + b_xr + h_{t-1} W_hr + b_hr)
    z_t = σ(x_t W_xz + b_xz + h_{t-1} W_hz + b_hz)
    n_t = tanh(x_t W_xn + b_xn + r_t * (h_{t-1} W_hn + b_hn))
    h_t = (1 - z_t) * n_t + z_t * h_{t-1}
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = ["check_gru_step"]


def _sigmoid(a):
    return 1 / (1 + np.exp(-a))


def _case(seed: int = 5, N: int = 3, D: int = 4, H: int = 2):
    """One step with D != H != 3H, so a transposed weight cannot fit by accident."""
    rng = np.random.default_rng(seed)
    return (rng.normal(size=(N, D)), np.tanh(rng.normal(size=(N, H))), rng.normal(size=(D, 3 * H)),
            rng.normal(size=(H, 3 * H)), rng.normal(size=3 * H), rng.normal(size=3 * H))  # fmt: skip


def _step(x, h, Wx, Wh, bx, bh, mistake: str | None = None):
    """The GRU step written out, optionally with one classic mistake (for the check and its tests)."""
    H = h.shape[1]
    ax, ah = x @ Wx + bx, h @ Wh + bh  # (N, 3H) each
    first, second = (1, 0) if mistake == "z r swapped" else (0, 1)
    r = _sigmoid(ax[:, first * H : (first + 1) * H] + ah[:, first * H : (first + 1) * H])
    z = _sigmoid(ax[:, second * H : (second + 1) * H] + ah[:, second * H : (second + 1) * H])
    xn, hn = ax[:, 2 * H :], ah[:, 2 * H :]  # x_t W_xn + b_xn, h_{t-1} W_hn + b_hn   (N, H)
    if mistake == "reset before matmul":
        n = np.tanh(xn + (r * h) @ Wh[:, 2 * H :] + bh[2 * H :])
    elif mistake == "b_hn outside reset":
        n = np.tanh(xn + r * (h @ Wh[:, 2 * H :]) + bh[2 * H :])
    elif mistake == "no reset":
        n = np.tanh(xn + hn)
    elif mistake == "reset on input":
        n = np.tanh(r * xn + hn)
    else:
        n = np.tanh(xn + r * hn)  # n_t
    if mistake == "z convention":
        return z * n + (1 - z) * h
    if mistake == "candidate returned":
        return n
    return (1 - z) * n + z * h  # h_t


_MISTAKES = {
    "z convention": "z and 1 - z are swapped (that is Chung et al.'s convention); torch keeps the old state "
    "with z: h_t = (1 - z_t) * n_t + z_t * h_{t-1}",
    "reset before matmul": "the reset gate multiplies h_{t-1} before W_hn (Cho et al.'s original); torch applies "
    "it after: r_t * (h_{t-1} W_hn + b_hn)",
    "b_hn outside reset": "b_hn is outside the reset gate; torch puts it inside: r_t * (h_{t-1} W_hn + b_hn)",
    "no reset": "the reset gate is missing from the candidate n_t",
    "reset on input": "the reset gate multiplies the input part x_t W_xn + b_xn; it belongs on the recurrent part "
    "h_{t-1} W_hn + b_hn",
    "z r swapped": "the gate blocks are read in the order z, r; torch's order is r, z, n (columns 0:H are r_t)",
    "candidate returned": "you returned the candidate n_t; the step returns h_t = (1 - z_t) * n_t + z_t * h_{t-1}",
}


def check_gru_step(fn: Callable) -> bool:
    """Check ``fn(x, h_prev, Wx, Wh, bx, bh) -> h_next``, one GRU step in torch's convention.

    Inputs of fn: x (N, D), h_prev (N, H), Wx (D, 3H), Wh (H, 3H), bx and bh (3H,), gate blocks
    in the order r, z, n. Prints one line; returns True when fn is right.
    """
    args = _case()
    N, H = args[1].shape
    try:
        got = np.asarray(fn(*(np.array(a, copy=True) for a in args)), dtype=float)
    except NotImplementedError:
        print("Not yet: replace `raise NotImplementedError` with your code, then run this cell again.")
        return False
    except Exception as err:  # the learner's code raised: say what and hint at the usual cause
        hint = ""
        if isinstance(err, ValueError) and "matmul" in str(err):
            hint = " Row vectors multiply weights on the right: x @ Wx with x (N, D), Wx (D, 3H); Wx.T does not fit."
        print(f"Not quite: your function raised {type(err).__name__}: {err}.{hint}")
        return False
    if got.shape != (N, H):
        print(f"Not quite: h_next must have shape (N, H) = ({N}, {H}), got {got.shape}.")
        return False
    if np.allclose(got, _step(*args), atol=1e-10):
        print("Correct: your step agrees with the course's gru_step_forward (and so with torch.nn.GRU).")
        return True
    for mistake, words in _MISTAKES.items():
        if np.allclose(got, _step(*args, mistake=mistake), atol=1e-10):
            print(f"Not quite: looks like {words}.")
            return False
    print("Not quite: h_t differs from torch's GRU step; print r_t, z_t and n_t and compare with the equations.")
    return False
