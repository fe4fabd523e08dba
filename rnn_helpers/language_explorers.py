"""Explorers of notebook 08: type a message or a sentence and see what the trained models make of it.

Pure functions compute what to show (``verdict_view``, ``tag_view``); thin builders wire a text box
to them (``verdict_explorer``, ``tag_explorer``) and render the result as HTML.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

import numpy as np
import torch

from .language_models import predict
from .text import encode, naive_bayes_scores, naive_bayes_word_weights, tokenize
from .widgets import Explorer, register_explorer

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


def verdict_view(text: str, model: torch.nn.Module, nb, stoi: dict[str, int], labels: Sequence[str]) -> dict:
    """What the recurrent classifier and naive Bayes say about ``text``.

    Returns "tokens", "known" (bool per token: in the vocabulary), "votes" (each token's naive
    Bayes vote for labels[1], log p(w | 1) - log p(w | 0)), "p_rnn" and "p_nb" (probability of
    labels[1]) and "verdict_rnn", "verdict_nb" (label names).
    """
    tokens = tokenize(text)
    if not tokens:
        raise ValueError(f"text must hold at least one word, got {text!r}")
    ids = encode(tokens, stoi)
    p_rnn = _softmax1(predict(model, [ids])[0].numpy())
    p_nb = _softmax1(naive_bayes_scores(nb, [ids])[0])
    return {
        "tokens": tokens,
        "known": [t in stoi for t in tokens],
        "votes": naive_bayes_word_weights(nb)[ids],
        "p_rnn": p_rnn,
        "p_nb": p_nb,
        "verdict_rnn": labels[int(p_rnn > 0.5)],
        "verdict_nb": labels[int(p_nb > 0.5)],
    }


def _verdict_html(view: dict, labels: Sequence[str], rnn_name: str) -> str:
    spans = []
    for tok, known, vote in zip(view["tokens"], view["known"], view["votes"]):
        a = min(abs(float(vote)) / 3, 1.0) * 0.6
        colour = f"rgba(213,94,0,{a:.2f})" if vote > 0 else f"rgba(0,114,178,{a:.2f})"
        style = f"background:{colour};padding:1px 3px;margin:1px;border-radius:3px"
        style += "" if known else ";text-decoration:underline dotted"
        spans.append(f"<span style='{style}'>{html.escape(tok)}</span>")
    return (
        f"<div style='font-size:15px;line-height:1.9'>{' '.join(spans)}</div>"
        f"<div style='font-size:15px'><b>{rnn_name}</b>: {view['verdict_rnn']} "
        f"(p({labels[1]}) = {view['p_rnn']:.2f}) &nbsp; <b>naive Bayes</b>: {view['verdict_nb']} "
        f"(p({labels[1]}) = {view['p_nb']:.2f})</div>"
        f"<div style='font-size:12px;color:#555'>colour: naive Bayes vote of each word, orange for "
        f"{labels[1]}, blue for {labels[0]}; dotted underline: not in the vocabulary</div>"
    )


def verdict_explorer(model, nb, stoi, labels: Sequence[str], text: str, rnn_name: str = "GRU") -> Explorer:
    """A text box: type a message, see both models' verdicts and each word's naive Bayes vote."""
    import ipywidgets as W

    box = W.Text(value=text, description="message", continuous_update=False, layout=W.Layout(width="95%"))
    out = W.HTML()
    explorer = Explorer({"text": box}, W.VBox([box, out]))

    def update(_=None):
        try:
            view = verdict_view(box.value, model, nb, stoi, labels)
        except ValueError as err:
            out.value = f"<i>{html.escape(str(err))}</i>"
            explorer.state = {"error": str(err)}
            return
        out.value = _verdict_html(view, labels, rnn_name)
        explorer.state = view

    box.observe(update, names="value")
    update()
    return explorer


def tag_view(sentence: str, taggers: dict, stoi: dict[str, int], tags: Sequence[str]) -> dict:
    """Tags for each word of ``sentence`` from every tagger in ``taggers`` (name -> model, or name ->
    array of each token id's tag for the most-frequent-tag baseline). Returns "words", "known" and
    one list of tag names per tagger name."""
    words = split_words(sentence)
    if not words:
        raise ValueError(f"sentence must hold at least one word, got {sentence!r}")
    ids = encode(words, stoi)
    view: dict = {"words": words, "known": [w in stoi for w in words]}
    for name, tagger in taggers.items():
        if isinstance(tagger, np.ndarray):
            view[name] = [tags[int(tagger[i])] for i in ids]
        else:
            view[name] = [tags[int(i)] for i in predict(tagger, [ids])[0].argmax(1)]
    return view


def _tag_html(view: dict, names: Sequence[str]) -> str:
    last = names[-1]
    head = "".join(
        f"<th style='padding:2px 6px;{'' if k else 'text-decoration:underline dotted'}'>{html.escape(w)}</th>"
        for w, k in zip(view["words"], view["known"])
    )
    rows = []
    for name in names:
        cells = "".join(
            f"<td style='padding:2px 6px;{'color:#D55E00;font-weight:bold' if t != view[last][i] else ''}'>{t}</td>"
            for i, t in enumerate(view[name])
        )
        rows.append(f"<tr><td style='padding:2px 6px;text-align:right'><i>{html.escape(name)}</i></td>{cells}</tr>")
    return (
        f"<table style='font-size:14px;border-collapse:collapse'><tr><td></td>{head}</tr>{''.join(rows)}</table>"
        f"<div style='font-size:12px;color:#555'>orange: differs from the {html.escape(last)}; dotted underline: "
        f"word not in the vocabulary</div>"
    )


def tag_explorer(taggers: dict, stoi, tags: Sequence[str], sentence: str) -> Explorer:
    """A text box: type a sentence, see the tags of each tagger (the last one is the reference)."""
    import ipywidgets as W

    box = W.Text(value=sentence, description="sentence", continuous_update=False, layout=W.Layout(width="95%"))
    out = W.HTML()
    explorer = Explorer({"sentence": box}, W.VBox([box, out]))

    def update(_=None):
        try:
            view = tag_view(box.value, taggers, stoi, tags)
        except ValueError as err:
            out.value = f"<i>{html.escape(str(err))}</i>"
            explorer.state = {"error": str(err)}
            return
        out.value = _tag_html(view, list(taggers))
        explorer.state = view

    box.observe(update, names="value")
    update()
    return explorer


def _tiny_vocab():
    from .text import build_vocab

    itos = build_vocab([["win", "a", "free", "prize", "see", "you", "at", "home", "."]], 1)
    return {t: i for i, t in enumerate(itos)}


def _example_verdict() -> Explorer:
    from .language_models import TextClassifier
    from .text import naive_bayes_fit

    stoi = _tiny_vocab()
    torch.manual_seed(0)
    nb = naive_bayes_fit([[stoi["win"], stoi["free"]], [stoi["see"], stoi["home"]]], [1, 0], len(stoi))
    return verdict_explorer(TextClassifier(len(stoi), 8), nb, stoi, ("ham", "spam"), "win a free prize")


def _example_tags() -> Explorer:
    from .language_models import Tagger

    stoi = _tiny_vocab()
    torch.manual_seed(0)
    tags = ["<pad>", "DET", "NOUN", "VERB"]
    return tag_explorer(
        {"baseline": np.ones(len(stoi), dtype=int), "tagger": Tagger(len(stoi), 8, 4)}, stoi, tags, "see you"
    )


register_explorer("message_verdict", sweep={"text": ["win a prize", "see you at home ."]})(_example_verdict)
register_explorer("sentence_tags", sweep={"sentence": ["see you at home .", "win a free prize"]})(_example_tags)
