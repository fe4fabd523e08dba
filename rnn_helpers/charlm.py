"""Character-level language models on Tiny Shakespeare: data, model, held-out bits per character,
sampling with temperature and top-k, auto-suggest, a memorisation check and unit features.

Dimension letters: N batch (parallel streams), T time, D embedding, H hidden, V vocabulary.
The vocabulary keeps the course's convention that id 0 is the padding token: it never occurs in
the text, and sampling never emits it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import torch
from torch import nn

__all__ = [
    "SHAKESPEARE",
    "SHAKESPEARE_SHA256",
    "load_shakespeare",
    "split_text",
    "CharRNN",
    "random_windows",
    "load_char_model",
    "text_log2probs",
    "heldout_bits_per_char",
    "sampling_distribution",
    "sample_chars",
    "complete",
    "generation_view",
    "longest_copy",
    "hidden_states",
    "line_features",
    "best_units",
]

SHAKESPEARE = "tinyshakespeare.txt"
SHAKESPEARE_SHA256 = "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed"
DATA_DIR = Path(__file__).resolve().parents[1] / "data"


def load_shakespeare(data_dir: str | Path | None = None) -> str:
    """Tiny Shakespeare (1,115,394 characters) after checking its SHA-256 (see data/README.md)."""
    path = Path(data_dir or DATA_DIR) / SHAKESPEARE
    if not path.is_file():
        raise FileNotFoundError(
            f"data file {path} is missing. It ships with the course: "
            f"restore it with `git checkout -- data/{SHAKESPEARE}`."
        )
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != SHAKESPEARE_SHA256:
        raise ValueError(
            f"data file {path} was altered: its SHA-256 is {digest}, expected {SHAKESPEARE_SHA256}. "
            f"Restore it with `git checkout -- data/{SHAKESPEARE}`."
        )
    return raw.decode("utf-8")


def split_text(text: str, heldout: float = 0.1) -> tuple[str, str]:
    """Contiguous split: the first (1 - heldout) of the text for training, the last block held out.

    A random split of characters (or lines) would leak: the held-out lines' neighbours, often the
    same speech, would sit in the training text.
    """
    if not 0 < heldout < 1:
        raise ValueError(f"heldout must be a fraction in (0, 1), got {heldout}")
    cut = int(len(text) * (1 - heldout))
    return text[:cut], text[cut:]


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


def random_windows(ids: torch.Tensor, N: int, T: int, rng: np.random.Generator) -> torch.Tensor:
    """N random windows of T + 1 consecutive ids (inputs are [:, :-1], targets [:, 1:]), (N, T+1)."""
    if len(ids) < T + 2:
        raise ValueError(f"ids must hold more than T + 1 = {T + 1} characters, got {len(ids)}")
    starts = rng.integers(0, len(ids) - T - 1, size=N)
    return torch.stack([ids[s : s + T + 1] for s in starts])


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
    if record["data_sha256"] != SHAKESPEARE_SHA256:
        raise ValueError(f"{path} was trained on data with SHA-256 {record['data_sha256']}, not the shipped text")
    model = CharRNN(**record["config"])
    model.load_state_dict(record["state_dict"])
    return model.eval(), record


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
def _next_logits(model: nn.Module, ids: list[int], state=None):
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
    logits, state = _next_logits(model, vocab.encode(list(start)))
    out = []
    for _ in range(n):
        nxt = int(rng.choice(len(logits), p=sampling_distribution(logits, temperature, top_k)))
        out.append(vocab.itos[nxt])
        logits, state = _next_logits(model, [nxt], state)
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
        logits, state = _next_logits(model, ids)
    out = ""
    for _ in range(max_chars):
        nxt = int(np.argmax(logits)) if recurrent else int(np.argmax(model.next_probs(ids)[1:])) + 1
        ch = vocab.itos[nxt]
        if ch in stop:
            break
        out += ch
        ids.append(nxt)
        if recurrent:
            logits, state = _next_logits(model, [nxt], state)
    return out


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
    logits, _ = _next_logits(model, vocab.encode(list(prefix)))
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
