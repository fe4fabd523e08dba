"""Notebook 00 helpers: a task where order matters, an order-blind model, and the family explorer.

The task: every ordering of ``n`` distinct tokens; the label says whether token ``first`` comes
before token ``second``. All sequences contain the same tokens, so a model that ignores order
(it sees only which tokens occur) must give every sequence the same output.
"""

from __future__ import annotations

import io
from itertools import permutations

import matplotlib.pyplot as plt
import numpy as np
import torch
from torch import nn

from .viz.graphs import LAYOUTS, draw_unrolled
from .widgets import Explorer, register_explorer

__all__ = ["order_task", "BagOfTokens", "TinyRNNClassifier", "fit_classifier", "accuracy",
           "family_view", "family_explorer"]


def order_task(n: int = 5, first: int = 0, second: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """All n! orderings of tokens 0..n-1, labelled 1 where ``first`` precedes ``second``.

    Returns:
        X: int64 array (n!, n), one ordering per row (T = n steps).
        y: int64 array (n!,), 1 if ``first`` comes before ``second``.
    """
    if not 2 <= n <= 8:
        raise ValueError(f"n must be between 2 and 8, got {n}")
    if first == second or not (0 <= first < n and 0 <= second < n):
        raise ValueError(f"first and second must be two different tokens in 0..{n - 1}, got {first}, {second}")
    X = np.array(list(permutations(range(n))), dtype=np.int64)  # (n!, T)
    y = (np.argmax(X == first, axis=1) < np.argmax(X == second, axis=1)).astype(np.int64)
    return X, y


class BagOfTokens(nn.Module):
    """Order-blind classifier: embed each token, average over time, classify.

    The average is the same for any reordering, so the output cannot depend on order.
    """

    def __init__(self, V: int, E: int = 8, classes: int = 2):
        super().__init__()
        self.embed, self.out = nn.Embedding(V, E), nn.Linear(E, classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # x (N, T) -> scores (N, classes)
        return self.out(self.embed(x).mean(dim=1))  # (N, E) -> (N, classes)


class TinyRNNClassifier(nn.Module):
    """Many-to-one RNN: embed tokens, run a tanh RNN, classify from the last hidden state."""

    def __init__(self, V: int, E: int = 8, H: int = 16, classes: int = 2):
        super().__init__()
        self.embed, self.rnn, self.out = nn.Embedding(V, E), nn.RNN(E, H, batch_first=True), nn.Linear(H, classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # x (N, T) -> scores (N, classes)
        h, _ = self.rnn(self.embed(x))  # (N, T, H)
        return self.out(h[:, -1])  # (N, classes)


def fit_classifier(model: nn.Module, X: np.ndarray, y: np.ndarray, steps: int = 300,
                   lr: float = 0.03) -> list[float]:
    """Full-batch Adam on cross-entropy; returns the loss of every step."""
    if X.ndim != 2 or y.shape != (X.shape[0],):
        raise ValueError(f"X must be (N, T) and y (N,), got X {X.shape} and y {y.shape}")
    Xt, yt = torch.as_tensor(X), torch.as_tensor(y)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    losses = []
    for _ in range(steps):
        loss = nn.functional.cross_entropy(model(Xt), yt)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses


@torch.no_grad()
def accuracy(model: nn.Module, X: np.ndarray, y: np.ndarray) -> float:
    """Fraction of sequences whose highest-scoring class equals the label."""
    return float((model(torch.as_tensor(X)).argmax(dim=1).numpy() == y).mean())


_APPLICATIONS = {
    "one-to-one": "image classification (no sequence)",
    "one-to-many": "music generation, image captioning",
    "many-to-one": "sentiment, spam, handwriting recognition",
    "many-to-many": "NER, POS tagging, forecasting ($T_x = T_y$)",
    "encoder-decoder": "translation, summarization,\nvideo captioning, speech recognition ($T_x \\neq T_y$)",
    "bidirectional": "tagging with context from both sides",
    "stacked": "deeper features per step",
}


def family_view(layout: str, T: int, ax=None):
    """Draw one member of the RNN family with T steps and its typical applications as title."""
    T = 1 if layout == "one-to-one" else T
    ax = draw_unrolled(T, layout=layout, ax=ax, edge_labels="first")
    ax.set_title(f"{layout}: {_APPLICATIONS[layout]}", fontsize=13)
    return ax


def family_explorer(layout: str = "many-to-many", T: int = 4, cache: bool = True) -> Explorer:
    """Dropdown over the layouts and a slider for T; redraws the unrolled graph.

    With ``cache`` each (layout, T) is drawn once and shown again instantly when revisited.
    """
    import ipywidgets as w

    controls = {"layout": w.Dropdown(options=list(LAYOUTS), value=layout, description="layout"),
                "T": w.IntSlider(value=T, min=2, max=7, description="T")}
    image = w.Image(format="png", layout=w.Layout(width="720px", max_width="100%"))
    explorer = Explorer(controls, w.VBox([w.HBox(list(controls.values())), image]))
    fig, ax = plt.subplots(figsize=(8, 4), dpi=90)
    drawn: dict[tuple[str, int], tuple[bytes, int]] = {}  # (layout, T) -> (png, hidden nodes)

    def update(_=None):
        key = (controls["layout"].value, controls["T"].value)
        if key not in drawn or not cache:  # a new graph is drawn once; going back to it is instant
            ax.clear()
            family_view(*key, ax=ax)
            buf = io.BytesIO()
            fig.savefig(buf, format="png", dpi=90, pil_kwargs={"compress_level": 1})
            drawn[key] = buf.getvalue(), sum(1 for p in ax.patches if (p.get_gid() or "").startswith("h"))
        image.value, hidden = drawn[key]
        explorer.state = {"layout": key[0], "T": key[1], "hidden_nodes": hidden}

    for c in controls.values():
        c.observe(update, names="value")
    update()
    plt.close(fig)
    return explorer


@register_explorer("family (layout, T), every update drawn",
                   sweep={"layout": ["many-to-one", "encoder-decoder", "many-to-many"], "T": [3, 5, 4]})
def _example_family() -> Explorer:
    return family_explorer(cache=False)  # time the drawing itself, not the cache
