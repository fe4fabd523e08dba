"""The numpy LSTM cell: finite differences, torch parity, gate order, truncated BPTT."""

import numpy as np
import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st

from rnn_helpers import (
    LSTM_GATES,
    gradcheck_report,
    lstm_backward,
    lstm_forward,
    lstm_step_backward,
    lstm_step_forward,
    params_to_torch,
    rel_error,
    sigmoid,
)

NAMES = ("x", "h0", "c0", "Wx", "Wh", "b")


def make(N=3, T=5, D=4, H=6, scale=0.5, seed=0):
    rng = np.random.default_rng(seed)
    return {
        "x": rng.normal(size=(N, T, D)),
        "h0": rng.normal(size=(N, H)),
        "c0": rng.normal(size=(N, H)),
        "Wx": rng.normal(size=(D, 4 * H)) * scale,
        "Wh": rng.normal(size=(H, 4 * H)) * scale,
        "b": rng.normal(size=4 * H) * scale,
    }, rng.normal(size=(N, T, H))


def assert_close(a, b, tol=1e-10):
    """Agree to ``tol`` relative to each entry, with an absolute floor of ``tol`` times the
    array's scale (or 1, the scale of dh): entries far below that are numerically zero."""
    a, b = np.asarray(a), np.asarray(b)
    assert a.shape == b.shape
    np.testing.assert_allclose(a, b, rtol=tol, atol=tol * max(1.0, np.abs(b).max(initial=0)))


def test_gate_order_is_torchs():
    assert LSTM_GATES == ("i", "f", "g", "o")


@pytest.mark.parametrize("with_dc", [False, True])
def test_lstm_backward_matches_finite_differences(with_dc):
    p, dh = make()
    dc = np.random.default_rng(5).normal(size=dh.shape) if with_dc else None

    def f():
        h, c, cache = lstm_forward(**p)
        grads = lstm_backward(dh, cache, dc=dc)
        loss = (h * dh).sum() + (0.0 if dc is None else (c * dc).sum())
        return loss, dict(zip(NAMES, grads, strict=True))

    rows = gradcheck_report(f, p)
    assert [r.name for r in rows] == list(NAMES)
    for r in rows:
        assert r.rel_error < 1e-7, r


def test_lstm_step_backward_matches_finite_differences():
    p, _ = make(T=1)
    step = {"x": p["x"][:, 0], "h_prev": p["h0"], "c_prev": p["c0"]}
    step.update(Wx=p["Wx"], Wh=p["Wh"], b=p["b"])
    rng = np.random.default_rng(1)
    dh, dc = rng.normal(size=p["h0"].shape), rng.normal(size=p["h0"].shape)

    def f():
        h, c, cache = lstm_step_forward(**step)
        grads = lstm_step_backward(dh, dc, cache)
        return (h * dh).sum() + (c * dc).sum(), dict(zip(step, grads, strict=True))

    for r in gradcheck_report(f, step):
        assert r.rel_error < 1e-7, r


def test_step_is_the_equations_and_gates_are_in_the_cache():
    p, _ = make()
    h, c, cache = lstm_forward(**p)
    H = p["h0"].shape[1]
    h_prev, c_prev = p["h0"], p["c0"]
    for t in range(p["x"].shape[1]):
        a = p["x"][:, t] @ p["Wx"] + h_prev @ p["Wh"] + p["b"]
        i, f, o = sigmoid(a[:, :H]), sigmoid(a[:, H : 2 * H]), sigmoid(a[:, 3 * H :])
        g = np.tanh(a[:, 2 * H : 3 * H])
        c_exp = f * c_prev + i * g
        h_exp = o * np.tanh(c_exp)
        h_step, c_step, step_cache = lstm_step_forward(p["x"][:, t], h_prev, c_prev, p["Wx"], p["Wh"], p["b"])
        for got in (h_step, h[:, t]):
            np.testing.assert_allclose(got, h_exp, rtol=1e-13, atol=1e-15)
        np.testing.assert_allclose(c[:, t], c_exp, rtol=1e-13, atol=1e-15)
        for name, expected in zip(LSTM_GATES, (i, f, g, o), strict=True):
            np.testing.assert_allclose(cache["gates"][name][:, t], expected, rtol=1e-13, atol=1e-15)
            np.testing.assert_allclose(step_cache["gates"][name], expected, rtol=1e-13, atol=1e-15)
        h_prev, c_prev = h_step, c_step
    assert list(cache["gates"]) == list(LSTM_GATES)
    assert all(v.shape == h.shape for v in cache["gates"].values())


def torch_lstm(p, dh, dc_last):
    D, G = p["Wx"].shape
    m = torch.nn.LSTM(D, G // 4, batch_first=True, dtype=torch.float64)
    params_to_torch({k: p[k] for k in ("Wx", "Wh", "b")}, m)
    x = torch.tensor(p["x"], requires_grad=True)
    h0 = torch.tensor(p["h0"][None], requires_grad=True)
    c0 = torch.tensor(p["c0"][None], requires_grad=True)
    out, (_, cn) = m(x, (h0, c0))
    ((out * torch.tensor(dh)).sum() + (cn[0] * torch.tensor(dc_last)).sum()).backward()
    grads = [x.grad, h0.grad[0], c0.grad[0], m.weight_ih_l0.grad.T, m.weight_hh_l0.grad.T]
    grads.append(m.bias_ih_l0.grad)
    return out.detach().numpy(), cn[0].detach().numpy(), [g.numpy() for g in grads]


@example(N=1, T=1, D=1, H=1, scale=30.0, seed=0)  # smallest shapes, saturated
@example(N=1, T=6, D=3, H=1, scale=30.0, seed=1)
@settings(max_examples=30, deadline=None)
@given(
    N=st.integers(1, 4),
    T=st.integers(1, 6),
    D=st.integers(1, 4),
    H=st.integers(1, 5),
    scale=st.sampled_from([0.3, 1.0, 3.0, 30.0]),
    seed=st.integers(0, 2**16),
)
def test_lstm_matches_torch(N, T, D, H, scale, seed):
    p, dh = make(N, T, D, H, scale, seed)
    p["x"] = p["x"] * scale  # large inputs saturate the gates
    dc = np.zeros_like(dh)
    dc[:, -1] = np.random.default_rng(seed + 1).normal(size=(N, H))
    h, c, cache = lstm_forward(**p)
    out, cn, torch_grads = torch_lstm(p, dh, dc[:, -1])
    assert_close(h, out)
    assert_close(c[:, -1], cn)
    for ours, theirs in zip(lstm_backward(dh, cache, dc=dc), torch_grads, strict=True):
        assert_close(ours, theirs)


def test_gate_roles_match_torch():
    """Each named gate block does in torch what its name says: a saturated forget gate keeps
    c, a closed output gate hides it."""
    H = 3
    p, _ = make(N=2, T=1, D=2, H=H)
    p["Wx"][:] = 0
    p["Wh"][:] = 0
    p["b"][:] = 0
    f, o = LSTM_GATES.index("f"), LSTM_GATES.index("o")
    p["b"][f * H : (f + 1) * H] = 40.0  # forget gate fully open
    p["b"][o * H : (o + 1) * H] = -40.0  # output gate shut
    h, c, cache = lstm_forward(**p)
    out, cn, _ = torch_lstm(p, np.zeros_like(h), np.zeros_like(h[:, 0]))
    np.testing.assert_allclose(cn, p["c0"], atol=1e-12)  # i * g = 0.5 * tanh(0) = 0
    np.testing.assert_allclose(c[:, 0], cn, atol=1e-12)
    assert np.abs(out).max() < 1e-12 and np.abs(h).max() < 1e-12
    np.testing.assert_allclose(cache["gates"]["f"], 1.0, atol=1e-12)
    np.testing.assert_allclose(cache["gates"]["o"], 0.0, atol=1e-12)


def torch_truncated(p, dh, k):
    """For each t: rerun the last k steps in torch from a detached (h, c) and backprop the
    loss at step t alone."""
    D, G = p["Wx"].shape
    m = torch.nn.LSTM(D, G // 4, batch_first=True, dtype=torch.float64)
    params_to_torch({k_: p[k_] for k_ in ("Wx", "Wh", "b")}, m)
    x = torch.tensor(p["x"], requires_grad=True)
    h0 = torch.tensor(p["h0"][None], requires_grad=True)
    c0 = torch.tensor(p["c0"][None], requires_grad=True)
    _, _, cache = lstm_forward(**p)
    hs, cs = torch.tensor(cache["h"]), torch.tensor(cache["c"])
    for t in range(x.shape[1]):
        s0 = max(0, t - k + 1)
        start = (h0, c0) if s0 == 0 else (hs[:, s0 - 1][None], cs[:, s0 - 1][None])
        out, _ = m(x[:, s0 : t + 1], start)
        (out[:, -1] * torch.tensor(dh[:, t])).sum().backward()
    grads = [x.grad, h0.grad[0], c0.grad[0], m.weight_ih_l0.grad.T, m.weight_hh_l0.grad.T]
    return [g.numpy() for g in grads] + [m.bias_ih_l0.grad.numpy()]


@pytest.mark.parametrize("k", [1, 2, 4])
def test_truncated_bptt_matches_detached_torch_reference(k):
    p, dh = make(T=6)
    _, _, cache = lstm_forward(**p)
    ours = lstm_backward(dh, cache, truncate=k)
    for a, b in zip(ours, torch_truncated(p, dh, k), strict=True):
        assert_close(a, b)
    assert rel_error(ours[4], lstm_backward(dh, cache)[4]) > 1e-3


@pytest.mark.parametrize("k", [5, 7])
def test_truncate_at_least_T_equals_full_bptt(k):
    p, dh = make(T=5)
    dc = np.random.default_rng(3).normal(size=dh.shape)
    _, _, cache = lstm_forward(**p)
    full = lstm_backward(dh, cache, dc=dc)
    for a, b in zip(lstm_backward(dh, cache, truncate=k, dc=dc), full, strict=True):
        assert_close(a, b, tol=1e-13)


def test_truncate_one_equals_one_step_gradients():
    p, dh = make(T=5)
    dc = np.random.default_rng(3).normal(size=dh.shape)
    h, c, cache = lstm_forward(**p)
    dx, dh0, dc0, *param_grads = lstm_backward(dh, cache, truncate=1, dc=dc)
    sums = [np.zeros_like(p[k]) for k in ("Wx", "Wh", "b")]
    h_prev, c_prev = p["h0"], p["c0"]
    for t in range(p["x"].shape[1]):
        _, _, sc = lstm_step_forward(p["x"][:, t], h_prev, c_prev, p["Wx"], p["Wh"], p["b"])
        sdx, sdh, sdc, *sgrads = lstm_step_backward(dh[:, t], dc[:, t], sc)
        assert_close(dx[:, t], sdx, tol=1e-13)
        if t == 0:
            assert_close(dh0, sdh, tol=1e-13)
            assert_close(dc0, sdc, tol=1e-13)
        for acc, g in zip(sums, sgrads, strict=True):
            acc += g
        h_prev, c_prev = h[:, t], c[:, t]
    for ours, expected in zip(param_grads, sums, strict=True):
        assert_close(ours, expected, tol=1e-13)


def test_float32_stays_float32():
    p, dh = make()
    h, c, cache = lstm_forward(**{k: v.astype(np.float32) for k, v in p.items()})
    assert h.dtype == c.dtype == np.float32
    assert all(g.dtype == np.float32 for g in lstm_backward(dh.astype(np.float32), cache))
    assert rel_error(h, lstm_forward(**p)[0]) < 1e-5


def test_saturated_gates_still_match_torch():
    p, dh = make(N=2, T=6, D=3, H=3, scale=30.0, seed=7)
    p["x"] = p["x"] * 30.0
    h, c, cache = lstm_forward(**p)
    sig = np.concatenate([cache["gates"][k].ravel() for k in ("i", "f", "o")])
    assert np.mean(np.minimum(sig, 1 - sig) < 1e-6) > 0.5  # most gates are pinned at 0 or 1
    dc = np.zeros_like(dh)
    out, cn, torch_grads = torch_lstm(p, dh, dc[:, -1])
    assert_close(h, out)
    for ours, theirs in zip(lstm_backward(dh, cache), torch_grads, strict=True):
        assert_close(ours, theirs)
