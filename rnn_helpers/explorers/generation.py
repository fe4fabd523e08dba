"""Explorer of sampling from a character model on real text: temperature and top-k (notebook 09).

``generation_view`` computes the numbers (pure, unit-tested); ``generation_explorer`` wires sliders
to it and draws the next-character probabilities as bars, their entropy, how many characters can
still be drawn, and a sample of 48 characters.
"""

from __future__ import annotations

import ipywidgets as W
import numpy as np
import torch
from torch import nn

from ..charlm import next_scores, sample_chars, sampling_distribution
from ..datasets import Vocab
from ..models import CharRNN
from .base import Explorer, agg_figure, register_explorer, wire

__all__ = ["generation_view", "generation_explorer"]


def generation_view(
    model: nn.Module,
    vocab,
    prefix: str,
    temperature: float = 1.0,
    top_k: int | None = None,
    n: int = 80,
    seed: int = 0,
    top: int = 12,
) -> dict:
    """What sampling would do after ``prefix`` at a temperature and top-k (the explorer's numbers).

    Returns dict with "chars" and "p" (the ``top`` likeliest next characters, most likely first,
    and their sampling probabilities), "entropy" (bits, of the whole sampling distribution),
    "kept" (how many characters can be drawn at all) and "sample" (``n`` characters sampled after
    the prefix with a numpy generator seeded by ``seed``).
    """
    if not prefix:
        raise ValueError("prefix must hold at least one character")
    logits, _ = next_scores(model, vocab.encode(list(prefix)))
    p = sampling_distribution(logits, temperature, top_k)
    order = np.argsort(-p, kind="stable")[:top]
    nz = p[p > 0]
    return {
        "chars": [vocab.itos[i] for i in order],
        "p": p[order],
        "entropy": float(-(nz * np.log2(nz)).sum()),
        "kept": int(np.count_nonzero(p)),
        "sample": sample_chars(model, vocab, prefix, n, np.random.default_rng(seed), temperature, top_k),
    }


_TOP = 12


def _label(ch: str) -> str:
    return {" ": "␣", "\n": "⏎"}.get(ch, ch)


def generation_explorer(
    model: CharRNN,
    vocab,
    prefix: str = "\n\nBAPTISTA:\nGood morrow, neigh",
    temperature: float = 1.0,
    top_k: int = 0,
    seed: int = 0,
):
    """Sliders for the temperature and top-k (0 = keep all) and a box for the prefix. Bars: the
    sampling probabilities of the 12 likeliest next characters; title: entropy (bits) and how
    many characters survive top-k; below: 48 characters sampled after the prefix (numpy
    generator seeded with ``seed``, so the same settings give the same sample).

    Returns an Explorer; its ``state`` holds the settings and ``generation_view``'s numbers.
    """
    controls = {
        "temperature": W.FloatLogSlider(
            value=temperature,
            base=10,
            min=-1,
            max=0.7,
            step=0.05,
            description="temperature",
            continuous_update=False,
            style={"description_width": "initial"},
        ),
        "top_k": W.IntSlider(
            value=top_k,
            min=0,
            max=20,
            description="top-k (0 = all)",
            continuous_update=False,
            style={"description_width": "initial"},
        ),
        "prefix": W.Text(value=prefix[-40:], description="prefix", continuous_update=False),
    }
    fig = agg_figure((9.0, 4.6))
    ax = fig.add_axes([0.08, 0.36, 0.9, 0.46])
    bars = ax.bar(range(_TOP), np.zeros(_TOP), color="#0072B2")
    labels = [ax.text(i, 0, "", ha="center", va="bottom", fontsize=13, family="monospace") for i in range(_TOP)]
    ax.set(ylim=(0, 1.12), xlim=(-0.6, _TOP - 0.4), ylabel="probability", xticks=[])
    title = fig.text(0.5, 0.93, "", ha="center", va="center", fontsize=13)
    sample = fig.text(0.02, 0.27, "", ha="left", va="top", family="monospace", fontsize=11)

    def update():
        text = "".join(ch for ch in controls["prefix"].value if ch in vocab.stoi) or prefix
        k = controls["top_k"].value or None
        view = generation_view(model, vocab, text, controls["temperature"].value, k, n=48, seed=seed)
        for i, (bar, label) in enumerate(zip(bars, labels)):
            p = float(view["p"][i]) if i < len(view["p"]) else 0.0
            bar.set_height(p)
            label.set_text(_label(view["chars"][i]) if i < len(view["chars"]) and p > 0 else "")
            label.set_y(p + 0.01)
        title.set_text(
            f"τ = {controls['temperature'].value:.2f}, top-k {k or 'all'}: entropy "
            f"{view['entropy']:.2f} bits, {view['kept']} characters can be drawn"
        )
        lines = (text[-30:] + view["sample"]).replace("\n", "⏎\n").split("\n")
        sample.set_text("sample: " + "\n        ".join(line[:70] for line in lines[-4:]))
        state = {"temperature": controls["temperature"].value, "top_k": k, "prefix": text, **view}
        return state, [*bars, *labels, title, sample]

    return wire(controls, fig, update, animated=[*bars, *labels, title, sample])


@register_explorer("generation", sweep={"temperature": [0.3, 1.0, 3.0], "top_k": [0, 3, 10]})
def _example_generation() -> Explorer:
    torch.manual_seed(0)
    vocab = Vocab(list("To be, or not to be: that is the question.\n"))
    return generation_explorer(CharRNN(len(vocab), H=16), vocab, prefix="To be")
