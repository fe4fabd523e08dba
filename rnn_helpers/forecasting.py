"""Forecasting a series: naive and linear baselines, and rolling-origin evaluation.

Not re-exported at the top level: ``from rnn_helpers.forecasting import ...``.

A forecaster is any function ``forecast(history, horizon) -> (horizon,)`` that sees only the
values up to and including the forecast origin ``o`` (``history = series[:o + 1]``) and predicts
``series[o + 1 : o + 1 + horizon]``. Rolling-origin evaluation repeats this at every origin of the
test period and keeps one error per origin and horizon.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch

from .datasets import make_windows

__all__ = [
    "last_value_forecast",
    "seasonal_naive_forecast",
    "LinearAutoregression",
    "rolling_origin_errors",
    "lagged_windows",
    "torch_forecaster",
]


def _check_history(history, horizon: int) -> np.ndarray:
    history = np.asarray(history, dtype=float)
    if history.ndim != 1 or len(history) == 0:
        raise ValueError(f"history must be a non-empty 1-D array, got shape {history.shape}")
    if horizon < 1:
        raise ValueError(f"horizon must be >= 1, got {horizon}")
    return history


def last_value_forecast(history, horizon: int) -> np.ndarray:
    """Naive forecast: every future value equals the last one seen, y^_{o+h} = y_o. Returns (horizon,)."""
    history = _check_history(history, horizon)
    return np.full(horizon, history[-1])


def seasonal_naive_forecast(history, horizon: int, period: int = 12) -> np.ndarray:
    """Seasonal naive: y^_{o+h} = y_{o+h-k*period}, the same month of the last observed year.

    k = ceil(h / period), so horizons 1..period copy the last period and later ones repeat it.
    Returns (horizon,).
    """
    history = _check_history(history, horizon)
    if len(history) < period:
        raise ValueError(f"history must hold at least period = {period} values, got {len(history)}")
    return np.resize(history[-period:], horizon)


def lagged_windows(series, lags: int, horizon: int) -> tuple[np.ndarray, np.ndarray]:
    """Every window of ``lags`` values and the ``horizon`` values after it, relative to the window's last value.

    Returns x (N, lags) = window - last and y (N, horizon) = future - last, N = len - lags - horizon + 1.
    Working relative to the last value keeps a trending series in the range seen in training.
    """
    x, y = make_windows(series, lags, horizon)  # the one windowing; raises for a short series
    y = y.reshape(len(x), horizon)  # (N, horizon) also when horizon = 1
    last = x[:, -1:]  # (N, 1)
    return x - last, y - last


class LinearAutoregression:
    """Direct linear autoregression: one least-squares fit per horizon on the last ``lags`` values.

        y^_{o+h} - y_o = sum_k a_{h,k} (y_{o-k} - y_o) + c_h,   h = 1..horizon

    ``fit(train)`` uses only the training series; calling the model, ``model(history, horizon)``,
    forecasts from the last ``lags`` values of history (horizon <= the fitted horizon).
    """

    def __init__(self, lags: int, horizon: int):
        self.lags, self.horizon = lags, horizon
        self.coef: np.ndarray | None = None  # (lags + 1, horizon)

    def fit(self, train) -> LinearAutoregression:
        x, y = lagged_windows(train, self.lags, self.horizon)  # (N, L), (N, H)
        A = np.c_[x, np.ones(len(x))]  # (N, L+1): lags and an intercept
        self.coef = np.linalg.lstsq(A, y, rcond=None)[0]  # (L+1, H)
        return self

    def __call__(self, history, horizon: int) -> np.ndarray:
        history = _check_history(history, horizon)
        if self.coef is None:
            raise ValueError("call fit(train) before forecasting")
        if horizon > self.horizon or len(history) < self.lags:
            raise ValueError(
                f"need horizon <= {self.horizon} and at least lags = {self.lags} values of history, "
                f"got horizon {horizon} and {len(history)} values"
            )
        x = np.r_[history[-self.lags :] - history[-1], 1.0]  # (L+1,)
        return history[-1] + (x @ self.coef)[:horizon]


def rolling_origin_errors(
    series, forecast: Callable[[np.ndarray, int], np.ndarray], first_origin: int, horizon: int
) -> np.ndarray:
    """Absolute errors of ``forecast`` at every origin from ``first_origin`` on, for each horizon.

    At origin o the forecaster sees ``series[:o + 1]`` (nothing later) and its prediction for
    step h is compared with ``series[o + h]``. Origins run from ``first_origin`` to the last one
    whose whole horizon lies in the series, ``len(series) - 1 - horizon``.
    Returns |error| of shape (n_origins, horizon); average over axis 0 for the error by horizon.
    """
    series = np.asarray(series, dtype=float)
    last_origin = len(series) - 1 - horizon
    if series.ndim != 1 or not 0 <= first_origin <= last_origin:
        raise ValueError(
            f"first_origin must be in [0, len(series) - 1 - horizon] = [0, {last_origin}], got {first_origin} "
            f"(series shape {series.shape}, horizon {horizon})"
        )
    errors = []
    for o in range(first_origin, last_origin + 1):
        pred = np.asarray(forecast(series[: o + 1], horizon), dtype=float)  # sees y_0 .. y_o only
        if pred.shape != (horizon,):
            raise ValueError(f"forecast must return shape (horizon,) = ({horizon},), got {pred.shape}")
        errors.append(np.abs(pred - series[o + 1 : o + 1 + horizon]))  # steps o+1 .. o+horizon
    return np.stack(errors)  # (n_origins, horizon)


def torch_forecaster(model, lags: int, scale: float) -> Callable[[np.ndarray, int], np.ndarray]:
    """Wrap a torch model (N, lags, 1) -> (N, H) trained on ``lagged_windows(...) / scale`` as a forecaster.

    The returned ``forecast(history, horizon)`` feeds (last ``lags`` values - last value) / scale
    and adds the last value back: y^_{o+h} = y_o + scale * model(...)_h.
    """

    def forecast(history, horizon: int) -> np.ndarray:
        history = _check_history(history, horizon)
        x = torch.tensor((history[-lags:] - history[-1]) / scale, dtype=torch.float32)[None, :, None]  # (1, L, 1)
        with torch.no_grad():
            out = model(x)[0, :horizon].double().numpy()  # (horizon,)
        return history[-1] + scale * out

    return forecast
