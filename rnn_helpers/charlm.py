"""Using a character language model on real text (notebook 09): held-out bits per character,
sampling with temperature and top-k, auto-suggest, the memorisation check, and hidden-unit probes.

The model is ``rnn_helpers.models.CharRNN`` (or, for ``complete``, a counting model of
``rnn_helpers.ngram``); the text comes from ``rnn_helpers.datasets.load_shakespeare``.

Dimension letters: N batch (parallel streams), T time, D embedding, H hidden, V vocabulary.
The vocabulary keeps the course's convention that id 0 is the padding token: it never occurs in
the text, and sampling never emits it.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from .models import CharRNN

__all__ = [
    "random_windows",
    "text_log2probs",
    "heldout_bits_per_char",
    "sampling_distribution",
    "next_scores",
    "sample_chars",
    "complete",
    "longest_copy",
    "hidden_states",
    "line_features",
    "best_units",
]


def random_windows(ids: torch.Tensor, N: int, T: int, rng: np.random.Generator) -> torch.Tensor:
    """N random windows of T + 1 consecutive ids (inputs are [:, :-1], targets [:, 1:]), (N, T+1)."""
    if len(ids) < T + 2:
        raise ValueError(f"ids must hold more than T + 1 = {T + 1} characters, got {len(ids)}")
    starts = rng.integers(0, len(ids) - T - 1, size=N)
    return torch.stack([ids[s : s + T + 1] for s in starts])


@torch.no_grad()
def text_log2probs(model: nn.Module, ids, streams: int = 64) -> np.ndarray:
    """log2 p(ids[t] | ids[:t]) under ``model`` for t = 1 .. L-1, shape (L-1,) float64.

    The text ids (L,) is cut into ``streams`` contiguous pieces read in parallel, each from a zero
    state (so each piece's first characters are predicted with little context, like a reader who
    starts mid-play). Every character but the very first is scored exactly once, as for the n-gram
    models of ``rnn_helpers.ngram``.
    """
    ids = torch.as_tensor(ids, dtype=torch.long)
    if ids.ndim != 1 or len(ids) < 2:
        raise ValueError(f"ids must be 1-D with at least 2 characters, got shape {tuple(ids.shape)}")
    x, y = ids[:-1], ids[1:]
    L = -(-len(x) // streams)  # ceil
    pad = streams * L - len(x)
    x = torch.cat([x, x.new_zeros(pad)]).view(streams, L)  # (N, T)
    y = torch.cat([y, y.new_zeros(pad)]).view(streams, L)  # (N, T)
    scores, _ = model(x)  # (N, T, V)
    logp = torch.log_softmax(scores.double(), dim=-1).gather(-1, y[..., None])[..., 0]  # (N, T)
    return logp.reshape(-1)[: len(ids) - 1].numpy() / np.log(2)


def heldout_bits_per_char(model: nn.Module, ids, streams: int = 64) -> float:
    """Bits per character of ``model`` on ids (L,): -mean log2 p(ids[t] | ids[:t]), t = 1 .. L-1."""
    return float(-np.mean(text_log2probs(model, ids, streams)))


def sampling_distribution(logits, temperature: float = 1.0, top_k: int | None = None) -> np.ndarray:
    """The distribution sampling draws from, (V,) float64:

        keep the top_k largest scores s_i (all if top_k is None), then p_i = exp(s_i / tau) / sum_j exp(s_j / tau)

    over the kept ones (0 for the others). The temperature tau divides the *scores*, not the
    probabilities. Ties at the k-th score keep the lower ids first, so exactly top_k survive.
    """
    s = np.asarray(logits, dtype=np.float64)
    if s.ndim != 1:
        raise ValueError(f"logits must have shape (V,), got {s.shape}")
    if not temperature > 0:
        raise ValueError(f"temperature must be > 0, got {temperature}")
    if top_k is not None and not 1 <= top_k <= len(s):
        raise ValueError(f"top_k must be in 1..V = 1..{len(s)} or None, got {top_k}")
    z = s / temperature
    if top_k is not None:
        keep = np.argsort(-z, kind="stable")[:top_k]
        masked = np.full_like(z, -np.inf)
        masked[keep] = z[keep]
        z = masked
    z = z - z[np.isfinite(z)].max()
    p = np.exp(z)  # exp(-inf) = 0 for the dropped ones
    return p / p.sum()


@torch.no_grad()
def next_scores(model: nn.Module, ids: list[int], state=None):
    """Scores (V,) float64 for the character after ``ids`` (padding at -inf), and the state after them."""
    scores, state = model(torch.tensor([ids]), state)
    logits = scores[0, -1].double().numpy().copy()
    logits[0] = -np.inf  # the padding token is never emitted
    return logits, state


def sample_chars(
    model: nn.Module,
    vocab,
    start: str,
    n: int,
    rng: np.random.Generator,
    temperature: float = 1.0,
    top_k: int | None = None,
) -> str:
    """``n`` characters sampled one at a time after ``start`` (returned without ``start``).

    Each step: the model's scores for the next character -> ``sampling_distribution`` -> one draw
    with the numpy generator ``rng`` -> fed back as the next input.
    """
    if not start:
        raise ValueError("start must hold at least one character")
    logits, state = next_scores(model, vocab.encode(list(start)))
    out = []
    for _ in range(n):
        nxt = int(rng.choice(len(logits), p=sampling_distribution(logits, temperature, top_k)))
        out.append(vocab.itos[nxt])
        logits, state = next_scores(model, [nxt], state)
    return "".join(out)


def complete(model, vocab, prefix: str, max_chars: int = 20, stop: str = " \n.,;:!?'-") -> str:
    """Auto-suggest: extend ``prefix`` with the likeliest character until a stop character; the
    completion is returned without the prefix and without the stop character.

    ``model`` is a recurrent ``CharRNN`` or a counting model of ``rnn_helpers.ngram`` (anything with
    ``next_probs(context_ids)``).
    """
    if not prefix:
        raise ValueError("prefix must hold at least one character")
    ids = vocab.encode(list(prefix))
    recurrent = isinstance(model, nn.Module)
    if recurrent:
        logits, state = next_scores(model, ids)
    out = ""
    for _ in range(max_chars):
        nxt = int(np.argmax(logits)) if recurrent else int(np.argmax(model.next_probs(ids)[1:])) + 1
        ch = vocab.itos[nxt]
        if ch in stop:
            break
        out += ch
        ids.append(nxt)
        if recurrent:
            logits, state = next_scores(model, [nxt], state)
    return out


def longest_copy(sample: str, reference: str) -> str:
    """The longest substring of ``sample`` that occurs verbatim in ``reference``.

    Two pointers: for each end position, the shortest start with sample[start:end] in reference
    (a substring of a copied piece is copied too, so the start only moves right). O(len(sample))
    substring searches.
    """
    best, start = "", 0
    for end in range(1, len(sample) + 1):
        while sample[start:end] not in reference:
            start += 1
        if end - start > len(best):
            best = sample[start:end]
    return best


@torch.no_grad()
def hidden_states(model: CharRNN, ids) -> np.ndarray:
    """The hidden state h_t after reading each of ids (T,), from a zero state, (T, H) float64."""
    ids = torch.as_tensor(ids, dtype=torch.long)
    h, _ = model.rnn(model.embed(ids[None]))  # (1, T, H)
    return h[0].double().numpy()


def line_features(text: str) -> dict[str, np.ndarray]:
    """Features of each character of ``text`` that a reader can name, (T,) each:

    - "position in line": characters since the last newline (0 for the first of a line);
    - "inside a speaker's name": 1 on the characters of a line that ends with ':' before the colon
      ("GREMIO:"), 0 elsewhere;
    - "line start": 1 on the newline character itself (the next character starts a line).
    """
    pos = np.zeros(len(text))
    name = np.zeros(len(text))
    at = 0
    for line in text.split("\n"):
        n = len(line)
        pos[at : at + n + 1] = np.arange(n + 1)[: len(text) - at]
        if line.endswith(":"):
            name[at : at + n - 1] = 1
        at += n + 1
    return {
        "position in line": pos,
        "inside a speaker's name": name,
        "line start": np.array([c == "\n" for c in text], dtype=float),
    }


def best_units(states: np.ndarray, features: dict[str, np.ndarray]) -> dict[str, tuple[int, float]]:
    """For each feature, the hidden unit whose activation correlates most with it (Pearson r,
    by absolute value) over the T characters. states (T, H). Returns {name: (unit, r)}."""
    states = np.asarray(states, dtype=float)
    if states.ndim != 2:
        raise ValueError(f"states must have shape (T, H), got {states.shape}")
    z = (states - states.mean(0)) / (states.std(0) + 1e-12)  # (T, H)
    out = {}
    for name, f in features.items():
        if f.shape != (len(states),):
            raise ValueError(f"feature {name!r} must have shape ({len(states)},), got {f.shape}")
        r = z.T @ ((f - f.mean()) / (f.std() + 1e-12)) / len(f)  # (H,)
        unit = int(np.argmax(np.abs(r)))
        out[name] = (unit, float(r[unit]))
    return out
