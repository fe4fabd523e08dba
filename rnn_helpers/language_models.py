"""The recurrent text models of notebook 08, their float64 evaluation, and their weight files.

- ``TextClassifier`` (many-to-one): embed the tokens, run a GRU (or LSTM), classify from the state
  at the last real token of each sequence (padding is never read).
- ``Tagger`` (many-to-many, Tx = Ty): embed, run an LSTM forward only or both ways, one tag
  distribution per token.
- ``predict``: scores in float64 in batches, so the same weights give the same predictions on any
  CPU (float32 round-off could flip a borderline example).
- ``save_weights`` / ``load_weights``: parameters stored as float16 (small files) with the
  vocabulary, tag list, hyperparameters and held-out score.

Dimension letters: N batch, T time, D embedding, H hidden, V vocabulary, C classes or tags.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from pathlib import Path

import torch
from torch import nn

from .applications import pad_sequences

__all__ = [
    "TextClassifier",
    "Tagger",
    "predict",
    "save_weights",
    "load_weights",
    "TRAINED",
    "build_model",
    "load_trained",
]

WEIGHTS_DIR = Path(__file__).resolve().parents[1] / "data" / "weights"

# task -> hyperparameters of the shipped weights (scripts/train_language_models.py; chosen on validation)
TRAINED: dict[str, dict] = {
    "spam": dict(H=32, D=32, steps=1200, batch=32, lr=3e-3, min_count=2),
    "sentiment": dict(H=32, D=32, steps=1000, batch=32, lr=3e-3, min_count=2),
    "tagger_forward": dict(H=96, D=48, steps=3000, batch=32, lr=3e-3, min_count=2),
    "tagger_bidirectional": dict(H=64, D=48, steps=3000, batch=32, lr=3e-3, min_count=2),
}


class TextClassifier(nn.Module):
    """Many-to-one: h_t = GRU(x_t, h_{t-1}) over the embedded tokens, scores = h_{T_n} W_y + b_y,
    T_n the length of sequence n. forward(ids (N, T), lengths (N,)) -> scores (N, C)."""

    def __init__(self, V: int, H: int, C: int = 2, D: int = 32, cell: str = "gru"):
        super().__init__()
        if cell not in ("gru", "lstm"):
            raise ValueError(f"cell must be 'gru' or 'lstm', got {cell!r}")
        self.embed = nn.Embedding(V, D, padding_idx=0)
        self.rnn = (nn.GRU if cell == "gru" else nn.LSTM)(D, H, batch_first=True)
        self.out = nn.Linear(H, C)

    def forward(self, ids: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        if ids.ndim != 2 or lengths.shape != ids.shape[:1]:
            raise ValueError(f"ids must be (N, T) and lengths (N,), got {tuple(ids.shape)} and {tuple(lengths.shape)}")
        h, _ = self.rnn(self.embed(ids))  # (N, T, H)
        last = h[torch.arange(len(h)), lengths - 1]  # (N, H): state after the last real token
        return self.out(last)  # (N, C)


class Tagger(nn.Module):
    """Many-to-many aligned: one tag distribution per token. forward(ids (N, T)) -> scores (N, T, C).

    Forward only, the tag of token t sees tokens 1..t; bidirectional, the forward and backward
    states [h_t, h'_t] (2H) see the whole sentence.
    """

    def __init__(self, V: int, H: int, C: int, D: int = 32, bidirectional: bool = True):
        super().__init__()
        self.embed = nn.Embedding(V, D, padding_idx=0)
        self.rnn = nn.LSTM(D, H, batch_first=True, bidirectional=bidirectional)
        self.out = nn.Linear(2 * H if bidirectional else H, C)

    def forward(self, ids: torch.Tensor, lengths: torch.Tensor | None = None) -> torch.Tensor:
        if ids.ndim != 2:
            raise ValueError(f"ids must be (N, T), got {tuple(ids.shape)}")
        x = self.embed(ids)  # (N, T, D)
        if self.rnn.bidirectional and lengths is not None:
            # pack so that the backward direction starts at each sentence's last real token
            packed = nn.utils.rnn.pack_padded_sequence(x, lengths.cpu(), batch_first=True, enforce_sorted=False)
            h, _ = self.rnn(packed)
            h, _ = nn.utils.rnn.pad_packed_sequence(h, batch_first=True, total_length=ids.shape[1])  # (N, T, 2H)
        else:
            h, _ = self.rnn(x)  # (N, T, H or 2H)
        return self.out(h)  # (N, T, C)


@torch.no_grad()
def predict(model: nn.Module, seqs: Sequence[Sequence[int]], batch: int = 256) -> list[torch.Tensor]:
    """Float64 scores of every sequence: (C,) per sequence for a TextClassifier, (T_n, C) per
    sequence for a Tagger, in the order of ``seqs``. Sequences of similar length are batched
    together (less padding); padding positions are dropped from the result."""
    m = copy.deepcopy(model).double().eval()
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
        return TextClassifier(V, cfg["H"], C, D=cfg["D"])
    return Tagger(V, cfg["H"], C, D=cfg["D"], bidirectional=task == "tagger_bidirectional")


def load_trained(task: str, itos: Sequence[str], weights_dir: str | Path | None = None) -> tuple[nn.Module, dict]:
    """The shipped trained model of ``task`` and its info (scores, hyperparameters, loss curve).

    ``itos`` is the vocabulary rebuilt from the training split; it must equal the one the weights
    were trained with (else the ids would mean other words): ValueError otherwise.
    """
    from .language_data import language_data_path

    name = f"weights/{task}.pt"
    path = language_data_path(name, Path(weights_dir).parent if weights_dir else None)
    blob_info = torch.load(path, weights_only=True)["info"]
    if list(blob_info["itos"]) != list(itos):
        raise ValueError(
            f"itos must be the vocabulary the weights of {task!r} were trained with "
            f"({len(blob_info['itos'])} tokens), got {len(itos)} tokens that differ"
        )
    C = len(blob_info["tags"]) if "tags" in blob_info else 2
    model = build_model(task, len(itos), C, blob_info["config"])
    return model, load_weights(path, model)
