"""The numpy RNN cell: finite differences, torch parity, truncated BPTT."""

import numpy as np
import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st

from rnn_helpers import (
    gradcheck_report,
    params_to_torch,
    rel_error,
    rnn_backward,
    rnn_forward,
    rnn_step_backward,
    rnn_step_forward,
)

NAMES = ("x", "h0", "Wx", "Wh", "b")


def make(N=3, T=5, D=4, H=6, scale=0.5, seed=0):
    rng = np.random.default_rng(seed)
    return {
        "x": rng.normal(size=(N, T, D)),
        "h0": rng.normal(size=(N, H)),
        "Wx": rng.normal(size=(D, H)) * scale,
        "Wh": rng.normal(size=(H, H)) * scale,
        "b": rng.normal(size=H) * scale,
    }, rng.normal(size=(N, T, H))


def assert_close(a, b, tol=1e-10):
    """Agree to ``tol`` relative to each entry, with an absolute floor of ``tol`` times the
    array's scale (or 1, the scale of dh): entries far below that are numerically zero."""
    a, b = np.asarray(a), np.asarray(b)
    assert a.shape == b.shape
    np.testing.assert_allclose(a, b, rtol=tol, atol=tol * max(1.0, np.abs(b).max(initial=0)))


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_rnn_backward_matches_finite_differences(activation):
    p, dh = make()

    def f():
        h, cache = rnn_forward(**p, activation=activation)
        grads = rnn_backward(dh, cache)
        return (h * dh).sum(), dict(zip(NAMES, grads, strict=True))

    rows = gradcheck_report(f, p)
    assert [r.name for r in rows] == list(NAMES)
    for r in rows:
        assert r.rel_error < 1e-7, r


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_rnn_step_backward_matches_finite_differences(activation):
    p, _ = make(T=1)
    step = {"x": p["x"][:, 0], "h_prev": p["h0"], "Wx": p["Wx"], "Wh": p["Wh"], "b": p["b"]}
    dh = np.random.default_rng(1).normal(size=p["h0"].shape)

    def f():
        h, cache = rnn_step_forward(**step, activation=activation)
        grads = rnn_step_backward(dh, cache)
        return (h * dh).sum(), dict(zip(step, grads, strict=True))

    for r in gradcheck_report(f, step):
        assert r.rel_error < 1e-7, r


def test_step_forward_is_the_equation_and_matches_the_sequence():
    p, _ = make()
    h, _ = rnn_forward(**p)
    h_prev = p["h0"]
    for t in range(p["x"].shape[1]):
        expected = np.tanh(p["x"][:, t] @ p["Wx"] + h_prev @ p["Wh"] + p["b"])
        h_step, _ = rnn_step_forward(p["x"][:, t], h_prev, p["Wx"], p["Wh"], p["b"])
        np.testing.assert_allclose(h_step, expected, rtol=1e-14, atol=1e-15)
        np.testing.assert_allclose(h[:, t], expected, rtol=1e-14, atol=1e-15)
        h_prev = h_step


def torch_rnn(p, dh, activation):
    """Outputs and gradients of torch.nn.RNN with the same weights (autograd)."""
    D, H = p["Wx"].shape
    m = torch.nn.RNN(D, H, nonlinearity=activation, batch_first=True, dtype=torch.float64)
    params_to_torch({k: p[k] for k in ("Wx", "Wh", "b")}, m)
    x = torch.tensor(p["x"], requires_grad=True)
    h0 = torch.tensor(p["h0"][None], requires_grad=True)
    out, _ = m(x, h0)
    (out * torch.tensor(dh)).sum().backward()
    grads = [
        x.grad.numpy(),
        h0.grad[0].numpy(),
        m.weight_ih_l0.grad.numpy().T,
        m.weight_hh_l0.grad.numpy().T,
        m.bias_ih_l0.grad.numpy(),
    ]
    np.testing.assert_allclose(m.bias_ih_l0.grad.numpy(), m.bias_hh_l0.grad.numpy(), rtol=1e-12)
    return out.detach().numpy(), grads


@example(N=1, T=1, D=1, H=1, scale=30.0, activation="tanh", seed=0)  # smallest shapes, saturated
@example(N=1, T=6, D=3, H=1, scale=30.0, activation="tanh", seed=1)
@example(N=2, T=6, D=3, H=4, scale=30.0, activation="relu", seed=2)  # large relu states
@settings(max_examples=30, deadline=None)
@given(
    N=st.integers(1, 4),
    T=st.integers(1, 6),
    D=st.integers(1, 4),
    H=st.integers(1, 5),
    scale=st.sampled_from([0.3, 1.0, 3.0, 30.0]),
    activation=st.sampled_from(["tanh", "relu"]),
    seed=st.integers(0, 2**16),
)
def test_rnn_matches_torch(N, T, D, H, scale, activation, seed):
    p, dh = make(N, T, D, H, scale, seed)
    p["x"] = p["x"] * scale  # large inputs saturate tanh
    h, cache = rnn_forward(**p, activation=activation)
    out, torch_grads = torch_rnn(p, dh, activation)
    assert_close(h, out)
    for ours, theirs in zip(rnn_backward(dh, cache), torch_grads, strict=True):
        assert_close(ours, theirs)


def torch_truncated(p, dh, k, activation="tanh"):
    """Independent reference for truncated BPTT: for each t, rerun the last k steps in
    torch from a DETACHED state and backprop the loss at step t alone."""
    D, H = p["Wx"].shape
    m = torch.nn.RNN(D, H, nonlinearity=activation, batch_first=True, dtype=torch.float64)
    params_to_torch({k_: p[k_] for k_ in ("Wx", "Wh", "b")}, m)
    x = torch.tensor(p["x"], requires_grad=True)
    h0 = torch.tensor(p["h0"][None], requires_grad=True)
    with torch.no_grad():
        h_all, _ = m(x, h0)
    T = x.shape[1]
    for t in range(T):
        s0 = max(0, t - k + 1)
        start = h0 if s0 == 0 else h_all[:, s0 - 1][None].detach()
        out, _ = m(x[:, s0 : t + 1], start)
        (out[:, -1] * torch.tensor(dh[:, t])).sum().backward()
    return [
        x.grad.numpy(),
        h0.grad[0].numpy(),
        m.weight_ih_l0.grad.numpy().T,
        m.weight_hh_l0.grad.numpy().T,
        m.bias_ih_l0.grad.numpy(),
    ]


@pytest.mark.parametrize("k", [1, 2, 3])
@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_truncated_bptt_matches_detached_torch_reference(k, activation):
    p, dh = make(T=6)
    _, cache = rnn_forward(**p, activation=activation)
    ours = rnn_backward(dh, cache, truncate=k)
    for a, b in zip(ours, torch_truncated(p, dh, k, activation), strict=True):
        assert_close(a, b)
    full = rnn_backward(dh, cache)
    assert rel_error(ours[3], full[3]) > 1e-3  # truncation really changes dWh


@pytest.mark.parametrize("k", [5, 6, 100])
def test_truncate_at_least_T_equals_full_bptt(k):
    p, dh = make(T=5)
    _, cache = rnn_forward(**p)
    for a, b in zip(rnn_backward(dh, cache, truncate=k), rnn_backward(dh, cache), strict=True):
        assert_close(a, b, tol=1e-13)


def test_truncate_one_equals_one_step_gradients():
    p, dh = make(T=5)
    h, cache = rnn_forward(**p)
    dx, dh0, dWx, dWh, db = rnn_backward(dh, cache, truncate=1)
    sums = [np.zeros_like(p[k]) for k in ("Wx", "Wh", "b")]
    h_prev = p["h0"]
    for t in range(p["x"].shape[1]):
        _, c = rnn_step_forward(p["x"][:, t], h_prev, p["Wx"], p["Wh"], p["b"])
        sdx, sdh_prev, *sgrads = rnn_step_backward(dh[:, t], c)
        assert_close(dx[:, t], sdx, tol=1e-13)
        if t == 0:
            assert_close(dh0, sdh_prev, tol=1e-13)
        for acc, g in zip(sums, sgrads, strict=True):
            acc += g
        h_prev = h[:, t]
    for ours, expected in zip((dWx, dWh, db), sums, strict=True):
        assert_close(ours, expected, tol=1e-13)


def test_float32_stays_float32_and_ints_become_float64():
    p, dh = make()
    h32, cache = rnn_forward(**{k: v.astype(np.float32) for k, v in p.items()})
    assert h32.dtype == np.float32
    assert all(g.dtype == np.float32 for g in rnn_backward(dh.astype(np.float32), cache))
    h64, _ = rnn_forward(**p)
    assert rel_error(h32, h64) < 1e-5
    hint, _ = rnn_forward(np.ones((2, 3, 1), dtype=int), np.zeros((2, 2)), [[1, 0]], np.eye(2), [0, 0])
    assert hint.dtype == np.float64


def test_inputs_are_not_modified():
    p, dh = make()
    before = {k: v.copy() for k, v in p.items()}
    dh_before = dh.copy()
    _, cache = rnn_forward(**p)
    rnn_backward(dh, cache, truncate=2)
    rnn_backward(dh, cache)
    for k in p:
        assert np.array_equal(p[k], before[k])
    assert np.array_equal(dh, dh_before)


def test_relu_rnn_outputs_are_nonnegative_and_tanh_bounded():
    p, _ = make(scale=3.0)
    h_relu, _ = rnn_forward(**p, activation="relu")
    h_tanh, _ = rnn_forward(**p)
    assert h_relu.min() >= 0 and (h_relu == 0).any() and h_relu.max() > 1
    assert np.abs(h_tanh).max() <= 1
