"""Tests of the explorers: the pure views compute the right numbers; setting a control's value
redraws and changes the explorer's state (no browser needed)."""

import matplotlib

matplotlib.use("Agg")
import numpy as np
import pytest

import rnn_helpers  # noqa: F401  (registers every module's explorers)
from rnn_helpers import rnn_forward
from rnn_helpers.widgets import (
    EXPLORERS,
    Explorer,
    bptt_path_explorer,
    bptt_path_view,
    cell_step_explorer,
    cell_step_view,
    gate_scrub_explorer,
    gate_scrub_view,
    gradient_lag_view,
    learning_rate_view,
    lstm_gate_view,
    unroll_view,
)

MINE = (
    "unroll",
    "bptt_path",
    "gradient_vs_lag",
    "lstm_gates",
    "gate_scrub",
    "learning_rate",
    "cell_step",
)


@pytest.fixture(scope="module")
def small_rnn():
    rng = np.random.default_rng(3)
    T, D, H = 6, 2, 3
    return rng.normal(size=(T, D)), rng.normal(size=(D, H)), 0.8 * rng.normal(size=(H, H)), 0.1 * rng.normal(size=H)


def png(explorer: Explorer) -> bytes:
    return bytes(explorer.widget.children[-1].value)


# ---------------------------------------------------------------- pure views


def test_unroll_view_matches_rnn_forward(small_rnn):
    x, Wx, Wh, b = small_rnn
    v = unroll_view(x, Wx, Wh, b, t=4)
    h, _ = rnn_forward(x[None], np.zeros((1, 3)), Wx, Wh, b)
    np.testing.assert_allclose(v["h"], h[0])
    np.testing.assert_allclose(v["h_t"], h[0, 3])
    assert v["seen"].shape == (4, 3)
    with pytest.raises(ValueError, match="t must be in 1..6"):
        unroll_view(x, Wx, Wh, b, t=7)
    with pytest.raises(ValueError, match=r"\(T, D\)"):
        unroll_view(x[None], Wx, Wh, b, t=1)


@pytest.mark.parametrize("t,k", [(6, 1), (5, 3), (4, 4)])
def test_bptt_path_jacobian_matches_finite_differences(small_rnn, t, k):
    x, Wx, Wh, b = small_rnn
    h = rnn_forward(x[None], np.zeros((1, 3)), Wx, Wh, b)[0][0]  # (T, H)
    v = bptt_path_view(h, Wh, t, k)
    assert v["n_recurrent"] == t - k and v["step_norms"].shape == (t - k,)

    def run_from(hk):  # h_t as a function of h_k (steps k+1..t, 1-based)
        for j in range(k + 1, t + 1):
            hk = np.tanh(x[j - 1] @ Wx + hk @ Wh + b)
        return hk

    eps = 1e-6
    J = np.stack(
        [(run_from(h[k - 1] + eps * e) - run_from(h[k - 1] - eps * e)) / (2 * eps) for e in np.eye(3)],
        axis=1,
    )  # (H, H): column i = dh_t / d(h_k)_i
    np.testing.assert_allclose(v["jacobian_norm"], np.linalg.norm(J, 2), rtol=1e-6)


def test_bptt_path_truncation_and_errors(small_rnn):
    x, Wx, Wh, b = small_rnn
    h = rnn_forward(x[None], np.zeros((1, 3)), Wx, Wh, b)[0][0]
    assert bptt_path_view(h, Wh, 6, 1, truncate=2)["dropped"]
    assert not bptt_path_view(h, Wh, 6, 5, truncate=2)["dropped"]
    with pytest.raises(ValueError, match="k must be in 1..3"):
        bptt_path_view(h, Wh, 3, 4)
    with pytest.raises(ValueError, match=r"Wh must have shape \(H, H\) = \(3, 3\)"):
        bptt_path_view(h, np.eye(2), 3, 1)


def test_gradient_lag_view_regimes_and_bound():
    v = gradient_lag_view(0.7, "tanh", T=40)
    assert v["verdict"] == "vanishing" and v["norms"][0] == 1.0
    assert np.all(v["norms"] <= v["bound"] * (1 + 1e-9))
    assert gradient_lag_view(1.5, "relu", T=60)["verdict"] == "exploding"
    assert np.all(np.diff(np.log(gradient_lag_view(1.0, "sigmoid", 30)["bound"])) < 0)
    with pytest.raises(ValueError, match="scale"):
        gradient_lag_view(0.0)


def test_lstm_gate_view_memory_rules():
    keep = lstm_gate_view(forget=1.0, input=0.0, output=1.0, c0=0.8)
    np.testing.assert_allclose(keep["c"], 0.8, atol=1e-12)  # memory unchanged for ever
    np.testing.assert_allclose(keep["h"], np.tanh(0.8), atol=1e-12)
    decay = lstm_gate_view(forget=0.5, input=0.0, output=1.0, c0=1.0)
    np.testing.assert_allclose(decay["c"], 0.5 ** np.arange(1, 21), atol=1e-12)
    write = lstm_gate_view(forget=0.0, input=1.0, output=0.0)
    np.testing.assert_allclose(write["c"], np.tanh(write["x"]), atol=1e-12)  # c_t = g_t
    np.testing.assert_allclose(write["h"], 0.0, atol=1e-12)  # closed output gate
    with pytest.raises(ValueError, match="forget must be a gate value"):
        lstm_gate_view(forget=1.2, input=0.0, output=1.0)


def test_gate_scrub_view():
    gates = {"f": np.linspace(0, 1, 12).reshape(4, 3), "g": np.zeros((4, 3))}
    v = gate_scrub_view(gates, "f", 2)
    np.testing.assert_allclose(v["values"], gates["f"][1])
    assert v["scale"] == "gate" and gate_scrub_view(gates, "g", 1)["scale"] == "signed"
    with pytest.raises(ValueError, match="gate must be one of"):
        gate_scrub_view(gates, "q", 1)
    with pytest.raises(ValueError, match="t must be in 1..4"):
        gate_scrub_view(gates, "f", 5)


def test_learning_rate_view_verdicts():
    small, good, big = (learning_rate_view(lr) for lr in (1e-3, 0.1, 10.0))
    assert small["verdict"] == "too small" and np.all(np.diff(small["loss"]) <= 0)
    assert good["verdict"] == "good" and good["loss"][-1] < 0.25 * good["loss"][0]
    assert big["verdict"] == "diverging" and not np.all(np.isfinite(big["loss"]))
    with pytest.raises(ValueError, match="lr must be positive"):
        learning_rate_view(0.0)


# ---------------------------------------------------------------- builders


def test_all_six_registered_with_valid_sweeps():
    for name in MINE:
        factory, sweep = EXPLORERS[name]
        explorer = factory()
        assert isinstance(explorer, Explorer) and explorer.state
        assert set(sweep) <= set(explorer.controls)


@pytest.mark.parametrize(
    "name,control,value,key,expected",
    [
        ("unroll", "t", 3, "t", 3),
        ("bptt_path", "k", 2, "n_recurrent", 4),
        ("gradient_vs_lag", "activation", "relu", "activation", "relu"),
        ("gradient_vs_lag", "T", 30, "T", 30),
        ("gate_scrub", "gate", "o", "gate", "o"),
        ("gate_scrub", "t", 5, "t", 5),
        ("learning_rate", "lr", 10.0, "verdict", "diverging"),
        ("cell_step", "t", 4, "t", 4),
        ("cell_step", "unit", 2, "unit", 2),
    ],
)
def test_setting_a_control_changes_state_and_image(name, control, value, key, expected):
    explorer = EXPLORERS[name][0]()
    before = png(explorer)
    explorer.controls[control].value = value
    assert explorer.state[key] == expected
    after = png(explorer)
    assert after[:8] == b"\x89PNG\r\n\x1a\n" and after != before


def test_lstm_explorer_forget_one_input_zero_keeps_memory():
    explorer = EXPLORERS["lstm_gates"][0]()
    explorer.controls["input"].value = 0.0
    explorer.controls["forget"].value = 1.0
    np.testing.assert_allclose(explorer.state["c"], explorer.state["c"][0], atol=1e-12)
    explorer.controls["forget"].value = 0.5
    assert explorer.state["c"][-1] < 1e-5


def test_bptt_explorer_clamps_k_to_t(small_rnn):
    explorer = bptt_path_explorer(*small_rnn)
    explorer.controls["k"].value = 5
    explorer.controls["t"].value = 3
    assert explorer.state["t"] == 3 and explorer.state["k"] == 3
    explorer.controls["K"].value = 1
    explorer.controls["k"].value = 1
    assert explorer.state["dropped"]


def test_gate_scrub_explorer_rejects_values_off_scale():
    with pytest.raises(ValueError, match=r"gates\['f'\]"):
        gate_scrub_explorer({"f": np.full((3, 2), 1.5)})
    with pytest.raises(ValueError, match="tokens"):
        gate_scrub_explorer({"f": np.full((3, 2), 0.5)}, tokens=["a"])


def test_benchmark_times_only_real_changes():
    import importlib.util
    from pathlib import Path

    import ipywidgets as W

    path = Path(__file__).resolve().parents[1] / "benchmarks" / "widgets.py"
    spec = importlib.util.spec_from_file_location("bench_widgets", path)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)

    calls = []

    def factory():
        slider = W.IntSlider(value=1, min=0, max=10)
        slider.observe(lambda change: calls.append(change["new"]), names="value")
        return Explorer({"t": slider}, slider, {})

    ms = bench._time_explorer(factory, {"t": [1, 2, 3]}, repeats=2)
    assert calls == [2, 3, 1, 2, 3]  # the first 1 was already set: skipped
    assert ms >= 0
    with pytest.raises(ValueError, match="never changes"):
        bench._time_explorer(factory, {"t": [1]}, repeats=1)


def test_cell_step_view_and_explorer_show_the_lstm_equations():
    from rnn_helpers import lstm_forward

    rng = np.random.default_rng(5)
    T, D, H = 5, 2, 3
    h, c, cache = lstm_forward(
        rng.normal(size=(1, T, D)), np.zeros((1, H)), np.zeros((1, H)),
        rng.normal(size=(D, 4 * H)), rng.normal(size=(H, 4 * H)), np.zeros(4 * H),
    )  # fmt: skip
    values = {k: g[0] for k, g in cache["gates"].items()} | {"h": h[0], "c": c[0]}
    v = cell_step_view(values, t=3, unit=1)["values"]
    np.testing.assert_allclose(v["c"], v["f"] * v["c_prev"] + v["i"] * v["g"], rtol=1e-12)
    np.testing.assert_allclose(v["h"], v["o"] * np.tanh(v["c"]), rtol=1e-12)
    assert cell_step_view(values, t=1, unit=0)["values"]["h_prev"] == 0.0
    explorer = cell_step_explorer(values)
    explorer.controls["t"].value = 3
    explorer.controls["unit"].value = 1
    assert explorer.state["values"] == v
    with pytest.raises(ValueError, match="unit must be in 0..2"):
        cell_step_view(values, t=1, unit=3)
