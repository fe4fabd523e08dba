"""Loaders of the small datasets shipped in ``data/``, each verified against a SHA-256 checksum,
and the one vocabulary (:class:`Vocab`), padding helper (:func:`pad_sequences`) and windowing
(:func:`make_windows`) that turn them into model inputs.

Nothing is downloaded: the files are part of the repository, copied from real, redistributable
sources (see ``data/README.md`` for provenance, license and size), or weights written by the
training scripts in ``scripts/``. A missing file raises ``FileNotFoundError`` and an altered one
``ValueError``, each saying what to do.
"""

from __future__ import annotations

import gzip
import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import torch

__all__ = [
    "load_shakespeare",
    "split_text",
    "DATA_DIR",
    "CHECKSUMS",
    "data_path",
    "load_co2_monthly",
    "load_pendigits",
    "load_spa_eng",
    "Vocab",
    "pad_sequences",
    "bag_of_words",
    "make_windows",
    "SPLIT_SEED",
    "load_sms_spam",
    "load_review_sentences",
    "load_ewt",
    "split_three_ways",
    "tokenize",
    "word_shape",
    "build_vocab",
    "encode_words",
    "classification_splits",
    "tagging_splits",
]

DATA_DIR = Path(__file__).resolve().parents[1] / "data"

# every shipped file: name -> SHA-256 of its bytes; the real text of notebook 08 is byte-identical
# to the upstream files
CHECKSUMS: dict[str, str] = {
    "co2.csv": "16695fa2786e53414e5a6b54767a3fdf5de99cfbc68617f69d1362d92776a92f",
    "pendigits.tra": "e2b9eb9f0d0467e2b64a4816a3420edf2b8043447576f4b84337aba44a9f97d3",
    "pendigits.tes": "8bd03229c5c5291fefe43e45465dd948d2645bf23328b9d993e0b777666b2015",
    "spa_eng_short.tsv": "43804e8962f663f3fe4743dc9519cc12979fb241869b16fb2d5a9bb0cdc904ba",
    "tinyshakespeare.txt": "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed",
    "sms_spam_collection.tsv": "7d039a24a6083ed9ef0f806ebad56bbb976e3aeb8de05669173bfdc4996c239d",
    "amazon_cells_labelled.txt": "47003fc0a0d4840b00e96e715b6189bad09e7443a3da41c4cbe12ffc79f86ae3",
    "imdb_labelled.txt": "aef2e49e3da25714d61175e3a6e68eeef74a20a2f914318dc3be9947ea86512d",
    "yelp_labelled.txt": "c76468b7b5c6e56a0804d728345c5f84aa2142ddb214420f61cc9cfd4c00d2ea",
    "en_ewt-train.pos.tsv.gz": "121c0a8a0825ae3584a2f9d285aeba58ee30b6b42895c810ba05d40bca46a4ff",
    "en_ewt-dev.pos.tsv": "e32fb133a579838daad7d2f0116527577132fe9ef14762ed429ad69fb1b49d8d",
    "en_ewt-test.pos.tsv": "10db3fe452685aedbe0033cf846602a60f5d1324fcbd10e355ebaea36e883c74",
    # trained weights, written by scripts/train_language_models.py (provenance in data/README.md)
    "weights/spam.pt": "5792b9b1f3b8233b79109751839b1abfa5e04547c5414f7d1cc88ecd204f2d6e",
    "weights/sentiment.pt": "df576c536ed9e9a228cf95cc0efba57e00f4e923850439cd7b42b27156152f72",
    "weights/tagger_forward.pt": "8fc36f1158a5fd3697640e6e4d1634e114a541b73757b0f819d822b057872605",
    "weights/tagger_bidirectional.pt": "a8fba65209ab8023d3420acf22159ca1982b1fd3139200b92fcadc4eb217946b",
}
SPLIT_SEED = 0  # the one train / validation / test split of the real text sets


def data_path(name: str, data_dir: str | Path | None = None) -> Path:
    """Path of the data file ``name`` after checking that it exists and its SHA-256 matches.

    Raises: ValueError for an unknown name or an altered file; FileNotFoundError if missing.
    """
    if name not in CHECKSUMS:
        raise ValueError(f"name must be one of {sorted(CHECKSUMS)}, got {name!r}")
    path = Path(data_dir or DATA_DIR) / name
    if not path.is_file():
        raise FileNotFoundError(
            f"data file {path} is missing. It ships with the course repository: restore it with "
            f"`git checkout -- data/{name}`."
        )
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != CHECKSUMS[name]:
        raise ValueError(
            f"data file {path} was altered: its SHA-256 is {digest}, expected {CHECKSUMS[name]}. "
            f"Restore it with `git checkout -- data/{name}`."
        )
    return path


def load_co2_monthly(data_dir: str | Path | None = None, start_year: int = 1965) -> tuple[list[str], np.ndarray]:
    """Monthly mean CO2 at Mauna Loa (ppm) from the weekly record in ``data/co2.csv`` (public domain).

    Each month is the mean of its measured weeks (59 weeks of the record are missing; from
    ``start_year`` = 1965 on, every month has at least one). Returns months ["1965-01", ...] and
    ppm (M,), M = 444 for 1965-01 .. 2001-12.
    """
    weeks: dict[str, list[float]] = {}
    for line in data_path("co2.csv", data_dir).read_text(encoding="utf-8").splitlines()[1:]:
        date, value = line.split(",")
        if value and int(date[:4]) >= start_year:
            weeks.setdefault(f"{date[:4]}-{date[4:6]}", []).append(float(value))
    months = sorted(weeks)
    return months, np.array([np.mean(weeks[m]) for m in months])


def load_pendigits(split: str, data_dir: str | Path | None = None) -> tuple[np.ndarray, np.ndarray]:
    """UCI pen-based digits (CC BY 4.0): points (N, T=8, D=2) in 0..1 (x right, y up), labels (N,).

    Each pen path is resampled to 8 points at equal distances along it, in writing order.
    ``split`` "train" (7494 digits, 30 writers) or "test" (3498 digits, 14 other writers).
    """
    names = {"train": "pendigits.tra", "test": "pendigits.tes"}
    if split not in names:
        raise ValueError(f"split must be 'train' or 'test', got {split!r}")
    text = data_path(names[split], data_dir).read_text(encoding="ascii")
    rows = np.array([[int(v) for v in line.split(",")] for line in text.splitlines()])  # (N, 17)
    return rows[:, :16].reshape(-1, 8, 2) / 100.0, rows[:, 16]  # (N, 8, 2), (N,)


def load_spa_eng(data_dir: str | Path | None = None) -> list[tuple[str, str]]:
    """English-Spanish sentence pairs from Tatoeba (CC BY 2.0 FR; attribution: www.manythings.org/anki
    and tatoeba.org): (english, spanish) text, at most 6 English words, in the original order."""
    text = data_path("spa_eng_short.tsv", data_dir).read_text(encoding="utf-8")
    return [tuple(line.split("\t")) for line in text.splitlines()]


class Vocab:
    """Token <-> id. The ``specials`` take the first ids (id 0 is ``specials[0]``, the padding
    token by default), then the other tokens, deduplicated and sorted (``sort=True``) or in the
    order given.

    Attributes: ``itos`` (list id -> token), ``stoi`` (dict token -> id), ``tokens`` (tuple).
    """

    def __init__(self, tokens: Sequence[str], specials: Sequence[str] = ("<pad>",), sort: bool = True):
        rest = [t for t in dict.fromkeys(tokens) if t not in set(specials)]
        self.specials = tuple(specials)
        self.itos = [*self.specials, *(sorted(rest) if sort else rest)]
        self.stoi = {t: i for i, t in enumerate(self.itos)}
        self.tokens = tuple(self.itos)

    def __len__(self) -> int:
        return len(self.itos)

    def __repr__(self) -> str:
        return f"Vocab({len(self)} tokens: {self.itos[:8]}{' ...' if len(self) > 8 else ''})"

    def encode(self, tokens: Sequence[str]) -> list[int]:
        """Ids of ``tokens``; unknown tokens raise ValueError naming them."""
        unknown = [t for t in tokens if t not in self.stoi]
        if unknown:
            known = [t for t in self.itos if t not in self.specials]
            raise ValueError(f"tokens not in the vocabulary: {unknown[:5]}; known: {known[:20]}")
        return [self.stoi[t] for t in tokens]

    def decode(self, ids) -> list[str]:
        """Tokens of ``ids`` up to (not including) the first ``<eos>``; other specials dropped."""
        out = []
        for i in ids:
            token = self.itos[int(i)]
            if token == "<eos>":
                break
            if token not in self.specials:
                out.append(token)
        return out


def pad_sequences(seqs: Sequence[Sequence[int]]) -> tuple[torch.Tensor, torch.Tensor]:
    """Right-pad id sequences with 0. Returns ids (N, T) long and lengths (N,) long."""
    if not seqs or min(len(s) for s in seqs) == 0:
        raise ValueError("seqs must be a non-empty list of non-empty sequences")
    T = max(len(s) for s in seqs)
    ids = torch.zeros(len(seqs), T, dtype=torch.long)
    for i, s in enumerate(seqs):
        ids[i, : len(s)] = torch.as_tensor(s, dtype=torch.long)
    return ids, torch.tensor([len(s) for s in seqs], dtype=torch.long)


def bag_of_words(seqs: Sequence[Sequence[int]], V: int) -> torch.Tensor:
    """Token counts per sequence, (N, V); word order is thrown away."""
    x = torch.zeros(len(seqs), V)
    for i, s in enumerate(seqs):
        for t in s:
            x[i, t] += 1
    return x


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


def load_shakespeare(data_dir: str | Path | None = None) -> str:
    """Tiny Shakespeare (1,115,394 characters of Shakespeare's plays, public domain, from Karpathy's
    char-rnn; see data/README.md), after checking its SHA-256."""
    return data_path("tinyshakespeare.txt", data_dir).read_bytes().decode("utf-8")


def split_text(text: str, heldout: float = 0.1) -> tuple[str, str]:
    """Contiguous split: the first (1 - heldout) of the text for training, the last block held out.

    A random split of characters (or lines) would leak: the held-out lines' neighbours, often the
    same speech, would sit in the training text.
    """
    if not 0 < heldout < 1:
        raise ValueError(f"heldout must be a fraction in (0, 1), got {heldout}")
    cut = int(len(text) * (1 - heldout))
    return text[:cut], text[cut:]


# ---- real text (notebook 08): loaders, the fixed split, tokens to ids ----------------------


def load_sms_spam(data_dir: str | Path | None = None) -> list[tuple[str, int]]:
    """The 5,574 SMS messages: (text, label) with label 1 for spam, 0 for ham (legitimate)."""
    text = data_path("sms_spam_collection.tsv", data_dir).read_text(encoding="utf-8")
    out = []
    for line in text.split("\n"):
        if line:
            label, message = line.split("\t", 1)
            out.append((message, int(label == "spam")))
    return out


def load_review_sentences(data_dir: str | Path | None = None) -> list[tuple[str, int, str]]:
    """The 3,000 review sentences: (text, label 1 positive / 0 negative, source).

    source is "amazon" (phones), "imdb" (films) or "yelp" (restaurants), 1,000 each.
    """
    out = []
    for source in ["amazon_cells", "imdb", "yelp"]:
        raw = data_path(f"{source}_labelled.txt", data_dir).read_text(encoding="utf-8")
        for line in raw.split("\n"):  # not splitlines(): two IMDb sentences hold a U+0085 character
            if line.strip():
                sentence, label = line.rsplit("\t", 1)
                out.append((sentence.strip(), int(label), source.split("_")[0]))
    return out


def load_ewt(split: str, data_dir: str | Path | None = None) -> list[tuple[list[str], list[str]]]:
    """UD English EWT sentences of ``split`` ("train", "dev" or "test"): (words, UPOS tags)."""
    names = {"train": "en_ewt-train.pos.tsv.gz", "dev": "en_ewt-dev.pos.tsv", "test": "en_ewt-test.pos.tsv"}
    if split not in names:
        raise ValueError(f"split must be one of {sorted(names)}, got {split!r}")
    path = data_path(names[split], data_dir)
    raw = path.read_bytes()
    text = (gzip.decompress(raw) if path.suffix == ".gz" else raw).decode("utf-8")
    out = []
    for block in text.split("\n\n"):
        rows = [line.split("\t") for line in block.split("\n") if line]
        if rows:
            out.append(([r[0] for r in rows], [r[1] for r in rows]))
    return out


def split_three_ways(items: Sequence, fractions=(0.7, 0.15, 0.15), seed: int = SPLIT_SEED) -> tuple[list, list, list]:
    """Shuffle with ``seed`` and cut into train / validation / test by ``fractions`` (summing to 1)."""
    if len(fractions) != 3 or abs(sum(fractions) - 1) > 1e-9 or min(fractions) <= 0:
        raise ValueError(f"fractions must be three positive numbers summing to 1, got {fractions}")
    order = np.random.default_rng(seed).permutation(len(items))
    n_train = int(round(fractions[0] * len(items)))
    n_val = int(round(fractions[1] * len(items)))
    pick = lambda idx: [items[i] for i in idx]
    return pick(order[:n_train]), pick(order[n_train : n_train + n_val]), pick(order[n_train + n_val :])


_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[^\sa-z0-9]")


def tokenize(text: str) -> list[str]:
    """Lower-case words (with an apostrophe ending such as "don't"), numbers and punctuation marks.

    >>> tokenize("Don't miss: WIN a £100 prize!!")
    ["don't", 'miss', ':', 'win', 'a', '£', '100', 'prize', '!', '!']
    """
    if not isinstance(text, str):
        raise ValueError(f"text must be a str, got {type(text).__name__}")
    return _TOKEN.findall(text.lower())


def word_shape(word: str) -> str:
    """The unknown-word token for a rare word: keeps capitals, digits and a few English endings."""
    if any(ch.isdigit() for ch in word):
        return "<unk:num>"
    if word[:1].isupper():
        return "<unk:Cap>"
    for ending in ("ing", "ed", "ly", "s"):
        if word.lower().endswith(ending) and len(word) > len(ending) + 2:
            return f"<unk:-{ending}>"
    if not any(ch.isalpha() for ch in word):
        return "<unk:punct>"
    return "<unk>"


_SHAPES = ["<unk:num>", "<unk:Cap>", "<unk:-ing>", "<unk:-ed>", "<unk:-ly>", "<unk:-s>", "<unk:punct>", "<unk>"]


def build_vocab(token_lists: Iterable[Sequence[str]], min_count: int = 2) -> Vocab:
    """The :class:`Vocab` of a training split: "<pad>" (id 0), the unknown-word shape tokens, then
    every token seen at least ``min_count`` times, commonest first (ties alphabetical)."""
    if min_count < 1:
        raise ValueError(f"min_count must be >= 1, got {min_count}")
    counts = Counter(t for tokens in token_lists for t in tokens)
    frequent = sorted((t for t, n in counts.items() if n >= min_count), key=lambda t: (-counts[t], t))
    return Vocab(frequent, specials=("<pad>", *_SHAPES), sort=False)


def encode_words(tokens: Sequence[str], vocab: Vocab) -> list[int]:
    """Token ids in a ``build_vocab`` vocabulary; a token outside it gets the id of its ``word_shape``."""
    return [vocab.stoi[t] if t in vocab.stoi else vocab.stoi[word_shape(t)] for t in tokens]


def classification_splits(task: str, min_count: int = 2, data_dir: str | Path | None = None) -> dict:
    """The spam ("spam") or review-sentiment ("sentiment") data, split and encoded, ready to train.

    The vocabulary comes from the training split only (``build_vocab`` with ``min_count``).
    Returns a dict with "vocab" (its "itos" and "stoi" also at the top level), and for each of
    "train", "val", "test" a dict with "text" (the raw strings), "ids" (token-id lists), "y"
    (labels) and "source" ("sms", or "amazon" / "imdb" / "yelp").
    """
    if task == "spam":
        items = [(text, y, "sms") for text, y in load_sms_spam(data_dir)]
    elif task == "sentiment":
        items = load_review_sentences(data_dir)
    else:
        raise ValueError(f"task must be 'spam' or 'sentiment', got {task!r}")
    parts = dict(zip(["train", "val", "test"], split_three_ways(items)))
    vocab = build_vocab((tokenize(text) for text, _, _ in parts["train"]), min_count)
    out: dict = {"vocab": vocab, "itos": vocab.itos, "stoi": vocab.stoi}
    for name, part in parts.items():
        out[name] = {
            "text": [text for text, _, _ in part],
            "ids": [encode_words(tokenize(text), vocab) or [vocab.stoi["<unk>"]] for text, _, _ in part],
            "y": np.array([y for _, y, _ in part]),
            "source": [s for _, _, s in part],
        }
    return out


def tagging_splits(min_count: int = 2, data_dir: str | Path | None = None) -> dict:
    """UD English EWT in its official train / dev (validation) / test split, encoded.

    Words keep their case; a word seen fewer than ``min_count`` times in training becomes its
    ``word_shape`` token. Returns "vocab" (and its "itos", "stoi"), "tags" (the UPOS tag list; id 0
    is padding), and
    for "train", "val", "test" dicts with "words", "ids", "tag_ids".
    """
    parts = {"train": load_ewt("train", data_dir), "val": load_ewt("dev", data_dir), "test": load_ewt("test", data_dir)}
    vocab = build_vocab((words for words, _ in parts["train"]), min_count)
    tags = Vocab([t for _, ts in parts["train"] for t in ts])  # "<pad>", then the tags sorted
    out: dict = {"vocab": vocab, "itos": vocab.itos, "stoi": vocab.stoi, "tags": tags.itos}
    for name, part in parts.items():
        out[name] = {
            "words": [words for words, _ in part],
            "ids": [encode_words(words, vocab) for words, _ in part],
            "tag_ids": [tags.encode(ts) for _, ts in part],
        }
    return out
