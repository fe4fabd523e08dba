"""The numpy GRU cell (torch convention): finite differences, torch parity, truncated BPTT."""

import numpy as np
import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st

from rnn_helpers import (
    GRU_GATES,
    gradcheck_report,
    gru_backward,
    gru_forward,
    gru_step_backward,
    gru_step_forward,
    params_to_torch,
    rel_error,
    sigmoid,
)

NAMES = ("x", "h0", "Wx", "Wh", "bx", "bh")


def make(N=3, T=5, D=4, H=6, scale=0.5, seed=0):
    rng = np.random.default_rng(seed)
    return {
        "x": rng.normal(size=(N, T, D)),
        "h0": rng.normal(size=(N, H)),
        "Wx": rng.normal(size=(D, 3 * H)) * scale,
        "Wh": rng.normal(size=(H, 3 * H)) * scale,
        "bx": rng.normal(size=3 * H) * scale,
        "bh": rng.normal(size=3 * H) * scale,
    }, rng.normal(size=(N, T, H))


def assert_close(a, b, tol=1e-10):
    """Agree to ``tol`` relative to each entry, with an absolute floor of ``tol`` times the
    array's scale (or 1, the scale of dh): entries far below that are numerically zero."""
    a, b = np.asarray(a), np.asarray(b)
    assert a.shape == b.shape
    np.testing.assert_allclose(a, b, rtol=tol, atol=tol * max(1.0, np.abs(b).max(initial=0)))


def test_gate_order_is_torchs():
    assert GRU_GATES == ("r", "z", "n")


def test_gru_backward_matches_finite_differences():
    p, dh = make()

    def f():
        h, cache = gru_forward(**p)
        return (h * dh).sum(), dict(zip(NAMES, gru_backward(dh, cache), strict=True))

    rows = gradcheck_report(f, p)
    assert [r.name for r in rows] == list(NAMES)
    for r in rows:
        assert r.rel_error < 1e-7, r


def test_gru_step_backward_matches_finite_differences():
    p, _ = make(T=1)
    step = {"x": p["x"][:, 0], "h_prev": p["h0"]}
    step.update({k: p[k] for k in ("Wx", "Wh", "bx", "bh")})
    dh = np.random.default_rng(1).normal(size=p["h0"].shape)

    def f():
        h, cache = gru_step_forward(**step)
        return (h * dh).sum(), dict(zip(step, gru_step_backward(dh, cache), strict=True))

    for r in gradcheck_report(f, step):
        assert r.rel_error < 1e-7, r


def test_step_is_the_equations_and_gates_are_in_the_cache():
    p, _ = make()
    h, cache = gru_forward(**p)
    H = p["h0"].shape[1]
    h_prev = p["h0"]
    for t in range(p["x"].shape[1]):
        xa = p["x"][:, t] @ p["Wx"] + p["bx"]
        ha = h_prev @ p["Wh"] + p["bh"]
        r = sigmoid(xa[:, :H] + ha[:, :H])
        z = sigmoid(xa[:, H : 2 * H] + ha[:, H : 2 * H])
        n = np.tanh(xa[:, 2 * H :] + r * ha[:, 2 * H :])
        h_exp = (1 - z) * n + z * h_prev
        h_step, sc = gru_step_forward(p["x"][:, t], h_prev, p["Wx"], p["Wh"], p["bx"], p["bh"])
        for got in (h_step, h[:, t]):
            np.testing.assert_allclose(got, h_exp, rtol=1e-13, atol=1e-15)
        for name, expected in zip(GRU_GATES, (r, z, n), strict=True):
            np.testing.assert_allclose(cache["gates"][name][:, t], expected, rtol=1e-13, atol=1e-15)
            np.testing.assert_allclose(sc["gates"][name], expected, rtol=1e-13, atol=1e-15)
        h_prev = h_step
    assert list(cache["gates"]) == list(GRU_GATES)


def torch_gru(p, dh):
    D, G = p["Wx"].shape
    m = torch.nn.GRU(D, G // 3, batch_first=True, dtype=torch.float64)
    params_to_torch({k: p[k] for k in ("Wx", "Wh", "bx", "bh")}, m)
    x = torch.tensor(p["x"], requires_grad=True)
    h0 = torch.tensor(p["h0"][None], requires_grad=True)
    out, _ = m(x, h0)
    (out * torch.tensor(dh)).sum().backward()
    grads = [x.grad, h0.grad[0], m.weight_ih_l0.grad.T, m.weight_hh_l0.grad.T]
    grads += [m.bias_ih_l0.grad, m.bias_hh_l0.grad]
    return out.detach().numpy(), [g.numpy() for g in grads]


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
def test_gru_matches_torch(N, T, D, H, scale, seed):
    p, dh = make(N, T, D, H, scale, seed)
    p["x"] = p["x"] * scale  # large inputs saturate the gates
    h, cache = gru_forward(**p)
    out, torch_grads = torch_gru(p, dh)
    assert_close(h, out)
    for ours, theirs in zip(gru_backward(dh, cache), torch_grads, strict=True):
        assert_close(ours, theirs)


def test_gate_roles_match_torch():
    """Update gate z at 1 copies h_{t-1}; with r at 0 and z at 0 the state is tanh(b_xn),
    whatever h_{t-1} and b_hn are (torch puts r in front of (h W_hn + b_hn))."""
    H = 3
    p, _ = make(N=2, T=1, D=2, H=H)
    p["Wx"][:] = 0
    r, z = GRU_GATES.index("r"), GRU_GATES.index("z")
    p["bx"][z * H : (z + 1) * H] = 40.0
    h, cache = gru_forward(**p)
    out, _ = torch_gru(p, np.zeros_like(h))
    np.testing.assert_allclose(out[:, 0], p["h0"], atol=1e-12)
    np.testing.assert_allclose(h[:, 0], p["h0"], atol=1e-12)
    np.testing.assert_allclose(cache["gates"]["z"], 1.0, atol=1e-12)
    p["bx"][z * H : (z + 1) * H] = -40.0
    p["bx"][r * H : (r + 1) * H] = -40.0
    p["Wh"][:, :] = 0.0
    h, cache = gru_forward(**p)
    out, _ = torch_gru(p, np.zeros_like(h))
    expected = np.tanh(p["bx"][2 * H :]) * np.ones((2, 1))
    np.testing.assert_allclose(out[:, 0], expected, atol=1e-12)
    np.testing.assert_allclose(h[:, 0], expected, atol=1e-12)
    np.testing.assert_allclose(cache["gates"]["r"], 0.0, atol=1e-12)


def torch_truncated(p, dh, k):
    D, G = p["Wx"].shape
    m = torch.nn.GRU(D, G // 3, batch_first=True, dtype=torch.float64)
    params_to_torch({k_: p[k_] for k_ in ("Wx", "Wh", "bx", "bh")}, m)
    x = torch.tensor(p["x"], requires_grad=True)
    h0 = torch.tensor(p["h0"][None], requires_grad=True)
    hs = torch.tensor(gru_forward(**p)[0])
    for t in range(x.shape[1]):
        s0 = max(0, t - k + 1)
        start = h0 if s0 == 0 else hs[:, s0 - 1][None]
        out, _ = m(x[:, s0 : t + 1], start)
        (out[:, -1] * torch.tensor(dh[:, t])).sum().backward()
    grads = [x.grad, h0.grad[0], m.weight_ih_l0.grad.T, m.weight_hh_l0.grad.T]
    return [g.numpy() for g in grads + [m.bias_ih_l0.grad, m.bias_hh_l0.grad]]


@pytest.mark.parametrize("k", [1, 2, 4])
def test_truncated_bptt_matches_detached_torch_reference(k):
    p, dh = make(T=6)
    _, cache = gru_forward(**p)
    ours = gru_backward(dh, cache, truncate=k)
    for a, b in zip(ours, torch_truncated(p, dh, k), strict=True):
        assert_close(a, b)
    assert rel_error(ours[3], gru_backward(dh, cache)[3]) > 1e-3


@pytest.mark.parametrize("k", [5, 7])
def test_truncate_at_least_T_equals_full_bptt(k):
    p, dh = make(T=5)
    _, cache = gru_forward(**p)
    for a, b in zip(gru_backward(dh, cache, truncate=k), gru_backward(dh, cache), strict=True):
        assert_close(a, b, tol=1e-13)


def test_truncate_one_equals_one_step_gradients():
    p, dh = make(T=5)
    h, cache = gru_forward(**p)
    dx, dh0, *param_grads = gru_backward(dh, cache, truncate=1)
    names = ("Wx", "Wh", "bx", "bh")
    sums = [np.zeros_like(p[k]) for k in names]
    h_prev = p["h0"]
    for t in range(p["x"].shape[1]):
        _, sc = gru_step_forward(p["x"][:, t], h_prev, *(p[k] for k in names))
        sdx, sdh, *sgrads = gru_step_backward(dh[:, t], sc)
        assert_close(dx[:, t], sdx, tol=1e-13)
        if t == 0:
            assert_close(dh0, sdh, tol=1e-13)
        for acc, g in zip(sums, sgrads, strict=True):
            acc += g
        h_prev = h[:, t]
    for ours, expected in zip(param_grads, sums, strict=True):
        assert_close(ours, expected, tol=1e-13)


def test_float32_stays_float32():
    p, dh = make()
    h, cache = gru_forward(**{k: v.astype(np.float32) for k, v in p.items()})
    assert h.dtype == np.float32
    assert all(g.dtype == np.float32 for g in gru_backward(dh.astype(np.float32), cache))
    assert rel_error(h, gru_forward(**p)[0]) < 1e-5
