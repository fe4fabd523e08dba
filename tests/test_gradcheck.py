"""Finite differences, relative error and the per-parameter report."""

import numpy as np

from rnn_helpers import (
    GradcheckRow,
    format_gradcheck,
    gradcheck_report,
    lstm_backward,
    lstm_forward,
    numerical_gradient,
    rel_error,
)


def test_numerical_gradient_of_a_known_function():
    x = np.random.default_rng(0).normal(size=(3, 4))
    grad = numerical_gradient(lambda v: (v**3).sum(), x)
    assert rel_error(grad, 3 * x**2) < 1e-9


def test_numerical_gradient_is_centred():
    # f(x) = x^3 at 1 with h = 1e-3: forward difference errs by ~3h, the centred one by h^2
    x = np.array([1.0])
    g = numerical_gradient(lambda v: float(v[0] ** 3), x, h=1e-3)
    assert abs(g[0] - 3.0) < 2e-6


def test_numerical_gradient_with_upstream_gradient():
    rng = np.random.default_rng(1)
    x, df = rng.normal(size=5), rng.normal(size=5)
    grad = numerical_gradient(lambda v: np.sin(v), x, df=df)
    assert rel_error(grad, np.cos(x) * df) < 1e-9


def test_numerical_gradient_restores_x_and_reads_closures():
    x = np.arange(6.0).reshape(2, 3)
    before = x.copy()
    grad = numerical_gradient(lambda _: (x**2).sum(), x)  # reads x from the closure
    assert np.array_equal(x, before)
    assert rel_error(grad, 2 * x) < 1e-9


def test_rel_error_values():
    a = np.array([1.0, 2.0])
    assert rel_error(a, a) == 0.0
    assert rel_error(np.zeros(3), np.zeros(3)) == 0.0
    assert rel_error(a, -a) == 1.0
    assert np.isclose(rel_error(np.array([1.0]), np.array([1.1])), 0.1 / 2.1)
    assert rel_error(a, a + 1e-9) == rel_error(a + 1e-9, a)


def _lstm_problem(bug: bool):
    rng = np.random.default_rng(0)
    N, T, D, H = 2, 3, 3, 2
    p = {
        "x": rng.normal(size=(N, T, D)),
        "h0": rng.normal(size=(N, H)),
        "c0": rng.normal(size=(N, H)),
        "Wx": rng.normal(size=(D, 4 * H)),
        "Wh": rng.normal(size=(H, 4 * H)),
        "b": rng.normal(size=4 * H),
    }
    dh = rng.normal(size=(N, T, H))

    def f():
        h, _, cache = lstm_forward(**p)
        grads = dict(zip(p, lstm_backward(dh, cache), strict=True))
        if bug:
            grads["Wh"] = grads["Wh"] * 1.01  # a 1% mistake in one gradient
        return (h * dh).sum(), grads

    return f, p


def test_report_passes_a_correct_backward():
    f, p = _lstm_problem(bug=False)
    rows = gradcheck_report(f, p)
    assert [r.name for r in rows] == list(p)
    assert all(isinstance(r, GradcheckRow) for r in rows)
    assert [r.shape for r in rows] == [v.shape for v in p.values()]
    assert max(r.rel_error for r in rows) < 1e-7
    text = format_gradcheck(rows)
    assert "FAIL" not in text and text.count("ok") == len(p)
    assert "(2, 3, 3)" in text and "Wh" in text


def test_report_catches_a_wrong_gradient():
    f, p = _lstm_problem(bug=True)
    rows = {r.name: r for r in gradcheck_report(f, p)}
    assert 1e-3 < rows["Wh"].rel_error < 1e-2  # 1% error: ||0.01 g|| / ||2.01 g|| ≈ 5e-3
    assert all(r.rel_error < 1e-7 for name, r in rows.items() if name != "Wh")
    text = format_gradcheck(list(rows.values()))
    assert text.count("FAIL") == 1
    assert [line for line in text.splitlines() if "FAIL" in line][0].startswith("Wh")
