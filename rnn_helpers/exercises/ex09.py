"""Exercise checks for notebook 09: RNN applications (signals, images, cost of recurrence).

Each ``check_*`` returns a short message when the answer is right and raises
``AssertionError`` naming the mistake it recognises when it is wrong.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = ["check_seasonal_naive", "check_mae", "check_columns_as_sequence"]


def _result(fn: Callable, *args) -> np.ndarray:
    out = fn(*args)
    if out is None:
        raise AssertionError("Not yet: the function returns None; return the result.")
    return np.asarray(out, dtype=float)


def check_seasonal_naive(seasonal_naive: Callable) -> str:
    """Check ``seasonal_naive(history, period, horizon)`` -> the last period repeated, (horizon,)."""
    history = np.arange(1.0, 11.0)  # 1..10
    got = _result(seasonal_naive, history, 3, 7)
    want = np.array([8, 9, 10, 8, 9, 10, 8], dtype=float)
    if got.shape != want.shape:
        if got.shape == (3,):
            raise AssertionError("Not yet: that is one period; repeat it until there are `horizon` values.")
        raise AssertionError(f"Not yet: expected `horizon` = 7 values, got shape {got.shape}.")
    if np.allclose(got, want):
        return "Correct: each future day copies the same position in the last period."
    if np.allclose(got, 10.0):
        raise AssertionError("Not yet: that is the naive forecast (repeat the last value), not the seasonal one.")
    if np.allclose(got, [7, 8, 9, 7, 8, 9, 7]):
        raise AssertionError("Not yet: off by one: the last period is history[-period:], which ends at the last value.")
    if np.allclose(got, want[::-1]) or np.allclose(got, [10, 9, 8, 10, 9, 8, 10]):
        raise AssertionError("Not yet: the period is repeated backwards; keep its order.")
    raise AssertionError("Not yet: expected the last `period` values of history, repeated to `horizon` values.")


def check_mae(mae: Callable) -> str:
    """Check ``mae(pred, truth)`` -> mean of |pred - truth|."""
    pred, truth = np.array([1.0, 4.0, 2.0, 7.0]), np.array([2.0, 2.0, 2.0, 4.0])
    got = float(_result(mae, pred, truth))
    if abs(got - 1.5) < 1e-9:
        return "Correct: the average size of an error, in the units of the series."
    mistakes = {
        1.0: "signs cancel: take the absolute value of each error before averaging",
        3.5: "that is the mean squared error; MAE averages |error|, not error^2",
        float(np.sqrt(3.5)): "that is the root mean squared error; MAE averages |error|",
        6.0: "that is the sum of |error|; divide by the number of points",
        -1.0: "signs cancel: the mean of (truth - pred) lets errors cancel; use |pred - truth|",
    }
    for value, why in mistakes.items():
        if abs(got - value) < 1e-9:
            raise AssertionError(f"Not yet: {why}.")
    raise AssertionError("Not yet: expected np.mean(np.abs(pred - truth)).")


def check_columns_as_sequence(columns_as_sequence: Callable) -> str:
    """Check ``columns_as_sequence(images (N, R, C))`` -> (N, T=C, D=R) with x[n, t, d] = images[n, d, t]."""
    images = np.arange(2 * 3 * 4, dtype=float).reshape(2, 3, 4)  # N=2, 3 rows, 4 columns
    got = _result(columns_as_sequence, images.copy())
    want = images.transpose(0, 2, 1)
    if got.shape == images.shape and np.allclose(got, images):
        raise AssertionError("Not yet: those are the rows (the images unchanged); step t must be column t.")
    if got.shape == (2, 12, 1) or got.shape == (2, 12):
        raise AssertionError("Not yet: that reads pixel by pixel (T = rows x columns); each step is one whole column.")
    if got.shape != want.shape:
        raise AssertionError(f"Not yet: expected shape (N, T, D) = {want.shape}, got {got.shape}.")
    if np.allclose(got, want):
        return "Correct: T = number of columns, D = pixels per column."
    if np.allclose(got, images.reshape(2, 4, 3)):
        raise AssertionError("Not yet: reshape regroups the pixels in memory order; transpose the last two axes.")
    if np.allclose(got, want[:, ::-1]):
        raise AssertionError("Not yet: the columns are read right to left; read them left to right.")
    raise AssertionError("Not yet: expected np.transpose(images, (0, 2, 1)).")
