"""Models and helpers of the applications notebooks: shapes, masking, baselines, forecasting."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

from rnn_helpers.datasets import Vocab, bag_of_words, make_windows, pad_sequences
from rnn_helpers.models import (
    CharModel,
    Forecaster,
    SequenceClassifier,
    SequenceTagger,
    complete_prefix,
    most_frequent_tag_baseline,
    sample_text,
)
from rnn_helpers.training import accuracy
from rnn_helpers.viz.curves import plot_loss_curves


def test_vocab_and_padding():
    v = Vocab(["b", "a", "b"])
    assert v.itos == ["<pad>", "a", "b"] and v.encode(["b", "a"]) == [2, 1]
    with pytest.raises(ValueError, match="not in the vocabulary"):
        v.encode(["c"])
    ids, lengths = pad_sequences([[1, 2, 3], [2]])
    assert ids.tolist() == [[1, 2, 3], [2, 0, 0]] and lengths.tolist() == [3, 1]
    with pytest.raises(ValueError):
        pad_sequences([[1], []])


def test_classifier_reads_the_last_real_step_not_the_padding():
    torch.manual_seed(0)
    m = SequenceClassifier(V=5, H=4, C=3)
    ids, lengths = pad_sequences([[1, 2], [3, 4, 1, 2]])
    out = m(ids, lengths)
    alone = m(torch.tensor([[1, 2]]), torch.tensor([2]))
    assert out.shape == (2, 3)
    torch.testing.assert_close(out[0], alone[0])


def test_tagger_char_model_and_forecaster_shapes():
    assert SequenceTagger(6, 4, 3)(torch.ones(2, 5, dtype=torch.long)).shape == (2, 5, 3)
    scores, (h, c) = CharModel(7, 8)(torch.ones(2, 5, dtype=torch.long))
    assert scores.shape == (2, 5, 7) and h.shape == (1, 2, 8)
    assert Forecaster(4)(torch.zeros(3, 6, 1)).shape == (3,)


def test_bag_of_words_ignores_order_and_baseline_picks_majority_tag():
    a, b = bag_of_words([[1, 2, 2], [2, 1, 2]], 4)
    assert torch.equal(a, b) and a.tolist() == [0, 1, 2, 0]
    tag = most_frequent_tag_baseline(
        [(["can", "fish"], ["MODAL", "VERB"]), (["the", "can"], ["DET", "NOUN"]), (["we", "can"], ["PRON", "MODAL"])]
    )
    assert tag(["can", "fish", "zzz"]) == ["MODAL", "VERB", "MODAL"]


def test_accuracy_with_mask():
    scores = torch.tensor([[[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]]])
    y = torch.tensor([[0, 0, 1]])
    assert accuracy(scores, y) == pytest.approx(1 / 3)
    assert accuracy(scores, y, torch.tensor([[True, False, False]])) == 1.0


def test_windows_and_direct_multi_step_forecaster():
    x, y = make_windows(np.arange(10.0), 3)
    assert x.shape == (7, 3) and x[0].tolist() == [0, 1, 2] and y[0] == 3 and y[-1] == 9
    x, y = make_windows(np.arange(10.0), 3, horizon=4)
    assert x.shape == (4, 3) and y.shape == (4, 4) and y[0].tolist() == [3, 4, 5, 6] and y[-1, -1] == 9
    with pytest.raises(ValueError, match="at least T \\+ horizon = 5"):
        make_windows(np.arange(4.0), 3, horizon=2)
    assert Forecaster(4, horizon=5)(torch.zeros(2, 6, 1)).shape == (2, 5)
    with pytest.raises(ValueError, match=r"x must have shape \(N, T, 1\)"):
        Forecaster(4)(torch.zeros(2, 6))


def test_sampling_and_completion_are_seeded_and_stop_at_a_space():
    torch.manual_seed(0)
    v = Vocab(list("ab .\n"))
    m = CharModel(len(v), 8)
    s1 = sample_text(m, v, "ab", 20, 1.0, torch.Generator().manual_seed(1))
    s2 = sample_text(m, v, "ab", 20, 1.0, torch.Generator().manual_seed(1))
    assert s1 == s2 and len(s1) == 22 and s1.startswith("ab")
    with pytest.raises(ValueError, match="temperature"):
        sample_text(m, v, "ab", 3, 0.0, torch.Generator())
    c = complete_prefix(m, v, "a", max_chars=10)
    assert c.startswith("a") and " " not in c[2:]


def test_loss_curves_without_raw_lines_draw_one_smoothed_line_per_curve():
    ax = plot_loss_curves({"a": np.ones(50), "b": np.arange(50.0)}, smooth=10, raw=False)
    assert len(ax.lines) == 2 and len(ax.lines[0].get_xdata()) == 41
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b"]
    plt.close(ax.figure)


def test_temperature_view_sharpens_and_flattens():
    import numpy as np
    import torch

    from rnn_helpers.datasets import Vocab
    from rnn_helpers.explorers import next_char_view, temperature_explorer
    from rnn_helpers.models import CharModel

    torch.manual_seed(0)
    vocab = Vocab(list("abc d.\n"))
    model = CharModel(len(vocab), H=8)
    cold, hot = (next_char_view(model, vocab, "ab", t) for t in (0.2, 5.0))
    assert cold["entropy"] < hot["entropy"]
    assert np.isclose(hot["p"].sum(), 1.0, atol=1e-6) and cold["p"][0] >= hot["p"][0]
    with pytest.raises(ValueError, match="temperature must be > 0"):
        next_char_view(model, vocab, "ab", 0.0)
    explorer = temperature_explorer(model, vocab, prefix="ab")
    before = explorer.state["entropy"]
    explorer.controls["temperature"].value = 4.0
    assert explorer.state["entropy"] > before and explorer.state["temperature"] == 4.0
    explorer.controls["prefix"].value = "c"
    assert explorer.state["prefix"] == "c"
