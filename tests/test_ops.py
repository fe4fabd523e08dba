"""Activations, derivatives, softmax and losses: values, derivatives, stability, torch parity."""

import warnings

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from rnn_helpers import (
    leaky_relu,
    leaky_relu_grad,
    log_softmax,
    mse_loss,
    numerical_gradient,
    rel_error,
    relu,
    relu_grad,
    sigmoid,
    sigmoid_grad,
    softmax,
    softmax_cross_entropy,
    softmax_grad,
    tanh,
    tanh_grad,
)
from rnn_helpers.ops import sigmoid_fast

rng = np.random.default_rng(0)
X = rng.normal(size=(4, 5)) * 3
EXTREME = np.array([-1e4, -800.0, -50.0, -1.0, 0.0, 1.0, 50.0, 800.0, 1e4])

PAIRS = [
    (sigmoid, sigmoid_grad, lambda t: torch.sigmoid(t)),
    (tanh, tanh_grad, lambda t: torch.tanh(t)),
    (relu, relu_grad, lambda t: torch.relu(t)),
    (leaky_relu, leaky_relu_grad, lambda t: F.leaky_relu(t, 0.01)),
]


@pytest.mark.parametrize("f, f_grad, ref", PAIRS, ids=lambda p: getattr(p, "__name__", ""))
def test_activation_and_derivative_match_torch(f, f_grad, ref):
    t = torch.tensor(X, requires_grad=True)
    y = ref(t)
    y.sum().backward()
    np.testing.assert_allclose(f(X), y.detach().numpy(), rtol=1e-14, atol=1e-16)
    np.testing.assert_allclose(f_grad(X), t.grad.numpy(), rtol=1e-12, atol=1e-16)


@pytest.mark.parametrize("f, f_grad", [(p[0], p[1]) for p in PAIRS], ids=lambda p: p.__name__)
def test_derivative_matches_finite_differences(f, f_grad):
    x = X.copy()
    x[np.abs(x) < 1e-3] = 0.5  # keep away from the ReLU kink
    df = rng.normal(size=x.shape)
    num = numerical_gradient(lambda v: f(v), x, df=df)
    assert rel_error(num, f_grad(x) * df) < 1e-8


@pytest.mark.parametrize("f", [sigmoid, sigmoid_grad, tanh, tanh_grad, relu, leaky_relu, softmax, log_softmax])
def test_stable_for_huge_inputs(f):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            y = f(EXTREME)
    assert np.isfinite(y).all()


def test_saturated_values_are_exact():
    assert sigmoid(np.array(1e4)) == 1.0 and sigmoid(np.array(-1e4)) == 0.0
    assert sigmoid_grad(np.array(1e4)) == 0.0
    np.testing.assert_allclose(sigmoid(np.array([-50.0])), np.exp(-50.0), rtol=1e-14)
    s = softmax(np.array([1e4, 0.0, -1e4]))
    np.testing.assert_allclose(s, [1.0, 0.0, 0.0])
    np.testing.assert_allclose(log_softmax(np.array([1e4, 0.0])), [0.0, -1e4])


def test_fast_sigmoid_agrees_with_sigmoid():
    x = np.concatenate([X.ravel(), EXTREME])
    with np.errstate(all="raise"):
        fast = sigmoid_fast(x)
    np.testing.assert_allclose(fast, sigmoid(x), rtol=1e-12, atol=1e-16)
    out = np.empty_like(x)
    assert sigmoid_fast(x, out=out) is out


def test_leaky_relu_slope():
    x = np.array([-2.0, 3.0])
    np.testing.assert_allclose(leaky_relu(x, alpha=0.1), [-0.2, 3.0])
    np.testing.assert_allclose(leaky_relu_grad(x, alpha=0.1), [0.1, 1.0])
    assert relu_grad(np.array([0.0]))[0] == 0.0


def test_softmax_rows_sum_to_one_and_ignore_shifts():
    s = softmax(X)
    np.testing.assert_allclose(s.sum(axis=-1), 1.0, rtol=1e-14)
    np.testing.assert_allclose(softmax(X + 1000.0), s, rtol=1e-12)
    np.testing.assert_allclose(softmax(X, axis=0).sum(axis=0), 1.0, rtol=1e-14)
    np.testing.assert_allclose(softmax(X), torch.softmax(torch.tensor(X), -1).numpy(), rtol=1e-13)
    np.testing.assert_allclose(log_softmax(X), np.log(s), rtol=1e-12)


def test_softmax_jacobian_matches_finite_differences():
    x = rng.normal(size=(3, 5))
    J = softmax_grad(x)
    assert J.shape == (3, 5, 5)
    for k in range(5):  # column k of each row's Jacobian: ∂s/∂x_k
        e = np.zeros(5)
        e[k] = 1.0
        for n in range(3):
            xn = x[n].copy()
            num = numerical_gradient(lambda v: softmax(v), xn, df=e)
            np.testing.assert_allclose(J[n, k, :], num, atol=1e-9)  # row k: ∂s_k/∂x_j


@pytest.mark.parametrize("shape", [(6, 5), (3, 4, 5), (1, 1)])
def test_softmax_cross_entropy_matches_torch(shape):
    scores = rng.normal(size=shape) * 3
    y = rng.integers(0, shape[-1], size=shape[:-1])
    loss, dscores = softmax_cross_entropy(scores, y)
    t = torch.tensor(scores, requires_grad=True)
    ref = F.cross_entropy(t.reshape(-1, shape[-1]), torch.tensor(y).reshape(-1))
    ref.backward()
    assert abs(loss - ref.item()) < 1e-12 * max(1.0, abs(ref.item()))
    np.testing.assert_allclose(dscores, t.grad.numpy(), rtol=1e-10, atol=1e-15)
    num = numerical_gradient(lambda s: softmax_cross_entropy(s, y)[0], scores)
    assert rel_error(num, dscores) < 1e-7


def test_softmax_cross_entropy_is_stable_for_huge_scores():
    scores = np.array([[1e4, -1e4, 0.0], [0.0, 0.0, 0.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss, dscores = softmax_cross_entropy(scores, np.array([1, 2]))
    np.testing.assert_allclose(loss, (2e4 + np.log(3)) / 2)
    assert np.isfinite(dscores).all()


def test_mse_loss_matches_torch_and_finite_differences():
    pred, target = rng.normal(size=(4, 3, 2)), rng.normal(size=(4, 3, 2))
    loss, dpred = mse_loss(pred, target)
    t = torch.tensor(pred, requires_grad=True)
    ref = F.mse_loss(t, torch.tensor(target))
    ref.backward()
    assert abs(loss - ref.item()) < 1e-14
    np.testing.assert_allclose(dpred, t.grad.numpy(), rtol=1e-12)
    num = numerical_gradient(lambda p: mse_loss(p, target)[0], pred)
    assert rel_error(num, dpred) < 1e-7
