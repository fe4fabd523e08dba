"""Explorer of a character model's next-character distribution at a temperature (notebook 08)."""

from __future__ import annotations

import functools

import ipywidgets as W
import numpy as np
import torch

from ..datasets import Vocab
from ..models import CharModel, complete_prefix
from .base import agg_figure, register_explorer, wire

__all__ = ["next_char_view", "temperature_explorer"]


@functools.lru_cache(maxsize=64)
def _next_scores(model: CharModel, vocab: Vocab, prefix: str) -> tuple[torch.Tensor, str]:
    """Scores for the character after ``prefix`` and its greedy completion (temperature-free)."""
    with torch.no_grad():
        scores, _ = model(torch.tensor([vocab.encode(list(prefix))]))
    return scores[0, -1, 1:], complete_prefix(model, vocab, prefix)  # padding (id 0) never sampled


def next_char_view(model: CharModel, vocab: Vocab, prefix: str, temperature: float, top: int = 12) -> dict:
    """What the character model would sample next after ``prefix`` at a temperature.

    p = softmax(scores / temperature) over the characters (padding excluded).
    Returns dict with "chars" and "p" (the ``top`` likeliest, most likely first), "entropy"
    (bits, of the whole distribution) and "greedy" (the auto-suggest completion of ``prefix``).
    """
    if not prefix:
        raise ValueError("prefix must hold at least one character")
    if not temperature > 0:
        raise ValueError(f"temperature must be > 0, got {temperature}")
    logits, greedy = _next_scores(model, vocab, prefix)  # (V-1,), str; cached per prefix
    p = torch.softmax(logits / temperature, dim=-1)
    order = torch.argsort(p, descending=True)[:top]
    entropy = float(-(p * torch.log2(p.clamp_min(1e-30))).sum())
    return {
        "chars": [vocab.itos[int(i) + 1] for i in order],
        "p": p[order].numpy(),
        "entropy": entropy,
        "greedy": greedy,
    }


def temperature_explorer(model: CharModel, vocab: Vocab, prefix: str = "see you ", temperature: float = 1.0):
    """Slider for the temperature and a box for the prefix; bars show the next-character
    probabilities (the top 12), the title their entropy and the greedy auto-suggestion."""

    controls = {
        "temperature": W.FloatLogSlider(
            value=temperature,
            base=10,
            min=-1,
            max=0.7,
            step=0.05,
            description="temperature",
            style={"description_width": "initial"},
            continuous_update=False,
        ),
        "prefix": W.Text(value=prefix, description="prefix", continuous_update=False),
    }
    fig = agg_figure((7.5, 3.2))
    ax = fig.add_subplot()
    bars = ax.bar(range(12), np.zeros(12), color="#0072B2")
    ax.set(ylim=(0, 1), ylabel="probability", xticks=range(12))
    fig.subplots_adjust(bottom=0.18, top=0.82, left=0.1, right=0.98)

    def update():
        text = "".join(ch for ch in controls["prefix"].value if ch in vocab.stoi) or prefix
        view = next_char_view(model, vocab, text, controls["temperature"].value)
        for bar, value in zip(bars, np.pad(view["p"], (0, 12 - len(view["p"])))):
            bar.set_height(value)
        ax.set_xticks(range(len(view["chars"])), [repr(c)[1:-1] if c != " " else "␣" for c in view["chars"]])
        ax.set_title(
            f"τ = {controls['temperature'].value:.2f}: entropy {view['entropy']:.2f} bits\n"
            f"auto-suggest: {view['greedy']!r}",
            fontsize=12,
        )
        return {"temperature": controls["temperature"].value, "prefix": text, **view}, ()

    return wire(controls, fig, update)


@register_explorer("temperature", sweep={"temperature": [0.3, 1.0, 3.0], "prefix": ["thanks ", "see you "]})
def _example_temperature():
    torch.manual_seed(0)
    vocab = Vocab(list("see you soon, thanks for the note.\n"))
    return temperature_explorer(CharModel(len(vocab), H=16), vocab)
