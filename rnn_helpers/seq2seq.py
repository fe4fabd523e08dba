"""Encoder-decoder networks in torch: a toy translation task, a plain GRU encoder-decoder,
Bahdanau's additive attention, greedy decoding.

The task (notebook 06) translates digit strings into a base-five number language: the digits
0-5 are one word each ("zero" ... "five"), and 6-9 are said "five one" ... "five four", the way
quinary counting systems (Wolof's, for example) build them. So the source length T_x and the
target length T_y differ, and the alignment between them is not the diagonal:

    source  7 3 9         (T_x = 3)
    target  five two three five four   (T_y = 5)

Notation (Bahdanau, Cho and Bengio 2015): encoder states h_1..h_{T_x}, decoder states s_i,
attention weights alpha_ij, context c_i = sum_j alpha_ij h_j.
Dimension letters: N batch, T_x source time, T_y target time, E embedding, H hidden, A attention,
V vocabulary.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .datasets import Vocab

__all__ = [
    "PAD",
    "SOS",
    "EOS",
    "BASE_FIVE_WORDS",
    "SOURCE_VOCAB",
    "TARGET_VOCAB",
    "translate_base_five",
    "make_translation_batch",
    "translation_batch",
    "Seq2Seq",
    "AttentionSeq2Seq",
    "masked_cross_entropy",
    "greedy_decode",
    "translation_loss",
    "token_accuracy",
    "accuracy_by_length",
    "aligned_source_positions",
    "attention_alignment",
    "parse_digits",
]

PAD, SOS, EOS = 0, 1, 2
SPECIALS = ("<pad>", "<sos>", "<eos>")


BASE_FIVE_WORDS = ("zero", "one", "two", "three", "four", "five")
SOURCE_VOCAB = Vocab(tuple(str(d) for d in range(10)), specials=SPECIALS, sort=False)
TARGET_VOCAB = Vocab(BASE_FIVE_WORDS, specials=SPECIALS, sort=False)


def translate_base_five(digits: list[str] | str) -> list[str]:
    """Reference translation: each digit d <= 5 is one word, d > 5 is "five" + word(d - 5).

    Inputs:
        digits: digit tokens, e.g. ``["7", "3"]``, or a string such as ``"7 3"`` or ``"73"``.
    Returns:
        list of target words, e.g. ``["five", "two", "three"]``.
    """
    if isinstance(digits, str):
        digits = [c for c in digits if not c.isspace()]
    out = []
    for d in digits:
        if d not in "0123456789" or len(d) != 1:
            raise ValueError(f"digits must be the characters 0-9, got {d!r}")
        d = int(d)
        out += ["five", BASE_FIVE_WORDS[d - 5]] if d > 5 else [BASE_FIVE_WORDS[d]]
    return out


def make_translation_batch(
    n: int, length: int, rng: np.random.Generator, reverse: bool = False
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """A batch of ``n`` random digit strings of one source ``length`` and their translations.

    Every source in the batch has the same length T_x (no source padding needed); the targets
    differ in length, so they are right-padded with ``<pad>``.

    Inputs:
        n: batch size N; length: source length T_x; rng: numpy Generator;
        reverse: feed the source reversed (Sutskever et al. 2014); the target is unchanged.
    Returns:
        src (N, T_x) long; tgt_in (N, T_y + 1) long, ``<sos> y_1 .. y_Ty <pad>..``;
        tgt_out (N, T_y + 1) long, ``y_1 .. y_Ty <eos> <pad>..``; T_y is the longest target.
    """
    if n < 1 or length < 1:
        raise ValueError(f"n and length must be >= 1, got n={n}, length={length}")
    digits = rng.integers(0, 10, size=(n, length))  # (N, T_x)
    return _batch_from_digits(digits, reverse)


def translation_batch(sources: list[str], reverse: bool = False) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """The batch of :func:`make_translation_batch` for given sources of one length, e.g.
    ``["8 6 5", "2 3 0"]``. Returns src (N, T_x), tgt_in and tgt_out (N, T_y + 1) long."""
    rows = [[int(d) for d in parse_digits(text)] for text in sources]
    if not rows or len({len(r) for r in rows}) != 1:
        raise ValueError(f"sources must be a non-empty list of digit strings of one length, got {sources}")
    return _batch_from_digits(np.array(rows), reverse)


def _batch_from_digits(digits: np.ndarray, reverse: bool):
    """src, tgt_in, tgt_out for an (N, T_x) int array of digits."""
    n, length = digits.shape
    # each digit becomes two slots: ("five", word(d - 5)) for d > 5, (word(d), empty) otherwise
    five = 3 + BASE_FIVE_WORDS.index("five")
    slots = np.stack(
        [np.where(digits > 5, five, 3 + digits), np.where(digits > 5, 3 + digits - 5, -1)], axis=2
    ).reshape(n, 2 * length)  # (N, 2 T_x)
    order = np.argsort(slots < 0, axis=1, kind="stable")  # filled slots first, in order
    words = np.take_along_axis(slots, order, axis=1)  # (N, 2 T_x), -1 after the last word
    ty = int((words >= 0).sum(1).max())
    words = np.concatenate([words[:, :ty], np.full((n, 1), -1)], axis=1)  # (N, T_y + 1)
    n_words = (words >= 0).sum(1)  # (N,)
    tgt_out = np.where(words >= 0, words, PAD)
    tgt_out[np.arange(n), n_words] = EOS
    tgt_in = np.concatenate([np.full((n, 1), SOS), tgt_out[:, :-1]], axis=1)
    tgt_in[tgt_in == EOS] = PAD
    tgt_in, tgt_out = torch.as_tensor(tgt_in), torch.as_tensor(tgt_out)
    src = torch.as_tensor(digits + 3)  # digit d has id d + 3
    if reverse:
        src = src.flip(1)
    return src, tgt_in, tgt_out


class Seq2Seq(nn.Module):
    """Plain GRU encoder-decoder (Sutskever et al. 2014, Cho et al. 2014).

    The encoder reads the source; its last state is the context c, the decoder's initial state:
        h_t = GRU(h_{t-1}, emb(x_t)),   s_0 = c = h_{T_x}
        s_i = GRU(s_{i-1}, emb(y_{i-1})),   p(y_i | y_<i, x) = softmax(W_o s_i + b_o)
    Everything the decoder knows about the source passes through the one H-vector c.
    """

    def __init__(self, v_src: int, v_tgt: int, emb: int = 16, hidden: int = 48):
        super().__init__()
        self.src_emb = nn.Embedding(v_src, emb)
        self.tgt_emb = nn.Embedding(v_tgt, emb)
        self.encoder = nn.GRU(emb, hidden, batch_first=True)
        self.decoder = nn.GRU(emb, hidden, batch_first=True)
        self.out = nn.Linear(hidden, v_tgt)

    def encode(self, src: torch.Tensor):
        _, h = self.encoder(self.src_emb(src))  # (1, N, H)
        return h

    def forward(self, src: torch.Tensor, tgt_in: torch.Tensor):
        """Teacher forcing: the decoder reads the true previous tokens ``tgt_in``.

        Inputs: src (N, T_x) long; tgt_in (N, T_y) long.
        Returns: logits (N, T_y, V), None (no attention).
        """
        s, _ = self.decoder(self.tgt_emb(tgt_in), self.encode(src))  # (N, T_y, H)
        return self.out(s), None

    def start(self, src: torch.Tensor):
        """Decoder state before the first step, for greedy decoding."""
        return {"s": self.encode(src)}

    def step(self, y_prev: torch.Tensor, state: dict):
        """One decoder step: y_prev (N,) long -> logits (N, V), attention None, new state."""
        s, h = self.decoder(self.tgt_emb(y_prev)[:, None], state["s"])  # (N, 1, H)
        return self.out(s[:, 0]), None, {"s": h}


class AttentionSeq2Seq(nn.Module):
    """GRU encoder-decoder with Bahdanau's additive attention (Bahdanau et al. 2015).

    A bidirectional encoder gives one state per source position, h_j = [fwd_j ; bwd_j] (2H).
    At every target step the decoder scores each h_j against its previous state:
        e_ij = v^T tanh(W_s s_{i-1} + W_h h_j),   alpha_ij = softmax_j(e_ij),
        c_i = sum_j alpha_ij h_j,
        s_i = GRU(s_{i-1}, [emb(y_{i-1}) ; c_i]),   p(y_i) = softmax(W_o [s_i ; c_i] + b_o)
    so the decoder reads a fresh context c_i at every step instead of one fixed vector.
    """

    def __init__(self, v_src: int, v_tgt: int, emb: int = 16, hidden: int = 48, attn: int = 32):
        super().__init__()
        self.src_emb = nn.Embedding(v_src, emb)
        self.tgt_emb = nn.Embedding(v_tgt, emb)
        self.encoder = nn.GRU(emb, hidden, batch_first=True, bidirectional=True)
        self.init = nn.Linear(2 * hidden, hidden)
        self.W_h = nn.Linear(2 * hidden, attn, bias=False)
        self.W_s = nn.Linear(hidden, attn)
        self.v = nn.Linear(attn, 1, bias=False)
        self.cell = nn.GRUCell(emb + 2 * hidden, hidden)
        self.out = nn.Linear(3 * hidden, v_tgt)

    def start(self, src: torch.Tensor):
        """Encode; return the decoder's starting state (encoder states and their projections)."""
        h, last = self.encoder(self.src_emb(src))  # (N, T_x, 2H), (2, N, H)
        s = torch.tanh(self.init(torch.cat([last[0], last[1]], dim=1)))  # (N, H)
        return {"s": s, "h": h, "Wh": self.W_h(h)}  # Wh: (N, T_x, A)

    def step(self, y_prev: torch.Tensor, state: dict):
        """One decoder step: y_prev (N,) long -> logits (N, V), alpha (N, T_x), new state."""
        s, h = state["s"], state["h"]
        e = self.v(torch.tanh(state["Wh"] + self.W_s(s)[:, None])).squeeze(2)  # (N, T_x)
        alpha = torch.softmax(e, dim=1)  # (N, T_x)
        c = torch.bmm(alpha[:, None], h).squeeze(1)  # (N, 2H)
        s = self.cell(torch.cat([self.tgt_emb(y_prev), c], dim=1), s)  # (N, H)
        logits = self.out(torch.cat([s, c], dim=1))  # (N, V)
        return logits, alpha, {**state, "s": s}

    def forward(self, src: torch.Tensor, tgt_in: torch.Tensor):
        """Teacher forcing. Inputs: src (N, T_x), tgt_in (N, T_y) long.
        Returns: logits (N, T_y, V), attention (N, T_y, T_x)."""
        state = self.start(src)
        logits, alphas = [], []
        for i in range(tgt_in.shape[1]):
            lo, a, state = self.step(tgt_in[:, i], state)
            logits.append(lo)
            alphas.append(a)
        return torch.stack(logits, 1), torch.stack(alphas, 1)


def _check_ids(name: str, x, ndim: int = 2) -> None:
    if not isinstance(x, torch.Tensor) or x.dtype != torch.long or x.ndim != ndim:
        shape = tuple(x.shape) if hasattr(x, "shape") else type(x).__name__
        raise ValueError(f"{name} must be a long tensor of shape (N, T), got {shape}")


def masked_cross_entropy(logits: torch.Tensor, targets: torch.Tensor, pad: int = PAD) -> torch.Tensor:
    """Mean cross-entropy over the real target tokens; ``<pad>`` positions are left out.

        L = -(1 / #{(n, i): y_ni != pad}) * sum_{n, i: y_ni != pad} log p(y_ni)

    Inputs: logits (N, T_y, V); targets (N, T_y) long. Returns: a scalar tensor.
    """
    _check_ids("targets", targets)
    if logits.ndim != 3 or logits.shape[:2] != targets.shape:
        raise ValueError(
            f"logits must have shape (N, T_y, V) with (N, T_y) = {tuple(targets.shape)}, got {tuple(logits.shape)}"
        )
    V = logits.shape[2]
    return F.cross_entropy(logits.reshape(-1, V), targets.reshape(-1), ignore_index=pad)  # (N T_y, V)


@torch.no_grad()
def greedy_decode(model: nn.Module, src: torch.Tensor, max_len: int):
    """Greedy decoding: start from ``<sos>``, feed back the most likely token at every step.

        y_i = argmax_v p(v | y_<i, x), until ``<eos>`` or ``max_len`` tokens.

    Inputs: model (Seq2Seq or AttentionSeq2Seq); src (N, T_x) long; max_len: steps.
    Returns: ids (N, max_len) long, ``<pad>`` after each sequence's ``<eos>``;
        attention (N, max_len, T_x) float numpy array (zeros after ``<eos>``), or None.
    """
    _check_ids("src", src)
    if max_len < 1:
        raise ValueError(f"max_len must be >= 1, got {max_len}")
    model.eval()
    N = src.shape[0]
    state = model.start(src)
    y = torch.full((N,), SOS, dtype=torch.long)
    done = torch.zeros(N, dtype=torch.bool)
    ids, alphas = [], []
    for _ in range(max_len):
        logits, alpha, state = model.step(y, state)
        y = logits.argmax(1)  # (N,)
        ids.append(torch.where(done, PAD, y))
        if alpha is not None:
            alphas.append(torch.where(done[:, None], 0.0, alpha))
        done = done | (y == EOS)
        if bool(done.all()):
            break
    model.train()
    out = torch.full((N, max_len), PAD, dtype=torch.long)
    out[:, : len(ids)] = torch.stack(ids, 1)
    if not alphas:
        return out, None
    att = np.zeros((N, max_len, src.shape[1]))
    att[:, : len(alphas)] = torch.stack(alphas, 1).numpy()
    return out, att


def translation_loss(model: nn.Module, lengths: tuple[int, int] = (2, 12), batch: int = 64, reverse: bool = False):
    """A ``loss_fn`` for :func:`~rnn_helpers.training.fit`: teacher forcing on a fresh random
    batch at every call (one source length per batch, drawn uniformly from ``lengths``), loss
    :func:`masked_cross_entropy`.

    Inputs: lengths: (shortest, longest) source length; batch: N; reverse: feed reversed sources.
    Train as ``fit(model, translation_loss(model), steps, lr=0.015, schedule="one_cycle")``.
    """
    if batch < 1:
        raise ValueError(f"batch must be >= 1, got {batch}")
    if not 1 <= lengths[0] <= lengths[1]:
        raise ValueError(f"lengths must be (shortest, longest) with 1 <= shortest <= longest, got {lengths}")

    def loss_fn(rng: np.random.Generator) -> torch.Tensor:
        T_x = int(rng.integers(lengths[0], lengths[1] + 1))
        src, tgt_in, tgt_out = make_translation_batch(batch, T_x, rng, reverse)
        logits, _ = model(src, tgt_in)  # (N, T_y, V)
        return masked_cross_entropy(logits, tgt_out)

    return loss_fn


def token_accuracy(pred: torch.Tensor, tgt_out: torch.Tensor) -> float:
    """Fraction of the target's tokens (words and ``<eos>``, not ``<pad>``) predicted at their
    position. Inputs: pred (N, T) and tgt_out (N, T_y) long; pred is cut or padded to T_y."""
    _check_ids("pred", pred)
    _check_ids("tgt_out", tgt_out)
    if pred.shape[0] != tgt_out.shape[0]:
        raise ValueError(f"pred must have N = {tgt_out.shape[0]} rows, got {pred.shape[0]}")
    T_y = tgt_out.shape[1]
    pred = F.pad(pred[:, :T_y], (0, max(0, T_y - pred.shape[1])), value=PAD)  # (N, T_y)
    real = tgt_out != PAD
    return float(((pred == tgt_out) & real).sum() / real.sum())


def accuracy_by_length(
    model: nn.Module, lengths, n: int = 200, seed: int = 1234, reverse: bool = False
) -> dict[int, float]:
    """Greedy-decoding token accuracy on ``n`` fresh sources of each length.

    The test sources depend only on ``seed`` and the length, so every model sees the same ones.
    Returns: dict source length -> token accuracy.
    """
    out = {}
    for T_x in lengths:
        src, _, tgt_out = make_translation_batch(n, int(T_x), np.random.default_rng([seed, int(T_x)]), reverse)
        pred, _ = greedy_decode(model, src, tgt_out.shape[1])
        out[int(T_x)] = token_accuracy(pred, tgt_out)
    return out


def aligned_source_positions(digits: list[str] | str) -> list[int]:
    """For each word of the translation, the index j of the source digit it translates.

    Example: "7 3" -> ["five", "two", "three"] -> [0, 0, 1].
    """
    if isinstance(digits, str):
        digits = [c for c in digits if not c.isspace()]
    return [j for j, d in enumerate(digits) for _ in translate_base_five([d])]


@torch.no_grad()
def attention_alignment(model: nn.Module, n: int = 200, length: int = 8, seed: int = 4321) -> float:
    """Fraction of target words whose largest attention weight falls on the source digit they
    translate (teacher forcing, ``n`` random sources of ``length`` digits).

        argmax_j alpha_ij == the source position of word i
    """
    src, tgt_in, tgt_out = make_translation_batch(n, length, np.random.default_rng(seed))
    _, att = model(src, tgt_in)  # (N, T_y, T_x)
    if att is None:
        raise ValueError("model has no attention (use an AttentionSeq2Seq)")
    hits = total = 0
    for k in range(n):
        aligned = aligned_source_positions(SOURCE_VOCAB.decode(src[k]))
        looked = att[k, : len(aligned)].argmax(1).tolist()
        hits += sum(a == b for a, b in zip(looked, aligned))
        total += len(aligned)
    return hits / total


def parse_digits(text: str, max_len: int = 20) -> list[str]:
    """Digit tokens of ``text`` ("3 1 4" or "314"); ValueError for anything but 1..max_len digits."""
    digits = [c for c in str(text) if not c.isspace()]
    bad = sorted({c for c in digits if c not in "0123456789"})
    if bad:
        raise ValueError(f"source must contain only the digits 0-9, got {bad}")
    if not 1 <= len(digits) <= max_len:
        raise ValueError(f"source must have 1 to {max_len} digits, got {len(digits)}")
    return digits
