"""Checks for the exercises of notebook 03 (vanishing and exploding gradients).

Each ``check_*`` runs the learner's answer on test cases, compares it with a reference (equal to
``rnn_helpers.gradients.clip_by_norm``, tested; the Jacobian product of BPTT) and with the common mistakes, prints
one line naming the mistake it recognises and returns True or False. Checks never raise.
"""

from __future__ import annotations

import math

import numpy as np

from .feedback import NOT_IMPLEMENTED, Raised, call, not_yet, raised, same, verdict

__all__ = ["check_clip_gradient", "check_gradient_norms", "check_vanishing_steps", "VANISHING_QUESTION"]


def _ref_clip(g: np.ndarray, threshold: float) -> np.ndarray:
    """Clip by norm (tests check it equals rnn_helpers.gradients.clip_by_norm)."""
    norm = np.linalg.norm(g)
    return g * (threshold / norm) if norm > threshold else g.copy()


def _clip_variants(g: np.ndarray, threshold: float) -> dict[str | None, np.ndarray]:
    norm = np.linalg.norm(g)
    return {
        None: _ref_clip(g, threshold),
        "each component was clipped to [-threshold, threshold] (np.clip): that changes the "
        "gradient's direction; rescale the whole vector by threshold / ||g|| instead": np.clip(
            g, -threshold, threshold
        ),
        "the gradient is rescaled even when ||g|| <= threshold: small gradients must pass unchanged": g
        * (threshold / norm),
        "the gradient was divided by ||g||^2 instead of ||g||": g * (threshold / norm**2) if norm > threshold else g,
        "the factor threshold is missing: g / ||g|| has length 1, not length threshold": g / norm
        if norm > threshold
        else g,
        "the gradient came back unchanged although ||g|| > threshold: rescale it to length threshold": g,
        "the largest entry |g_i| (max norm) was used instead of the Euclidean norm ||g|| = "
        "sqrt(sum g_i^2) (np.linalg.norm)": g * (threshold / np.abs(g).max()) if np.abs(g).max() > threshold else g,
    }


def check_clip_gradient(fn) -> bool:
    """Check ``fn(g, threshold)`` implementing g <- threshold * g / ||g|| when ||g|| > threshold.

    Inputs: fn taking a gradient g (any shape) and a positive threshold, returning the clipped g.
    Prints one line and returns True or False; never raises.
    """
    cases = [
        (np.array([30.0, -40.0]), 5.0),  # norm 50 > 5: rescaled
        (np.array([[0.3, -0.1], [0.2, 0.05]]), 1.0),  # norm < 1: unchanged
        (np.array([6.0, 0.5, -2.0]), 2.0),
    ]
    for g, threshold in cases:
        got = call(fn, g.copy(), threshold)
        if got is NOT_IMPLEMENTED:
            return not_yet("clip")
        if isinstance(got, Raised):
            return raised(got.err)
        got = np.asarray(got, dtype=float)
        if got.shape != g.shape:
            return verdict(False, f"Not quite: the clipped gradient must keep the shape {g.shape}, got {got.shape}.")
        variants = _clip_variants(g, threshold)
        if same(got, variants[None], atol=1e-12):
            continue
        for mistake, expected in variants.items():
            if mistake is not None and same(got, expected, atol=1e-12):
                return verdict(False, f"Not quite: looks like {mistake}.")
        return verdict(False, f"Not quite: for a gradient of norm {np.linalg.norm(g):.3g} and threshold {threshold} "
                              "the result does not match clipping by norm.")  # fmt: skip
    return verdict(True, "Correct: the gradient keeps its direction and its norm is capped at the threshold.")


def gradient_norms_reference(Wh: np.ndarray, h: np.ndarray) -> np.ndarray:
    """||dh_T/dh_{T-j}||_2 for j = 0..T along one run of h_t = tanh(x_t W_x + h_{t-1} W_h + b).

    Row vectors: dh_t/dh_{t-1} = diag(1 - h_t^2) W_h^T (entry (i, j) = dh_{t,i}/dh_{t-1,j}), and
    dh_T/dh_k = J_T J_{T-1} ... J_{k+1}.
    Inputs: Wh (H, H); h (T + 1, H) the states h_0 .. h_T of one sequence.
    Returns: (T + 1,) spectral norms, the first one 1 (j = 0).
    """
    T = h.shape[0] - 1
    J = np.eye(h.shape[1])  # dh_T/dh_T
    norms = [1.0]
    for t in range(T, 0, -1):
        J = J @ ((1 - h[t] ** 2)[:, None] * Wh.T)  # dh_T/dh_{t-1} = dh_T/dh_t J_t   (H, H)
        norms.append(np.linalg.norm(J, 2))
    return np.array(norms)


def _norm_mistakes(Wh, h):
    T, H = h.shape[0] - 1, h.shape[1]

    def product(step_matrix, order="left", norm=2):
        J, out = np.eye(H), [1.0]
        for t in range(T, 0, -1):
            M = step_matrix(t)
            J = J @ M if order == "left" else M @ J
            out.append(np.linalg.norm(J, norm))
        return np.array(out)

    return {
        "the tanh derivative is missing: each step's factor is diag(1 - h_t^2) W_h^T, not W_h^T alone": product(
            lambda t: Wh.T
        ),
        "off by one in time: step t's factor uses 1 - h_t^2 (the state it produces), not 1 - h_{t-1}^2": product(
            lambda t: (1 - h[t - 1] ** 2)[:, None] * Wh.T
        ),
        "the factors are multiplied in the wrong order: dh_T/dh_k = J_T J_{T-1} ... J_{k+1} (new factors on the "
        "right)": product(lambda t: (1 - h[t] ** 2)[:, None] * Wh.T, order="right"),
        "the Frobenius norm was used; the gradient's worst-case growth is the spectral norm, "
        "np.linalg.norm(J, 2)": product(lambda t: (1 - h[t] ** 2)[:, None] * Wh.T, norm="fro"),
        "the norms come in the wrong order: entry j is the lag j, ||dh_T/dh_{T-j}||, starting with 1 at j = 0": (
            gradient_norms_reference(Wh, h)[::-1]
        ),
    }


def _norm_case(seed: int = 3, T: int = 12, H: int = 5):
    rng = np.random.default_rng(seed)
    Wh = 1.2 * rng.standard_normal((H, H)) / np.sqrt(H)
    Wx, x = rng.standard_normal((2, H)), rng.standard_normal((T, 2))
    h = [0.5 * rng.standard_normal(H)]
    for t in range(T):
        h.append(np.tanh(x[t] @ Wx + h[-1] @ Wh))  # h_t = tanh(x_t W_x + h_{t-1} W_h)
    return Wh, np.array(h)


def check_gradient_norms(fn) -> bool:
    """Check ``fn(Wh, h) -> norms``: ||dh_T/dh_{T-j}||_2 for j = 0..T from the states h (T + 1, H).

    Compared with :func:`gradient_norms_reference` (tested against autograd). Recognised
    mistakes: the tanh derivative missing, the derivative of the wrong step, the factors in the
    wrong order, the Frobenius norm, the output reversed. Prints one line; never raises.
    """
    Wh, h = _norm_case()
    got = call(fn, Wh.copy(), h.copy())
    if got is NOT_IMPLEMENTED:
        return not_yet("gradient_norms")
    if isinstance(got, Raised):
        return raised(got.err)
    right = gradient_norms_reference(Wh, h)
    got = np.asarray(got, dtype=float)
    if same(got, right):
        return verdict(True, "Correct: the norms of dh_T/dh_k match the reference for every lag.")
    if got.shape != right.shape:
        return verdict(False, f"Not quite: return T + 1 = {right.size} norms (lags 0..T), got shape {got.shape}.")
    for why, wrong in _norm_mistakes(Wh, h).items():
        if same(got, wrong):
            return verdict(False, f"Not quite: looks like {why}.")
    return verdict(False, "Not quite: the norms do not match the reference (not a mistake this check knows).")


VANISHING_QUESTION = {"w_prime": 2.0, "gamma": 0.25, "target": 1e-6}


def check_vanishing_steps(n) -> bool:
    """Check the smallest number of steps n with (gamma |w'|)^n < 1e-6 for sigmoid and |w'| = 2.

    Prints one line (without the answer's value) and returns True or False; never raises.
    """
    rate = VANISHING_QUESTION["gamma"] * VANISHING_QUESTION["w_prime"]
    right = math.ceil(math.log(VANISHING_QUESTION["target"]) / math.log(rate))
    if n is None:
        return verdict(False, "Not yet: set n to your answer (an int), then run this cell again.")
    if isinstance(n, float) and math.isinf(n):
        return verdict(False, "Not quite: the bound does shrink. For the sigmoid gamma = 1/4, so gamma |w'| < 1; "
                              "did you use |w'| = 2 alone (the tanh bound, gamma = 1)?")  # fmt: skip
    if isinstance(n, bool) or not isinstance(n, (int, np.integer, float)) or not math.isfinite(n):
        return verdict(False, f"Not quite: answer with a number of steps (an int), got {n!r}.")
    if n == right:
        return verdict(True, "Correct: that is the smallest n for which the bound falls below 1e-6.")
    mistakes = {
        right - 1: "off by one: at that n the bound is still above 1e-6 (rounded down?)",
        math.ceil(math.log(1e-6) / math.log(0.25 / 2)): "gamma / |w'| was used instead of gamma * |w'|",
        math.ceil(math.log(1e-6) / math.log(0.25)): "|w'| = 2 was left out: the factor per step is gamma |w'|",
    }
    if n in mistakes:
        return verdict(False, f"Not quite: looks like {mistakes[n]}.")
    if n < 0:
        return verdict(False, "Not quite: a negative n means the factor per step was taken above 1.")
    if rate**n < 1e-6:
        return verdict(False, "Not quite: the bound is below 1e-6 there, but a smaller n already gets there.")
    return verdict(False, "Not quite: at that n the bound is still above 1e-6.")
