"""Every small torch model the notebooks train (the seq2seq and tree models live with their
idea, in ``seq2seq.py`` and ``trees.py``), the baselines beside them, and how to use them
(sampling text, timing). Train them all with :func:`rnn_helpers.training.fit`.

Dimension letters: N batch, T time, D input features, H hidden units, O outputs (classes or
regression targets).

``SequenceModel`` wraps ``torch.nn.RNN`` (tanh or ReLU), ``nn.LSTM`` or ``nn.GRU`` with
``batch_first=True``::

    h_1..h_T = cell(x_1..x_T)                 (N, T, H)
    many-to-one:  logits = W_y h_T + b_y      (N, O)
    many-to-many: logits_t = W_y h_t + b_y    (N, T, O)

The forward returns logits (or regression outputs); ``predict_proba`` applies the softmax
(the dense + softmax read-out of the notes). Train classifiers with ``nn.CrossEntropyLoss`` on
the logits, which contains the softmax.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

import numpy as np
import torch
from torch import nn

from .datasets import Vocab

__all__ = [
    "SequenceModel",
    "count_parameters",
    "CELL_TYPES",
    "BagOfTokens",
    "TinyRNNClassifier",
    "Tagger",
    "SequenceClassifier",
    "SequenceTagger",
    "CharModel",
    "Forecaster",
    "most_frequent_tag_baseline",
    "sample_text",
    "complete_prefix",
    "cpu_time_per_sequence",
]

CELL_TYPES: dict[str, type[nn.Module]] = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}


class SequenceModel(nn.Module):
    """A recurrent layer (``nn.RNN``/``nn.LSTM``/``nn.GRU``) with a linear read-out.

    Inputs (constructor):
        input_size: D, features per step.
        hidden_size: H, recurrent units.
        output_size: O, classes (use logits with cross-entropy) or regression outputs.
        cell: "rnn", "lstm" or "gru".
        many_to_many: False reads only h_T (output (N, O)); True reads every h_t (output (N, T, O)).
        nonlinearity: "tanh" or "relu", only for cell="rnn".
        num_layers: stacked recurrent layers.
        forget_bias: for cell="lstm", initial value of the forget-gate bias b_f (torch keeps two
            biases; b_ih's forget slice gets this value and b_hh's forget slice 0). None keeps
            torch's default initialisation. A positive value makes f_t start near 1, so the cell
            state is carried forward from the start.
    Forward:
        x: (N, T, D) float tensor (or numpy array).
        returns (N, O) for many-to-one or (N, T, O) for many-to-many.
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        output_size: int,
        cell: str = "lstm",
        many_to_many: bool = False,
        nonlinearity: str = "tanh",
        num_layers: int = 1,
        forget_bias: float | None = None,
    ):
        super().__init__()
        for name, value in (
            ("input_size", input_size),
            ("hidden_size", hidden_size),
            ("output_size", output_size),
            ("num_layers", num_layers),
        ):
            if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < 1:
                raise ValueError(f"{name} must be a positive int, got {value!r}")
        if cell not in CELL_TYPES:
            raise ValueError(f"cell must be one of {sorted(CELL_TYPES)}, got {cell!r}")
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"nonlinearity must be 'tanh' or 'relu', got {nonlinearity!r}")
        if cell != "rnn" and nonlinearity != "tanh":
            raise ValueError(f"nonlinearity applies only to cell='rnn', got cell={cell!r}")
        if forget_bias is not None and cell != "lstm":
            raise ValueError(f"forget_bias applies only to cell='lstm', got cell={cell!r}")
        kwargs = {"nonlinearity": nonlinearity} if cell == "rnn" else {}
        self.cell = cell
        self.many_to_many = many_to_many
        self.input_size, self.hidden_size, self.output_size = input_size, hidden_size, output_size
        self.rnn = CELL_TYPES[cell](input_size, hidden_size, num_layers, batch_first=True, **kwargs)
        self.head = nn.Linear(hidden_size, output_size)
        if forget_bias is not None:
            H = hidden_size
            with torch.no_grad():
                for layer in range(num_layers):
                    getattr(self.rnn, f"bias_ih_l{layer}")[H : 2 * H] = forget_bias  # f slice of i,f,g,o
                    getattr(self.rnn, f"bias_hh_l{layer}")[H : 2 * H] = 0.0

    def _check_x(self, x) -> torch.Tensor:
        if isinstance(x, np.ndarray):
            x = torch.from_numpy(x)
        if not isinstance(x, torch.Tensor):
            raise ValueError(f"x must be a tensor or numpy array, got {type(x).__name__}")
        if x.ndim != 3 or x.shape[2] != self.input_size:
            raise ValueError(f"x must have shape (N, T, D) with D = {self.input_size}, got {tuple(x.shape)}")
        return x.to(self.head.weight.dtype)

    def hidden_states(self, x) -> torch.Tensor:
        """All hidden states h_1..h_T of the last layer: x (N, T, D) -> (N, T, H)."""
        out, _ = self.rnn(self._check_x(x))  # (N, T, H)
        return out

    def forward(self, x) -> torch.Tensor:
        h = self.hidden_states(x)  # (N, T, H)
        if self.many_to_many:
            return self.head(h)  # (N, T, O)
        return self.head(h[:, -1])  # (N, O)

    @torch.no_grad()
    def predict_proba(self, x) -> torch.Tensor:
        """Softmax of the logits over the last axis: (N, O) or (N, T, O), rows sum to 1."""
        return torch.softmax(self(x), dim=-1)


def count_parameters(model: nn.Module) -> int:
    """Number of trainable scalars in ``model``.

    For one ``nn.LSTM`` layer: 4H(D + H) + 8H (torch keeps two bias vectors, b_ih and b_hh).
    """
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


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


class Tagger(nn.Module):
    """GRU over the sequence, one or both directions, a linear read-out at every step.

        uni:  h_t = GRU_fw(x_1..x_t)                        (N, T, H)
        bi:   h_t = [h_fw,t ; h_bw,t]  (concat, (N, T, 2H))   or   h_fw,t + h_bw,t  (sum, (N, T, H))
        logits_t = W_y h_t + b_y                            (N, T, O)

    Inputs (constructor): V inputs, H hidden per direction, O classes; bidirectional;
        combine: "concat" or "sum".
    """

    def __init__(self, V: int, H: int, O: int, bidirectional: bool = False, combine: str = "concat"):
        super().__init__()
        if combine not in ("concat", "sum"):
            raise ValueError(f"combine must be 'concat' or 'sum', got {combine!r}")
        self.bidirectional, self.combine, self.H = bidirectional, combine, H
        self.rnn = nn.GRU(V, H, batch_first=True, bidirectional=bidirectional)
        width = 2 * H if bidirectional and combine == "concat" else H
        self.head = nn.Linear(width, O)

    def hidden_states(self, x) -> torch.Tensor:
        x = torch.as_tensor(np.asarray(x, dtype=np.float32)) if not isinstance(x, torch.Tensor) else x
        if x.ndim != 3 or x.shape[2] != self.rnn.input_size:
            raise ValueError(f"x must have shape (N, T, V) with V = {self.rnn.input_size}, got {tuple(x.shape)}")
        h, _ = self.rnn(x)  # (N, T, H) or (N, T, 2H) = [forward, backward]
        if self.bidirectional and self.combine == "sum":
            h = h[..., : self.H] + h[..., self.H :]  # (N, T, H)
        return h

    def forward(self, x) -> torch.Tensor:
        return self.head(self.hidden_states(x))  # (N, T, O)


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


def cpu_time_per_sequence(layer: Callable[[torch.Tensor], object], x: torch.Tensor, repeats: int = 5) -> float:
    """Best of ``repeats`` processor times (seconds) of one forward call ``layer(x)``, divided by N.

    Measured with ``time.thread_time``: the processor time of the calling thread only, so other
    programs running at the same time do not inflate it. Run torch with one thread
    (``torch.set_num_threads(1)``), so that all of the layer's work happens in this thread.
    x: (N, T, D). Returns seconds per sequence.
    """
    if x.ndim != 3:
        raise ValueError(f"x must have shape (N, T, D), got {tuple(x.shape)}")
    if torch.get_num_threads() != 1:
        raise ValueError(f"torch must run one thread (torch.set_num_threads(1)), got {torch.get_num_threads()}")
    best = float("inf")
    with torch.no_grad():
        layer(x)  # warm-up
        for _ in range(repeats):
            start = time.thread_time()
            layer(x)
            best = min(best, time.thread_time() - start)
    return best / len(x)
