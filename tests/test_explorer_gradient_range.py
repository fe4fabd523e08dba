"""Notebook 03 asks where tanh switches from vanishing to exploding: the explorer's range of rho
must contain both regimes for tanh, and the sigmoid must stay vanishing on all of it."""

from rnn_helpers.explorers import gradient_lag_explorer, gradient_lag_view


def test_rho_range_lets_tanh_explode_and_keeps_the_sigmoid_vanishing():
    ex = gradient_lag_explorer(H=64, seed=0)
    slider = ex.controls["scale"]
    assert gradient_lag_view(slider.min, "tanh", T=50, H=64, seed=0)["verdict"] == "vanishing"
    assert gradient_lag_view(slider.max, "tanh", T=50, H=64, seed=0)["verdict"] == "exploding"
    assert gradient_lag_view(slider.max, "sigmoid", T=50, H=64, seed=0)["verdict"] == "vanishing"  # gamma rho <= 1
    assert "ρ" in slider.description
