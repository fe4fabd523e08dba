"""Explorer of attention (notebook 06): type a source, see the translation and its weights."""

from __future__ import annotations

import ipywidgets as W
import torch
from torch import nn

from ..seq2seq import (
    EOS,
    SOURCE_VOCAB,
    TARGET_VOCAB,
    AttentionSeq2Seq,
    greedy_decode,
    parse_digits,
    translate_base_five,
)
from ..viz.attention import plot_attention
from .base import Explorer, agg_figure, register_explorer, wire

__all__ = ["attention_view", "attention_explorer"]


def attention_view(model: nn.Module, source: str, reverse: bool = False) -> dict:
    """Translate one typed source greedily and collect what to show.

    Inputs: model; source: digits, e.g. "7 3 9"; reverse: the model reads reversed sources.
    Returns: dict with "source" (T_x tokens, in reading order), "output" (T_y' predicted words),
        "reference" (the correct translation), "correct" (bool), "rows" (the token emitted
        at each decoding step, up to and including ``<eos>``), "attention"
        (len(rows), T_x) numpy array, or None for a model without attention.
    """
    digits = parse_digits(source)
    if reverse:
        digits = digits[::-1]
    src = torch.tensor([SOURCE_VOCAB.encode(digits)])  # (1, T_x)
    ids, att = greedy_decode(model, src, max_len=2 * len(digits) + 2)
    output = TARGET_VOCAB.decode(ids[0])
    reference = translate_base_five(digits[::-1] if reverse else digits)
    raw = ids[0].tolist()
    steps = raw.index(EOS) + 1 if EOS in raw else len(raw)  # all max_len steps if no <eos>
    rows = [TARGET_VOCAB.tokens[i] for i in raw[:steps]]
    return {
        "source": digits,
        "output": output,
        "reference": reference,
        "correct": output == reference,
        "rows": rows,
        "attention": None if att is None else att[0, : len(rows)],
    }


def _verdict(output: list[str], reference: list[str]) -> str:
    """One line: correct, or the first word where the output departs from the reference."""
    if output == reference:
        return f"correct: all {len(reference)} words"
    k = next((i for i, (a, b) in enumerate(zip(output, reference)) if a != b), min(len(output), len(reference)))
    got = output[k] if k < len(output) else "<eos>"
    want = reference[k] if k < len(reference) else "<eos>"
    return f"wrong from word {k + 1}: '{got}' instead of '{want}'"


def attention_explorer(model: nn.Module, source: str = "7 3 9 1 6") -> Explorer:
    """Type a source digit string; see the model's translation and its attention heatmap.

    Inputs: model: a trained AttentionSeq2Seq; source: the first string shown.
    Returns: an Explorer with control "source" (a Text box; press Enter to translate); its
        state is the :func:`attention_view` dict (or {"error": message} for bad input).
    """

    fig = agg_figure((6.4, 5.2), dpi=72)
    ax = fig.add_axes((0.2, 0.04, 0.76, 0.74))  # fixed layout: room for labels on top and left
    text = W.Text(value=source, description="source", continuous_update=False)

    def update():
        ax.clear()
        try:
            view = attention_view(model, text.value)
        except ValueError as exc:
            view = {"error": str(exc)}
            fig.suptitle("")
            ax.set_axis_off()
            ax.text(0.5, 0.5, str(exc), ha="center", va="center", wrap=True, transform=ax.transAxes)
        else:
            ax.set_axis_on()
            plot_attention(view["attention"], view["source"], view["rows"], ax=ax, colorbar=False)
            fig.suptitle(_verdict(view["output"], view["reference"]), fontsize=13, x=0.02, ha="left")
        return view, ()

    return wire({"source": text}, fig, update, stack=True)


@register_explorer("attention", sweep={"source": ["2 7 1 8", "3 1 4 1 5 9 2 6", "9 0 9"]})
def _example_attention() -> Explorer:
    torch.manual_seed(0)
    return attention_explorer(AttentionSeq2Seq(len(SOURCE_VOCAB), len(TARGET_VOCAB), hidden=16))
