"""Tests of the scalar recurrence O_t = f(x_t w + O_{t-1} w'), its BPTT terms and the trainer."""

import matplotlib

matplotlib.use("Agg")
import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from rnn_helpers.explorers import scalar_lr_view
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
