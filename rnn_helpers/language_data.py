"""Loaders of the real text datasets in ``data/`` (notebook 08), each verified by SHA-256.

- SMS Spam Collection (Almeida & Gomez Hidalgo 2011; CC BY 4.0): ``load_sms_spam``
- Sentiment-labelled sentences from Amazon, IMDb and Yelp reviews (Kotzias et al. 2015; CC BY 4.0):
  ``load_review_sentences``
- Universal Dependencies English Web Treebank, word/UPOS-tag pairs (CC BY-SA 4.0): ``load_ewt``

Provenance, licenses and attribution: ``data/README.md``. Nothing is downloaded. The split into
train / validation / test is fixed (``SPLIT_SEED``), independent of a notebook's SEED, so that
trained weights shipped in ``data/weights/`` are always scored on messages they never saw.
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np

__all__ = [
    "LANGUAGE_CHECKSUMS",
    "SPLIT_SEED",
    "language_data_path",
    "load_sms_spam",
    "load_review_sentences",
    "load_ewt",
    "split_three_ways",
    "classification_splits",
    "tagging_splits",
]

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
SPLIT_SEED = 0

# file name -> SHA-256 of its bytes (identical to the upstream files, see data/README.md)
LANGUAGE_CHECKSUMS: dict[str, str] = {
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


def language_data_path(name: str, data_dir: str | Path | None = None) -> Path:
    """Path of ``data/<name>`` after checking that it exists and that its SHA-256 matches.

    Raises ValueError for an unknown name or an altered file, FileNotFoundError for a missing one.
    """
    if name not in LANGUAGE_CHECKSUMS:
        raise ValueError(f"name must be one of {sorted(LANGUAGE_CHECKSUMS)}, got {name!r}")
    path = Path(data_dir or DATA_DIR) / name
    if not path.is_file():
        raise FileNotFoundError(
            f"data file {path} is missing. It ships with the course repository: restore it with "
            f"`git checkout -- data/{name}`."
        )
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != LANGUAGE_CHECKSUMS[name]:
        raise ValueError(
            f"data file {path} was altered: its SHA-256 is {digest}, expected {LANGUAGE_CHECKSUMS[name]}. "
            f"Restore it with `git checkout -- data/{name}`."
        )
    return path


def load_sms_spam(data_dir: str | Path | None = None) -> list[tuple[str, int]]:
    """The 5,574 SMS messages: (text, label) with label 1 for spam, 0 for ham (legitimate)."""
    text = language_data_path("sms_spam_collection.tsv", data_dir).read_text(encoding="utf-8")
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
        raw = language_data_path(f"{source}_labelled.txt", data_dir).read_text(encoding="utf-8")
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
    path = language_data_path(names[split], data_dir)
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


def classification_splits(task: str, min_count: int = 2, data_dir: str | Path | None = None) -> dict:
    """The spam ("spam") or review-sentiment ("sentiment") data, split and encoded, ready to train.

    The vocabulary comes from the training split only (``build_vocab`` with ``min_count``).
    Returns a dict with "itos" and "stoi", and for each of "train", "val", "test" a dict with
    "text" (the raw strings), "ids" (token-id lists), "y" (labels) and, for sentiment, "source".
    """
    from .text import build_vocab, encode, tokenize

    if task == "spam":
        items = [(text, y, "sms") for text, y in load_sms_spam(data_dir)]
    elif task == "sentiment":
        items = load_review_sentences(data_dir)
    else:
        raise ValueError(f"task must be 'spam' or 'sentiment', got {task!r}")
    parts = dict(zip(["train", "val", "test"], split_three_ways(items)))
    itos = build_vocab((tokenize(text) for text, _, _ in parts["train"]), min_count)
    stoi = {t: i for i, t in enumerate(itos)}
    out: dict = {"itos": itos, "stoi": stoi}
    for name, part in parts.items():
        out[name] = {
            "text": [text for text, _, _ in part],
            "ids": [encode(tokenize(text), stoi) or [stoi["<unk>"]] for text, _, _ in part],
            "y": np.array([y for _, y, _ in part]),
            "source": [s for _, _, s in part],
        }
    return out


def tagging_splits(min_count: int = 2, data_dir: str | Path | None = None) -> dict:
    """UD English EWT in its official train / dev (validation) / test split, encoded.

    Words keep their case; a word seen fewer than ``min_count`` times in training becomes its
    ``word_shape`` token. Returns "itos", "stoi", "tags" (the UPOS tag list; id 0 is padding), and
    for "train", "val", "test" dicts with "words", "ids", "tag_ids".
    """
    from .text import build_vocab, encode

    parts = {"train": load_ewt("train", data_dir), "val": load_ewt("dev", data_dir), "test": load_ewt("test", data_dir)}
    itos = build_vocab((words for words, _ in parts["train"]), min_count)
    stoi = {t: i for i, t in enumerate(itos)}
    tags = ["<pad>", *sorted({t for _, ts in parts["train"] for t in ts})]
    tag_id = {t: i for i, t in enumerate(tags)}
    out: dict = {"itos": itos, "stoi": stoi, "tags": tags}
    for name, part in parts.items():
        out[name] = {
            "words": [words for words, _ in part],
            "ids": [encode(words, stoi) for words, _ in part],
            "tag_ids": [[tag_id[t] for t in ts] for _, ts in part],
        }
    return out
