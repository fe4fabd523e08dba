"""Exercise checks for notebook 12: linear recurrences and parallel scans.

Each ``check_*`` calls the learner's function on fixed random inputs. It prints "Not yet: ..."
and returns False when the function still raises NotImplementedError; it prints "Not quite: ..."
naming a common mistake it recognises (or what differs) and returns False when the answer is
wrong; it prints "Correct: ..." (never the values) and returns True when it is right.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .feedback import verdict

__all__ = ["check_combine", "check_log_scan"]


# ---------------------------------------------------------------- references (self-contained)


def _combine(a1, b1, a2, b2):
    return a2 * a1, a2 * b1 + b2  # (a1, b1) first, then (a2, b2)


def recurrence_loop(a, b, h0=None):
    """h_t = a_t * h_{t-1} + b_t, a and b (N, T, H), h0 (N, H) or zeros."""
    prev = np.zeros_like(b[:, 0]) if h0 is None else h0
    out = []
    for t in range(a.shape[1]):
        prev = a[:, t] * prev + b[:, t]
        out.append(prev)
    return np.stack(out, axis=1)


def hillis_steele_scan(a, b, h0, combine_fn):
    """The Hillis-Steele scan with a given combine; h_t = A_t * h_0 + B_t."""
    A, B, d = a.copy(), b.copy(), 1
    while d < a.shape[1]:
        A_new, B_new = combine_fn(A[:, :-d], B[:, :-d], A[:, d:], B[:, d:])
        A, B = np.concatenate([A[:, :d], A_new], 1), np.concatenate([B[:, :d], B_new], 1)
        d *= 2
    return A * h0[:, None] + B


def _call(fn: Callable, args: tuple, name: str, signature: str):
    """(result, None) or (None, message) when the learner's function raised."""
    try:
        return fn(*args), None
    except NotImplementedError:
        return None, f"Not yet: {name} still raises NotImplementedError; write its body ({signature})."
    except Exception as exc:  # the learner's code: any error is feedback, never a crash
        return None, f"Not quite: {name} raised {type(exc).__name__}: {exc}"


def _close(got, want, rtol=1e-9, atol=1e-12) -> bool:
    try:
        got = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return False
    return got.shape == np.shape(want) and np.allclose(got, want, rtol=rtol, atol=atol)


def _combine_cases():
    rng = np.random.default_rng(12)
    shape = (3, 5, 4)
    return rng.uniform(0.1, 0.9, shape), rng.normal(size=shape), rng.uniform(0.1, 0.9, shape), rng.normal(size=shape)


def check_combine(combine: Callable) -> bool:
    """Check ``combine(a1, b1, a2, b2) -> (a, b)``: the pair of applying h -> a1 * h + b1 first and
    h -> a2 * h + b2 second; then run it inside the course's Hillis-Steele scan."""
    a1, b1, a2, b2 = _combine_cases()
    copies = tuple(v.copy() for v in (a1, b1, a2, b2))
    out, err = _call(combine, copies, "combine", "combine(a1, b1, a2, b2) -> (a, b)")
    if err:
        return verdict(False, err)
    if any(not np.array_equal(c, v) for c, v in zip(copies, (a1, b1, a2, b2))):
        return verdict(False, "Not quite: combine modifies its inputs in place (a *= ..., b += ...); the scan "
                              "reuses them, so build new arrays: return a2 * a1, a2 * b1 + b2.")  # fmt: skip
    if not isinstance(out, tuple) or len(out) != 2:
        return verdict(False, f"Not quite: combine must return a pair (a, b), got {type(out).__name__}.")
    a, b = out
    want_a, want_b = _combine(a1, b1, a2, b2)
    if _close(a, want_a) and _close(b, want_b):
        rng = np.random.default_rng(7)
        aa, bb, h0 = rng.uniform(0.2, 1.0, (2, 13, 3)), rng.normal(size=(2, 13, 3)), rng.normal(size=(2, 3))
        h = hillis_steele_scan(aa, bb, h0, combine_fn=combine)
        if not _close(h, recurrence_loop(aa, bb, h0), rtol=1e-9, atol=1e-9):
            return verdict(False, "Not quite: combine is right on one pair but the scan built on it differs from "
                                  "the loop over 13 steps.")  # fmt: skip
        return verdict(True, "Correct: your combine composes the two steps in the right order, and the scan built "
                             "on it matches the loop over 13 steps with a non-zero h_0.")  # fmt: skip
    mistakes = {
        "the steps are applied in the wrong order: (a1, b1) is the EARLIER step, so its b is the one "
        "multiplied: b = a2 * b1 + b2, not a1 * b2 + b1": (a1 * a2, a1 * b2 + b1),
        "b1 is not decayed by the second step: applying h -> a2 * h + b2 to (a1 h + b1) gives "
        "a2 * b1 + b2, not b1 + b2": (a1 * a2, b1 + b2),
        "the multipliers compose by a product, a2 * a1 (h is multiplied by a1, then by a2), not a sum": (
            a1 + a2,
            a2 * b1 + b2,
        ),
        "the pair is swapped: return (a, b) with a = a2 * a1 first": (a2 * b1 + b2, a1 * a2),
        "b keeps only b2: the first step's b1, decayed by a2, must be added": (a1 * a2, b2),
    }
    for why, (wa, wb) in mistakes.items():
        if _close(a, wa) and _close(b, wb):
            return verdict(False, f"Not quite: {why}.")
    if _close(a, want_a):
        return verdict(
            False, "Not quite: a = a2 * a1 is right; b is not a2 * b1 + b2 (write out a2 * (a1 h + b1) + b2)."
        )
    if _close(b, want_b):
        return verdict(False, "Not quite: b is right; a should be a2 * a1 (write out a2 * (a1 h + b1) + b2).")
    return verdict(False, "Not quite: neither a nor b matches; write out a2 * (a1 * h + b1) + b2 and read off the "
                          "factor of h and the rest.")  # fmt: skip


def _log_scan_cases():
    rng = np.random.default_rng(21)
    N, T, H = 2, 9, 3
    return rng.uniform(0.2, 0.95, (N, T, H)), rng.uniform(0.1, 2.0, (N, T, H)), rng.uniform(0.5, 2.0, (N, H))


def _variants(a, b, h0) -> dict[str, np.ndarray]:
    """Common wrong log-space scans (all inputs positive), by the mistake each makes."""
    a_star = np.cumsum(np.log(a), axis=1)  # a*_t, (N, T, H)
    h_ref = recurrence_loop(a, b, h0)
    return {
        "h_0 is missing: prepend b_0 = h_0 (log b_0 = log h_0) with a*_0 = 0 before the logcumsumexp": np.exp(
            a_star + np.logaddexp.accumulate(np.log(b) - a_star, axis=1)
        ),
        "the result is log h_t: exponentiate at the end": np.log(h_ref),
        "b_s is also multiplied by its own a_s: it should be decayed by a_{s+1} ... a_t only (subtract a*_s, "
        "the sum of log a up to s, and add a*_t)": recurrence_loop(a, a * b, h0),
        "the b_s are summed without their decay: subtract a*_s inside the logcumsumexp and add a*_t back": np.cumsum(
            b, 1
        )
        + h0[:, None],
    }


def check_log_scan(log_scan: Callable) -> bool:
    """Check ``log_scan(a, b, h0) -> h`` (N, T, H): h_t = a_t * h_{t-1} + b_t computed in log space
    for a in (0, 1), b > 0, h0 > 0; it must raise ValueError when a or b has entries <= 0."""
    a, b, h0 = _log_scan_cases()
    sig = "log_scan(a, b, h0) -> h"
    got, err = _call(log_scan, (a, b, h0), "log_scan", sig)
    if err:
        return verdict(False, err)
    want = recurrence_loop(a, b, h0)
    if not _close(got, want, rtol=1e-8, atol=1e-10):
        shape = np.shape(got)
        if shape != want.shape:
            return verdict(False, f"Not quite: h must have shape (N, T, H) = {want.shape}, got {shape}.")
        if not np.all(np.isfinite(np.asarray(got, dtype=float))):
            return verdict(False, "Not quite: the result has NaN or inf on short positive inputs; is a log taken "
                                  "of something that can be negative or zero?")  # fmt: skip
        for why, wrong in _variants(a, b, h0).items():
            if _close(got, wrong, rtol=1e-8, atol=1e-10):
                return verdict(False, f"Not quite: {why}.")
        return verdict(False, "Not quite: h differs from the loop h_t = a_t * h_{t-1} + b_t on a 9-step sequence.")
    # long sequence: the cumulative-product form underflows, log space does not
    rng = np.random.default_rng(3)
    a_long, b_long = rng.uniform(0.3, 0.7, (1, 2000, 2)), rng.uniform(0.5, 1.5, (1, 2000, 2))
    h0_long = np.ones((1, 2))
    got_long, err = _call(log_scan, (a_long, b_long, h0_long), "log_scan", sig)
    if err:
        return verdict(False, err.replace("Not yet", "Not quite") + " (on a 2000-step sequence)")
    if not _close(got_long, recurrence_loop(a_long, b_long, h0_long), rtol=1e-6, atol=1e-9):
        return verdict(False, "Not quite: right on 9 steps but not on 2000: the product a_1 ... a_t underflows "
                              "(about 2^-2000); looks like the cumulative-product form: keep the sum in log space "
                              "with np.logaddexp.accumulate.")  # fmt: skip
    # negative inputs are outside the log-space form: they must be refused, not turned into NaN
    for name, args in (("a", (-a, b, h0)), ("b", (a, -b, h0))):
        try:
            with np.errstate(all="ignore"):
                out = log_scan(*args)
        except ValueError:
            continue
        except Exception as exc:
            return verdict(False, f"Not quite: with a negative {name} log_scan raised {type(exc).__name__}; "
                                  f"raise ValueError naming {name} instead.")  # fmt: skip
        nan = not np.all(np.isfinite(np.asarray(out, dtype=float)))
        what = "returned NaN (the log of a negative number)" if nan else "returned numbers"
        return verdict(False, f"Not quite: with a negative {name} your function {what}; the log-space scan only "
                              f"covers positive values: check and raise ValueError naming {name}.")  # fmt: skip
    return verdict(True, "Correct: log space matches the loop on 9 and on 2000 steps (where the cumulative product "
                         "underflows), with h_0 included, and negative inputs are refused.")  # fmt: skip
