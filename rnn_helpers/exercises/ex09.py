"""Exercise check for notebook 09 (text generation): the distribution that sampling draws from.

``check_sampling_distribution(fn)`` runs the learner's ``fn(logits, temperature, top_k)`` on a few
cases, compares it with the reference below (the same as ``rnn_helpers.charlm.sampling_distribution``) and,
when it differs, recognises the common mistakes and names them. It prints one line and returns
True (right) or False (not yet / not quite); it never raises on the learner's behalf.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .feedback import NOT_IMPLEMENTED, Raised, call, raised, verdict

__all__ = ["check_sampling_distribution"]

_CASES = [  # (logits (V,), temperature, top_k)
    (np.array([2.0, 1.0, 0.5, -1.0, 0.0, 3.0, -0.5]), 0.5, 3),
    (np.array([0.3, -1.2, 2.2, 0.9, 0.0]), 2.0, None),
    (np.array([1.0, 4.0, -2.0, 0.5]), 1.0, 1),
]


def _softmax(z: np.ndarray) -> np.ndarray:
    z = np.where(np.isfinite(z), z, -np.inf)
    e = np.exp(z - z[np.isfinite(z)].max())
    return e / e.sum()


def _reference(s: np.ndarray, tau: float, k: int | None) -> np.ndarray:
    """Keep the k largest scores (ties: lower ids first), softmax of kept scores / tau, 0 elsewhere."""
    z = np.asarray(s, dtype=float) / tau
    if k is not None:
        z[np.argsort(-z, kind="stable")[k:]] = -np.inf
    p = np.exp(z - z.max())
    return p / p.sum()


def _keep(s: np.ndarray, k: int | None, which: str = "largest") -> np.ndarray:
    """Boolean mask of the kept entries."""
    if k is None:
        return np.ones(len(s), dtype=bool)
    order = np.argsort(-s if which == "largest" else s, kind="stable")
    mask = np.zeros(len(s), dtype=bool)
    mask[order[:k]] = True
    return mask


def _mistakes(s: np.ndarray, tau: float, k: int | None) -> dict[str, np.ndarray]:
    keep = _keep(s, k)
    masked = lambda z, m=keep: np.where(m, z, -np.inf)  # noqa: E731
    out = {
        "the temperature multiplies the scores; divide them by it (s / tau: tau < 1 sharpens)": _softmax(
            masked(s * tau)
        ),
        "the probabilities were divided by the temperature instead of the scores; divide the scores "
        "s / tau before the softmax": _softmax(masked(s)) / tau,
        "the temperature has no effect (ignored, or the probabilities were divided by it and "
        "renormalised, which cancels); divide the scores s / tau before the softmax": _softmax(masked(s)),
        "the probabilities do not sum to 1 after dropping the characters outside the top k: "
        "renormalise over the kept ones": np.where(keep, _softmax(s / tau), 0.0),
        "the dropped scores were set to 0 instead of -inf, so the dropped characters keep some probability": _softmax(
            np.where(keep, s / tau, 0.0)
        ),
        "top_k is ignored: every character keeps some probability": _softmax(s / tau),
        "these are the scores divided by the temperature, not probabilities: apply the softmax": np.where(
            keep, s / tau, 0.0
        ),
    }
    if k is not None:
        out["the k smallest scores were kept; top-k keeps the k largest"] = _softmax(
            np.where(_keep(s, k, "smallest"), s / tau, -np.inf)
        )
        if k + 1 <= len(s):
            out["k + 1 characters were kept (an off-by-one); keep exactly k"] = _softmax(
                np.where(_keep(s, k + 1), s / tau, -np.inf)
            )
        if k > 1:
            out["k - 1 characters were kept (an off-by-one); keep exactly k"] = _softmax(
                np.where(_keep(s, k - 1), s / tau, -np.inf)
            )
    return out


def check_sampling_distribution(fn: Callable) -> bool:
    """Check ``fn(logits (V,), temperature, top_k) -> p (V,)``: keep the top_k largest scores (all
    when top_k is None), p = softmax(kept scores / temperature), 0 for the others.

    Prints "Correct: ...", "Not yet: ..." (still the stub) or "Not quite: looks like ..." and
    returns whether the function is right.
    """
    for s, tau, k in _CASES:
        got = call(fn, s.copy(), tau, k)
        if got is NOT_IMPLEMENTED:
            return verdict(
                False, "Not yet: replace `raise NotImplementedError` with your code, then run the cell again."
            )
        if isinstance(got, Raised):  # the learner's code raised: say so, don't crash the notebook
            return raised(got.err, " (top_k=None means: keep every character)" if k is None else "")
        if got is None:
            print("Not quite: the function returns None; return the probabilities, one per character.")
            return False
        got = np.asarray(got, dtype=float).reshape(-1) if np.ndim(got) else np.asarray([got], dtype=float)
        want = _reference(s, tau, k)
        if got.shape != want.shape:
            print(f"Not quite: expected one probability per character, shape {want.shape}, got {got.shape}.")
            return False
        if np.allclose(got, want, atol=1e-8):
            continue
        for why, wrong in _mistakes(s, tau, k).items():
            if np.allclose(got, wrong, atol=1e-8):
                print(f"Not quite: looks like {why}.")
                return False
        case = f"temperature {tau}, top_k {k}"
        if not np.isclose(got.sum(), 1.0):
            print(f"Not quite: for {case} your probabilities sum to {got.sum():.3f}, not 1.")
        else:
            print(f"Not quite: for {case} the probabilities differ from softmax(kept scores / temperature).")
        return False
    print("Correct: the temperature reshapes the scores, top-k cuts the tail, and what is left sums to 1.")
    return True
