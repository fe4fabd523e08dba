"""Tests of the unrolled-graph renderer: count what is drawn, by gid and colour."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rnn_helpers.style import HIGHLIGHT_COLOR, WEIGHT_COLORS
from rnn_helpers.viz.graphs import LAYOUTS, bptt_term_latex, draw_unrolled


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def gids(ax, prefix):
    found = [a.get_gid() for a in ax.get_children() if (a.get_gid() or "").startswith(prefix)]
    return found


def nodes(ax, kind):
    import re

    pat = re.compile(rf"^{re.escape(kind)}_\d+$")
    return [p for p in ax.patches if pat.match(p.get_gid() or "")]


def edges_in_color(ax, role):
    want = mcolors.to_rgba(WEIGHT_COLORS[role])
    return [p for p in ax.patches if (p.get_gid() or "").startswith(f"edge:{role}:") and p.get_edgecolor() == want]


@pytest.mark.parametrize("T", [1, 2, 5, 9])
def test_many_to_many_counts(T):
    ax = draw_unrolled(T)
    assert len(nodes(ax, "h")) == T
    assert len(nodes(ax, "x")) == T
    assert len(nodes(ax, "y")) == T
    assert len(nodes(ax, "L")) == T
    assert len(edges_in_color(ax, "W_h")) == T - 1
    assert len(edges_in_color(ax, "W_x")) == T
    assert len(edges_in_color(ax, "W_y")) == T


def test_t5_has_five_hidden_nodes_and_four_recurrent_edges_labelled():
    ax = draw_unrolled(5)
    assert sorted(p.get_gid() for p in nodes(ax, "h")) == [f"h_{t}" for t in range(1, 6)]
    rec = edges_in_color(ax, "W_h")
    assert sorted(p.get_gid() for p in rec) == [f"edge:W_h:h_{t}->h_{t + 1}" for t in range(1, 5)]
    labels = [t for t in ax.texts if (t.get_gid() or "").startswith("label:edge:W_h")]
    assert len(labels) == 4 and {t.get_text() for t in labels} == {"$W_h$"}
    assert {mcolors.to_hex(t.get_color()) for t in labels} == {WEIGHT_COLORS["W_h"].lower()}


def test_edge_labels_first_labels_each_matrix_once():
    ax = draw_unrolled(5, edge_labels="first")
    labels = [t.get_text() for t in ax.texts if (t.get_gid() or "").startswith("label:")]
    assert sorted(labels) == ["$W_h$", "$W_x$", "$W_y$"]
    ax = draw_unrolled(5, edge_labels="none")
    assert not [t for t in ax.texts if (t.get_gid() or "").startswith("label:")]


@pytest.mark.parametrize("t,k", [(4, 2), (5, 5), (5, 1), (3, 1)])
def test_highlight_path_has_t_minus_k_recurrent_edges(t, k):
    ax = draw_unrolled(5, highlight=(t, k))
    glow = [ln for ln in ax.lines if (ln.get_gid() or "").startswith("path:")]
    rec = [ln for ln in glow if ln.get_gid().startswith("path:edge:W_h:")]
    assert len(rec) == t - k
    assert all(mcolors.to_hex(ln.get_color()) == HIGHLIGHT_COLOR.lower() for ln in glow)
    # the path starts at the loss L_t and goes through y_t
    assert f"path:edge:loss:y_{t}->L_{t}" in {ln.get_gid() for ln in glow}
    assert f"path:edge:W_y:h_{t}->y_{t}" in {ln.get_gid() for ln in glow}
    halos = sorted(p.get_gid() for p in ax.patches if (p.get_gid() or "").startswith("halo:"))
    expected = sorted([f"halo:L_{t}", f"halo:y_{t}"] + [f"halo:h_{j}" for j in range(k, t + 1)])
    assert halos == expected
    caption = [tx for tx in ax.texts if tx.get_gid() == "caption"]
    assert len(caption) == 1 and f"h_{{{k}}}" in caption[0].get_text()


def test_highlight_rejects_bad_steps():
    with pytest.raises(ValueError, match="highlight"):
        draw_unrolled(5, highlight=(2, 3))
    with pytest.raises(ValueError, match="highlight"):
        draw_unrolled(5, highlight=(6, 1))
    with pytest.raises(ValueError, match="loss at step t"):
        draw_unrolled(5, layout="many-to-one", highlight=(3, 1))


def test_truncation_cut_and_dimmed_path():
    ax = draw_unrolled(6, highlight=(6, 1), truncate=3)
    assert gids(ax, "cut:") == ["cut:h_3->h_4"]
    rec = [ln for ln in ax.lines if (ln.get_gid() or "").startswith("path:edge:W_h:")]
    lit = [ln for ln in rec if mcolors.to_hex(ln.get_color()) == HIGHLIGHT_COLOR.lower()]
    assert len(rec) == 5 and len(lit) == 2  # h_6 -> h_5 -> h_4 survive the cut
    caption = [tx for tx in ax.texts if tx.get_gid() == "caption"][0]
    assert "dropped" in caption.get_text()
    # without a highlight the cut is drawn for the last loss; K >= T cuts nothing
    assert gids(draw_unrolled(6, truncate=2), "cut:") == ["cut:h_4->h_5"]
    assert gids(draw_unrolled(6, truncate=6), "cut:") == []


@pytest.mark.parametrize(
    "layout,n_x,n_h,n_y,n_rec",
    [
        ("one-to-one", 1, 1, 1, 0),
        ("one-to-many", 1, 4, 4, 3),
        ("many-to-one", 4, 4, 1, 3),
        ("many-to-many", 4, 4, 4, 3),
    ],
)
def test_single_chain_layouts(layout, n_x, n_h, n_y, n_rec):
    ax = draw_unrolled(layout=layout)
    assert len(nodes(ax, "x")) == n_x
    assert len(nodes(ax, "h")) == n_h
    assert len(nodes(ax, "y")) == n_y
    assert len(nodes(ax, "L")) == n_y
    assert len(edges_in_color(ax, "W_h")) == n_rec


def test_encoder_decoder_tx_differs_from_ty():
    ax = draw_unrolled(3, layout="encoder-decoder", Ty=2)
    assert len(nodes(ax, "x")) == 3 and len(nodes(ax, "h")) == 3
    assert len(nodes(ax, "s")) == 2 and len(nodes(ax, "y")) == 2
    assert gids(ax, "edge:context:") == ["edge:context:h_3->s_1"]
    assert len(edges_in_color(ax, "W_h")) == 2 + 1  # encoder 2, decoder 1
    texts = {t.get_text() for t in ax.texts}
    assert "$W_s$" in texts and "$s_{1}$" in texts
    renamed = {t.get_text() for t in draw_unrolled(3, layout="encoder-decoder", Ty=2, symbols={"s": "d"}).texts}
    assert "$W_d$" in renamed and "$d_{1}$" in renamed and "$W_s$" not in renamed  # notebook 06's d_t


def test_bidirectional_has_two_opposite_chains():
    ax = draw_unrolled(4, layout="bidirectional")
    assert len(nodes(ax, "hf")) == 4 and len(nodes(ax, "hb")) == 4
    rec = {p.get_gid() for p in edges_in_color(ax, "W_h")}
    assert {f"edge:W_h:hf_{t}->hf_{t + 1}" for t in range(1, 4)} <= rec
    assert {f"edge:W_h:hb_{t + 1}->hb_{t}" for t in range(1, 4)} <= rec
    assert len(rec) == 6
    assert len(edges_in_color(ax, "W_y")) == 8


@pytest.mark.parametrize("n_layers", [1, 2, 3])
def test_stacked_layers(n_layers):
    ax = draw_unrolled(4, layout="stacked", n_layers=n_layers)
    hidden = [p for p in ax.patches if (p.get_gid() or "").startswith("h[")]
    assert len(hidden) == 4 * n_layers
    assert len(edges_in_color(ax, "W_h")) == 3 * n_layers
    assert len(edges_in_color(ax, "W_x")) == 4 * n_layers


def test_folded_views():
    ax = draw_unrolled(folded=True)
    assert gids(ax, "edge:W_h:") == ["edge:W_h:h_t->h_t"]
    ax = draw_unrolled(3, folded="both")
    rec = edges_in_color(ax, "W_h")
    assert len(rec) == 3  # the loop + 2 unrolled recurrent edges
    assert gids(ax, "equals") == ["equals"]


def test_tokens_and_symbols():
    ax = draw_unrolled(3, tokens=["I", "love", "you"], symbols={"h": "O"})
    assert [t.get_text() for t in ax.texts if (t.get_gid() or "").startswith("token:")] == [
        "I",
        "love",
        "you",
    ]
    assert any(t.get_text() == "$O_{2}$" for t in ax.texts)


def test_returns_given_axes_and_nothing_overlaps_nodes():
    fig, ax = plt.subplots()
    assert draw_unrolled(4, ax=ax) is ax
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    boxes = [p.get_window_extent(r) for p in nodes(ax, "h") + nodes(ax, "x") + nodes(ax, "y")]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b)


@pytest.mark.parametrize(
    "kwargs,match",
    [
        (dict(T=0), "T must be"),
        (dict(T=2.5), "T must be"),
        (dict(layout="tree"), "layout"),
        (dict(T=3, layout="one-to-one"), "T must be 1"),
        (dict(T=3, tokens=["a"]), "tokens"),
        (dict(T=3, layout="stacked", folded=True), "folded"),
        (dict(T=3, edge_labels="some"), "edge_labels"),
        (dict(T=3, truncate=0), "truncate"),
    ],
)
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        draw_unrolled(**kwargs)


def test_all_layouts_draw():
    for layout in LAYOUTS:
        ax = draw_unrolled(layout=layout)
        assert ax.patches


def test_bptt_term_latex():
    assert bptt_term_latex(3, 3).count(r"\frac") == 2  # dL_3/dh_3 and d+h_3/dW_h
    assert bptt_term_latex(5, 3).count(r"\frac") == 4  # ... and dh_5/dh_4, dh_4/dh_3
    assert r"\prod" in bptt_term_latex(9, 1)
    with pytest.raises(ValueError):
        bptt_term_latex(2, 3)


@settings(max_examples=20, deadline=None)
@given(st.data())
def test_any_highlight_lights_t_minus_k_edges_and_cut_is_where_truncation_says(data):
    T = data.draw(st.integers(1, 8))
    t = data.draw(st.integers(1, T))
    k = data.draw(st.integers(1, t))
    K = data.draw(st.one_of(st.none(), st.integers(1, 9)))
    ax = draw_unrolled(T, highlight=(t, k), truncate=K, edge_labels="none")
    rec = [ln for ln in ax.lines if (ln.get_gid() or "").startswith("path:edge:W_h:")]
    lit = [ln for ln in rec if mcolors.to_hex(ln.get_color()) == HIGHLIGHT_COLOR.lower()]
    assert len(rec) == t - k
    assert len(lit) == (t - k if K is None else min(t - k, K - 1 if t - k >= K else t - k))
    cuts = gids(ax, "cut:")
    if K is None or t - K < 1:
        assert cuts == []
    else:
        assert cuts == [f"cut:h_{t - K}->h_{t - K + 1}"]
    plt.close("all")
