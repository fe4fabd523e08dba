"""The checks of notebook 12 accept the right answers and name each common mistake."""

import numpy as np
import pytest

from rnn_helpers.exercises.ex12 import check_combine, check_log_scan
from rnn_helpers.linear_recurrence import log_scan


def run(check, fn, capsys):
    ok = check(fn)
    return ok, capsys.readouterr().out


def not_implemented(*args):
    raise NotImplementedError


# ---------------------------------------------------------------- combine


def test_combine_right(capsys):
    ok, out = run(check_combine, lambda a1, b1, a2, b2: (a2 * a1, a2 * b1 + b2), capsys)
    assert ok and out.startswith("Correct")
    assert "[" not in out  # no values printed


def test_combine_not_yet(capsys):
    ok, out = run(check_combine, not_implemented, capsys)
    assert not ok and out.startswith("Not yet")


@pytest.mark.parametrize(
    "wrong, phrase",
    [
        (lambda a1, b1, a2, b2: (a1 * a2, a1 * b2 + b1), "wrong order"),
        (lambda a1, b1, a2, b2: (a1 * a2, b1 + b2), "not decayed"),
        (lambda a1, b1, a2, b2: (a1 + a2, a2 * b1 + b2), "product"),
        (lambda a1, b1, a2, b2: (a2 * b1 + b2, a1 * a2), "swapped"),
        (lambda a1, b1, a2, b2: (a1 * a2, b2), "keeps only b2"),
        (lambda a1, b1, a2, b2: (a1 * a2, a2 * b1 - b2), "b is not"),
        (lambda a1, b1, a2, b2: (a1 / a2, a2 * b1 + b2), "a should be"),
        (lambda a1, b1, a2, b2: (a1, b1), "neither"),
        (lambda a1, b1, a2, b2: a1, "pair"),
        (lambda a1, b1, a2, b2: 1 / 0, "ZeroDivisionError"),
    ],
)
def test_combine_mistakes(wrong, phrase, capsys):
    ok, out = run(check_combine, wrong, capsys)
    assert not ok and out.startswith("Not quite") and phrase in out, out


def test_combine_in_place_mistake(capsys):
    def in_place(a1, b1, a2, b2):
        b2 += a2 * b1  # right on fresh arrays, but overwrites the scan's own data
        a2 *= a1
        return a2, b2

    ok, out = run(check_combine, in_place, capsys)
    assert not ok and "in place" in out, out


# ---------------------------------------------------------------- log-space scan


def test_log_scan_right(capsys):
    ok, out = run(check_log_scan, log_scan, capsys)
    assert ok and out.startswith("Correct")


def test_log_scan_not_yet(capsys):
    ok, out = run(check_log_scan, not_implemented, capsys)
    assert not ok and out.startswith("Not yet")


def _log_scan_no_check(a, b, h0):
    a_star = np.concatenate([np.zeros_like(h0)[:, None], np.cumsum(np.log(a), 1)], 1)
    log_b = np.concatenate([np.log(h0)[:, None], np.log(b)], 1)
    return np.exp(a_star + np.logaddexp.accumulate(log_b - a_star, axis=1))[:, 1:]


def _no_h0(a, b, h0):
    a_star = np.cumsum(np.log(a), 1)
    return np.exp(a_star + np.logaddexp.accumulate(np.log(b) - a_star, axis=1))


def _own_a(a, b, h0):
    return _log_scan_no_check(a, a * b, h0)


def _cumprod(a, b, h0):
    if np.any(a <= 0) or np.any(b <= 0):
        raise ValueError("a and b must be positive")
    A = np.cumprod(a, 1)
    with np.errstate(all="ignore"):
        return A * (h0[:, None] + np.cumsum(b / A, 1))


def _returns_log(a, b, h0):
    return np.log(log_scan(a, b, h0))


@pytest.mark.parametrize(
    "wrong, phrase",
    [
        (_no_h0, "h_0 is missing"),
        (_own_a, "its own a_s"),
        (_returns_log, "exponentiate"),
        (_cumprod, "cumulative-product"),
        (_log_scan_no_check, "only covers positive values"),
        (lambda a, b, h0: log_scan(a, b, h0)[:, :-1], "shape"),
        (lambda a, b, h0: np.cumsum(b, 1) + h0[:, None], "without their decay"),
        (lambda a, b, h0: log_scan(a, b, h0) * 1.01, "differs from the loop"),
        (lambda a, b, h0: np.log(a - 0.5) + log_scan(a, b, h0), "NaN"),
    ],
)
@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")  # the learner's log of a negative
def test_log_scan_mistakes(wrong, phrase, capsys):
    ok, out = run(check_log_scan, wrong, capsys)
    assert not ok and out.startswith("Not quite") and phrase in out, out


def test_log_scan_negative_returns_nan_message(capsys):
    ok, out = run(check_log_scan, _log_scan_no_check, capsys)
    assert "NaN" in out and "ValueError" in out
