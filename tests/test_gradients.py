"""Tests of rnn_helpers.gradients."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from rnn_helpers.explorers import EXPLORERS, cliff_explorer, cliff_view
from rnn_helpers.gradients import (
    activation_derivative_bound,
    cliff_descent,
    cliff_forward,
    cliff_loss_and_grad,
    cliff_wall,
    clip_by_norm,
    hidden_jacobian_norms,
    input_gradient_norms,
    long_lag_experiment,
    scaled_orthogonal,
)
from rnn_helpers.models import SequenceModel
from rnn_helpers.tasks import allergy_task


def _run_from(h, k, xs, W, f):
    for x in xs[k:]:
        h = f(h @ W + x)  # row vectors: h_t = f(h_{t-1} W_h + x_t)
    return h


def test_input_gradient_norms_match_autograd():
    torch.manual_seed(0)
    model = SequenceModel(11, 5, 2, cell="rnn").double()
    x, y = allergy_task(3, 6, 0)
    norms = input_gradient_norms(model, x, y)
    assert norms.shape == (7,)
    xt = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    for n in range(3):  # per-example gradients, then the mean of their norms
        loss = torch.nn.functional.cross_entropy(model(xt[n : n + 1]), torch.tensor(y[n : n + 1]))
        (g,) = torch.autograd.grad(loss, xt)
        if n == 0:
            total = g[n].norm(dim=1)
        else:
            total = total + g[n].norm(dim=1)
    np.testing.assert_allclose(norms, (total / 3).numpy(), rtol=1e-5)


def test_clip_by_norm_keeps_direction_and_caps_length():
    g = np.array([3.0, 4.0])
    np.testing.assert_allclose(clip_by_norm(g, 1.0), [0.6, 0.8])
    np.testing.assert_allclose(clip_by_norm(g, 10.0), g)
    with pytest.raises(ValueError, match="threshold must be positive"):
        clip_by_norm(g, 0.0)


@settings(max_examples=10, deadline=None)
@given(H=st.integers(1, 12), scale=st.floats(0.1, 3.0), seed=st.integers(0, 2**31))
def test_scaled_orthogonal_has_all_singular_values_equal_to_scale(H, scale, seed):
    W = scaled_orthogonal(H, scale, seed)
    np.testing.assert_allclose(np.linalg.svd(W, compute_uv=False), scale, rtol=1e-10)


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "relu"])
def test_hidden_jacobian_norms_match_autograd_and_obey_the_bound(activation):
    H, T, scale = 6, 8, 1.3
    W = scaled_orthogonal(H, scale, 0)
    norms = hidden_jacobian_norms(W, activation, T, rng=1)
    assert norms.shape == (T + 1,) and norms[0] == 1.0
    # replay the same run in torch (same draws) and differentiate h_T with respect to h_k
    rng = np.random.default_rng(1)
    h0 = torch.tensor(rng.standard_normal(H), requires_grad=True)
    xs = [torch.tensor(0.5 * rng.standard_normal(H)) for _ in range(T)]
    f = {"tanh": torch.tanh, "sigmoid": torch.sigmoid, "relu": torch.relu}[activation]
    Wt = torch.tensor(W)
    hs = [h0]
    for x in xs:
        hs.append(f(hs[-1] @ Wt + x))
    for k in (0, T // 2, T - 1):
        J = torch.autograd.functional.jacobian(lambda hk, k=k: _run_from(hk, k, xs, Wt, f), hs[k].detach())
        assert norms[T - k] == pytest.approx(float(torch.linalg.matrix_norm(J, 2)), rel=1e-9)
    gamma = activation_derivative_bound(activation)
    lags = np.arange(T + 1)
    assert (norms <= (gamma * scale) ** lags * (1 + 1e-9)).all()
    assert hidden_jacobian_norms(W, activation, T, rng=1, last_only=True) == pytest.approx(norms[-1], rel=1e-12)


def test_jacobian_norms_bad_input():
    with pytest.raises(ValueError, match=r"W must have shape \(H, H\), got \(2, 3\)"):
        hidden_jacobian_norms(np.zeros((2, 3)), "tanh", 5, 0)
    with pytest.raises(ValueError, match="activation must be one of"):
        hidden_jacobian_norms(np.eye(2), "softplus", 5, 0)


def test_cliff_gradient_matches_finite_differences():
    w = np.array([4.0, 6.0, -2.0])
    b = np.array([-2.5, -3.1, 0.3])
    loss, dw, db = cliff_loss_and_grad(w, b, T=20)
    eps = 1e-6
    num_dw = (cliff_loss_and_grad(w + eps, b, T=20)[0] - cliff_loss_and_grad(w - eps, b, T=20)[0]) / (2 * eps)
    num_db = (cliff_loss_and_grad(w, b + eps, T=20)[0] - cliff_loss_and_grad(w, b - eps, T=20)[0]) / (2 * eps)
    np.testing.assert_allclose(dw, num_dw, rtol=1e-5, atol=1e-9)
    np.testing.assert_allclose(db, num_db, rtol=1e-5, atol=1e-9)
    assert cliff_forward(w, b, T=20).shape == (21, 3)


def test_cliff_descent_with_clipping_moves_at_most_lr_times_threshold():
    run = cliff_descent(5.0, -2.5, lr=0.1, steps=20, clip=1.0)
    steps = np.hypot(np.diff(run["w"]), np.diff(run["b"]))
    assert (steps <= 0.1 * 1.0 + 1e-12).all()
    assert run["loss"].shape == (21,) and run["grad_norm"].shape == (20,)
    free = cliff_descent(5.0, -2.5, lr=0.1, steps=20)
    np.testing.assert_allclose(np.hypot(np.diff(free["w"]), np.diff(free["b"])), 0.1 * free["grad_norm"], rtol=1e-12)


def test_cliff_wall_is_where_the_final_state_jumps():
    b_star = cliff_wall(5.0, -3.0, -2.0)
    below, above = cliff_forward(5.0, [b_star - 1e-3, b_star + 1e-3])[-1]
    assert above - below > 1.0  # two different fixed points on either side
    # away from the wall x_T moves smoothly with b: no other jump within 0.1 on either side
    side = cliff_forward(5.0, b_star + np.concatenate([np.linspace(-0.1, -2e-3, 50), np.linspace(2e-3, 0.1, 50)]))[-1]
    assert np.abs(np.diff(side[:50])).max() < 0.05 and np.abs(np.diff(side[50:])).max() < 0.05
    with pytest.raises(ValueError, match="x_T must increase from b_low to b_high"):
        cliff_wall(5.0, -2.0, -3.0)


def test_long_lag_experiment_reports_accuracy_and_cue_gradient():
    torch.manual_seed(0)
    run = long_lag_experiment("rnn", 3, 0, steps=40, hidden_size=8, batch_size=16, lr=1e-2, n_test=64, progress=False)
    assert set(run) == {"model", "history", "accuracy", "loss", "cue_gradient_ratio", "lag"}
    assert len(run["history"]) == 40 and run["lag"] == 3
    assert run["accuracy"] > 0.9  # a lag of 3 is easy
    assert 0 < run["cue_gradient_ratio"] < 10
    torch.manual_seed(0)
    lstm = long_lag_experiment("lstm", 3, 0, steps=1, hidden_size=8, forget_bias=4.0, n_test=8, progress=False)
    H = 8
    assert torch.all(lstm["model"].rnn.bias_ih_l0[H : 2 * H] != 0)


def test_cliff_view_clipping_caps_every_step():
    free = cliff_view(3e-3, 0.01, 0.0, steps=60)
    capped = cliff_view(3e-3, 0.01, 1.0, steps=60)
    assert capped["largest_step"] <= 0.01 + 1e-12
    assert free["largest_step"] > 100 * capped["largest_step"]  # thrown by the wall's gradient
    assert free["start"] == capped["start"] and free["start"][1] == pytest.approx(free["b_star"] + 3e-3)
    with pytest.raises(ValueError, match="clip must be >= 0"):
        cliff_view(1e-3, 0.01, -1.0)


def test_cliff_explorer_redraws_the_path_when_a_slider_moves():
    assert "cliff_descent" in EXPLORERS
    explorer = cliff_explorer(steps=20)
    explorer.controls["clip"].value = 1.0
    assert explorer.state["largest_step"] <= explorer.controls["lr"].value * 1.0 + 1e-12
    before = explorer.state["w"].copy()
    explorer.controls["lr"].value = 0.1
    assert not np.array_equal(explorer.state["w"], before)
    assert explorer.state["largest_step"] <= 0.1 + 1e-12
    explorer.controls["offset"].value = 1e-2
    assert explorer.state["start"][1] == pytest.approx(explorer.state["b_star"] + 1e-2)
    image = explorer.widget.children[1]
    assert len(image.value) > 1000  # a PNG was rendered
    from PIL import Image

    drawn_width = Image.open(__import__("io").BytesIO(image.value)).size[0]
    assert image.layout.width == f"{drawn_width}px" and image.layout.max_width == "100%"  # not stretched
