"""Text to token ids, the bag-of-words baselines, and classification metrics (notebook 08).

- ``tokenize``: lower-case words, numbers and single punctuation marks.
- ``build_vocab`` / ``encode``: a vocabulary of the words seen at least ``min_count`` times in the
  training data; every other word becomes an unknown-word token that keeps its rough shape
  (``<unk:Cap>``, ``<unk:num>``, ``<unk:-ing>``, ...), so rare words still carry a hint.
- ``naive_bayes_fit`` / ``naive_bayes_scores``: multinomial naive Bayes on word counts,
  ``log p(c) + sum_t log p(w_t | c)``: a bag of words, word order thrown away. Float64 counts,
  so its predictions are the same on every machine.
- ``most_frequent_tag_fit``: each token's commonest training tag.
- ``confusion_matrix``, ``precision_recall_f1``.

Dimension letters: N examples, T tokens, V vocabulary, C classes.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np

__all__ = [
    "tokenize",
    "word_shape",
    "build_vocab",
    "encode",
    "naive_bayes_fit",
    "naive_bayes_scores",
    "naive_bayes_word_weights",
    "most_frequent_tag_fit",
    "confusion_matrix",
    "precision_recall_f1",
]

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


def build_vocab(token_lists: Iterable[Sequence[str]], min_count: int = 2) -> list[str]:
    """Token list for ids 0..V-1: "<pad>" (id 0), the unknown-word tokens, then every token seen at
    least ``min_count`` times, commonest first (ties alphabetical). Returns the list (itos)."""
    if min_count < 1:
        raise ValueError(f"min_count must be >= 1, got {min_count}")
    counts = Counter(t for tokens in token_lists for t in tokens)
    frequent = sorted((t for t, n in counts.items() if n >= min_count), key=lambda t: (-counts[t], t))
    return ["<pad>", *_SHAPES, *frequent]


def encode(tokens: Sequence[str], stoi: dict[str, int]) -> list[int]:
    """Token ids; a token outside the vocabulary gets the id of its ``word_shape``."""
    return [stoi[t] if t in stoi else stoi[word_shape(t)] for t in tokens]


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


def confusion_matrix(pred: Sequence[int], gold: Sequence[int], C: int = 2) -> np.ndarray:
    """Counts (C, C): row = true class, column = predicted class."""
    pred, gold = np.asarray(pred, dtype=int), np.asarray(gold, dtype=int)
    if pred.shape != gold.shape:
        raise ValueError(f"pred and gold must have the same shape, got {pred.shape} and {gold.shape}")
    m = np.zeros((C, C), dtype=np.int64)
    np.add.at(m, (gold, pred), 1)
    return m


def precision_recall_f1(pred: Sequence[int], gold: Sequence[int], positive: int = 1) -> tuple[float, float, float]:
    """Precision, recall and F1 of the class ``positive``.

    precision = TP / (TP + FP): of the messages flagged, the share that really are positive.
    recall    = TP / (TP + FN): of the positive messages, the share flagged.
    F1 = 2 P R / (P + R), the harmonic mean. A ratio with nothing to count (0 / 0) is 0.
    """
    pred, gold = np.asarray(pred), np.asarray(gold)
    if pred.shape != gold.shape:
        raise ValueError(f"pred and gold must have the same shape, got {pred.shape} and {gold.shape}")
    tp = int(np.sum((pred == positive) & (gold == positive)))
    fp = int(np.sum((pred == positive) & (gold != positive)))
    fn = int(np.sum((pred != positive) & (gold == positive)))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1
