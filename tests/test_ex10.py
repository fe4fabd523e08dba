"""Exercise check of notebook 10 accepts the solution and names each common mistake."""

import numpy as np

from rnn_helpers.exercises.ex10 import check_rolling_origin_mae


def solution(series, forecast, first_origin, horizon):
    errors = [
        np.abs(forecast(series[: o + 1], horizon) - series[o + 1 : o + 1 + horizon])
        for o in range(first_origin, len(series) - horizon)
    ]
    return np.mean(errors, axis=0)


def mistake(
    history=lambda s, o: s[: o + 1],
    truth=lambda s, o, H: s[o + 1 : o + 1 + H],
    origins=lambda f, n, H: range(f, n - H),
    err=np.abs,
    axis=0,
    reduce=np.mean,
):
    def fn(series, forecast, first_origin, horizon):
        rows = [
            err(forecast(history(series, o), horizon) - truth(series, o, horizon))
            for o in origins(first_origin, len(series), horizon)
        ]
        return reduce(np.array(rows), axis=axis)

    return fn


def test_solution_is_correct(capsys):
    assert check_rolling_origin_mae(solution) is True
    out = capsys.readouterr().out
    assert out.startswith("Correct") and not any(ch.isdigit() for ch in out)  # no values printed


def test_not_written_yet(capsys):
    def stub(series, forecast, first_origin, horizon):
        raise NotImplementedError

    assert check_rolling_origin_mae(stub) is False
    assert capsys.readouterr().out.startswith("Not yet")


def test_each_mistake_is_named(capsys):
    cases = [
        (mistake(history=lambda s, o: s), "whole series"),
        (mistake(history=lambda s, o: s[: o + 2]), "leaking the future"),
        (mistake(history=lambda s, o: s[:o]), "stops one step early"),
        (mistake(truth=lambda s, o, H: s[o : o + H]), "off by one in the horizon"),
        (mistake(truth=lambda s, o, H: s[o + 2 : o + 2 + H]), "slice run past the end"),
        (mistake(origins=lambda f, n, H: range(f, n - H - 1)), "last origin is missing"),
        (mistake(origins=lambda f, n, H: range(f + 1, n - H)), "first origin should be"),
        (mistake(origins=lambda f, n, H: range(f, n - H + 1)), "slice run past the end"),
        (mistake(axis=1), "wrong axis"),
        (mistake(axis=None), "single number"),
        (mistake(err=lambda e: e), "opposite sign cancel"),
        (mistake(err=np.square), "mean squared error"),
        (mistake(reduce=np.sum), "sum over origins"),
        (lambda *a: None, "returns None"),
    ]
    for fn, why in cases:
        assert check_rolling_origin_mae(fn) is False, why
        out = capsys.readouterr().out
        assert out.startswith("Not quite") and why in out, (why, out)
