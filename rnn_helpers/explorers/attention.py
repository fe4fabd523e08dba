"""Explorer of attention (notebook 06): type an English sentence, see the Spanish translation and
the attention weights alpha_{t,s} behind it."""

from __future__ import annotations

import ipywidgets as W
import torch

from ..datasets import Vocab
from ..seq2seq import EOS, PAD, Translator, build_vocab, detokenize, encode_words, greedy_decode, tokenize
from ..viz.attention import plot_attention
from .base import Explorer, agg_figure, register_explorer, wire

__all__ = ["attention_view", "attention_explorer"]


def attention_view(model: Translator, src_vocab: Vocab, tgt_vocab: Vocab, sentence: str) -> dict:
    """Translate one typed sentence greedily and collect what to show.

    Returns: dict with "source" (T_x tokens), "unknown" (source words the model never saw in
        training: they become <unk>), "output" (the translation, text), "rows" (the token emitted
        at each step, up to and including <eos>), "attention" (len(rows), T_x) numpy array.
    Raises ValueError for a sentence without a word.
    """
    words = tokenize(sentence)
    if not words:
        raise ValueError(f"sentence must contain at least one word, got {sentence!r}")
    src = torch.tensor([encode_words(src_vocab, words)])  # (1, T_x)
    ids, att = greedy_decode(model, src, max_len=2 * len(words) + 4)
    raw = [i for i in ids[0].tolist() if i != PAD]
    steps = raw.index(EOS) + 1 if EOS in raw else len(raw)
    rows = [tgt_vocab.tokens[i] for i in raw[:steps]]
    return {
        "source": words,
        "unknown": [w for w in words if w not in src_vocab.stoi],
        "output": detokenize(tgt_vocab.decode(raw)),
        "rows": rows,
        "attention": att[0, : len(rows)],
    }


def attention_explorer(
    model: Translator, src_vocab: Vocab, tgt_vocab: Vocab, sentence: str = "I love you."
) -> Explorer:
    """Type an English sentence (press Enter); see the model's Spanish and its attention heatmap.

    Inputs: model: a trained attention ``Translator`` with its two vocabularies; sentence: the first
        one shown. Returns: an Explorer with control "sentence" (a Text box); its state is the
        :func:`attention_view` dict (or {"error": message} for bad input).
    """
    fig = agg_figure((6.4, 5.2), dpi=72)
    ax = fig.add_axes((0.2, 0.04, 0.76, 0.74))  # fixed layout: room for labels on top and left
    text = W.Text(value=sentence, description="sentence", continuous_update=False)

    def update():
        ax.clear()
        try:
            view = attention_view(model, src_vocab, tgt_vocab, text.value)
        except ValueError as exc:
            view = {"error": str(exc)}
            fig.suptitle("")
            ax.set_axis_off()
            ax.text(0.5, 0.5, str(exc), ha="center", va="center", wrap=True, transform=ax.transAxes)
        else:
            ax.set_axis_on()
            plot_attention(view["attention"], view["source"], view["rows"], ax=ax, colorbar=False)
            unknown = f"  (never seen: {', '.join(view['unknown'])})" if view["unknown"] else ""
            fig.suptitle(view["output"] + unknown, fontsize=13, x=0.02, ha="left")
        return view, ()

    return wire({"sentence": text}, fig, update, stack=True)


@register_explorer("attention", sweep={"sentence": ["you love me .", "I love you.", "love"]})
def _example_attention() -> Explorer:
    torch.manual_seed(0)
    src_vocab, tgt_vocab = build_vocab([["i", "love", "you", "me", "."]]), build_vocab([["te", "amo", "me", "."]])
    return attention_explorer(Translator(len(src_vocab), len(tgt_vocab), emb=8, hidden=16), src_vocab, tgt_vocab)
