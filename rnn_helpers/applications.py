"""Small torch models and a training loop for notebooks 07-09 (applications end to end).

Not re-exported at the top level: ``from rnn_helpers.applications import ...``.

Dimension letters: N batch, T time, D input, H hidden, V vocabulary, C classes.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Sequence

import matplotlib.pyplot as plt
import numpy as np
import torch
from torch import nn

__all__ = [
    "Vocab",
    "pad_sequences",
    "SequenceClassifier",
    "SequenceTagger",
    "CharModel",
    "Forecaster",
    "fit",
    "plot_losses",
    "accuracy",
    "bag_of_words",
    "train_bag_of_words",
    "most_frequent_tag_baseline",
    "sample_text",
    "complete_prefix",
    "make_windows",
    "time_per_sequence",
    "next_char_view",
    "temperature_explorer",
    "row_reader_view",
    "row_reader_explorer",
]


class Vocab:
    """Token <-> id; id 0 is the padding token "<pad>"."""

    def __init__(self, tokens: Sequence[str]):
        self.itos = ["<pad>", *sorted(set(tokens) - {"<pad>"})]
        self.stoi = {t: i for i, t in enumerate(self.itos)}

    def __len__(self) -> int:
        return len(self.itos)

    def encode(self, tokens: Sequence[str]) -> list[int]:
        unknown = [t for t in tokens if t not in self.stoi]
        if unknown:
            raise ValueError(f"tokens not in the vocabulary: {unknown[:5]}")
        return [self.stoi[t] for t in tokens]


def pad_sequences(seqs: Sequence[Sequence[int]]) -> tuple[torch.Tensor, torch.Tensor]:
    """Right-pad id sequences with 0. Returns ids (N, T) long and lengths (N,) long."""
    if not seqs or min(len(s) for s in seqs) == 0:
        raise ValueError("seqs must be a non-empty list of non-empty sequences")
    T = max(len(s) for s in seqs)
    ids = torch.zeros(len(seqs), T, dtype=torch.long)
    for i, s in enumerate(seqs):
        ids[i, : len(s)] = torch.as_tensor(s, dtype=torch.long)
    return ids, torch.tensor([len(s) for s in seqs], dtype=torch.long)


class SequenceClassifier(nn.Module):
    """Many-to-one: embed tokens (or take vectors), run an LSTM, classify the last real step.

        h_t = LSTM(x_t, h_{t-1}),   scores = W_y h_{T_n} + b_y   (T_n: length of sequence n)

    Inputs to forward: ids (N, T) long with lengths (N,), or x (N, T, D) float when built with
    ``V=None``. Returns scores (N, C).
    """

    def __init__(self, V: int | None, H: int, C: int, D: int = 16):
        super().__init__()
        self.embed = nn.Embedding(V, D, padding_idx=0) if V is not None else None
        self.lstm = nn.LSTM(D, H, batch_first=True)
        self.out = nn.Linear(H, C)

    def forward(self, x: torch.Tensor, lengths: torch.Tensor | None = None) -> torch.Tensor:
        if self.embed is not None:
            x = self.embed(x)  # (N, T, D)
        h, _ = self.lstm(x)  # (N, T, H)
        if lengths is None:
            last = h[:, -1]
        else:
            last = h[torch.arange(len(h)), lengths - 1]  # (N, H)
        return self.out(last)


class SequenceTagger(nn.Module):
    """Many-to-many aligned: a bidirectional LSTM and one tag distribution per token.

    forward(ids (N, T)) -> scores (N, T, C); both directions' states (2H) feed the readout.
    """

    def __init__(self, V: int, H: int, C: int, D: int = 16):
        super().__init__()
        self.embed = nn.Embedding(V, D, padding_idx=0)
        self.lstm = nn.LSTM(D, H, batch_first=True, bidirectional=True)
        self.out = nn.Linear(2 * H, C)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        h, _ = self.lstm(self.embed(ids))  # (N, T, 2H)
        return self.out(h)  # (N, T, C)


class CharModel(nn.Module):
    """Character language model: embed, LSTM, predict the next character at every step.

    forward(ids (N, T), state) -> scores (N, T, V), new state.
    """

    def __init__(self, V: int, H: int, D: int = 24):
        super().__init__()
        self.embed = nn.Embedding(V, D)
        self.lstm = nn.LSTM(D, H, batch_first=True)
        self.out = nn.Linear(H, V)

    def forward(self, ids: torch.Tensor, state=None):
        h, state = self.lstm(self.embed(ids), state)  # (N, T, H)
        return self.out(h), state


class Forecaster(nn.Module):
    """Many-to-one regression: an LSTM reads a window (N, T, 1) and predicts what comes next.

    With ``horizon`` = 1 forward returns the next value (N,); otherwise the next ``horizon``
    values at once, (N, horizon), one output unit per day ahead ("direct" multi-step
    forecasting: no prediction is fed back, so errors do not compound).
    """

    def __init__(self, H: int, horizon: int = 1):
        super().__init__()
        if horizon < 1:
            raise ValueError(f"horizon must be >= 1, got {horizon}")
        self.horizon = horizon
        self.lstm = nn.LSTM(1, H, batch_first=True)
        self.out = nn.Linear(H, horizon)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.ndim != 3 or x.shape[2] != 1:
            raise ValueError(f"x must have shape (N, T, 1), got {tuple(x.shape)}")
        h, _ = self.lstm(x)  # (N, T, H)
        y = self.out(h[:, -1])  # (N, horizon)
        return y.squeeze(-1) if self.horizon == 1 else y


def fit(
    model: nn.Module,
    loss_fn: Callable[[np.random.Generator], torch.Tensor],
    steps: int,
    lr: float = 1e-2,
    seed: int = 0,
    desc: str = "training",
    clip: float = 1.0,
) -> list[float]:
    """Adam on ``loss_fn(rng)`` (which draws its own minibatch) for ``steps`` steps.

    Gradient norms are clipped at ``clip``. A ``tqdm.auto`` bar shows progress.
    Returns the loss of every step.
    """
    from tqdm.auto import tqdm

    rng = np.random.default_rng(seed)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    losses = []
    model.train()
    for _ in tqdm(range(steps), desc=desc, mininterval=1.0):
        loss = loss_fn(rng)
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), clip)
        opt.step()
        losses.append(loss.item())
    model.eval()
    return losses


def plot_losses(curves: dict[str, Sequence[float]], ax=None, smooth: int = 20, log: bool = False):
    """Training-loss curves, one line per name, smoothed by a running mean over ``smooth`` steps.

    Returns ax (one Line2D per curve).
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.5))
    for name, losses in curves.items():
        y = np.asarray(losses, dtype=float)
        k = max(1, min(smooth, len(y)))
        y = np.convolve(y, np.ones(k) / k, mode="valid")
        ax.plot(np.arange(len(y)) + k - 1, y, label=name)
    ax.set_xlabel("training step")
    ax.set_ylabel("loss")
    if log:
        ax.set_yscale("log")
    ax.legend()
    return ax


def accuracy(scores: torch.Tensor, y: torch.Tensor, mask: torch.Tensor | None = None) -> float:
    """Fraction of argmax(scores) == y (only where mask is true, if given)."""
    right = scores.argmax(-1) == y
    if mask is not None:
        right = right[mask]
    return float(right.float().mean())


def bag_of_words(seqs: Sequence[Sequence[int]], V: int) -> torch.Tensor:
    """Token counts per sequence, (N, V); word order is thrown away."""
    x = torch.zeros(len(seqs), V)
    for i, s in enumerate(seqs):
        for t in s:
            x[i, t] += 1
    return x


def train_bag_of_words(x: torch.Tensor, y: torch.Tensor, C: int, steps: int = 300, lr: float = 0.1) -> nn.Linear:
    """Logistic regression on bag-of-words counts x (N, V), full batch Adam. Returns the layer."""
    model = nn.Linear(x.shape[1], C)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    for _ in range(steps):
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return model


def most_frequent_tag_baseline(train: Sequence[tuple[Sequence[str], Sequence[str]]]):
    """Tag each word with its most frequent training tag (unknown words: the commonest tag).

    Returns a function tokens -> tags.
    """
    counts: dict[str, dict[str, int]] = {}
    overall: dict[str, int] = {}
    for words, tags in train:
        for w, t in zip(words, tags, strict=True):
            counts.setdefault(w, {}).setdefault(t, 0)
            counts[w][t] += 1
            overall[t] = overall.get(t, 0) + 1
    best = {w: max(c, key=c.get) for w, c in counts.items()}
    fallback = max(overall, key=overall.get)
    return lambda words: [best.get(w, fallback) for w in words]


@torch.no_grad()
def sample_text(model: CharModel, vocab: Vocab, start: str, n: int, temperature: float, gen: torch.Generator) -> str:
    """Sample ``n`` characters after ``start``: p = softmax(scores / temperature).

    The padding token (id 0) is never sampled. Returns start + the n sampled characters.
    """
    if temperature <= 0:
        raise ValueError(f"temperature must be > 0, got {temperature}")
    ids = torch.tensor([vocab.encode(list(start))])
    scores, state = model(ids)
    out = []
    for _ in range(n):
        logits = scores[0, -1].clone()
        logits[0] = -torch.inf  # never emit the padding token
        p = torch.softmax(logits / temperature, dim=-1)
        nxt = int(torch.multinomial(p, 1, generator=gen))
        out.append(vocab.itos[nxt])
        scores, state = model(torch.tensor([[nxt]]), state)
    return start + "".join(out)


@torch.no_grad()
def complete_prefix(model: CharModel, vocab: Vocab, prefix: str, max_chars: int = 30, stop: str = " .\n") -> str:
    """Auto-suggest: extend ``prefix`` greedily (most likely character) until a stop character."""
    ids = torch.tensor([vocab.encode(list(prefix))])
    scores, state = model(ids)
    out = ""
    for _ in range(max_chars):
        nxt = int(scores[0, -1, 1:].argmax()) + 1  # skip the padding token (id 0)
        ch = vocab.itos[nxt]
        if ch in stop and out:
            break
        out += ch
        scores, state = model(torch.tensor([[nxt]]), state)
    return prefix + out


def make_windows(series: np.ndarray, T: int, horizon: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Sliding windows of ``T`` values and the ``horizon`` values after each.

    Returns x (N, T) and y: (N,) when horizon is 1, else (N, horizon); N = len - T - horizon + 1.
    """
    series = np.asarray(series, dtype=float)
    if series.ndim != 1 or len(series) < T + horizon:
        raise ValueError(
            f"series must be 1-D with at least T + horizon = {T + horizon} values, got shape {series.shape}"
        )
    idx = np.arange(T + horizon)[None, :] + np.arange(len(series) - T - horizon + 1)[:, None]  # (N, T+horizon)
    windows = series[idx]
    y = windows[:, T:]
    return windows[:, :T], (y[:, 0] if horizon == 1 else y)


def time_per_sequence(layer: Callable[[torch.Tensor], object], x: torch.Tensor, repeats: int = 3) -> float:
    """Best-of-``repeats`` seconds for one forward call of ``layer`` on x, divided by N."""
    best = float("inf")
    with torch.no_grad():
        layer(x)  # warm-up
        for _ in range(repeats):
            start = time.perf_counter()
            layer(x)
            best = min(best, time.perf_counter() - start)
    return best / len(x)


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
    import io

    import ipywidgets as W
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from .widgets import Explorer

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
    fig = Figure(figsize=(7.5, 3.2), dpi=96)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    bars = ax.bar(range(12), np.zeros(12), color="#0072B2")
    ax.set(ylim=(0, 1), ylabel="probability", xticks=range(12))
    fig.subplots_adjust(bottom=0.18, top=0.82, left=0.1, right=0.98)
    image = W.Image(format="png", layout=W.Layout(width=f"{int(fig.get_figwidth() * fig.dpi)}px", max_width="100%"))
    explorer = Explorer(controls, W.VBox([W.HBox(list(controls.values())), image]))

    def update(_=None):
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
        buf = io.BytesIO()
        fig.savefig(buf, format="png", pil_kwargs={"compress_level": 1})
        image.value = buf.getvalue()
        explorer.state = {"temperature": controls["temperature"].value, "prefix": text, **view}

    for control in controls.values():
        control.observe(update, names="value")
    update()
    return explorer


def _example_temperature():
    torch.manual_seed(0)
    vocab = Vocab(list("see you soon, thanks for the note.\n"))
    return temperature_explorer(CharModel(len(vocab), H=16), vocab)


def row_reader_view(images: np.ndarray, probs: np.ndarray, index: int, rows: int) -> dict:
    """A digit read row by row: the image with only the first ``rows`` rows shown, and the
    classifier's probabilities after reading them.

    Inputs: images (N, T, D) in 0..1; probs (N, T, C), the softmax after each row; index < N;
    1 <= rows <= T. Returns dict with "image" (T, D; unread rows set to NaN), "p" (C,),
    "guess" (argmax of p) and "rows".
    """
    images, probs = np.asarray(images), np.asarray(probs)
    if images.ndim != 3 or probs.ndim != 3 or probs.shape[:2] != images.shape[:2]:
        raise ValueError(
            f"images must be (N, T, D) and probs (N, T, C) with the same N, T; got {images.shape} and {probs.shape}"
        )
    N, T, _ = images.shape
    if not 0 <= index < N or not 1 <= rows <= T:
        raise ValueError(f"index must be in 0..{N - 1} and rows in 1..{T}, got {index} and {rows}")
    shown = images[index].astype(float).copy()
    shown[rows:] = np.nan  # rows not read yet
    p = probs[index, rows - 1]
    return {"image": shown, "p": p, "guess": int(np.argmax(p)), "rows": rows}


def row_reader_explorer(images: np.ndarray, probs: np.ndarray, labels: np.ndarray | None = None):
    """Sliders for the test image and the number of rows read; shows the partly read image and
    the probability of every digit after those rows."""
    import io

    import ipywidgets as W
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from .widgets import Explorer

    N, T, _ = np.asarray(images).shape
    C = np.asarray(probs).shape[2]
    controls = {
        "image": W.IntSlider(value=0, min=0, max=N - 1, description="image"),
        "rows": W.IntSlider(value=T // 2, min=1, max=T, description="rows read"),
    }
    fig = Figure(figsize=(7.5, 3.0), dpi=96)
    FigureCanvasAgg(fig)
    ax_img, ax_p = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 2.2]})
    shown = ax_img.imshow(np.zeros(np.asarray(images).shape[1:]), cmap="gray_r", vmin=0, vmax=1)
    ax_img.set_axis_off()
    bars = ax_p.bar(range(C), np.zeros(C), color="#0072B2")
    ax_p.set(ylim=(0, 1), xticks=range(C), xlabel="digit", ylabel="probability")
    fig.subplots_adjust(left=0.02, right=0.98, bottom=0.2, top=0.85, wspace=0.25)
    image = W.Image(format="png", layout=W.Layout(width=f"{int(fig.get_figwidth() * fig.dpi)}px", max_width="100%"))
    explorer = Explorer(controls, W.VBox([W.HBox(list(controls.values())), image]))

    def update(_=None):
        view = row_reader_view(images, probs, controls["image"].value, controls["rows"].value)
        shown.set_data(np.ma.masked_invalid(view["image"]))
        for k, (bar, value) in enumerate(zip(bars, view["p"])):
            bar.set_height(value)
            bar.set_color("#D55E00" if k == view["guess"] else "#0072B2")
        truth = "" if labels is None else f" (label {labels[controls['image'].value]})"
        ax_p.set_title(f"after {view['rows']} of {T} rows: guess {view['guess']}{truth}", fontsize=12)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", pil_kwargs={"compress_level": 1})
        image.value = buf.getvalue()
        explorer.state = dict(view)

    for control in controls.values():
        control.observe(update, names="value")
    update()
    return explorer


def _example_row_reader():
    rng = np.random.default_rng(0)
    probs = rng.dirichlet(np.ones(10), size=(20, 12))  # (N, T, C)
    return row_reader_explorer(rng.random((20, 12, 12)), probs)


def _register() -> None:
    from .widgets import register_explorer

    register_explorer("temperature", sweep={"temperature": [0.3, 1.0, 3.0], "prefix": ["thanks ", "see you "]})(
        _example_temperature
    )
    register_explorer("row_reader", sweep={"rows": [3, 9, 12], "image": [4, 7]})(_example_row_reader)


_register()
