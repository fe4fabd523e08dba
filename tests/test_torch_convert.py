"""Weights to and from torch.nn.RNN/LSTM/GRU: the name mapping, round trips, forward parity."""

import numpy as np
import pytest
import torch
from torch import nn

from rnn_helpers import (
    GRU_GATES,
    LSTM_GATES,
    gru_forward,
    lstm_forward,
    params_from_torch,
    params_to_torch,
    rnn_forward,
    torch_module_from_params,
)

CLASSES = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}


def torch_module(cell, D=3, H=4, **kw):
    torch.manual_seed(0)
    return CLASSES[cell](D, H, batch_first=True, dtype=torch.float64, **kw)


def numpy_forward(cell, x, h0, c0, p, activation="tanh"):
    if cell == "rnn":
        return rnn_forward(x, h0, p["Wx"], p["Wh"], p["b"], activation=activation)[0]
    if cell == "lstm":
        return lstm_forward(x, h0, c0, p["Wx"], p["Wh"], p["b"])[0]
    return gru_forward(x, h0, p["Wx"], p["Wh"], p["bx"], p["bh"])[0]


def test_name_mapping():
    m = torch_module("lstm")
    p = params_from_torch(m)
    np.testing.assert_array_equal(p["Wx"], m.weight_ih_l0.detach().numpy().T)
    np.testing.assert_array_equal(p["Wh"], m.weight_hh_l0.detach().numpy().T)
    np.testing.assert_array_equal(p["b"], (m.bias_ih_l0 + m.bias_hh_l0).detach().numpy())
    g = params_from_torch(torch_module("gru"))
    m = torch_module("gru")
    np.testing.assert_array_equal(g["bx"], m.bias_ih_l0.detach().numpy())
    np.testing.assert_array_equal(g["bh"], m.bias_hh_l0.detach().numpy())
    assert set(g) == {"Wx", "Wh", "bx", "bh"}
    assert p["Wx"].dtype == np.float64 and p["Wx"].flags.c_contiguous
    assert p["Wx"].shape == (3, 4 * 4) and len(LSTM_GATES) == 4 and len(GRU_GATES) == 3


@pytest.mark.parametrize("cell, nonlinearity", [("rnn", "tanh"), ("rnn", "relu"), ("lstm", "tanh"), ("gru", "tanh")])
def test_numpy_forward_with_torch_weights_matches_torch(cell, nonlinearity):
    kw = {"nonlinearity": nonlinearity} if cell == "rnn" else {}
    m = torch_module(cell, **kw)
    rng = np.random.default_rng(1)
    x, h0, c0 = rng.normal(size=(2, 5, 3)), rng.normal(size=(2, 4)), rng.normal(size=(2, 4))
    state = torch.tensor(h0[None])
    if cell == "lstm":
        state = (state, torch.tensor(c0[None]))
    with torch.no_grad():
        out, _ = m(torch.tensor(x), state)
    h = numpy_forward(cell, x, h0, c0, params_from_torch(m), nonlinearity)
    np.testing.assert_allclose(h, out.numpy(), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_round_trip_through_a_new_module(cell):
    m = torch_module(cell, bidirectional=True)
    fw, bw = params_from_torch(m), params_from_torch(m, direction="backward")
    m2 = torch_module_from_params(cell, fw, bw)
    assert type(m2) is CLASSES[cell] and m2.bidirectional and m2.batch_first
    x = torch.tensor(np.random.default_rng(2).normal(size=(2, 5, 3)))
    with torch.no_grad():
        np.testing.assert_allclose(m2(x)[0].numpy(), m(x)[0].numpy(), rtol=1e-13, atol=1e-15)
    for d in ("forward", "backward"):
        back = params_from_torch(m2, direction=d)
        for k, v in params_from_torch(m, direction=d).items():
            np.testing.assert_allclose(back[k], v, rtol=1e-15, atol=1e-15)


def test_params_to_torch_writes_in_place_and_rnn_bias_goes_to_bias_ih():
    m = torch_module("rnn")
    p = {"Wx": np.ones((3, 4)), "Wh": np.eye(4), "b": np.arange(4.0)}
    assert params_to_torch(p, m) is m
    np.testing.assert_array_equal(m.weight_ih_l0.detach().numpy(), np.ones((4, 3)))
    np.testing.assert_array_equal(m.bias_ih_l0.detach().numpy(), np.arange(4.0))
    np.testing.assert_array_equal(m.bias_hh_l0.detach().numpy(), np.zeros(4))
    assert m.weight_ih_l0.requires_grad and m.weight_ih_l0.grad_fn is None


def test_second_layer_cells_float32_and_no_bias():
    m = torch_module("gru", num_layers=2)
    p1 = params_from_torch(m, layer=1)
    assert p1["Wx"].shape == (4, 12)  # layer 1 reads the H-dim output of layer 0
    np.testing.assert_array_equal(p1["Wh"], m.weight_hh_l1.detach().numpy().T)
    cell = nn.LSTMCell(3, 2)  # float32
    pc = params_from_torch(cell)
    assert pc["Wx"].dtype == np.float64 and pc["Wx"].shape == (3, 8)
    pc["b"] = pc["b"] + 1.0
    params_to_torch(pc, cell)
    assert cell.bias_ih.dtype == torch.float32
    np.testing.assert_allclose(cell.bias_ih.detach().numpy(), pc["b"], rtol=1e-6)
    nb = nn.RNN(3, 2, bias=False)
    p = params_from_torch(nb)
    np.testing.assert_array_equal(p["b"], np.zeros(2))
    params_to_torch(p, nb)  # zero biases are fine
    p["b"] = np.ones(2)
    with pytest.raises(ValueError, match="bias=False"):
        params_to_torch(p, nb)
