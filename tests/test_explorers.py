"""Tests of the explorers: the pure views compute the right numbers; setting a control's value
redraws and changes the explorer's state (no browser needed)."""

import matplotlib

matplotlib.use("Agg")
import re
import subprocess
import sys
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

from rnn_helpers import gru_forward, rnn_forward
from rnn_helpers.explorers import (
    EXPLORERS,
    Explorer,
    bptt_path_explorer,
    bptt_path_view,
    family_explorer,
    gate_scrub_explorer,
    gate_scrub_view,
    gradient_lag_view,
    gru_gate_explorer,
    gru_gate_view,
    lstm_gate_view,
    scalar_lr_explorer,
    scalar_memory_explorer,
    scalar_memory_view,
    unroll_view,
)
from rnn_helpers.scalar import (
    scalar_teacher_data,
)

ROOT = Path(__file__).resolve().parents[1]
REGISTERED = re.compile(r'@register_explorer\(\s*"([^"]+)"')


def registered_in_source() -> set[str]:
    """Names passed to ``register_explorer`` in the files of rnn_helpers/explorers/."""
    return {m for f in (ROOT / "rnn_helpers" / "explorers").glob("*.py") for m in REGISTERED.findall(f.read_text())}


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


# ---------------------------------------------------------------- builders


def test_every_explorer_is_registered_by_a_plain_import_of_the_subpackage():
    code = "import rnn_helpers.explorers as E; print(sorted(E.EXPLORERS))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    names = set(eval(out))  # a printed list of str
    expected = registered_in_source()
    assert len(expected) >= 14 and names == expected
    assert set(EXPLORERS) == expected


@pytest.mark.parametrize("name", sorted(registered_in_source()))
def test_every_registered_explorer_redraws_on_every_sweep_value(name):
    factory, sweep = EXPLORERS[name]
    explorer = factory()
    assert isinstance(explorer, Explorer) and explorer.state
    assert sweep and set(sweep) <= set(explorer.controls)
    image = [w for w in explorer.widget.children if w.__class__.__name__ == "Image"]
    assert len(image) == 1 and image[0].layout.width.endswith("px")  # shown at its drawn size
    for control, values in sweep.items():
        for value in values:
            if explorer.controls[control].value == value:
                continue
            before = bytes(image[0].value)
            explorer.controls[control].value = value
            after = bytes(image[0].value)
            assert after[:8] == b"\x89PNG\r\n\x1a\n" and after != before, (control, value)


@pytest.mark.parametrize(
    "name,control,value,key,expected",
    [
        ("unroll", "t", 3, "t", 3),
        ("bptt_path", "k", 2, "n_recurrent", 4),
        ("gradient_vs_lag", "activation", "relu", "activation", "relu"),
        ("gradient_vs_lag", "T", 30, "T", 30),
        ("gate_scrub", "gate", "o", "gate", "o"),
        ("gate_scrub", "t", 5, "t", 5),
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


def test_update_gate_one_copies_the_state_and_zero_follows_the_candidate():
    keep = gru_gate_view(1.0, 0.5)
    assert np.allclose(keep["h"], keep["h"][0]) and keep["carried"] == 1.0
    follow = gru_gate_view(0.0, 1.0)
    assert np.allclose(follow["h"][1:], follow["n"]) and follow["carried"] == 0.0
    no_reset = gru_gate_view(0.0, 0.0, x=[0.3, -0.2], wx=2.0)
    assert np.allclose(no_reset["n"], np.tanh(2.0 * np.array([0.3, -0.2])))  # r = 0: history ignored
    with pytest.raises(ValueError, match=r"update must be in \[0, 1\]"):
        gru_gate_view(1.5, 0.5)
    with pytest.raises(ValueError, match=r"x must have shape \(T,\)"):
        gru_gate_view(0.5, 0.5, x=np.zeros((2, 2)))


def test_gate_view_matches_the_numpy_gru_with_saturated_gates():
    # a one-unit GRU whose r and z pre-activations are huge constants reproduces the view
    x = np.array([0.5, -1.0, 1.0, 0.0])
    wx, wh, big = 2.0, 1.5, 50.0
    Wx = np.array([[0.0, 0.0, wx]])
    Wh = np.array([[0.0, 0.0, wh]])
    bx = np.array([big, -big, 0.0])  # r = 1, z = 0
    h, _ = gru_forward(x[None, :, None], np.array([[0.8]]), Wx, Wh, bx, np.zeros(3))
    assert np.allclose(h[0, :, 0], gru_gate_view(0.0, 1.0, x=x, h0=0.8, wx=wx, wh=wh)["h"][1:])


def test_gru_explorer_sets_state_and_image():
    ex = gru_gate_explorer()
    first = ex.widget.children[1].value
    ex.controls["update"].value = 1.0
    assert ex.state["update"] == 1.0 and np.allclose(ex.state["h"], ex.state["h"][0])
    assert ex.widget.children[1].value != first
    assert ex.widget.children[1].layout.width == "576px"  # shown at its pixel size, not stretched
    ex.controls["reset"].value = 0.0
    assert ex.state["reset"] == 0.0
    assert "gru_gates" in EXPLORERS


def test_family_explorer_redraws_on_each_control():
    e = family_explorer(layout="many-to-one", T=5)
    first = e.widget.children[1].value
    assert e.state == {"layout": "many-to-one", "T": 5, "hidden_nodes": 5}
    e.controls["T"].value = 3
    assert e.state["hidden_nodes"] == 3 and e.widget.children[1].value != first
    e.controls["layout"].value = "one-to-one"
    assert e.state["hidden_nodes"] == 1  # one-to-one ignores T
    assert len(e.widget.children[1].value) > 1000  # a PNG, not an empty image


def test_memory_view_regimes_and_drawing():
    assert scalar_memory_view(1.0, 0.5)["regime"] == "fades"
    assert scalar_memory_view(1.0, 1.0)["regime"] == "persists"
    assert scalar_memory_view(1.0, 1.2)["regime"] == "blows up"
    assert scalar_memory_view(1.0, 1.2, activation="tanh")["regime"] == "persists"
    fig, ax = plt.subplots()
    v = scalar_memory_view(1.0, 0.8, T=12, ax=ax)
    assert len(ax.lines) == 1 and len(ax.lines[0].get_xdata()) == 12
    np.testing.assert_allclose(ax.lines[0].get_ydata(), 0.8 ** np.arange(12))
    assert v["ax"] is ax
    plt.close(fig)


def test_memory_explorer_reacts_to_sliders():
    e = scalar_memory_explorer()
    e.controls["w_prime"].value = 0.5
    assert e.state["regime"] == "fades"
    e.controls["w_prime"].value = 1.3
    assert e.state["regime"] == "blows up"
    e.controls["activation"].value = "tanh"
    assert e.state["regime"] == "persists"


def test_lr_explorer_reacts_to_the_learning_rate():
    x, y = scalar_teacher_data(16, 4, activation="linear", rng=0)
    e = scalar_lr_explorer(x, y)
    e.controls["lr"].value = 0.01
    assert e.state["verdict"] == "too slow"
    e.controls["lr"].value = 3.0
    assert e.state["verdict"] == "diverges"
    assert bytes(e.widget.children[-1].value).startswith(b"\x89PNG")
