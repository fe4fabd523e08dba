"""Type a message or a sentence and see what the trained models of notebook 08 make of it.

Pure functions compute what to show (``verdict_view``, ``tag_view``); thin builders wire a text box
to them (``verdict_explorer``, ``tag_explorer``) and render the result as HTML.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence

import ipywidgets as W
import numpy as np
import torch

from ..datasets import Vocab, build_vocab, encode_words, tokenize
from ..models import (
    SequenceClassifier,
    SequenceTagger,
    naive_bayes_fit,
    naive_bayes_scores,
    naive_bayes_word_weights,
    predict,
)
from .base import Explorer, agg_figure, register_explorer, wire

__all__ = ["split_words", "verdict_view", "verdict_explorer", "tag_view", "tag_explorer"]

_WORDS = re.compile(r"\w+(?=n't)|n't|'\w+|\w+|[^\w\s]")


def split_words(sentence: str) -> list[str]:
    """Words and punctuation as the English treebank splits them ("don't" -> "do", "n't")."""
    if not isinstance(sentence, str):
        raise ValueError(f"sentence must be a str, got {type(sentence).__name__}")
    return _WORDS.findall(sentence)


def _softmax1(scores: np.ndarray) -> float:
    """Probability of class 1 from two scores."""
    return float(1.0 / (1.0 + np.exp(scores[0] - scores[1])))


def verdict_view(text: str, model: torch.nn.Module, nb, vocab: Vocab, labels: Sequence[str]) -> dict:
    """What the recurrent classifier and naive Bayes say about ``text``.

    Returns "tokens", "known" (bool per token: in the vocabulary), "votes" (each token's naive
    Bayes vote for labels[1], log p(w | 1) - log p(w | 0)), "p_rnn" and "p_nb" (probability of
    labels[1]) and "verdict_rnn", "verdict_nb" (label names).
    """
    tokens = tokenize(text)
    if not tokens:
        raise ValueError(f"text must hold at least one word, got {text!r}")
    ids = encode_words(tokens, vocab)
    p_rnn = _softmax1(predict(model, [ids])[0].numpy())
    p_nb = _softmax1(naive_bayes_scores(nb, [ids])[0])
    return {
        "tokens": tokens,
        "known": [t in vocab.stoi for t in tokens],
        "votes": naive_bayes_word_weights(nb)[ids],
        "p_rnn": p_rnn,
        "p_nb": p_nb,
        "verdict_rnn": labels[int(p_rnn > 0.5)],
        "verdict_nb": labels[int(p_nb > 0.5)],
    }


def verdict_explorer(model, nb, vocab: Vocab, labels: Sequence[str], text: str, rnn_name: str = "GRU") -> Explorer:
    """A text box: type a message, see both models' verdicts (title) and each word's naive Bayes
    vote as a bar (orange towards labels[1], blue towards labels[0]; "?" marks an unknown word)."""
    model = copy.deepcopy(model).double().eval()  # once, so that each update skips the conversion
    box = W.Text(value=text, description="message", continuous_update=False, layout=W.Layout(width="720px"))
    fig = agg_figure((7.5, 4.2))
    ax = fig.add_subplot()
    fig.subplots_adjust(left=0.2, right=0.97, top=0.88, bottom=0.14)
    # Fixed axes (one row per token slot, one vote scale for every word of the vocabulary) and
    # persistent artists drawn over a cached background: an update redraws only bars and texts.
    most = 16  # the first 16 tokens are drawn
    bars = ax.barh(np.arange(most), np.zeros(most)).patches
    names = [ax.text(-0.02, i, "", transform=ax.get_yaxis_transform(), ha="right", va="center", fontsize=11)
             for i in range(most)]  # fmt: skip
    reach = 1.05 * float(np.abs(naive_bayes_word_weights(nb)).max())
    ax.set(xlim=(-reach, reach), ylim=(most - 0.5, -0.5), yticks=[])
    ax.axvline(0, color="0.3", lw=1)
    ax.set_xlabel(f"naive Bayes vote: toward {labels[0]} (-) or {labels[1]} (+)", fontsize=12)
    title = ax.set_title(" ", fontsize=12)

    def update():
        try:
            view = verdict_view(box.value, model, nb, vocab, labels)
        except ValueError as err:
            for bar, name in zip(bars, names):
                bar.set_visible(False)
                name.set_text("")
            title.set_text(str(err)[:70])
            return {"error": str(err)}, [*bars, *names, title]
        n = min(len(view["tokens"]), most)
        votes = np.asarray(view["votes"][:n], dtype=float)
        for i, (bar, name) in enumerate(zip(bars, names)):
            bar.set_visible(i < n)
            bar.set_width(votes[i] if i < n else 0)
            bar.set_color("#D55E00" if i < n and votes[i] > 0 else "#0072B2")
            name.set_text(view["tokens"][i] + ("" if view["known"][i] else " ?") if i < n else "")
        title.set_text(
            f"{rnn_name}: {view['verdict_rnn']} (p({labels[1]}) = {view['p_rnn']:.2f})    "
            f"naive Bayes: {view['verdict_nb']} (p = {view['p_nb']:.2f})"
        )
        return view, [*bars, *names, title]

    return wire({"text": box}, fig, update, animated=[*bars, *names, title])


def tag_view(sentence: str, taggers: dict, vocab: Vocab, tags: Sequence[str]) -> dict:
    """Tags for each word of ``sentence`` from every tagger in ``taggers`` (name -> model, or name ->
    array of each token id's tag for the most-frequent-tag baseline). Returns "words", "known" and
    one list of tag names per tagger name."""
    words = split_words(sentence)
    if not words:
        raise ValueError(f"sentence must hold at least one word, got {sentence!r}")
    ids = encode_words(words, vocab)
    view: dict = {"words": words, "known": [w in vocab.stoi for w in words]}
    for name, tagger in taggers.items():
        if isinstance(tagger, np.ndarray):
            view[name] = [tags[int(tagger[i])] for i in ids]
        else:
            view[name] = [tags[int(i)] for i in predict(tagger, [ids])[0].argmax(1)]
    return view


def tag_explorer(taggers: dict, vocab: Vocab, tags: Sequence[str], sentence: str) -> Explorer:
    """A text box: type a sentence, see each tagger's tags under its words (orange: differs from
    the last tagger, the reference; "?" marks a word outside the vocabulary)."""
    # torch taggers converted to float64 once, so that each update skips the conversion
    taggers = {k: t if isinstance(t, np.ndarray) else copy.deepcopy(t).double().eval() for k, t in taggers.items()}
    box = W.Text(value=sentence, description="sentence", continuous_update=False, layout=W.Layout(width="720px"))
    fig = agg_figure((9.5, 0.45 * len(taggers) + 0.8))
    ax = fig.add_axes((0.17, 0.02, 0.82, 0.96))
    ax.set_axis_off()
    names = list(taggers)
    ax.set_ylim(len(names) + 0.5, -0.5)
    # Persistent texts, updated in place (re-creating ~60 texts per keystroke is the slow part).
    most = 14  # the first 14 words are shown
    mono = {"family": "monospace", "fontsize": 12, "va": "center"}
    words_row = [ax.text(0, 0, "", fontweight="bold", **mono) for _ in range(most)]
    tag_rows = [[ax.text(0, i + 1, "", **mono) for _ in range(most)] for i in range(len(names))]
    for i, name in enumerate(names):
        ax.text(-0.5, i + 1, name, fontsize=12, ha="right", va="center", style="italic")
    message = ax.text(0, 0.5, "", fontsize=12, transform=ax.transAxes)

    def update():
        for t in [*words_row, *(t for row in tag_rows for t in row)]:
            t.set_text("")
        message.set_text("")
        try:
            view = tag_view(box.value, taggers, vocab, tags)
        except ValueError as err:
            message.set_text(str(err)[:80])
            return {"error": str(err)}, []
        words = [w + ("" if k else "?") for w, k in zip(view["words"], view["known"])][:most]
        widths = [max(len(w), 5) + 2 for w in words]
        x = np.concatenate([[0], np.cumsum(widths)[:-1]])
        ax.set_xlim(0, max(sum(widths), 72))
        for j, w in enumerate(words):
            words_row[j].set(x=x[j], text=w)
            for i, name in enumerate(names):
                tag = view[name][j]
                colour = "#D55E00" if tag != view[names[-1]][j] else "black"
                tag_rows[i][j].set(x=x[j], text=tag, color=colour)
        return view, []

    return wire({"sentence": box}, fig, update)


def _tiny_vocab() -> Vocab:
    return build_vocab([["win", "a", "free", "prize", "see", "you", "at", "home", "."]], 1)


@register_explorer("message_verdict", sweep={"text": ["win a prize", "see you at home ."]})
def _example_verdict() -> Explorer:
    vocab = _tiny_vocab()
    torch.manual_seed(0)
    nb = naive_bayes_fit(
        [encode_words(["win", "free"], vocab), encode_words(["see", "home"], vocab)], [1, 0], len(vocab)
    )
    model = SequenceClassifier(len(vocab), 8, 2, cell="gru")
    return verdict_explorer(model, nb, vocab, ("ham", "spam"), "win a free prize")


@register_explorer("sentence_tags", sweep={"sentence": ["see you at home .", "win a free prize"]})
def _example_tags() -> Explorer:
    vocab = _tiny_vocab()
    torch.manual_seed(0)
    taggers = {"baseline": np.ones(len(vocab), dtype=int), "tagger": SequenceTagger(len(vocab), 8, 4)}
    return tag_explorer(taggers, vocab, ["<pad>", "DET", "NOUN", "VERB"], "see you")
