"""Forecasting helpers: the CO2 loader, baselines, the linear autoregression, rolling origin."""

import numpy as np
import pytest
import torch

from rnn_helpers.forecasting import (
    LinearAutoregression,
    lagged_windows,
    last_value_forecast,
    rolling_origin_errors,
    seasonal_naive_forecast,
    torch_forecaster,
)


def test_baselines():
    history = np.arange(1.0, 25.0)  # 1..24
    assert np.all(last_value_forecast(history, 3) == 24)
    assert np.allclose(seasonal_naive_forecast(history, 14), np.r_[np.arange(13.0, 25.0), 13, 14])
    with pytest.raises(ValueError, match="period = 12"):
        seasonal_naive_forecast(np.ones(5), 3)
    with pytest.raises(ValueError, match="horizon"):
        last_value_forecast(history, 0)


def test_lagged_windows_are_relative_to_the_last_value():
    x, y = lagged_windows(np.arange(10.0), lags=3, horizon=2)
    assert x.shape == (6, 3) and y.shape == (6, 2)
    assert np.allclose(x[0], [-2, -1, 0]) and np.allclose(y[0], [1, 2])


def test_linear_ar_recovers_a_linear_seasonal_series_exactly():
    t = np.arange(200.0)
    series = 0.1 * t + np.sin(2 * np.pi * t / 12)
    ar = LinearAutoregression(lags=24, horizon=6).fit(series[:150])
    errors = rolling_origin_errors(series, ar, 149, 6)
    assert errors.shape == (200 - 1 - 6 - 149 + 1, 6) and errors.max() < 1e-8
    with pytest.raises(ValueError, match="horizon <= 6"):
        ar(series, 7)


def test_rolling_origin_never_shows_the_future():
    series = np.arange(30.0)
    seen = []

    def spy(history, horizon):
        seen.append(len(history))
        return np.full(horizon, history[-1])

    errors = rolling_origin_errors(series, spy, 20, 3)
    assert seen == list(range(21, 28))  # origins 20 .. 26 = len - 1 - horizon
    assert np.allclose(errors, [[1, 2, 3]] * 7)  # y_{o+h} - y_o = h on a ramp
    with pytest.raises(ValueError, match="first_origin"):
        rolling_origin_errors(series, spy, 27, 3)
    with pytest.raises(ValueError, match=r"shape \(horizon,\)"):
        rolling_origin_errors(series, lambda h, n: np.zeros(n + 1), 20, 3)


def test_torch_forecaster_adds_the_last_value_back():
    class Zero(torch.nn.Module):
        def forward(self, x):  # (N, L, 1) -> (N, 4)
            assert x.shape == (1, 5, 1) and float(x[0, -1, 0]) == 0.0
            return torch.ones(len(x), 4)

    f = torch_forecaster(Zero(), lags=5, scale=2.0)
    assert np.allclose(f(np.arange(10.0), 3), 9 + 2.0)
