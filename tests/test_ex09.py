"""Exercise checks of notebook 09 accept the solution and name each common mistake."""

import numpy as np
import pytest

from rnn_helpers.exercises.ex09 import check_columns_as_sequence, check_mae, check_seasonal_naive


def test_seasonal_naive_solution_and_mistakes():
    assert check_seasonal_naive(lambda h, p, n: np.resize(np.asarray(h)[-p:], n)).startswith("Correct")
    for fn, why in [
        (lambda h, p, n: np.full(n, h[-1]), "naive forecast"),
        (lambda h, p, n: np.resize(np.asarray(h)[-p - 1 : -1], n), "off by one"),
        (lambda h, p, n: np.asarray(h)[-p:], "one period"),
        (lambda h, p, n: np.resize(np.asarray(h)[-p:][::-1], n), "backwards"),
        (lambda h, p, n: None, "returns None"),
    ]:
        with pytest.raises(AssertionError, match=why):
            check_seasonal_naive(fn)


def test_mae_solution_and_mistakes():
    assert check_mae(lambda p, t: np.mean(np.abs(p - t))).startswith("Correct")
    for fn, why in [
        (lambda p, t: np.mean(p - t), "signs cancel"),
        (lambda p, t: np.mean(t - p), "signs cancel"),
        (lambda p, t: np.mean((p - t) ** 2), "mean squared error"),
        (lambda p, t: np.sqrt(np.mean((p - t) ** 2)), "root mean squared"),
        (lambda p, t: np.sum(np.abs(p - t)), "divide by the number"),
        (lambda p, t: 0.0, "expected np.mean"),
    ]:
        with pytest.raises(AssertionError, match=why):
            check_mae(fn)


def test_columns_solution_and_mistakes():
    assert check_columns_as_sequence(lambda x: np.transpose(x, (0, 2, 1))).startswith("Correct")
    for fn, why in [
        (lambda x: x, "those are the rows"),
        (lambda x: x.reshape(len(x), -1, 1), "pixel by pixel"),
        (lambda x: x.reshape(len(x), x.shape[2], x.shape[1]), "reshape regroups"),
        (lambda x: np.transpose(x, (0, 2, 1))[:, ::-1], "right to left"),
        (lambda x: x[:, :2], "expected shape"),
    ]:
        with pytest.raises(AssertionError, match=why):
            check_columns_as_sequence(fn)
