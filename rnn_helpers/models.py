"""Every small torch model the notebooks train (the seq2seq and tree models live with their
idea, in ``seq2seq.py`` and ``trees.py``), the baselines beside them, and how to use them
(loading shipped weights, timing). Train them all with :func:`rnn_helpers.training.fit`.

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

import copy
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import torch
from torch import nn

from .datasets import CHECKSUMS, DATA_DIR, Vocab, data_path, pad_sequences
from .mingru import MinGRU

__all__ = [
    "CharRNN",
    "load_char_model",
    "RecurrentModel",
    "training_step_times",
    "SequenceModel",
    "count_parameters",
    "CELL_TYPES",
    "BagOfTokens",
    "TinyRNNClassifier",
    "Tagger",
    "SequenceClassifier",
    "SequenceTagger",
    "Forecaster",
    "naive_bayes_fit",
    "naive_bayes_scores",
    "naive_bayes_word_weights",
    "most_frequent_tag_fit",
    "predict",
    "save_weights",
    "load_weights",
    "TRAINED",
    "build_model",
    "load_trained",
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
    """Many-to-one: embed tokens (or take vectors), run an LSTM or a GRU, classify the state at
    the last real token of each sequence (padding after it is never read).

        h_t = cell(x_t, h_{t-1}),   scores = h_{T_n} W_y + b_y   (T_n: length of sequence n)

    Inputs to forward: ids (N, T) long with lengths (N,), or x (N, T, D) float when built with
    ``V=None``. Returns scores (N, C). ``cell``: "lstm" or "gru"; the layer is ``self.rnn``
    (also reachable as ``self.lstm``).
    """

    def __init__(self, V: int | None, H: int, C: int, D: int = 16, cell: str = "lstm"):
        super().__init__()
        if cell not in ("lstm", "gru"):
            raise ValueError(f"cell must be 'lstm' or 'gru', got {cell!r}")
        self.embed = nn.Embedding(V, D, padding_idx=0) if V is not None else None
        self.rnn = CELL_TYPES[cell](D, H, batch_first=True)
        self.out = nn.Linear(H, C)

    @property
    def lstm(self) -> nn.Module:
        return self.rnn

    def forward(self, x: torch.Tensor, lengths: torch.Tensor | None = None) -> torch.Tensor:
        if lengths is not None and lengths.shape != x.shape[:1]:
            raise ValueError(f"lengths must have shape (N,) = ({x.shape[0]},), got {tuple(lengths.shape)}")
        if self.embed is not None:
            if x.ndim != 2:
                raise ValueError(f"ids must have shape (N, T), got {tuple(x.shape)}")
            x = self.embed(x)  # (N, T, D)
        h, _ = self.rnn(x)  # (N, T, H)
        if lengths is None:
            last = h[:, -1]
        else:
            last = h[torch.arange(len(h)), lengths - 1]  # (N, H): state after the last real token
        return self.out(last)  # (N, C)


class SequenceTagger(nn.Module):
    """Many-to-many aligned: embed, an LSTM forward only or both ways, one tag distribution per
    token. forward(ids (N, T), lengths (N,) optional) -> scores (N, T, C).

    Forward only, the tag of token t sees tokens 1..t; bidirectional, the forward and backward
    states [h_t, h'_t] (2H) see the whole sentence (with ``lengths``, the backward direction
    starts at each sentence's last real token, not in the padding).
    """

    def __init__(self, V: int, H: int, C: int, D: int = 16, bidirectional: bool = True):
        super().__init__()
        self.embed = nn.Embedding(V, D, padding_idx=0)
        self.rnn = nn.LSTM(D, H, batch_first=True, bidirectional=bidirectional)
        self.out = nn.Linear(2 * H if bidirectional else H, C)

    def forward(self, ids: torch.Tensor, lengths: torch.Tensor | None = None) -> torch.Tensor:
        if ids.ndim != 2:
            raise ValueError(f"ids must have shape (N, T), got {tuple(ids.shape)}")
        x = self.embed(ids)  # (N, T, D)
        if self.rnn.bidirectional and lengths is not None:
            packed = nn.utils.rnn.pack_padded_sequence(x, lengths.cpu(), batch_first=True, enforce_sorted=False)
            h, _ = self.rnn(packed)
            h, _ = nn.utils.rnn.pad_packed_sequence(h, batch_first=True, total_length=ids.shape[1])  # (N, T, 2H)
        else:
            h, _ = self.rnn(x)  # (N, T, H or 2H)
        return self.out(h)  # (N, T, C)


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


class CharRNN(nn.Module):
    """Embed characters, run one recurrent layer, score the next character at every step.

        x_t = E[c_t],   h_t = cell(x_t, h_{t-1}),   s_t = h_t W_y + b_y   (scores over V characters)

    cell is "rnn" (h_t = tanh(x_t W_x + h_{t-1} W_h + b)), "gru" or "lstm".
    forward(ids (N, T) long, state=None) -> scores (N, T, V), state.
    """

    def __init__(self, V: int, H: int, cell: str = "lstm", D: int = 32):
        super().__init__()
        layers = {"rnn": nn.RNN, "gru": nn.GRU, "lstm": nn.LSTM}
        if cell not in layers:
            raise ValueError(f"cell must be one of {sorted(layers)}, got {cell!r}")
        self.cell, self.V, self.H, self.D = cell, V, H, D
        self.embed = nn.Embedding(V, D)
        self.rnn = layers[cell](D, H, batch_first=True)
        self.out = nn.Linear(H, V)

    def forward(self, ids: torch.Tensor, state=None):
        if ids.ndim != 2:
            raise ValueError(f"ids must have shape (N, T), got {tuple(ids.shape)}")
        h, state = self.rnn(self.embed(ids), state)  # (N, T, H)
        return self.out(h), state  # (N, T, V)


def load_char_model(cell: str, weights_dir: str | Path | None = None) -> tuple[CharRNN, dict]:
    """The model trained by ``scripts/train_char_model.py`` (``data/weights/char_<cell>.pt``).

    Returns the model (eval mode) and its record: "config", "hyperparameters", "losses" (every
    training step, nats), "heldout_bpc" (as measured by the script), "data_sha256", "train_seconds".
    Raises ValueError if the weights were trained on other data than the shipped text.
    """
    path = Path(weights_dir or DATA_DIR / "weights") / f"char_{cell}.pt"
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: run `python scripts/train_char_model.py --cells {cell}`.")
    record = torch.load(path, weights_only=True)
    if record["data_sha256"] != CHECKSUMS["tinyshakespeare.txt"]:
        raise ValueError(f"{path} was trained on data with SHA-256 {record['data_sha256']}, not the shipped text")
    model = CharRNN(**record["config"])
    model.load_state_dict(record["state_dict"])
    return model.eval(), record


# ---- notebook 08: bag-of-words baselines, float64 prediction, shipped weights -------------

# task -> hyperparameters of the shipped weights (scripts/train_language_models.py; chosen on validation)
TRAINED: dict[str, dict] = {
    "spam": dict(H=32, D=32, steps=1200, batch=32, lr=3e-3, min_count=2),
    "sentiment": dict(H=32, D=32, steps=1000, batch=32, lr=3e-3, min_count=2),
    "tagger_forward": dict(H=96, D=48, steps=3000, batch=32, lr=3e-3, min_count=2),
    "tagger_bidirectional": dict(H=64, D=48, steps=3000, batch=32, lr=3e-3, min_count=2),
}


def naive_bayes_fit(seqs: Sequence[Sequence[int]], y: Sequence[int], V: int, C: int = 2, alpha: float = 1.0):
    """Multinomial naive Bayes with add-``alpha`` smoothing on token-id sequences.

    Returns (log_prior (C,), log_lik (C, V)): log p(c) and log p(word | c), float64.
    """
    y = np.asarray(y)
    if len(seqs) != len(y):
        raise ValueError(f"seqs and y must have the same length, got {len(seqs)} and {len(y)}")
    counts = np.zeros((C, V))  # (C, V)
    for s, c in zip(seqs, y):
        np.add.at(counts[c], np.asarray(s, dtype=int), 1.0)
    counts[:, 0] = 0.0  # padding never counts
    log_prior = np.log(np.bincount(y, minlength=C) / len(y))
    smoothed = counts + alpha
    smoothed[:, 0] = 0.0
    log_lik = np.log(np.where(smoothed > 0, smoothed, 1.0)) - np.log(smoothed.sum(1, keepdims=True))
    log_lik[:, 0] = 0.0
    return log_prior, log_lik


def naive_bayes_scores(model, seqs: Sequence[Sequence[int]]) -> np.ndarray:
    """log p(c) + sum over the tokens of log p(w_t | c), (N, C). Order of the tokens is irrelevant."""
    log_prior, log_lik = model
    return np.stack([log_prior + log_lik[:, np.asarray(s, dtype=int)].sum(1) for s in seqs])  # (N, C)


def naive_bayes_word_weights(model) -> np.ndarray:
    """Each word's vote for class 1 over class 0: log p(w | 1) - log p(w | 0), (V,)."""
    _, log_lik = model
    return log_lik[1] - log_lik[0]


def most_frequent_tag_fit(
    seqs: Sequence[Sequence[int]], tag_seqs: Sequence[Sequence[int]], V: int, C: int
) -> np.ndarray:
    """Each token id's commonest training tag, (V,) int; a token never seen gets the commonest tag."""
    counts = np.zeros((V, C), dtype=np.int64)
    for s, t in zip(seqs, tag_seqs, strict=True):
        np.add.at(counts, (np.asarray(s, dtype=int), np.asarray(t, dtype=int)), 1)
    best = counts.argmax(1)
    best[counts.sum(1) == 0] = counts.sum(0).argmax()
    return best


@torch.no_grad()
def predict(model: nn.Module, seqs: Sequence[Sequence[int]], batch: int = 256) -> list[torch.Tensor]:
    """Float64 scores of every sequence: (C,) per sequence for a SequenceClassifier, (T_n, C)
    per sequence for a SequenceTagger, in the order of ``seqs``. Sequences of similar length are batched
    together (less padding); padding positions are dropped from the result. A model that is already
    float64 and in eval mode is used as it is (no copy): explorers convert once, not on every update."""
    already = not model.training and all(p.dtype == torch.float64 for p in model.parameters())
    m = model if already else copy.deepcopy(model).double().eval()
    order = sorted(range(len(seqs)), key=lambda i: len(seqs[i]))
    out: list[torch.Tensor | None] = [None] * len(seqs)
    for start in range(0, len(seqs), batch):
        idx = order[start : start + batch]
        ids, lengths = pad_sequences([seqs[i] for i in idx])
        scores = m(ids, lengths)
        for i, s, n in zip(idx, scores, lengths.tolist()):
            out[i] = s if scores.ndim == 2 else s[:n]
    return out


def save_weights(path: str | Path, model: nn.Module, **info) -> int:
    """Save the parameters as float16 with ``info`` (vocabulary, hyperparameters, scores...).

    Returns the file size in bytes.
    """
    state = {k: v.detach().to(torch.float16) for k, v in model.state_dict().items()}
    torch.save({"state": state, "info": info}, path)
    return Path(path).stat().st_size


def load_weights(path: str | Path, model: nn.Module) -> dict:
    """Load parameters saved by ``save_weights`` into ``model`` (as float32); return the info dict."""
    blob = torch.load(path, weights_only=True)
    model.load_state_dict({k: v.float() for k, v in blob["state"].items()})
    model.eval()
    return blob["info"]


def build_model(task: str, V: int, C: int, cfg: dict | None = None) -> nn.Module:
    """The untrained model of ``task`` (a key of ``TRAINED``) for V tokens and C classes or tags."""
    if task not in TRAINED:
        raise ValueError(f"task must be one of {sorted(TRAINED)}, got {task!r}")
    cfg = cfg or TRAINED[task]
    if task in ("spam", "sentiment"):
        return SequenceClassifier(V, cfg["H"], C, D=cfg["D"], cell="gru")
    return SequenceTagger(V, cfg["H"], C, D=cfg["D"], bidirectional=task == "tagger_bidirectional")


def load_trained(task: str, vocab: Vocab, weights_dir: str | Path | None = None) -> tuple[nn.Module, dict]:
    """The shipped trained model of ``task`` and its info (scores, hyperparameters, loss curve).

    ``vocab`` is the vocabulary rebuilt from the training split; it must equal the one the weights
    were trained with (else the ids would mean other words): ValueError otherwise.
    """
    name = f"weights/{task}.pt"
    path = data_path(name, Path(weights_dir).parent if weights_dir else None)
    blob_info = torch.load(path, weights_only=True)["info"]
    if list(blob_info["itos"]) != list(vocab.itos):
        raise ValueError(
            f"vocab must be the vocabulary the weights of {task!r} were trained with "
            f"({len(blob_info['itos'])} tokens), got {len(vocab)} tokens that differ"
        )
    C = len(blob_info["tags"]) if "tags" in blob_info else 2
    model = build_model(task, len(vocab), C, blob_info["config"])
    return model, load_weights(path, model)


# ------------------------------------------------ notebook 12: linear recurrences


RECURRENT_LAYERS = ("mingru", "mingru_neg", "gru", "rnn")


class RecurrentModel(nn.Module):
    """One recurrent layer and a linear read-out (notebook 12), many-to-one (reads h_T) or many-to-many.

    Inputs (constructor):
        input_size D, hidden_size H, output_size O;
        layer: "mingru" (a_t in (0, 1)), "mingru_neg" (a_t in (-1, 1)), "gru" (``nn.GRU``) or
        "rnn" (tanh ``nn.RNN``); many_to_many: read every h_t; mode: the minGRU's "scan" or
        "loop" (same numbers; on one CPU thread the loop is the faster).
    Forward:
        x: (N, T, D) -> (N, O) or (N, T, O).
    """

    def __init__(self, input_size: int, hidden_size: int, output_size: int, layer: str = "mingru",
                 many_to_many: bool = False, mode: str = "scan"):  # fmt: skip
        super().__init__()
        if layer not in RECURRENT_LAYERS:
            raise ValueError(f"layer must be one of {RECURRENT_LAYERS}, got {layer!r}")
        self.layer, self.many_to_many, self.input_size = layer, many_to_many, input_size
        if layer in ("mingru", "mingru_neg"):
            self.rnn = MinGRU(input_size, hidden_size, mode, "(0, 1)" if layer == "mingru" else "(-1, 1)")
        else:
            self.rnn = (nn.GRU if layer == "gru" else nn.RNN)(input_size, hidden_size, batch_first=True)
        self.head = nn.Linear(hidden_size, output_size)

    def forward(self, x) -> torch.Tensor:
        x = torch.as_tensor(x, dtype=self.head.weight.dtype)
        if x.ndim != 3 or x.shape[2] != self.input_size:
            raise ValueError(f"x must have shape (N, T, D) with D = {self.input_size}, got {tuple(x.shape)}")
        h = self.rnn(x)
        h = h[0] if isinstance(h, tuple) else h  # nn.GRU / nn.RNN return (states, h_T)
        return self.head(h if self.many_to_many else h[:, -1])  # (N, T, O) or (N, O)


def training_step_times(layers: dict[str, Callable[[torch.Tensor], torch.Tensor]], x: torch.Tensor,
                        rounds: int = 5) -> dict[str, float]:  # fmt: skip
    """Median CPU seconds of one training step (forward, loss, backward) of each layer.

    The layers are timed in interleaved rounds (round r times every layer once, in turn), after
    one warm-up round, so a burst of load on a shared machine hits them alike; the median over
    rounds discards the bursts. CPU time of this process (``time.process_time``) is used: other
    processes on the machine do not count against it.

    Inputs:
        layers: name -> module mapping x (N, T, D) to states (N, T, H) (or nn.GRU's tuple).
        x: (N, T, D) float tensor; rounds: timed rounds (>= 1).
    Returns:
        name -> median seconds per training step.
    """
    if isinstance(rounds, bool) or not isinstance(rounds, int) or rounds < 1:
        raise ValueError(f"rounds must be an int >= 1, got {rounds!r}")

    def step(layer) -> float:
        start = time.process_time()
        out = layer(x)
        out = out[0] if isinstance(out, tuple) else out
        out.square().mean().backward()  # a loss reading every h_t
        return time.process_time() - start

    times: dict[str, list[float]] = {name: [] for name in layers}
    for r in range(rounds + 1):
        for name, layer in layers.items():
            layer.zero_grad(set_to_none=True) if isinstance(layer, nn.Module) else None
            t = step(layer)
            if r > 0:  # round 0 warms up allocators and first-call paths
                times[name].append(t)
    return {name: statistics.median(v) for name, v in times.items()}
