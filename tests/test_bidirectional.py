"""Bidirectional runner: finite differences, torch parity (bidirectional=True), truncation."""

import numpy as np
import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st

from rnn_helpers import (
    BIDIRECTIONAL_CELLS,
    bidirectional_backward,
    bidirectional_forward,
    gradcheck_report,
    lstm_forward,
    torch_module_from_params,
)

G = {"rnn": 1, "lstm": 4, "gru": 3}


def make_direction(cell, rng, N, D, H, scale=0.5):
    p = {"h0": rng.normal(size=(N, H))}
    if cell == "lstm":
        p["c0"] = rng.normal(size=(N, H))
    p["Wx"] = rng.normal(size=(D, G[cell] * H)) * scale
    p["Wh"] = rng.normal(size=(H, G[cell] * H)) * scale
    if cell == "gru":
        p["bx"], p["bh"] = (rng.normal(size=3 * H) * scale for _ in range(2))
    else:
        p["b"] = rng.normal(size=G[cell] * H) * scale
    return p


def make(cell, N=2, T=4, D=3, H=3, scale=0.5, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(N, T, D))
    fw, bw = make_direction(cell, rng, N, D, H, scale), make_direction(cell, rng, N, D, H, scale)
    return x, fw, bw, rng.normal(size=(N, T, 2 * H))


def assert_close(a, b, tol=1e-10):
    a, b = np.asarray(a), np.asarray(b)
    assert a.shape == b.shape
    np.testing.assert_allclose(a, b, rtol=tol, atol=tol * max(1.0, np.abs(b).max(initial=0)))


@pytest.mark.parametrize("cell", list(BIDIRECTIONAL_CELLS))
def test_backward_matches_finite_differences(cell):
    x, fw, bw, dh = make(cell)
    params = {"x": x, **{f"fw_{k}": v for k, v in fw.items()}, **{f"bw_{k}": v for k, v in bw.items()}}

    def f():
        h, cache = bidirectional_forward(x, fw, bw, cell=cell)
        dx, gfw, gbw = bidirectional_backward(dh, cache)
        grads = {"x": dx, **{f"fw_{k}": v for k, v in gfw.items()}, **{f"bw_{k}": v for k, v in gbw.items()}}
        return (h * dh).sum(), grads

    rows = gradcheck_report(f, params)
    assert len(rows) == len(params)
    for r in rows:
        assert r.rel_error < 1e-7, r


def test_directions_are_the_cell_forwards_and_backwards():
    x, fw, bw, _ = make("lstm", T=5)
    h, cache = bidirectional_forward(x, fw, bw, cell="lstm")
    H = fw["h0"].shape[1]
    h_fw, _, _ = lstm_forward(x, fw["h0"], fw["c0"], fw["Wx"], fw["Wh"], fw["b"])
    h_bw, _, _ = lstm_forward(x[:, ::-1], bw["h0"], bw["c0"], bw["Wx"], bw["Wh"], bw["b"])
    np.testing.assert_array_equal(h[:, :, :H], h_fw)
    np.testing.assert_array_equal(h[:, :, H:], h_bw[:, ::-1])
    # the backward state at position 0 has read the whole sequence: changing x_T-1 moves it
    x2 = x.copy()
    x2[:, -1] += 1.0
    h2, _ = bidirectional_forward(x2, fw, bw, cell="lstm")
    assert np.abs(h2[:, 0, H:] - h[:, 0, H:]).max() > 1e-3
    np.testing.assert_array_equal(h2[:, :-1, :H], h[:, :-1, :H])
    assert cache["bw"]["gates"]["f"].shape == (2, 5, H)


def test_missing_initial_states_are_zeros():
    x, fw, bw, _ = make("gru")
    zero = {k: (np.zeros_like(v) if k == "h0" else v) for k, v in fw.items()}
    h_given, _ = bidirectional_forward(x, zero, bw, cell="gru")
    h_missing, _ = bidirectional_forward(x, {k: v for k, v in fw.items() if k != "h0"}, bw, cell="gru")
    np.testing.assert_array_equal(h_given, h_missing)


def torch_bidirectional(cell, x, fw, bw, dh, activation="tanh"):
    weights = {"rnn": ("Wx", "Wh", "b"), "lstm": ("Wx", "Wh", "b"), "gru": ("Wx", "Wh", "bx", "bh")}[cell]
    m = torch_module_from_params(cell, {k: fw[k] for k in weights}, {k: bw[k] for k in weights}, activation)
    xt = torch.tensor(x, requires_grad=True)
    h0 = torch.tensor(np.stack([fw["h0"], bw["h0"]]), requires_grad=True)
    if cell == "lstm":
        c0 = torch.tensor(np.stack([fw["c0"], bw["c0"]]), requires_grad=True)
        out, _ = m(xt, (h0, c0))
    else:
        out, _ = m(xt, h0)
    (out * torch.tensor(dh)).sum().backward()
    grads = {"x": xt.grad.numpy()}
    for d, sfx in ((0, "fw"), (1, "bw")):
        r = "_l0" + ("_reverse" if d else "")
        grads[f"{sfx}_h0"] = h0.grad[d].numpy()
        if cell == "lstm":
            grads[f"{sfx}_c0"] = c0.grad[d].numpy()
        grads[f"{sfx}_Wx"] = getattr(m, "weight_ih" + r).grad.numpy().T
        grads[f"{sfx}_Wh"] = getattr(m, "weight_hh" + r).grad.numpy().T
        if cell == "gru":
            grads[f"{sfx}_bx"] = getattr(m, "bias_ih" + r).grad.numpy()
            grads[f"{sfx}_bh"] = getattr(m, "bias_hh" + r).grad.numpy()
        else:
            grads[f"{sfx}_b"] = getattr(m, "bias_ih" + r).grad.numpy()
    return out.detach().numpy(), grads


@example(cell="rnn", N=1, T=1, D=1, H=1, scale=30.0, activation="tanh", seed=0)
@example(cell="lstm", N=1, T=1, D=1, H=1, scale=30.0, activation="tanh", seed=0)
@example(cell="gru", N=1, T=1, D=1, H=1, scale=30.0, activation="tanh", seed=0)
@settings(max_examples=25, deadline=None)
@given(
    cell=st.sampled_from(list(BIDIRECTIONAL_CELLS)),
    N=st.integers(1, 3),
    T=st.integers(1, 5),
    D=st.integers(1, 3),
    H=st.integers(1, 4),
    scale=st.sampled_from([0.5, 3.0, 30.0]),
    activation=st.sampled_from(["tanh", "relu"]),
    seed=st.integers(0, 2**16),
)
def test_matches_torch_bidirectional(cell, N, T, D, H, scale, activation, seed):
    x, fw, bw, dh = make(cell, N, T, D, H, scale, seed)
    x = x * scale
    activation = activation if cell == "rnn" else "tanh"
    h, cache = bidirectional_forward(x, fw, bw, cell=cell, activation=activation)
    out, ref = torch_bidirectional(cell, x, fw, bw, dh, activation)
    assert_close(h, out)
    dx, gfw, gbw = bidirectional_backward(dh, cache)
    ours = {"x": dx, **{f"fw_{k}": v for k, v in gfw.items()}, **{f"bw_{k}": v for k, v in gbw.items()}}
    assert sorted(ours) == sorted(ref)
    for k in ref:
        assert_close(ours[k], ref[k])


@pytest.mark.parametrize("cell", list(BIDIRECTIONAL_CELLS))
def test_truncate_at_least_T_equals_full(cell):
    x, fw, bw, dh = make(cell, T=4)
    _, cache = bidirectional_forward(x, fw, bw, cell=cell)
    dx, gfw, gbw = bidirectional_backward(dh, cache)
    dx4, gfw4, gbw4 = bidirectional_backward(dh, cache, truncate=4)
    assert_close(dx4, dx, 1e-13)
    for k in gfw:
        assert_close(gfw4[k], gfw[k], 1e-13)
        assert_close(gbw4[k], gbw[k], 1e-13)
    dx1, _, _ = bidirectional_backward(dh, cache, truncate=1)
    assert np.abs(dx1 - dx).max() > 1e-3
