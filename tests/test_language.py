"""Notebook 08's text helpers: loaders, tokens, baselines, metrics, models, weights, explorers, script."""

import copy
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from rnn_helpers.datasets import (
    CHECKSUMS,
    build_vocab,
    classification_splits,
    data_path,
    encode_words,
    load_ewt,
    load_review_sentences,
    load_sms_spam,
    split_three_ways,
    tokenize,
    word_shape,
)
from rnn_helpers.explorers.language import split_words, tag_explorer, tag_view, verdict_explorer, verdict_view
from rnn_helpers.models import (
    SequenceClassifier,
    SequenceTagger,
    load_trained,
    load_weights,
    most_frequent_tag_fit,
    naive_bayes_fit,
    naive_bayes_scores,
    predict,
    save_weights,
)
from rnn_helpers.training import confusion_matrix, precision_recall_f1
from rnn_helpers.viz.confusion import plot_confusion

ROOT = Path(__file__).resolve().parents[1]


def test_every_language_file_is_verified_and_small():
    for name in CHECKSUMS:
        path = data_path(name)
        assert path.stat().st_size < 2_000_000, name


def test_loaders_count_what_the_provenance_says():
    sms = load_sms_spam()
    assert len(sms) == 5574 and sum(y for _, y in sms) == 747
    reviews = load_review_sentences()
    assert len(reviews) == 3000 and sum(y for _, y, _ in reviews) == 1500
    assert {s for _, _, s in reviews} == {"amazon", "imdb", "yelp"}
    test = load_ewt("test")
    assert len(test) == 2077 and sum(len(w) for w, _ in test) == 25094
    assert all(len(w) == len(t) for w, t in test)


def test_altered_or_missing_file_fails_loudly(tmp_path):
    (tmp_path / "sms_spam_collection.tsv").write_text("ham\thello\n")
    with pytest.raises(ValueError, match="altered"):
        load_sms_spam(tmp_path)
    with pytest.raises(FileNotFoundError, match="missing"):
        load_review_sentences(tmp_path)
    with pytest.raises(ValueError, match="name must be one of"):
        data_path("nope.txt")
    with pytest.raises(ValueError, match="split must be one of"):
        load_ewt("validation")


def test_split_is_fixed_disjoint_and_complete():
    items = list(range(100))
    a, b, c = split_three_ways(items)
    assert (len(a), len(b), len(c)) == (70, 15, 15)
    assert sorted(a + b + c) == items
    assert split_three_ways(items) == (a, b, c)
    with pytest.raises(ValueError, match="fractions"):
        split_three_ways(items, fractions=(0.5, 0.5))


def test_vocabulary_comes_from_training_split_only():
    data = classification_splits("spam")
    train_tokens = {t for text in data["train"]["text"] for t in tokenize(text)}
    assert set(data["vocab"].itos[9:]) <= train_tokens
    assert data["itos"][0] == "<pad>"
    assert all(len(ids) > 0 for part in ("train", "val", "test") for ids in data[part]["ids"])


def test_tokenize_shapes_and_encode():
    assert tokenize("Don't WIN £100!") == ["don't", "win", "£", "100", "!"]
    assert word_shape("07781482378") == "<unk:num>" and word_shape("Zorblat") == "<unk:Cap>"
    assert word_shape("zorbling") == "<unk:-ing>" and word_shape("zq") == "<unk>"
    vocab = build_vocab([["a", "b", "a"], ["a", "c"]], min_count=2)
    stoi = vocab.stoi
    assert vocab.itos[0] == "<pad>" and "a" in stoi and "b" not in stoi
    assert encode_words(["a", "b", "running"], vocab) == [stoi["a"], stoi["<unk>"], stoi["<unk:-ing>"]]
    with pytest.raises(ValueError, match="text must be a str"):
        tokenize(["a"])
    with pytest.raises(ValueError, match="min_count"):
        build_vocab([["a"]], min_count=0)


def test_naive_bayes_ignores_order_and_learns_words():
    seqs, y = [[1, 2], [1, 2, 2], [3, 4], [3, 3, 4]], [1, 1, 0, 0]
    nb = naive_bayes_fit(seqs, y, V=5)
    assert naive_bayes_scores(nb, [[2, 1], [4, 3]]).argmax(1).tolist() == [1, 0]
    assert np.allclose(naive_bayes_scores(nb, [[1, 3, 2]]), naive_bayes_scores(nb, [[2, 1, 3]]))
    assert np.allclose(np.exp(nb[1][:, 1:]).sum(1), 1.0)  # p(w | c) sums to 1 over the words
    with pytest.raises(ValueError, match="same length"):
        naive_bayes_fit(seqs, [1], V=5)


def test_most_frequent_tag_and_confusion():
    best = most_frequent_tag_fit([[1, 2, 1], [1]], [[2, 3, 2], [3]], V=4, C=4)
    assert best[1] == 2 and best[2] == 3 and best[3] == 2  # unseen id 3: commonest tag overall
    m = confusion_matrix([0, 1, 1, 0], [0, 1, 0, 0])
    assert m.tolist() == [[2, 1], [0, 1]]
    ax = plot_confusion(m, ["ham", "spam"])
    assert len(ax.texts) == 4 and ax.texts[1].get_text() == "1"
    with pytest.raises(ValueError, match=r"m must have shape \(C, C\) = \(3, 3\)"):
        plot_confusion(m, ["a", "b", "c"])


def test_classifier_reads_the_last_real_token_and_ignores_padding():
    torch.manual_seed(0)
    model = SequenceClassifier(V=10, H=6, C=2, D=4, cell="gru")
    short = [3, 4, 5]
    alone = predict(model, [short])[0]
    padded = predict(model, [short, [1, 2, 3, 4, 5, 6, 7]])[0]  # padded to 7 in the batch
    assert torch.allclose(alone, padded, atol=1e-12) and alone.dtype == torch.float64
    with pytest.raises(ValueError, match=r"ids must have shape \(N, T\)"):
        model(torch.zeros(3, dtype=torch.long), torch.tensor([1, 1, 1]))


def test_bidirectional_tagger_ignores_padding():
    torch.manual_seed(0)
    tagger = SequenceTagger(V=10, H=5, C=4, D=4, bidirectional=True)
    alone = predict(tagger, [[3, 4, 5]])[0]
    padded = predict(tagger, [[3, 4, 5], [1, 2, 3, 4, 5, 6]])[0]
    assert alone.shape == (3, 4) and torch.allclose(alone, padded, atol=1e-12)
    forward = SequenceTagger(V=10, H=5, C=4, D=4, bidirectional=False)
    a, b = predict(forward, [[3, 4, 5]])[0], predict(forward, [[3, 4, 9]])[0]
    assert torch.allclose(a[:2], b[:2]) and not torch.allclose(a[2], b[2])  # forward: no look-ahead


def test_weights_round_trip_as_float16(tmp_path):
    torch.manual_seed(0)
    model = SequenceClassifier(V=10, H=6, C=2, cell="gru")
    size = save_weights(tmp_path / "m.pt", model, itos=["<pad>"], note="x")
    other = SequenceClassifier(V=10, H=6, C=2, cell="gru")
    info = load_weights(tmp_path / "m.pt", other)
    assert info["note"] == "x" and size < 20_000
    for p, q in zip(model.parameters(), other.parameters()):
        assert torch.allclose(p, q, atol=2e-3)


@pytest.mark.parametrize("task, floor", [("spam", 0.97), ("sentiment", 0.72)])
def test_shipped_classifiers_keep_their_held_out_score(task, floor):
    data = classification_splits(task)
    model, info = load_trained(task, data["vocab"])
    acc = np.mean(torch.stack(predict(model, data["test"]["ids"])).argmax(1).numpy() == data["test"]["y"])
    assert abs(acc - info["test_accuracy"]) < 2.5 / len(data["test"]["y"]) and acc > floor
    with pytest.raises(ValueError, match="vocab must be the vocabulary"):
        load_trained(task, build_vocab([["a"]], 1))


def test_explorer_views_and_builders():
    vocab = build_vocab([["win", "free", "prize", "see", "you", "home"]], 1)
    stoi = vocab.stoi
    nb = naive_bayes_fit([[stoi["win"], stoi["free"]], [stoi["see"], stoi["home"]]], [1, 0], len(vocab))
    torch.manual_seed(0)
    model = SequenceClassifier(len(vocab), 4, 2, cell="gru")
    view = verdict_view("win FREE stuff", model, nb, vocab, ("ham", "spam"))
    assert view["tokens"] == ["win", "free", "stuff"] and view["known"] == [True, True, False]
    assert view["verdict_nb"] == "spam" and view["votes"][0] > 0
    with pytest.raises(ValueError, match="text must hold at least one word"):
        verdict_view("   ", model, nb, vocab, ("ham", "spam"))
    ex = verdict_explorer(model, nb, vocab, ("ham", "spam"), "see you at home")
    assert ex.state["verdict_nb"] == "ham"
    ex.controls["text"].value = "win a free prize"
    assert ex.state["verdict_nb"] == "spam"
    # the explorer converts the model to float64 once; its verdict is the one of the model given
    again = verdict_view("win a free prize", model, nb, vocab, ("ham", "spam"))
    assert ex.state["p_rnn"] == pytest.approx(again["p_rnn"])
    assert model.training and next(model.parameters()).dtype == torch.float32  # the caller's model is untouched
    m64 = copy.deepcopy(model).double().eval()
    assert torch.equal(predict(m64, [[1, 2, 3]])[0], predict(model, [[1, 2, 3]])[0])
    ex.controls["text"].value = "  "
    assert "error" in ex.state

    assert split_words("I don't know.") == ["I", "do", "n't", "know", "."]
    tags = ["<pad>", "A", "B"]
    base = np.full(len(vocab), 2)
    tv = tag_view("see you", {"base": base, "lstm": SequenceTagger(len(vocab), 3, 3)}, vocab, tags)
    assert tv["words"] == ["see", "you"] and tv["base"] == ["B", "B"] and len(tv["lstm"]) == 2
    te = tag_explorer({"base": base}, vocab, tags, "see you")
    te.controls["sentence"].value = "win free"
    assert te.state["words"] == ["win", "free"]


def test_training_script_runs_on_a_tiny_setting(tmp_path):
    for task in ["sentiment", "tagger_forward"]:
        run = subprocess.run(
            [
                sys.executable,
                str(ROOT / "scripts" / "train_language_models.py"),
                "--task",
                task,
                "--steps",
                "3",
                "--out",
                str(tmp_path),
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert run.returncode == 0, run.stderr[-2000:]
        assert (tmp_path / f"{task}.pt").is_file() and "test" in run.stdout


def test_precision_recall_f1_counts():
    assert precision_recall_f1([1, 1, 0, 0], [1, 0, 1, 0]) == (0.5, 0.5, 0.5)
    assert precision_recall_f1([0, 0], [1, 0]) == (0.0, 0.0, 0.0)
    assert precision_recall_f1([2, 2, 1], [2, 1, 1], positive=2) == (0.5, 1.0, 2 / 3)
    with pytest.raises(ValueError, match="same shape"):
        precision_recall_f1([1, 0], [1])
