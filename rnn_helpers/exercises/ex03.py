"""Checks for the exercises of notebook 03 (vanishing and exploding gradients).

Each ``check_*`` runs the learner's answer on test cases, compares it with the right answer and
with the common mistakes, prints a success message or raises ``AssertionError`` naming the
mistake it recognised.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["check_clip_gradient", "check_vanishing_steps", "VANISHING_QUESTION"]


def _clip_variants(g: np.ndarray, threshold: float) -> dict[str | None, np.ndarray]:
    norm = np.linalg.norm(g)
    return {
        None: g * (threshold / norm) if norm > threshold else g,
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


def check_clip_gradient(fn) -> None:
    """Check ``fn(g, threshold)`` implementing g <- threshold * g / ||g|| when ||g|| > threshold.

    Inputs: fn taking a gradient g (any shape) and a positive threshold, returning the clipped g.
    Prints a success message; raises AssertionError naming the mistake when fn is wrong.
    """
    cases = [
        (np.array([30.0, -40.0]), 5.0),  # norm 50 > 5: rescaled
        (np.array([[0.3, -0.1], [0.2, 0.05]]), 1.0),  # norm < 1: unchanged
        (np.array([6.0, 0.5, -2.0]), 2.0),
    ]
    for g, threshold in cases:
        try:
            got = np.asarray(fn(g.copy(), threshold), dtype=float)
        except Exception as err:  # the learner's code raised: report it, don't hide it
            raise AssertionError(f"your function raised {type(err).__name__}: {err}") from err
        if got.shape != g.shape:
            raise AssertionError(f"the clipped gradient must keep the shape {g.shape}, got {got.shape}")
        variants = _clip_variants(g, threshold)
        if np.allclose(got, variants[None], atol=1e-12):
            continue
        for mistake, expected in variants.items():
            if mistake is not None and np.allclose(got, expected, atol=1e-12):
                raise AssertionError(f"Not yet: {mistake}.")
        raise AssertionError(
            f"for g = {g.tolist()} and threshold {threshold} expected "
            f"{np.round(variants[None], 4).tolist()}, got {np.round(got, 4).tolist()}"
        )
    print("Correct: the gradient keeps its direction and its norm is capped at the threshold.")


VANISHING_QUESTION = {"w_prime": 2.0, "gamma": 0.25, "target": 1e-6}


def check_vanishing_steps(n) -> None:
    """Check the smallest number of steps n with (gamma |w'|)^n < 1e-6 for sigmoid and |w'| = 2.

    With gamma = 1/4 (the largest slope of the sigmoid) the bound on |dO_T/dO_{T-n}| is
    (1/4 * 2)^n = 0.5^n, which first falls below 1e-6 at n = 20 (0.5^19 = 1.9e-6).
    Prints a success message; raises AssertionError naming the mistake.
    """
    rate = VANISHING_QUESTION["gamma"] * VANISHING_QUESTION["w_prime"]
    right = math.ceil(math.log(VANISHING_QUESTION["target"]) / math.log(rate))
    if isinstance(n, bool) or not isinstance(n, (int, np.integer, float)) or not math.isfinite(n):
        if isinstance(n, float) and math.isinf(n):
            raise AssertionError(
                "Not yet: the bound does shrink. With gamma = 1/4 for the sigmoid, gamma |w'| = 0.5 < 1; "
                "did you use |w'| = 2 alone (the tanh bound, gamma = 1)?"
            )
        raise AssertionError(f"answer with a number of steps (an int), got {n!r}")
    if n == right:
        print(f"Correct: 0.5^{right} = {rate**right:.2e} < 1e-6 while 0.5^{right - 1} = {rate ** (right - 1):.2e}.")
        return
    mistakes = {
        right - 1: f"off by one (rounded down?): 0.5^{right - 1} = {rate ** (right - 1):.2e} is still above 1e-6; "
        "take the smallest n with 0.5^n < 1e-6",
        math.ceil(math.log(1e-6) / math.log(0.25 / 2)): "gamma / |w'| was used instead of gamma * |w'|",
        math.ceil(math.log(1e-6) / math.log(0.25)): "|w'| = 2 was left out: the factor per step is gamma |w'|",
    }
    if n in mistakes:
        raise AssertionError(f"Not yet: {mistakes[n]}.")
    if n < 0:
        raise AssertionError("Not yet: a negative n means the factor per step was above 1; gamma |w'| = 0.5.")
    raise AssertionError(f"Not yet: (gamma |w'|)^n = 0.5^{n} = {rate**n:.2e}; find the smallest n below 1e-6.")
