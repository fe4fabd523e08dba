"""Exercise checks for notebook 10: signals (rolling-origin evaluation of a forecaster).

``check_rolling_origin_mae(fn)`` calls the learner's function, prints "Correct: ...", "Not quite:
..." (naming the mistake it recognises) or "Not yet: ..." (not written yet) and returns True
only when the answer matches the course's reference. It never prints the reference's values.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .feedback import verdict

__all__ = ["check_rolling_origin_mae"]


class _Spy:
    """A forecaster that remembers the length of every history it was given.

    Its forecast depends on the whole history it sees (so a leaked future changes the errors).
    """

    def __init__(self):
        self.lengths: list[int] = []

    def __call__(self, history, horizon):
        history = np.asarray(history, dtype=float)
        self.lengths.append(len(history))
        sign = (-1) ** len(history)  # over- and under-forecasts alternate, so signed errors cancel
        return history[-1] + sign * (0.8 + 0.3 * np.arange(horizon)) + (0.01 * history.sum()) % 1.0


def _reference_errors(series, forecast, first_origin, horizon):
    """|forecast - truth| at every origin first_origin .. len - 1 - horizon, (n_origins, horizon)."""
    return np.stack(
        [
            np.abs(forecast(series[: o + 1], horizon) - series[o + 1 : o + 1 + horizon])  # sees y_0 .. y_o
            for o in range(first_origin, len(series) - horizon)
        ]
    )


def check_rolling_origin_mae(rolling_origin_mae: Callable) -> bool:
    """Check ``rolling_origin_mae(series, forecast, first_origin, horizon)`` -> MAE by horizon, (horizon,).

    The reference: at every origin o = first_origin .. len(series) - 1 - horizon, call
    ``forecast(series[:o + 1], horizon)``, compare step h with ``series[o + h]``, take |error|,
    and average over the origins (one MAE per horizon).
    """
    rng = np.random.default_rng(7)
    series = np.cumsum(rng.normal(size=40))  # a random walk, 40 values
    first, H = 25, 4
    origins = list(range(first, len(series) - H))  # 25 .. 35: 11 origins
    spy = _Spy()
    try:
        got = rolling_origin_mae(series.copy(), spy, first, H)
    except NotImplementedError:
        return verdict(False, "Not yet: replace `raise NotImplementedError` with your rolling-origin loop.")
    except (IndexError, ValueError) as err:
        return verdict(
            False,
            f"Not quite: your function raised {type(err).__name__} ({err}). Did a slice run past the end of the "
            "series? The last origin is len(series) - 1 - horizon, and step h is compared with series[o + h].",
        )
    if got is None:
        return verdict(False, "Not quite: the function returns None; return the MAE for each horizon.")
    got = np.asarray(got, dtype=float)

    # which histories did the forecaster see?
    seen = spy.lengths
    if seen and len(set(seen)) == 1 and seen[0] == len(series):
        return verdict(
            False,
            "Not quite: the forecaster saw the whole series, the future included (a leak). "
            "At origin o give it series[:o + 1] only.",
        )
    if seen and max(seen) > origins[-1] + 1:
        return verdict(
            False,
            "Not quite: the forecaster saw values after the origin (leaking the future into "
            "its window). At origin o give it series[:o + 1]: y_0 .. y_o and nothing later.",
        )
    if sorted(seen) == origins:
        return verdict(
            False,
            "Not quite: the history stops one step early: series[:o] leaves out y_o, the value "
            "at the origin itself. Give the forecaster series[:o + 1].",
        )
    if sorted(seen) != [o + 1 for o in origins]:
        used = sorted(n - 1 for n in seen)
        if used and used[0] > first:
            return verdict(False, f"Not quite: the first origin should be first_origin = {first}, yours was {used[0]}.")
        if used and used[-1] < origins[-1]:
            return verdict(
                False,
                "Not quite: the last origin is missing: origins run up to and including "
                "len(series) - 1 - horizon (range(first_origin, len(series) - horizon)).",
            )
        return verdict(
            False,
            f"Not quite: expected one forecast per origin, {len(origins)} in all "
            f"(origins {first} .. len(series) - 1 - horizon); the forecaster was called {len(seen)} times.",
        )

    errors = _reference_errors(series, _Spy(), first, H)  # (n_origins, H), reference |errors|
    want = errors.mean(0)  # (H,)
    if got.shape == want.shape and np.allclose(got, want):
        return verdict(
            True,
            "Correct: one MAE per horizon, averaged over every origin of the test period, "
            "and no forecast saw a value after its origin.",
        )

    def variant(shift=0, signed=False, squared=False):
        out = []
        for o in origins:
            pred = _Spy()(series[: o + 1], H)
            lo = o + 1 + shift
            truth = series[lo : lo + H]
            if len(truth) < H:
                return None
            e = pred - truth
            out.append(e**2 if squared else (e if signed else np.abs(e)))
        return np.stack(out)

    if got.shape == (len(origins),):
        if np.allclose(got, errors.mean(1)):
            return verdict(
                False,
                "Not quite: that averages over the wrong axis: one number per origin (mean over the "
                "horizons). Average over the origins instead: one MAE per horizon, shape (horizon,).",
            )
        return verdict(
            False,
            f"Not quite: expected one MAE per horizon, shape ({H},), got one value per origin "
            f"{got.shape}: average over the origins (axis 0).",
        )
    if got.size == 1:
        return verdict(
            False,
            f"Not quite: that is a single number; return one MAE per horizon, shape ({H},), "
            "averaging over the origins only.",
        )
    if got.shape != want.shape:
        return verdict(False, f"Not quite: expected shape (horizon,) = ({H},), got {got.shape}.")
    for shift, why in [
        (
            -1,
            "off by one in the horizon: step h was compared with series[o + h - 1] (the first "
            "comparison is with y_o, which the forecaster already saw). Compare with series[o + h]",
        ),
        (1, "off by one in the horizon: step h was compared with series[o + h + 1]. Compare with series[o + h]"),
    ]:
        v = variant(shift=shift)
        if v is not None and np.allclose(got, v.mean(0)):
            return verdict(False, f"Not quite: {why}.")
    if np.allclose(got, variant(signed=True).mean(0)) or np.allclose(got, -variant(signed=True).mean(0)):
        return verdict(False, "Not quite: errors of opposite sign cancel: take |forecast - truth| before averaging.")
    if np.allclose(got, variant(squared=True).mean(0)):
        return verdict(False, "Not quite: that is the mean squared error; MAE averages |forecast - truth|.")
    if np.allclose(got, np.sqrt(variant(squared=True).mean(0))):
        return verdict(False, "Not quite: that is the root mean squared error; MAE averages |forecast - truth|.")
    if np.allclose(got, errors.sum(0)):
        return verdict(
            False, "Not quite: that is the sum over origins; divide by the number of origins (take the mean)."
        )
    return verdict(
        False,
        "Not quite: the histories are right but the numbers differ from the reference: at origin o "
        "compare forecast step h (index h - 1) with series[o + h] and average |error| over origins.",
    )
