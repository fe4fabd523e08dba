"""Exercise checks for notebook 05: GRU and bidirectional RNNs.

Each ``check_*`` returns a short message when the answer is right and raises
``AssertionError`` naming the mistake it recognises when it is wrong.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = ["check_gru_step", "check_gru_parameters", "check_shift_ceiling"]


def _sigmoid(a):
    return 1 / (1 + np.exp(-a))


def _gru_variants(x, h, Wx, Wh, bx, bh) -> dict[str, np.ndarray]:
    """The right step (key "ok") and the common wrong ones, in torch's gate order r, z, n."""
    H = h.shape[1]
    ax, ah = x @ Wx + bx, h @ Wh + bh  # (N, 3H) each
    r = _sigmoid(ax[:, :H] + ah[:, :H])
    z = _sigmoid(ax[:, H : 2 * H] + ah[:, H : 2 * H])
    n = np.tanh(ax[:, 2 * H :] + r * ah[:, 2 * H :])
    return {
        "ok": (1 - z) * n + z * h,
        "z and 1 - z are swapped (that is Chung et al.'s labelling; torch keeps z * h_{t-1})": z * n + (1 - z) * h,
        "the reset gate multiplies h_{t-1} before W_hn (Cho et al.'s original); torch applies it to "
        "(h_{t-1} W_hn + b_hn)": (1 - z) * np.tanh(ax[:, 2 * H :] + (r * h) @ Wh[:, 2 * H :] + bh[2 * H :]) + z * h,
        "b_hn is outside the reset gate; torch puts it inside r * (h W_hn + b_hn)": (1 - z)
        * np.tanh(ax[:, 2 * H :] + r * (h @ Wh[:, 2 * H :]) + bh[2 * H :])
        + z * h,
        "the reset gate is missing from the candidate": (1 - z) * np.tanh(ax[:, 2 * H :] + ah[:, 2 * H :]) + z * h,
        "the gate blocks are read in the order z, r instead of torch's r, z": (1 - r)
        * np.tanh(ax[:, 2 * H :] + z * ah[:, 2 * H :])
        + r * h,
        "the candidate n_t was returned, not h_t = (1 - z) n_t + z h_{t-1}": n,
    }


def check_gru_step(gru_step: Callable) -> str:
    """Check ``gru_step(x, h_prev, Wx, Wh, bx, bh)`` -> h_t (N, H), torch's GRU convention,
    gate blocks in the order r, z, n."""
    rng = np.random.default_rng(5)
    N, D, H = 3, 4, 2
    args = (rng.normal(size=(N, D)), np.tanh(rng.normal(size=(N, H))), rng.normal(size=(D, 3 * H)),
            rng.normal(size=(H, 3 * H)), rng.normal(size=3 * H), rng.normal(size=3 * H))  # fmt: skip
    try:
        got = np.asarray(gru_step(*args), dtype=float)
    except (ValueError, TypeError, IndexError) as exc:
        raise AssertionError(
            f"gru_step raised {type(exc).__name__}: {exc}. x W_x + b_x has shape (N, 3H) = ({N}, {3 * H}); "
            "slice the blocks [:, :H], [:, H:2H], [:, 2H:]"
        ) from exc
    variants = _gru_variants(*args)
    if got.shape != (N, H):
        raise AssertionError(f"h_t must have shape (N, H) = ({N}, {H}), got {got.shape}")
    if np.allclose(got, variants.pop("ok")):
        return "Correct: h_t = (1 - z) * n + z * h_prev, with r inside the candidate as torch does."
    for why, wrong in variants.items():
        if np.allclose(got, wrong):
            raise AssertionError(f"Not yet: {why}.")
    raise AssertionError("Not yet: h_t differs from torch's GRU step.")


def check_gru_parameters(count: Callable) -> str:
    """Check ``count(D, H)`` -> the number of parameters of ``torch.nn.GRU(D, H)``."""
    cases = [(5, 7), (1, 3), (16, 32)]
    try:
        got = [int(count(D, H)) for D, H in cases]
    except (ValueError, TypeError) as exc:
        raise AssertionError(f"count raised {type(exc).__name__}: {exc}; it takes D and H, both ints") from exc
    want = [3 * H * (D + H) + 6 * H for D, H in cases]
    if got == want:
        return "Correct: 3 blocks (r, z, n) of H(D + H) weights, plus two bias vectors of 3H each."
    mistakes = {
        "that counts 4 gate blocks (an LSTM); a GRU has 3: r, z, n": lambda D, H: 4 * H * (D + H) + 8 * H,
        "torch keeps two bias vectors, b_ih and b_hh (3H each); you counted one": lambda D, H: 3 * H * (D + H) + 3 * H,
        "the biases are missing (torch has b_ih and b_hh, 3H each)": lambda D, H: 3 * H * (D + H),
        "that is a plain RNN's count (one block); a GRU has 3": lambda D, H: H * (D + H) + 2 * H,
        "W_hh is (3H, H): H * 3H recurrent weights, not 3H * D again": lambda D, H: 6 * H * D + 6 * H,
    }
    for why, fn in mistakes.items():
        if got == [fn(D, H) for D, H in cases]:
            raise AssertionError(f"Not yet: {why}.")
    raise AssertionError(f"Not yet: for (D, H) = {cases} expected {want}, got {got}.")


def check_shift_ceiling(ceiling: Callable) -> str:
    """Check ``ceiling(T, k, V)`` -> the best expected accuracy of a one-direction model on the
    shift task (y_t = x_{t+k}, V symbols, the last k steps answer "end")."""
    cases = [(20, 1, 10), (20, 3, 10), (12, 4, 5)]
    try:
        got = [float(ceiling(T, k, V)) for T, k, V in cases]
    except (ValueError, TypeError, ZeroDivisionError) as exc:
        raise AssertionError(f"ceiling raised {type(exc).__name__}: {exc}; it takes T, k, V") from exc
    want = [((T - k) / V + k) / T for T, k, V in cases]
    if np.allclose(got, want):
        return "Correct: chance 1/V on the T - k steps that need the future, certainty on the k end steps."
    mistakes = {
        "the k end steps are certain (the position tells the model they say 'end'); add k/T": lambda T, k, V: (
            (T - k) / (V * T)
        ),
        "that is chance alone; the last k steps are certain": lambda T, k, V: 1 / V,
        "chance is 1/V on the T - k steps, not 1/(V + 1)": lambda T, k, V: ((T - k) / (V + 1) + k) / T,
        "the guessed and the certain steps are swapped": lambda T, k, V: (k / V + (T - k)) / T,
    }
    for why, fn in mistakes.items():
        if np.allclose(got, [fn(*c) for c in cases]):
            raise AssertionError(f"Not yet: {why}.")
    raise AssertionError(f"Not yet: for (T, k, V) = {cases} expected {np.round(want, 4).tolist()}, got {got}.")
