"""Character-model helpers: data check, held-out scoring, sampling, auto-suggest, copies, units."""

import numpy as np
import pytest
import torch

from rnn_helpers.charlm import (
    best_units,
    complete,
    hidden_states,
    line_features,
    longest_copy,
    random_windows,
    sample_chars,
    sampling_distribution,
    text_log2probs,
)
from rnn_helpers.datasets import Vocab, load_shakespeare, split_text
from rnn_helpers.explorers import generation_explorer, generation_view
from rnn_helpers.models import CharRNN
from rnn_helpers.ngram import KneserNey


def test_shakespeare_is_verified(tmp_path):
    text = load_shakespeare()
    assert len(text) == 1_115_394 and text.startswith("First Citizen:")
    (tmp_path / "tinyshakespeare.txt").write_text(text[:-1])
    with pytest.raises(ValueError, match="altered"):
        load_shakespeare(tmp_path)
    with pytest.raises(FileNotFoundError, match="missing"):
        load_shakespeare(tmp_path / "nowhere")


def test_split_is_contiguous():
    train, held = split_text("abcdefghij", 0.3)
    assert (train, held) == ("abcdefg", "hij")
    with pytest.raises(ValueError, match="heldout"):
        split_text("abc", 1.5)


@pytest.mark.parametrize("cell", ["rnn", "gru", "lstm"])
def test_log2probs_match_a_step_by_step_reading(cell):
    torch.manual_seed(0)
    model = CharRNN(7, H=5, cell=cell, D=3)
    ids = torch.randint(1, 7, (23,))
    got = text_log2probs(model, ids, streams=1)
    with torch.no_grad():
        scores, _ = model(ids[None, :-1])
    want = torch.log_softmax(scores[0].double(), -1).gather(-1, ids[1:, None])[:, 0].numpy() / np.log(2)
    np.testing.assert_allclose(got, want, atol=1e-6)
    # several streams: same characters scored, each piece starting from a zero state
    assert text_log2probs(model, ids, streams=4).shape == (22,)


def test_sampling_distribution_temperature_and_top_k():
    s = np.array([2.0, 1.0, 0.5, -1.0, 3.0])
    p = sampling_distribution(s, 0.5, 2)
    assert p.sum() == pytest.approx(1) and np.count_nonzero(p) == 2 and p[4] > p[0] > 0
    e = np.exp(np.array([3.0, 2.0]) / 0.5)
    assert p[4] == pytest.approx(e[0] / e.sum())
    flat, sharp = sampling_distribution(s, 5.0), sampling_distribution(s, 0.2)
    assert flat.max() < sampling_distribution(s).max() < sharp.max()
    for bad, match in [((s, 0.0), "temperature"), ((s, 1.0, 0), "top_k"), ((s[None], 1.0), "shape")]:
        with pytest.raises(ValueError, match=match):
            sampling_distribution(*bad)


def test_sampling_is_seeded_and_never_emits_padding():
    vocab = Vocab(list("ab c\n"))
    model = CharRNN(len(vocab), H=4)
    a = sample_chars(model, vocab, "ab", 40, np.random.default_rng(1), temperature=3.0)
    assert a == sample_chars(model, vocab, "ab", 40, np.random.default_rng(1), temperature=3.0)
    assert len(a) == 40 and "<pad>" not in a


def test_complete_works_for_recurrent_and_counting_models():
    vocab = Vocab(list("the cat sat. "))
    ids = np.array(vocab.encode(list("the cat sat. " * 30)))
    kn = KneserNey(ids, len(vocab), 4)
    assert complete(kn, vocab, "the c") == "at"
    assert isinstance(complete(CharRNN(len(vocab), H=4), vocab, "the c", max_chars=3), str)


def test_longest_copy():
    assert longest_copy("xxhello worldyy", "say hello world!") == "hello world"
    assert longest_copy("abc", "zzz") == ""


def test_features_and_best_units():
    text = "ANNA:\nHi there.\n\nBOB:\nYes.\n"
    f = line_features(text)
    assert f["position in line"][:7].tolist() == [0, 1, 2, 3, 4, 5, 0]
    assert "".join(c for c, x in zip(text, f["inside a speaker's name"]) if x) == "ANNABOB"
    assert f["line start"].sum() == text.count("\n")
    states = np.stack([f["position in line"] * 2 + 1, -f["line start"], np.sin(np.arange(len(text)))], 1)
    found = best_units(states, f)
    assert found["position in line"] == (0, pytest.approx(1.0))
    assert found["line start"] == (1, pytest.approx(-1.0))
    with pytest.raises(ValueError, match="shape"):
        best_units(states[:, 0], f)


def test_hidden_states_and_windows():
    model = CharRNN(6, H=5)
    assert hidden_states(model, [1, 2, 3]).shape == (3, 5)
    x = random_windows(torch.arange(50), 4, 10, np.random.default_rng(0))
    assert x.shape == (4, 11) and (x[:, 1:] - x[:, :-1] == 1).all()
    with pytest.raises(ValueError, match="cell"):
        CharRNN(6, H=5, cell="transformer")


def test_generation_view_entropy_falls_with_temperature_and_top_k():
    torch.manual_seed(0)
    vocab = Vocab(list("abcdefgh \n"))
    model = CharRNN(len(vocab), H=8)
    hot, cold = (generation_view(model, vocab, "ab", t, n=10) for t in (3.0, 0.3))
    assert hot["entropy"] > cold["entropy"] and hot["kept"] == len(vocab) - 1  # padding is never kept
    cut = generation_view(model, vocab, "ab", 3.0, top_k=3, n=10)
    assert cut["kept"] == 3 and cut["entropy"] <= np.log2(3) + 1e-12 and len(cut["sample"]) == 10
    assert cut["p"][:3].sum() == pytest.approx(1) and list(cut["p"]) == sorted(cut["p"], reverse=True)
    with pytest.raises(ValueError, match="prefix"):
        generation_view(model, vocab, "", 1.0)


def test_explorer_follows_temperature_top_k_and_prefix():
    torch.manual_seed(0)
    vocab = Vocab(list("To be, or not to be: that is the question.\n"))
    explorer = generation_explorer(CharRNN(len(vocab), H=8), vocab, prefix="To be")
    start = explorer.state["entropy"]
    assert explorer.state["kept"] == len(vocab) - 1 and len(explorer.state["sample"]) == 48
    explorer.controls["temperature"].value = 0.2
    assert explorer.state["entropy"] < start
    explorer.controls["temperature"].value = 3.0
    explorer.controls["top_k"].value = 3
    assert explorer.state["kept"] == 3 and explorer.state["entropy"] <= np.log2(3) + 1e-9
    explorer.controls["prefix"].value = "that"
    assert explorer.state["prefix"] == "that"
    explorer.controls["prefix"].value = "§§"  # nothing usable: falls back to the default prefix
    assert explorer.state["prefix"] == "To be"
