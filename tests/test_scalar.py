"""Tests of the scalar recurrence O_t = f(x_t w + O_{t-1} w'), its BPTT terms and the trainer."""

import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from rnn_helpers import rnn_backward, rnn_forward
from rnn_helpers.explorers import scalar_lr_explorer, scalar_lr_view, scalar_memory_explorer, scalar_memory_view
from rnn_helpers.scalar import (
    bptt_terms_table,
    scalar_bptt_terms,
    scalar_forward,
    scalar_grad,
    scalar_loss,
    scalar_loss_grid,
    scalar_teacher_data,
    train_scalar,
)
from rnn_helpers.tasks import echo_task
from rnn_helpers.training import init_rnn_regression, rnn_regression_predict, train_rnn_regression

X4 = np.array([0.5, -1.0, 0.8, 0.3])


def test_forward_matches_the_notes_four_equations():
    w, wp, O0 = 0.9, 0.6, 0.2
    O1 = np.tanh(X4[0] * w + O0 * wp)
    O2 = np.tanh(X4[1] * w + O1 * wp)
    O3 = np.tanh(X4[2] * w + O2 * wp)
    O4 = np.tanh(X4[3] * w + O3 * wp)
    O, cache = scalar_forward(X4, w, wp, O0)
    np.testing.assert_allclose(O, [O1, O2, O3, O4], rtol=1e-15)
    np.testing.assert_allclose(cache["O_prev"][0], [O0, O1, O2, O3])


def _torch_grad(x, w, wp, y, O0, activation):
    f = {"tanh": torch.tanh, "sigmoid": torch.sigmoid, "relu": torch.relu, "linear": lambda a: a}
    tw = torch.tensor(w, dtype=torch.float64, requires_grad=True)
    twp = torch.tensor(wp, dtype=torch.float64, requires_grad=True)
    O = torch.tensor(O0, dtype=torch.float64)
    for xt in x:
        O = f[activation](float(xt) * tw + O * twp)
    L = 0.5 * (O - y) ** 2
    L.backward()
    return tw.grad.item(), twp.grad.item()


@settings(max_examples=25, deadline=None)
@given(
    w=st.floats(-1.5, 1.5),
    wp=st.floats(-1.5, 1.5),
    y=st.floats(-1, 1),
    O0=st.floats(-1, 1),
    activation=st.sampled_from(["tanh", "sigmoid", "linear"]),
)
def test_terms_sum_to_autograd_and_recursion(w, wp, y, O0, activation):
    terms = scalar_bptt_terms(X4, w, wp, y, O0, activation)
    assert len(terms) == 8
    sum_wp = sum(t.value for t in terms if t.param == "w'")
    sum_w = sum(t.value for t in terms if t.param == "w")
    dw_t, dwp_t = _torch_grad(X4, w, wp, y, O0, activation)
    _, dw, dwp = scalar_grad(X4, w, wp, y, O0, activation)
    np.testing.assert_allclose([sum_w, sum_wp], [dw_t, dwp_t], rtol=1e-10, atol=1e-13)
    np.testing.assert_allclose([dw, dwp], [dw_t, dwp_t], rtol=1e-10, atol=1e-13)


def test_grad_matches_finite_differences_on_a_batch():
    x, y = scalar_teacher_data(8, 6, rng=3)
    w, wp, eps = 0.3, -0.7, 1e-6
    _, dw, dwp = scalar_grad(x, w, wp, y)
    num_w = (scalar_loss(x, w + eps, wp, y) - scalar_loss(x, w - eps, wp, y)) / (2 * eps)
    num_wp = (scalar_loss(x, w, wp + eps, y) - scalar_loss(x, w, wp - eps, y)) / (2 * eps)
    np.testing.assert_allclose([dw, dwp], [num_w, num_wp], rtol=1e-7)


def test_term_structure_follows_the_notes():
    terms = scalar_bptt_terms(X4, 0.9, 0.6, 0.2)
    wp_terms = [t for t in terms if t.param == "w'"]
    assert [t.step for t in wp_terms] == [4, 3, 2, 1]
    # term i has dL/dy_hat, dy_hat/dO4, i - 1 recurrent factors and one direct factor
    assert [len(t.factors) for t in wp_terms] == [3, 4, 5, 6]
    assert wp_terms[0].path == "L -> y_hat -> O4 -> w'"
    assert wp_terms[3].path == "L -> y_hat -> O4 -> O3 -> O2 -> O1 -> w'"
    # O_0 = 0 makes the longest w' term vanish: d+O1/dw' = f'(a_1) O_0
    assert wp_terms[3].value == 0.0
    for t in terms:
        assert t.value == pytest.approx(np.prod([v for _, v in t.factors]))


def test_truncated_grad_keeps_the_shortest_terms():
    terms = scalar_bptt_terms(X4, 0.9, 0.6, 0.2, O0=0.3)
    for k in (1, 2, 3, 4, 10):
        _, dw, dwp = scalar_grad(X4, 0.9, 0.6, 0.2, O0=0.3, truncate=k)
        assert dw == pytest.approx(sum(t.value for t in terms if t.param == "w" and t.index <= k))
        assert dwp == pytest.approx(sum(t.value for t in terms if t.param == "w'" and t.index <= k))


def test_table_lists_every_term_and_the_sums():
    table = bptt_terms_table(scalar_bptt_terms(X4, 0.9, 0.6, 0.2))
    lines = table.splitlines()
    assert len(lines) == 2 + 8 + 2
    assert "dL/dw' #4" in table and "L -> y_hat -> O4 -> O3 -> O2 -> O1 -> w" in table
    _, dw, dwp = scalar_grad(X4, 0.9, 0.6, 0.2)
    assert f"{dwp:+.4g}" in lines[6] and f"{dw:+.4g}" in lines[-1]


def test_gradient_descent_recovers_the_teacher_and_big_steps_diverge():
    x, y = scalar_teacher_data(32, 4, w=1.0, w_prime=0.5, activation="linear", rng=0)
    good = train_scalar(x, y, -0.5, -0.5, lr=0.3, steps=60, activation="linear")
    assert not good["diverged"]
    assert good["w"][-1] == pytest.approx(1.0, abs=1e-3)
    assert good["w_prime"][-1] == pytest.approx(0.5, abs=1e-3)
    assert np.all(np.diff(good["loss"][:10]) < 0)
    bad = train_scalar(x, y, -0.5, -0.5, lr=3.0, steps=60, activation="linear")
    assert bad["diverged"] and len(bad["loss"]) < 61
    assert scalar_lr_view(x, y, -0.5, -0.5, 0.01)["verdict"] == "too slow"
    assert scalar_lr_view(x, y, -0.5, -0.5, 0.3)["verdict"] == "converges"
    assert scalar_lr_view(x, y, -0.5, -0.5, 3.0)["verdict"] == "diverges"


def test_update_rule_moves_against_the_slope():
    x, y = scalar_teacher_data(16, 4, rng=1)
    h = train_scalar(x, y, 0.2, 0.1, lr=0.1, steps=1)
    assert h["w"][1] == pytest.approx(h["w"][0] - 0.1 * h["dw"][0])
    assert np.sign(h["w"][1] - h["w"][0]) == -np.sign(h["dw"][0])


def test_loss_grid_matches_pointwise_loss():
    x, y = scalar_teacher_data(5, 4, rng=2)
    ws, wps = np.array([-0.5, 0.2, 1.0]), np.array([0.1, 0.9])
    grid = scalar_loss_grid(x, y, ws, wps)
    assert grid.shape == (2, 3)
    assert grid[1, 2] == pytest.approx(scalar_loss(x, 1.0, 0.9, y))


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: scalar_forward(np.zeros((2, 3, 4)), 1, 1), "x must have shape"),
        (lambda: scalar_forward(X4, 1, 1, activation="softplus"), "activation"),
        (lambda: scalar_forward(X4, np.ones(2), 1), "w must be a scalar"),
        (lambda: scalar_loss(np.zeros((3, 4)), 1, 1, np.zeros(2)), r"y must have shape \(N,\)"),
        (lambda: scalar_grad(X4, 1, 1, 0.0, truncate=0), "truncate"),
        (lambda: train_scalar(X4, 0.0, 1, 1, lr=-1, steps=3), "lr"),
        (lambda: scalar_bptt_terms(np.zeros((2, 4)), 1, 1, 0.0), "one sequence"),
    ],
)
def test_bad_input_raises_value_error(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_memory_view_regimes_and_drawing():
    assert scalar_memory_view(1.0, 0.5)["regime"] == "fades"
    assert scalar_memory_view(1.0, 1.0)["regime"] == "persists"
    assert scalar_memory_view(1.0, 1.2)["regime"] == "blows up"
    assert scalar_memory_view(1.0, 1.2, activation="tanh")["regime"] == "persists"
    fig, ax = plt.subplots()
    v = scalar_memory_view(1.0, 0.8, T=12, ax=ax)
    assert len(ax.lines) == 1 and len(ax.lines[0].get_xdata()) == 12
    np.testing.assert_allclose(ax.lines[0].get_ydata(), 0.8 ** np.arange(12))
    assert v["ax"] is ax
    plt.close(fig)


def test_memory_explorer_reacts_to_sliders():
    e = scalar_memory_explorer()
    e.controls["w_prime"].value = 0.5
    assert e.state["regime"] == "fades"
    e.controls["w_prime"].value = 1.3
    assert e.state["regime"] == "blows up"
    e.controls["activation"].value = "tanh"
    assert e.state["regime"] == "persists"


def test_lr_explorer_reacts_to_the_learning_rate():
    x, y = scalar_teacher_data(16, 4, activation="linear", rng=0)
    e = scalar_lr_explorer(x, y)
    e.controls["lr"].value = 0.01
    assert e.state["verdict"] == "too slow"
    e.controls["lr"].value = 3.0
    assert e.state["verdict"] == "diverges"
    assert bytes(e.widget.children[-1].value).startswith(b"\x89PNG")


def test_echo_task_targets_are_the_delayed_inputs():
    x, y, mask = echo_task(5, 10, 3, rng=0)
    assert x.shape == y.shape == (5, 10, 1) and mask.shape == (5, 10)
    np.testing.assert_array_equal(y[:, 3:], x[:, :-3])
    assert mask[:, :3].sum() == 0 and mask[:, 3:].min() == 1
    assert set(np.unique(x)) == {-1.0, 1.0}
    with pytest.raises(ValueError, match="lag"):
        echo_task(2, 5, 5)


def test_rnn_regression_learns_a_short_echo_only_with_a_long_enough_window():
    x, y, mask = echo_task(32, 12, 4, rng=0)
    full = train_rnn_regression(x, y, H=8, steps=200, lr=0.03, mask=mask, rng=1)
    cut = train_rnn_regression(x, y, H=8, steps=200, lr=0.03, mask=mask, truncate=2, rng=1)
    assert full["loss"][-1] < 0.05 < 0.2 < cut["loss"][-1]
    err = (rnn_regression_predict(full["params"], x) - y)[..., 0] * mask
    assert 0.5 * np.sum(err**2) / mask.sum() == pytest.approx(full["loss"][-1], rel=0.2)


def test_rnn_regression_gradient_descent_step_follows_the_update_rule():
    x, y, mask = echo_task(4, 6, 1, rng=0)
    p0 = init_rnn_regression(1, 3, 1, rng=5)
    one = train_rnn_regression(x, y, H=3, steps=1, lr=0.1, optimizer="gd", mask=mask, rng=5)
    h, cache = rnn_forward(x, np.zeros((4, 3)), p0["Wx"], p0["Wh"], p0["b"])
    dy = (h @ p0["Wy"] + p0["by"] - y) * mask[..., None] / mask.sum()
    dWh = rnn_backward(dy @ p0["Wy"].T, cache)[3]
    np.testing.assert_allclose(one["params"]["Wh"], p0["Wh"] - 0.1 * dWh, rtol=1e-12)


def test_rnn_regression_reports_divergence_without_warnings():
    x, y, _ = echo_task(8, 12, 2, rng=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = train_rnn_regression(10 * x, 10 * y, H=8, steps=40, lr=50.0, optimizer="gd", rng=0)
    assert r["diverged"] and np.isnan(r["loss"][-1])


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(x=np.zeros((2, 3)), y=np.zeros((2, 3, 1))), r"x must have shape \(N, T, D\)"),
        (dict(x=np.zeros((2, 3, 1)), y=np.zeros((2, 4, 1))), r"y must have shape"),
        (dict(x=np.zeros((2, 3, 1)), y=np.zeros((2, 3, 1)), mask=np.ones(3)), "mask"),
        (dict(x=np.zeros((2, 3, 1)), y=np.zeros((2, 3, 1)), optimizer="sgd"), "optimizer"),
    ],
)
def test_rnn_regression_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        train_rnn_regression(H=2, steps=1, **kwargs)
