"""Tests of notebook 05's GRU gate explorer, shift and fill-in-the-blank tasks, and the tagger."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from rnn_helpers import gru_forward
from rnn_helpers.explorers import EXPLORERS, gru_gate_explorer, gru_gate_view
from rnn_helpers.models import Tagger
from rnn_helpers.tasks import FILL_VOCAB, IDIOMS, IGNORE, fill_blank_task, shift_ceiling, shift_task
from rnn_helpers.training import accuracy


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


@settings(max_examples=20, deadline=None)
@given(n=st.integers(1, 5), T=st.integers(2, 12), data=st.data())
def test_shift_targets_are_later_inputs(n, T, data):
    k = data.draw(st.integers(1, T - 1))
    x, y = shift_task(n, T, k, np.random.default_rng(0))
    ids = x.argmax(2)
    assert x.shape == (n, T, 10) and y.shape == (n, T)
    assert np.array_equal(y[:, : T - k], ids[:, k:]) and np.all(y[:, T - k :] == 10)
    assert shift_ceiling(T, k) == pytest.approx(((T - k) * 0.1 + k) / T)


def test_shift_bad_input():
    with pytest.raises(ValueError, match="k must be < T"):
        shift_task(2, 5, 5, 0)
    with pytest.raises(ValueError, match="n must be an int"):
        shift_task(0, 5, 1, 0)


def test_fill_blank_hides_the_second_idiom_word():
    x, y, words = fill_blank_task(50, 8, np.random.default_rng(1))
    assert x.shape == (50, 8, len(FILL_VOCAB)) and y.shape == (50, 8)
    assert np.all((y != IGNORE).sum(1) == 1)
    for k in range(50):
        t = int(np.flatnonzero(y[k] != IGNORE)[0])
        assert words[k][t] == "___" and x[k, t].argmax() == 0
        idiom = (words[k][t - 1], FILL_VOCAB[y[k, t]], words[k][t + 1], words[k][t + 2])
        assert idiom in IDIOMS
    starts = {i[0] for i in IDIOMS}
    assert all(sum(i[0] == s for i in IDIOMS) == 2 for s in starts)  # the left word leaves two choices


def test_tagger_shapes_combine_and_direction():
    torch.manual_seed(0)
    x = torch.randn(2, 5, 4)
    for bi, combine, width in [(False, "concat", 3), (True, "concat", 6), (True, "sum", 3)]:
        m = Tagger(4, 3, 7, bidirectional=bi, combine=combine)
        assert m.hidden_states(x).shape == (2, 5, width) and m(x).shape == (2, 5, 7)
    uni = Tagger(4, 3, 7)
    x2 = x.clone()
    x2[:, -1] += 1.0  # changing the last input cannot change earlier outputs of a forward-only model
    assert torch.allclose(uni(x)[:, :-1], uni(x2)[:, :-1]) and not torch.allclose(uni(x)[:, -1], uni(x2)[:, -1])
    bi = Tagger(4, 3, 7, bidirectional=True)
    assert not torch.allclose(bi(x)[:, 0], bi(x2)[:, 0])  # ... but a bidirectional one's can
    with pytest.raises(ValueError, match="combine"):
        Tagger(4, 3, 7, combine="mean")
    with pytest.raises(ValueError, match=r"x must have shape \(N, T, V\) with V = 4"):
        uni(torch.randn(2, 5, 3))


def test_accuracy_with_a_mask_counts_only_targets():
    torch.manual_seed(0)
    m = Tagger(4, 3, 5)
    x = torch.randn(2, 3, 4)
    pred = m(x).argmax(-1)
    y = np.full((2, 3), IGNORE)
    y[0, 1] = int(pred[0, 1])
    y[1, 2] = (int(pred[1, 2]) + 1) % 5
    assert accuracy(m(x), y, mask=y != IGNORE) == 0.5
    y = np.full((2, 3), IGNORE)
    with pytest.raises(ValueError, match="mask selects no position"):
        accuracy(m(x), y, mask=y != IGNORE)
