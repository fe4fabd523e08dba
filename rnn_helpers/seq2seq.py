"""English -> Spanish translation with a GRU encoder-decoder, with and without attention.

Real sentence pairs from Tatoeba (``datasets.load_spa_eng``, CC BY 2.0 FR, see data/README.md),
word-level vocabularies (the one ``datasets.Vocab``), right-padded variable-length batches, one
model class that runs with or without (Luong-style, multiplicative) attention over the SAME
encoder, a padding mask, greedy and beam-search decoding, held-out BLEU with sacreBLEU, and the training loop of
``scripts/train_translation.py``.

Notation (notebook 06, row vectors, batch first): source tokens x_1..x_{T_x}, encoder states
h_s (1 x H, s = 1..T_x, one GRU reading left to right), decoder states d_t (t = 1..T_y),

    d_t = GRU(d_{t-1}, E_y[y_{t-1}]),   d_0 = h_{T_x}
    e_{t,s} = d_t W_a h_s^T                         (score; -inf where x_s is <pad>)
    alpha_{t,s} = exp e_{t,s} / sum_s' exp e_{t,s'}    (weights, softmax over s)
    c_t = sum_s alpha_{t,s} h_s                      (context, 1 x H)
    d~_t = tanh([c_t, d_t] W_c + b_c),   y^_t = d~_t W_y + b_y

The plain encoder-decoder is the same network with c_t left out (d~_t = tanh(d_t W_c + b_c)):
everything it knows about the source passes through d_0.

``BahdanauTranslator`` is the design of Bahdanau, Cho & Bengio (2015): a bidirectional encoder
(h_s = [->h_s, <-h_s], H/2 units each way), an additive score computed from the PREVIOUS decoder
state, and the context fed into the decoder's GRU:

    d_0 = [->h_{T_x}, <-h_1]
    e_{t,s} = tanh(d_{t-1} W_a + h_s U_a + b_a) v_a^T      (score; -inf where x_s is <pad>)
    alpha_{t,s} = softmax over s of e_{t,s},   c_t = sum_s alpha_{t,s} h_s
    d_t = GRU(d_{t-1}, [E_y[y_{t-1}], c_t])
    d~_t = tanh([d_t, c_t, E_y[y_{t-1}]] W_c + b_c),   y^_t = d~_t W_y + b_y
Dimension letters: N batch, T_x / T_y source / target length, E embedding, H hidden, V vocabulary.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from tqdm.auto import tqdm

from .datasets import CHECKSUMS, DATA_DIR, Vocab

__all__ = [
    "SPECIALS",
    "PAD",
    "SOS",
    "EOS",
    "UNK",
    "tokenize",
    "detokenize",
    "build_vocab",
    "encode_words",
    "split_pairs",
    "pad_batch",
    "Translator",
    "BahdanauTranslator",
    "masked_loss",
    "greedy_decode",
    "beam_search",
    "translate",
    "corpus_bleu",
    "train_translator",
    "save_translator",
    "load_translator",
]

PAD, SOS, EOS, UNK = 0, 1, 2, 3
SPECIALS = ("<pad>", "<sos>", "<eos>", "<unk>")
_TOKEN = re.compile(r"[\w']+|[^\w\s]")


def tokenize(text: str) -> list[str]:
    """Lower-cased words, punctuation split off: "¿Qué hora es?" -> ['¿', 'qué', 'hora', 'es', '?']."""
    return _TOKEN.findall(text.lower())


def detokenize(tokens: list[str]) -> str:
    """Tokens back to text: no space before . , ! ? : ; nor after ¿ ¡ ("¿ qué ?" -> "¿qué?")."""
    text = " ".join(tokens)
    text = re.sub(r" ([.,!?:;])", r"\1", text)
    return re.sub(r"([¿¡]) ", r"\1", text)


def build_vocab(sentences: list[list[str]]) -> Vocab:
    """The one :class:`~rnn_helpers.datasets.Vocab` over tokenised ``sentences``: ids 0-3 are
    <pad>, <sos>, <eos>, <unk>, then every token, most frequent first (ties in order of appearance)."""
    counts = Counter(w for s in sentences for w in s)
    return Vocab([w for w, _ in counts.most_common()], specials=SPECIALS, sort=False)


def encode_words(vocab: Vocab, words: list[str]) -> list[int]:
    """Ids of ``words``; a word the vocabulary has never seen becomes <unk>."""
    return vocab.encode([w if w in vocab.stoi else "<unk>" for w in words])


def split_pairs(
    pairs: list[tuple[str, str]], n_test: int = 1000, n_valid: int = 500, seed: int = 0, test_first=("I love you.",)
) -> dict[str, list]:
    """Split by English sentence, so no held-out source is ever seen in training.

    Sentences are grouped by their English side (Tatoeba often gives several Spanish
    translations); ``n_test`` and ``n_valid`` English sentences are held out, chosen by ``seed``
    (``test_first`` always goes to the test set). Returns dict with
        "train": list of (english, spanish) pairs (every translation is one example);
        "valid", "test": lists of (english, [spanish references]).
    """
    refs: dict[str, list[str]] = {}
    for en, es in pairs:
        refs.setdefault(en, []).append(es)
    english = list(refs)
    if n_test + n_valid >= len(english):
        raise ValueError(f"n_test + n_valid must be < {len(english)} English sentences, got {n_test + n_valid}")
    order = np.random.default_rng(seed).permutation(len(english))
    chosen = [e for e in test_first if e in refs]
    chosen += [english[i] for i in order if english[i] not in chosen][: n_test + n_valid - len(chosen)]
    test, valid = chosen[:n_test], chosen[n_test:]
    held = set(chosen)
    return {
        "train": [(en, es) for en, es in pairs if en not in held],
        "valid": [(en, refs[en]) for en in valid],
        "test": [(en, refs[en]) for en in test],
    }


def pad_batch(sentences: list[list[int]], add_sos: bool = False, add_eos: bool = False) -> torch.Tensor:
    """Right-pad id lists with <pad> to one long tensor (N, T); optionally frame them with <sos>/<eos>."""
    rows = [[SOS] * add_sos + list(s) + [EOS] * add_eos for s in sentences]
    out = torch.full((len(rows), max(map(len, rows))), PAD, dtype=torch.long)
    for k, r in enumerate(rows):
        out[k, : len(r)] = torch.tensor(r, dtype=torch.long)
    return out


class Translator(nn.Module):
    """GRU encoder-decoder; ``attention=True`` adds a context c_t over the encoder states.

    Both variants share the encoder (one GRU reading the source left to right, E -> H) and the
    decoder (a GRU started from the encoder's state after the last real source token). The
    attention variant adds W_a (H x H) and the c_t half of W_c (2H x H instead of H x H); see
    the module docstring for the equations.
    """

    def __init__(self, v_src: int, v_tgt: int, emb: int = 64, hidden: int = 128, attention: bool = True,
                 dropout: float = 0.2):  # fmt: skip
        super().__init__()
        if min(v_src, v_tgt, emb, hidden) < 1:
            raise ValueError(f"v_src, v_tgt, emb and hidden must be >= 1, got {(v_src, v_tgt, emb, hidden)}")
        self.attention = attention
        self.src_emb = nn.Embedding(v_src, emb, padding_idx=PAD)
        self.tgt_emb = nn.Embedding(v_tgt, emb, padding_idx=PAD)
        self.encoder = nn.GRU(emb, hidden, batch_first=True)
        self.decoder = nn.GRU(emb, hidden, batch_first=True)
        if attention:
            self.W_a = nn.Linear(hidden, hidden, bias=False)  # e_{t,s} = d_t W_a h_s^T
        self.W_c = nn.Linear((2 if attention else 1) * hidden, hidden)  # d~_t = tanh([c_t, d_t] W_c + b_c)
        self.W_y = nn.Linear(hidden, v_tgt)  # y^_t = d~_t W_y + b_y
        self.drop = nn.Dropout(dropout)

    def encode(self, src: torch.Tensor) -> dict:
        """src (N, T_x) long, right-padded. Returns the decoder's starting state: encoder states
        "h" (N, T_x, H), "pad" (N, T_x) bool (True at <pad>), "d" (1, N, H) = h at the last real token.

        The encoder reads left to right, so its states at the real positions never depend on the
        pads after them; only the state after the last REAL token may start the decoder.
        """
        _check_ids("src", src)
        h, _ = self.encoder(self.drop(self.src_emb(src)))  # (N, T_x, H)
        pad = src == PAD  # (N, T_x)
        last = (~pad).sum(1) - 1  # (N,) index of the last real token
        if bool((last < 0).any()):
            raise ValueError("src must have at least one real (non-<pad>) token per row")
        d0 = h[torch.arange(src.shape[0]), last]  # (N, H): h_{T_x} of each sentence
        return {"h": h, "pad": pad, "d": d0[None].contiguous()}

    def attend(self, d: torch.Tensor, h: torch.Tensor, pad: torch.Tensor, mask: bool = True):
        """Scores, weights and context for decoder states d (N, T_y, H) over h (N, T_x, H).
        Returns c (N, T_y, H) and alpha (N, T_y, T_x)."""
        e = self.W_a(d) @ h.transpose(1, 2)  # (N, T_y, T_x): e_{t,s} = d_t W_a h_s^T
        if mask:
            e = e.masked_fill(pad[:, None, :], float("-inf"))  # <pad> gets weight exp(-inf) = 0
        alpha = torch.softmax(e, dim=2)  # alpha_{t,s}, softmax over s
        return alpha @ h, alpha  # c_t = sum_s alpha_{t,s} h_s: (N, T_y, H)

    def _head(self, d: torch.Tensor, state: dict, mask: bool):
        if not self.attention:
            return self.W_y(self.drop(torch.tanh(self.W_c(d)))), None
        c, alpha = self.attend(d, state["h"], state["pad"], mask)
        return self.W_y(self.drop(torch.tanh(self.W_c(torch.cat([c, d], dim=2))))), alpha  # (N, T_y, V)

    def forward(self, src: torch.Tensor, tgt_in: torch.Tensor, mask: bool = True):
        """Teacher forcing. src (N, T_x), tgt_in (N, T_y) long ("<sos> y_1 .. y_{T_y - 1}").
        Returns logits (N, T_y, V) and alpha (N, T_y, T_x), or None without attention."""
        _check_ids("tgt_in", tgt_in)
        state = self.encode(src)
        d, _ = self.decoder(self.drop(self.tgt_emb(tgt_in)), state["d"])  # (N, T_y, H)
        return self._head(d, state, mask)

    def step(self, y_prev: torch.Tensor, state: dict, mask: bool = True):
        """One decoding step: y_prev (N,) long -> log-probabilities (N, V), alpha (N, T_x) or
        None, and the new state."""
        d, d_last = self.decoder(self.tgt_emb(y_prev)[:, None], state["d"])  # (N, 1, H)
        logits, alpha = self._head(d, state, mask)
        return torch.log_softmax(logits[:, 0], dim=1), None if alpha is None else alpha[:, 0], {**state, "d": d_last}


class BahdanauTranslator(Translator):
    """Bahdanau-style attention: bidirectional encoder, additive score from d_{t-1}, context fed
    into the decoder GRU (equations in the module docstring). Same interface as :class:`Translator`
    (``encode``, ``step``, ``forward``), so greedy and beam-search decoding work unchanged.

    The encoder runs on packed sequences, so the backward direction starts at each sentence's
    last real word, not at its padding. ``hidden`` must be even (H/2 units per direction).
    """

    def __init__(self, v_src: int, v_tgt: int, emb: int = 64, hidden: int = 128, attention: bool = True,
                 dropout: float = 0.2):  # fmt: skip
        if hidden < 2 or hidden % 2:
            raise ValueError(f"hidden must be even and >= 2 (H/2 units each way), got {hidden}")
        if not attention:
            raise ValueError("attention must be True: a BahdanauTranslator always attends")
        super().__init__(v_src, v_tgt, emb, hidden, attention=True, dropout=dropout)
        H = hidden
        self.encoder = nn.GRU(emb, H // 2, batch_first=True, bidirectional=True)
        self.decoder = nn.GRU(emb + H, H, batch_first=True)  # input [E_y[y_{t-1}], c_t]
        self.W_a = nn.Linear(H, H, bias=False)  # d_{t-1} W_a
        self.U_a = nn.Linear(H, H)  # h_s U_a + b_a
        self.v_a = nn.Linear(H, 1, bias=False)  # (.) v_a^T
        self.W_c = nn.Linear(2 * H + emb, H)  # d~_t = tanh([d_t, c_t, E_y[y_{t-1}]] W_c + b_c)

    def encode(self, src: torch.Tensor) -> dict:
        """src (N, T_x) long, right-padded. Returns "h" (N, T_x, H) = [->h_s, <-h_s] (zeros at
        <pad>), "hU" (N, T_x, H) = h_s U_a + b_a (computed once), "pad" (N, T_x) bool and "d" (1, N, H)."""
        _check_ids("src", src)
        pad = src == PAD  # (N, T_x)
        lengths = (~pad).sum(1)
        if bool((lengths < 1).any()):
            raise ValueError("src must have at least one real (non-<pad>) token per row")
        packed = nn.utils.rnn.pack_padded_sequence(self.drop(self.src_emb(src)), lengths, batch_first=True,
                                                   enforce_sorted=False)  # fmt: skip
        out, h_n = self.encoder(packed)  # h_n (2, N, H/2): ->h_{T_x} and <-h_1
        h, _ = nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=src.shape[1])  # (N, T_x, H)
        d0 = torch.cat([h_n[0], h_n[1]], dim=1)  # (N, H): d_0 = [->h_{T_x}, <-h_1]
        return {"h": h, "hU": self.U_a(h), "pad": pad, "d": d0[None].contiguous()}

    def _step(self, e_prev: torch.Tensor, state: dict, mask: bool):
        """One step from the embedded previous word e_prev (N, E): logits (N, V), alpha (N, T_x), state."""
        d_prev = state["d"][0]  # (N, H)
        e = self.v_a(torch.tanh(self.W_a(d_prev)[:, None] + state["hU"]))[..., 0]  # (N, T_x): e_{t,s}
        if mask:
            e = e.masked_fill(state["pad"], float("-inf"))
        alpha = torch.softmax(e, dim=1)  # alpha_{t,s}
        c = (alpha[:, :, None] * state["h"]).sum(1)  # (N, H): c_t
        _, d = self.decoder(torch.cat([e_prev, c], dim=1)[:, None], state["d"])  # d_t: (1, N, H)
        d_tilde = torch.tanh(self.W_c(torch.cat([d[0], c, e_prev], dim=1)))  # (N, H)
        return self.W_y(self.drop(d_tilde)), alpha, {**state, "d": d}

    def forward(self, src: torch.Tensor, tgt_in: torch.Tensor, mask: bool = True):
        """Teacher forcing, one step at a time (the context of step t depends on d_{t-1}).
        Returns logits (N, T_y, V) and alpha (N, T_y, T_x)."""
        _check_ids("tgt_in", tgt_in)
        state = self.encode(src)
        emb = self.drop(self.tgt_emb(tgt_in))  # (N, T_y, E)
        logits, alphas = [], []
        for t in range(tgt_in.shape[1]):
            out, alpha, state = self._step(emb[:, t], state, mask)
            logits.append(out)
            alphas.append(alpha)
        return torch.stack(logits, 1), torch.stack(alphas, 1)

    def step(self, y_prev: torch.Tensor, state: dict, mask: bool = True):
        """One decoding step: y_prev (N,) long -> log-probabilities (N, V), alpha (N, T_x), new state."""
        logits, alpha, state = self._step(self.tgt_emb(y_prev), state, mask)
        return torch.log_softmax(logits, dim=1), alpha, state


def _check_ids(name: str, x) -> None:
    if not isinstance(x, torch.Tensor) or x.dtype != torch.long or x.ndim != 2:
        got = f"{x.dtype} tensor of shape {tuple(x.shape)}" if isinstance(x, torch.Tensor) else type(x).__name__
        raise ValueError(f"{name} must be a long tensor of shape (N, T), got {got}")


def masked_loss(logits: torch.Tensor, tgt_out: torch.Tensor) -> torch.Tensor:
    """Mean cross-entropy over the real target tokens (words and <eos>); <pad> is left out.
    logits (N, T_y, V), tgt_out (N, T_y) long. Returns a scalar tensor."""
    _check_ids("tgt_out", tgt_out)
    if logits.ndim != 3 or logits.shape[:2] != tgt_out.shape:
        raise ValueError(f"logits must have shape (N, T_y, V) = {(*tgt_out.shape, 'V')}, got {tuple(logits.shape)}")
    return F.cross_entropy(logits.reshape(-1, logits.shape[2]), tgt_out.reshape(-1), ignore_index=PAD)


def _select(state: dict, index: torch.Tensor) -> dict:
    """Reorder (or repeat) the sentences of a decoder state: rows ``index`` of each tensor."""
    return {k: v[:, index] if k == "d" else v[index] for k, v in state.items()}  # d is (1, N, H)


@torch.no_grad()
def greedy_decode(model: Translator, src: torch.Tensor, max_len: int = 20, mask: bool = True):
    """y_t = argmax_v p(v | y_<t, x), fed back, until <eos> or ``max_len`` tokens.

    Returns ids (N, max_len) long (<pad> after <eos>) and the attention (N, max_len, T_x) numpy
    array (zeros after <eos>), or None for a model without attention.
    """
    if max_len < 1:
        raise ValueError(f"max_len must be >= 1, got {max_len}")
    was_training = model.training
    model.eval()
    state = model.encode(src)
    N = src.shape[0]
    y = torch.full((N,), SOS, dtype=torch.long)
    done = torch.zeros(N, dtype=torch.bool)
    ids, alphas = [], []
    for _ in range(max_len):
        logp, alpha, state = model.step(y, state, mask)
        y = logp.argmax(1)  # (N,)
        ids.append(torch.where(done, PAD, y))
        if alpha is not None:
            alphas.append(torch.where(done[:, None], 0.0, alpha))
        done = done | (y == EOS)
        if bool(done.all()):
            break
    model.train(was_training)
    out = torch.full((N, max_len), PAD, dtype=torch.long)
    out[:, : len(ids)] = torch.stack(ids, 1)
    if not alphas:
        return out, None
    att = np.zeros((N, max_len, src.shape[1]))
    att[:, : len(alphas)] = torch.stack(alphas, 1).numpy()
    return out, att


@torch.no_grad()
def beam_search(model: Translator, src: torch.Tensor, k: int = 5, max_len: int = 20) -> torch.Tensor:
    """Keep the ``k`` most likely partial translations of each sentence at every step.

    A hypothesis's score is sum_t log p(y_t | y_<t, x); finished hypotheses (ended by <eos>) stay in
    the beam unchanged. At the end, each sentence takes the hypothesis with the best score per
    token (score / length), so longer translations are not punished merely for being longer.
    Returns ids (N, max_len) long, <pad> after <eos>. ``k = 1`` is greedy decoding.
    """
    if k < 1 or max_len < 1:
        raise ValueError(f"k and max_len must be >= 1, got k={k}, max_len={max_len}")
    was_training = model.training
    model.eval()
    N = src.shape[0]
    state = _select(model.encode(src), torch.arange(N).repeat_interleave(k))  # N k rows
    score = torch.full((N, k), float("-inf"))
    score[:, 0] = 0.0  # one live hypothesis per sentence at the start
    seqs = torch.zeros((N * k, 0), dtype=torch.long)
    done = torch.zeros((N, k), dtype=torch.bool)
    y = torch.full((N * k,), SOS, dtype=torch.long)
    for _ in range(max_len):
        logp, _, state = model.step(y, state)
        V = logp.shape[1]
        logp = logp.view(N, k, V)
        # a finished hypothesis may only continue with <pad>, at no cost
        logp = torch.where(done[..., None], torch.full_like(logp, float("-inf")), logp)
        logp[..., PAD] = torch.where(done, 0.0, float("-inf"))
        top, idx = (score[..., None] + logp).view(N, k * V).topk(k, dim=1)  # (N, k)
        beam, tok = idx // V, idx % V  # which hypothesis each survivor extends, with which token
        rows = (beam + torch.arange(N)[:, None] * k).view(-1)  # (N k,)
        seqs = torch.cat([seqs[rows], tok.view(-1, 1)], dim=1)
        state = _select(state, rows)
        done = done.gather(1, beam) | (tok == EOS)
        score, y = top, tok.view(-1)
        if bool(done.all()):
            break
    model.train(was_training)
    length = ((seqs != PAD) & (seqs != EOS)).sum(1).view(N, k) + 1  # words + <eos>
    best = (score / length).argmax(1)  # (N,)
    chosen = seqs.view(N, k, -1)[torch.arange(N), best]  # (N, steps)
    out = torch.full((N, max_len), PAD, dtype=torch.long)
    out[:, : chosen.shape[1]] = chosen
    return out


def translate(model: Translator, sentences: list[str], src_vocab: Vocab, tgt_vocab: Vocab, beam: int = 1,
              max_len: int = 20) -> list[str]:  # fmt: skip
    """Translate English sentences; ``beam`` = 1 greedy, > 1 beam search. Returns Spanish text."""
    if isinstance(sentences, str):
        raise ValueError("sentences must be a list of strings, got one string")
    src = pad_batch([encode_words(src_vocab, tokenize(s)) for s in sentences])
    ids = greedy_decode(model, src, max_len)[0] if beam == 1 else beam_search(model, src, beam, max_len)
    return [detokenize(tgt_vocab.decode(row)) for row in ids]


def corpus_bleu(hypotheses: list[str], references: list[list[str]]) -> float:
    """Corpus BLEU (sacreBLEU, 13a tokenisation, lower-cased) of hypotheses against one or more
    references per sentence (the lists may differ in length)."""
    import sacrebleu

    if len(hypotheses) != len(references):
        raise ValueError(f"references must have one list per hypothesis ({len(hypotheses)}), got {len(references)}")
    n = max(map(len, references))
    streams = [[r[i] if i < len(r) else None for r in references] for i in range(n)]
    return float(sacrebleu.corpus_bleu(hypotheses, streams, lowercase=True).score)


def _encode_pairs(pairs, src_vocab, tgt_vocab):
    """Id lists of (english, spanish) pairs; a list of references counts by its first one."""
    first = [(en, es if isinstance(es, str) else es[0]) for en, es in pairs]
    return [(encode_words(src_vocab, tokenize(en)), encode_words(tgt_vocab, tokenize(es))) for en, es in first]


def _batches(encoded, batch, rng):
    """Shuffled batches of (src (N, T_x), tgt_in (N, T_y), tgt_out (N, T_y)), right-padded."""
    order = rng.permutation(len(encoded))
    for i in range(0, len(order), batch):
        chunk = [encoded[j] for j in order[i : i + batch]]
        tgt = [t for _, t in chunk]
        yield pad_batch([s for s, _ in chunk]), pad_batch(tgt, add_sos=True), pad_batch(tgt, add_eos=True)


@torch.no_grad()
def _valid_loss(model, encoded) -> float:
    model.eval()
    total = count = 0
    for src, tgt_in, tgt_out in _batches(encoded, 256, np.random.default_rng(0)):
        logits, _ = model(src, tgt_in)
        n = int((tgt_out != PAD).sum())
        total += masked_loss(logits, tgt_out).item() * n
        count += n
    model.train()
    return total / count


def train_translator(
    model: Translator,
    train: list[tuple[str, str]],
    valid: list[tuple[str, str]],
    src_vocab: Vocab,
    tgt_vocab: Vocab,
    epochs: int = 10,
    batch: int = 64,
    lr: float = 3e-3,
    seed: int = 0,
    max_steps: int | None = None,
    desc: str | None = None,
) -> dict:
    """Adam with teacher forcing on shuffled, right-padded batches; gradient norm clipped at 1;
    the learning rate ``lr`` for two epochs, then halved after every epoch. After training the
    model holds the weights of its best held-out epoch.

    Inputs: train / valid: (english, spanish) pairs (or (english, [references]): the first one
    counts); ``max_steps`` stops early (for tests and the
    live demo). Returns {"train": mean training loss per epoch, "valid": held-out loss per epoch,
    "steps": the loss of every step, "best_epoch": 1-based}.
    """
    if epochs < 1 or batch < 1:
        raise ValueError(f"epochs and batch must be >= 1, got epochs={epochs}, batch={batch}")
    rng = np.random.default_rng(seed)
    train, valid = _encode_pairs(train, src_vocab, tgt_vocab), _encode_pairs(valid, src_vocab, tgt_vocab)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    hist = {"train": [], "valid": [], "steps": [], "best_epoch": 0}
    best, best_state = math.inf, None
    steps_per_epoch = math.ceil(len(train) / batch)
    total = epochs * steps_per_epoch if max_steps is None else min(max_steps, epochs * steps_per_epoch)
    bar = tqdm(total=total, desc=desc, mininterval=0.5)  # kept after training, as fit's bar is
    for _ in range(epochs):
        losses = []
        for src, tgt_in, tgt_out in _batches(train, batch, rng):
            if len(hist["steps"]) >= total:
                break
            logits, _ = model(src, tgt_in)
            loss = masked_loss(logits, tgt_out)
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            losses.append(loss.item())
            hist["steps"].append(losses[-1])
            bar.update()
        hist["train"].append(float(np.mean(losses)))
        hist["valid"].append(_valid_loss(model, valid))
        if hist["valid"][-1] < best:
            best, hist["best_epoch"] = hist["valid"][-1], len(hist["valid"])
            best_state = {k: v.clone() for k, v in model.state_dict().items()}
        if len(hist["valid"]) >= 2:  # anneal: halve the step size after every epoch from the second on
            for g in opt.param_groups:
                g["lr"] /= 2
        if len(hist["steps"]) >= total:
            break
    bar.close()
    model.load_state_dict(best_state)
    return hist


def save_translator(path: str | Path, model: Translator, src_vocab: Vocab, tgt_vocab: Vocab, info: dict) -> None:
    """Save weights as float16 (half the bytes), both vocabularies and ``info`` (history, scores)."""
    cfg = {"emb": model.src_emb.embedding_dim, "hidden": model.W_c.out_features, "attention": model.attention}
    if isinstance(model, BahdanauTranslator):
        cfg["design"] = "bahdanau"
    state = {k: v.half() for k, v in model.state_dict().items()}
    torch.save({"config": cfg, "state": state, "src": list(src_vocab.tokens), "tgt": list(tgt_vocab.tokens),
                "info": info}, path)  # fmt: skip


def load_translator(name: str | Path) -> tuple[Translator, Vocab, Vocab, dict]:
    """A saved model (float32, eval mode), its two vocabularies and its info dict.

    ``name``: "plain", "attention", "plain_big" or "bahdanau" for the weights shipped in data/weights/ (their
    data checksum must match that of ``data/spa_eng_short.tsv``), or the path of a file written by
    :func:`save_translator`.
    """
    path = Path(name)
    if path.suffix != ".pt":
        path = DATA_DIR / "weights" / f"translation_{name}.pt"
    if not path.is_file():
        raise FileNotFoundError(f"weights {path} are missing: run scripts/train_translation.py")
    ckpt = torch.load(path, weights_only=True)
    if ckpt["info"].get("data_sha256") != CHECKSUMS["spa_eng_short.tsv"]:
        raise ValueError(f"weights {path} were trained on other data (checksum {ckpt['info'].get('data_sha256')})")
    src, tgt = (Vocab(ckpt[k], specials=SPECIALS, sort=False) for k in ("src", "tgt"))
    cfg = dict(ckpt["config"])
    cls = BahdanauTranslator if cfg.pop("design", "luong") == "bahdanau" else Translator
    model = cls(len(src), len(tgt), **cfg)
    model.load_state_dict({k: v.float() for k, v in ckpt["state"].items()})
    return model.eval(), src, tgt, ckpt["info"]
