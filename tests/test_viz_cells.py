"""Tests of the cell diagrams: the right layers and pointwise operations, live values shown."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest

from rnn_helpers import lstm_forward
from rnn_helpers.viz.cells import cell_values_at, draw_cell


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def by_prefix(ax, prefix):
    return sorted(a.get_gid() for a in ax.get_children() if (a.get_gid() or "").startswith(prefix))


def layer_texts(ax):
    return {t.get_gid().split(":")[1]: t.get_text() for t in ax.texts if (t.get_gid() or "").startswith("layertext:")}


def test_lstm_has_four_layers_three_multiplies_one_add_and_a_cell_line():
    ax = draw_cell("lstm")
    layers = layer_texts(ax)
    assert {k: layers[k] for k in "figo"} == {
        "f": r"$\sigma$",
        "i": r"$\sigma$",
        "g": "tanh",
        "o": r"$\sigma$",
    }
    ops = {t.get_gid().split(":")[1]: t.get_text() for t in ax.texts if "optext:" in t.get_gid()}
    assert sorted(v for v in ops.values()) == sorted([r"$\times$"] * 3 + ["$+$"])
    (line,) = [ln for ln in ax.lines if ln.get_gid() == "wire:cell_state"]
    xs = line.get_xdata()
    x0, x1 = ax.get_xlim()
    assert xs.min() < 0 and xs.max() > 10  # runs across the whole cell
    assert line.get_linewidth() > max(ln.get_linewidth() for ln in ax.lines if ln.get_gid() != "wire:cell_state")


def test_gru_has_reset_update_and_candidate():
    ax = draw_cell("gru")
    layers = layer_texts(ax)
    assert layers == {"r": r"$\sigma$", "n": "tanh", "z": r"$\sigma$"}
    assert "op:one_minus" in by_prefix(ax, "op:")


def test_rnn_wires_use_weight_colours():
    from matplotlib.colors import to_hex

    from rnn_helpers.style import WEIGHT_COLORS

    ax = draw_cell("rnn")
    colour = {ln.get_gid(): to_hex(ln.get_color()) for ln in ax.lines}
    assert colour["wire:h_prev"] == WEIGHT_COLORS["W_h"].lower()
    assert colour["wire:x"] == WEIGHT_COLORS["W_x"].lower()
    assert colour["wire:y"] == WEIGHT_COLORS["W_y"].lower()


def test_values_from_lstm_forward_are_shown_rounded():
    rng = np.random.default_rng(0)
    N, T, D, H = 2, 4, 3, 5
    x = rng.normal(size=(N, T, D))
    h, c, cache = lstm_forward(
        x, np.zeros((N, H)), np.zeros((N, H)), rng.normal(size=(D, 4 * H)),
        rng.normal(size=(H, 4 * H)), np.zeros(4 * H),
    )  # fmt: skip
    vals = cell_values_at({**cache["gates"], "h": h, "c": c}, t=2, n=1)
    assert set(vals) == {"i", "f", "g", "o", "h", "c", "h_prev", "c_prev"}
    np.testing.assert_allclose(vals["h_prev"], h[1, 1])
    ax = draw_cell("lstm", values=vals, unit=3)
    shown = {t.get_gid()[6:]: t.get_text() for t in ax.texts if t.get_gid().startswith("value:")}
    assert shown["f"] == f"{cache['gates']['f'][1, 2, 3]:.2f}"
    assert shown["c"] == f"{c[1, 2, 3]:.2f}"
    ax = draw_cell("lstm", values=vals, unit=None)
    shown = {t.get_gid()[6:]: t.get_text() for t in ax.texts if t.get_gid().startswith("value:")}
    assert shown["o"] == f"{cache['gates']['o'][1, 2].mean():.2f}"


def test_no_values_no_value_texts():
    for kind in ("rnn", "lstm", "gru"):
        ax = draw_cell(kind)
        assert not by_prefix(ax, "value:")


def test_bad_input():
    with pytest.raises(ValueError, match="kind"):
        draw_cell("transformer")
    with pytest.raises(ValueError, match="unit"):
        draw_cell("lstm", values={"f": np.ones(3)}, unit=5)
    with pytest.raises(ValueError, match=r"values\['f'\]"):
        draw_cell("lstm", values={"f": np.ones((2, 3, 4))})
    with pytest.raises(ValueError, match=r"\(N, T, H\)"):
        cell_values_at({"f": np.ones((3, 4))}, t=0)
    with pytest.raises(ValueError, match="t=9"):
        cell_values_at({"f": np.ones((1, 3, 4))}, t=9)


def test_returns_given_axes():
    fig, ax = plt.subplots()
    assert draw_cell("gru", ax=ax) is ax
