"""The scalar-chain drawing of notebook 02: O_0 and its w' edge are drawn, the prediction reads
the last state without a weight, and each BPTT term lights the right path."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pytest

from rnn_helpers.viz.graphs import draw_scalar_chain


def _gids(ax):
    return {a.get_gid() for a in [*ax.patches, *ax.lines, *ax.artists, *ax.texts] if a.get_gid()}


def test_nodes_and_edges():
    ax = draw_scalar_chain(4)
    gids = _gids(ax)
    assert {"O_0", "O_4", "x_1", "y_hat", "L"} <= gids
    assert "edge:W_h:O_0->O_1" in gids  # w' used at the first step too
    assert sum(g.startswith("edge:W_h:") for g in gids) == 4 and sum(g.startswith("edge:W_x:") for g in gids) == 4
    assert "edge:eq:O_4->y_hat" in gids and not any("W_y" in g for g in gids)  # y^ = O_4, no weight
    plt.close("all")


@pytest.mark.parametrize("term", [1, 2, 3, 4])
def test_term_path(term):
    ax = draw_scalar_chain(4, term=term)
    gids = _gids(ax)
    lit = [g for g in gids if g.startswith("path:edge:W_h:")]
    assert len(lit) == term - 1  # term i crosses i - 1 recurrent edges
    k = 4 - term + 1
    assert f"use:edge:W_h:O_{k - 1}->O_{k}" in gids  # where w' is used directly
    plt.close("all")


@pytest.mark.parametrize("kw", [{"T": 0}, {"T": 4, "term": 5}, {"T": 4, "term": 0}, {"T": 2.0}])
def test_bad_input(kw):
    with pytest.raises(ValueError):
        draw_scalar_chain(**kw)
