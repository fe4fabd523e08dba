"""minGRU: numpy step and sequence, loop and scan, numpy and torch agree; models and timers."""

import numpy as np
import pytest
import torch

from rnn_helpers.mingru import GRUCellLoop, MinGRU, mingru_forward, mingru_step_forward
from rnn_helpers.models import RecurrentModel, training_step_times
from rnn_helpers.tasks import parity_task


def weights(D=3, H=4, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(D, H)), rng.normal(size=H), rng.normal(size=(D, H)), rng.normal(size=H)


def torch_layer(w, mode="scan", a_range="(0, 1)"):
    Wz, bz, Wh, bh = w
    layer = MinGRU(Wz.shape[0], Wz.shape[1], mode=mode, a_range=a_range).double()
    with torch.no_grad():
        layer.linear.weight.copy_(torch.tensor(np.concatenate([Wz, Wh], 1).T))  # torch keeps (2H, D)
        layer.linear.bias.copy_(torch.tensor(np.concatenate([bz, bh])))
    return layer


def test_step_is_the_gru_equation_without_h_in_the_gates():
    w = weights()
    rng = np.random.default_rng(1)
    x, h = rng.normal(size=(2, 3)), rng.normal(size=(2, 4))
    z = 1 / (1 + np.exp(-(x @ w[0] + w[1])))
    np.testing.assert_allclose(mingru_step_forward(x, h, *w), z * h + (1 - z) * (x @ w[2] + w[3]))


def test_sequence_scan_loop_and_steps_agree():
    w = weights()
    rng = np.random.default_rng(2)
    x, h0 = rng.normal(size=(2, 17, 3)), rng.normal(size=(2, 4))
    h_scan = mingru_forward(x, h0, *w, method="scan")
    h_loop = mingru_forward(x, h0, *w, method="loop")
    np.testing.assert_allclose(h_scan, h_loop, rtol=0, atol=1e-10)
    h = h0
    for t in range(17):
        h = mingru_step_forward(x[:, t], h, *w)
    np.testing.assert_allclose(h_scan[:, -1], h, rtol=0, atol=1e-10)


@pytest.mark.parametrize("mode", ["scan", "loop"])
def test_torch_layer_matches_numpy(mode):
    w = weights()
    rng = np.random.default_rng(3)
    x, h0 = rng.normal(size=(2, 9, 3)), rng.normal(size=(2, 4))
    got = torch_layer(w, mode)(torch.tensor(x), torch.tensor(h0)).detach().numpy()
    np.testing.assert_allclose(got, mingru_forward(x, h0, *w), rtol=0, atol=1e-12)


def test_negative_range_and_log_mode():
    w = weights()
    rng = np.random.default_rng(4)
    x = torch.tensor(rng.normal(size=(2, 9, 3)))
    a, _ = torch_layer(w, a_range="(-1, 1)").coefficients(x)
    assert a.min() < -0.05 and a.max() < 1  # a_t = 2 z_t - 1 can be negative
    scan = torch_layer(w, "scan", "(-1, 1)")(x)
    loop = torch_layer(w, "loop", "(-1, 1)")(x)
    torch.testing.assert_close(scan, loop, rtol=0, atol=1e-12)
    log = torch_layer(w, "log")
    gate, cand = log.linear(x).chunk(2, -1)
    g = torch.where(cand >= 0, cand + 0.5, torch.sigmoid(cand))
    z = torch.sigmoid(gate)
    ref = torch_layer(w, "loop")
    from rnn_helpers.linear_recurrence import recurrence_loop_torch

    torch.testing.assert_close(log(x), recurrence_loop_torch(z, (1 - z) * g), rtol=1e-10, atol=1e-12)
    assert ref is not None


def test_layers_gradients_scan_vs_loop():
    w = weights()
    x = torch.tensor(np.random.default_rng(5).normal(size=(2, 12, 3)))
    grads = []
    for mode in ("scan", "loop"):
        layer = torch_layer(w, mode)
        layer(x).square().sum().backward()
        grads.append(layer.linear.weight.grad.clone())
    torch.testing.assert_close(grads[0], grads[1], rtol=1e-10, atol=1e-12)


def test_gru_cell_loop_equals_nn_gru():
    torch.manual_seed(0)
    loop = GRUCellLoop(3, 4).double()
    gru = torch.nn.GRU(3, 4, batch_first=True).double()
    with torch.no_grad():
        for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            getattr(gru, f"{name}_l0").copy_(getattr(loop.cell, name))
    x = torch.randn(2, 7, 3, dtype=torch.float64)
    torch.testing.assert_close(loop(x), gru(x)[0])


@pytest.mark.parametrize("layer", ["mingru", "mingru_neg", "gru", "rnn"])
def test_recurrent_model_shapes(layer):
    m = RecurrentModel(1, 5, 2, layer=layer, many_to_many=True)
    x, y = parity_task(3, 6, 0)
    assert m(x).shape == (3, 6, 2)
    assert RecurrentModel(1, 5, 1, layer=layer)(x).shape == (3, 1)


def test_parity_task():
    x, y = parity_task(50, 9, 1)
    assert x.shape == (50, 9, 1) and y.shape == (50, 9)
    np.testing.assert_array_equal(y[:, -1], x[:, :, 0].sum(1) % 2)
    np.testing.assert_array_equal(parity_task(5, 4, 3)[0], parity_task(5, 4, 3)[0])


def test_bad_input():
    w = weights()
    with pytest.raises(ValueError, match=r"Wz must have shape \(D, H\) = \(3, 4\), got \(4, 3\)"):
        mingru_step_forward(np.ones((2, 3)), np.ones((2, 4)), w[0].T, *w[1:])
    with pytest.raises(ValueError, match=r"x must be a 3-D array of shape \(N, T, D\)"):
        mingru_forward(np.ones((2, 3)), np.ones((2, 4)), *w)
    with pytest.raises(ValueError, match="method must be 'scan' or 'loop'"):
        mingru_forward(np.ones((2, 5, 3)), np.ones((2, 4)), *w, method="fast")
    with pytest.raises(ValueError, match=r"x must have shape \(N, T, D\) with D = 3, got \(2, 5, 4\)"):
        MinGRU(3, 4)(torch.ones(2, 5, 4))
    with pytest.raises(ValueError, match="mode must be"):
        MinGRU(3, 4, mode="fast")
    with pytest.raises(ValueError, match="mode='log' needs"):
        MinGRU(3, 4, mode="log", a_range="(-1, 1)")
    with pytest.raises(ValueError, match="h0 must be >= 0 in mode='log'"):
        MinGRU(3, 4, mode="log")(torch.ones(2, 5, 3), -torch.ones(2, 4))
    with pytest.raises(ValueError, match="layer must be one of"):
        RecurrentModel(1, 2, 2, layer="lstm")
    with pytest.raises(ValueError, match="T must be an int >= 1"):
        parity_task(3, 0, 0)
    with pytest.raises(ValueError, match="rounds must be an int >= 1"):
        training_step_times({}, torch.ones(1, 2, 3), rounds=0)


def test_training_step_times_returns_a_median_per_layer():
    torch.manual_seed(0)
    layers = {"scan": MinGRU(3, 4), "gru": torch.nn.GRU(3, 4, batch_first=True)}
    times = training_step_times(layers, torch.randn(2, 16, 3), rounds=2)
    assert set(times) == {"scan", "gru"} and all(t > 0 for t in times.values())
    assert layers["scan"].linear.weight.grad is not None  # backward ran
