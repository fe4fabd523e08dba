"""Character n-gram language models: the baselines a recurrent language model must beat.

Two families, both fitted by counting (no gradient descent), both vectorised with numpy:

- ``AddKModel``: add-k (Laplace for k = 1) smoothed counts of n-grams,
  ``P(c | h) = (count(h c) + k) / (count(h) + k V)``. With n = 1 it is the unigram model
  (character frequencies), with n = 2 the bigram model.
- ``KneserNey``: interpolated Kneser-Ney (Chen and Goodman 1998), the classic strong n-gram.
  Each order discounts every count by ``D``, hands the freed mass to the next shorter context,
  and the shorter orders count in how many *different* contexts a string appears (its
  continuation count) rather than how often::

      P_k(c | h) = max(c_k(h c) - D_k, 0) / c_k(h .)  +  D_k N1+(h .) / c_k(h .) * P_{k-1}(c | h')

  where h' is h without its first character, c_k are raw counts at the top order and
  continuation counts below it, N1+(h .) is the number of distinct characters seen after h,
  and P_0(c) = 1 / V. A context never seen in training falls through to the shorter one.

Characters are integer ids 0..V-1. An n-gram is stored as one integer, its ids read as a number
in base V (V^n must stay below 2^63). Dimension letters: N positions, V vocabulary size.
"""

from __future__ import annotations

import numpy as np

__all__ = ["AddKModel", "KneserNey", "bits_per_char", "ngram_codes"]


def _check_ids(ids, V: int, name: str = "ids") -> np.ndarray:
    ids = np.asarray(ids)
    if ids.size == 0:
        ids = ids.astype(np.int64)
    if ids.ndim != 1 or not np.issubdtype(ids.dtype, np.integer):
        raise ValueError(f"{name} must be a 1-D integer array, got shape {ids.shape} and dtype {ids.dtype}")
    if len(ids) and (ids.min() < 0 or ids.max() >= V):
        raise ValueError(f"{name} must hold ids in 0..V-1 = 0..{V - 1}, got {ids.min()}..{ids.max()}")
    return ids.astype(np.int64)


def ngram_codes(ids: np.ndarray, n: int, V: int) -> np.ndarray:
    """Every n-gram of ``ids`` as one integer: code[t] encodes ids[t : t + n] in base V, (N - n + 1,)."""
    codes = ids[: len(ids) - n + 1].astype(np.int64)
    for j in range(1, n):
        codes = codes * V + ids[j : len(ids) - n + 1 + j]
    return codes


def _contexts(ids: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """For each position t: the up to n - 1 ids before it (left-padded with 0), and how many exist.

    Returns ctx (N, n - 1) int64 and length (N,) = min(t, n - 1).
    """
    N = len(ids)
    padded = np.concatenate([np.zeros(n - 1, dtype=np.int64), ids])
    ctx = np.stack([padded[j : j + N] for j in range(n - 1)], axis=1) if n > 1 else np.zeros((N, 0), np.int64)
    return ctx, np.minimum(np.arange(N), n - 1)


def _lookup(keys: np.ndarray, values: np.ndarray, query: np.ndarray) -> np.ndarray:
    """values[i] where keys[i] == query (keys sorted, unique); 0 where the query is absent."""
    if len(keys) == 0:
        return np.zeros(len(query), dtype=values.dtype)
    i = np.minimum(np.searchsorted(keys, query), len(keys) - 1)
    return np.where(keys[i] == query, values[i], 0)


def bits_per_char(log2p: np.ndarray) -> float:
    """Average code length in bits per character: -mean(log2 p(next char))."""
    return float(-np.mean(log2p))


class _CountModel:
    """Shared evaluation: log2 probability of every character of a text, and next-character tables."""

    n: int
    V: int

    def prob(self, ctx: np.ndarray, length: np.ndarray, nxt: np.ndarray) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError

    def log2probs(self, ids) -> np.ndarray:
        """log2 P(ids[t] | the up to n - 1 ids before it) for t = 1 .. N - 1, shape (N - 1,).

        Position 0 is left out (no model can predict the very first character from nothing), so
        every model in the course is scored on the same characters.
        """
        ids = _check_ids(ids, self.V)
        ctx, length = _contexts(ids, self.n)
        return np.log2(self.prob(ctx[1:], length[1:], ids[1:]))

    def next_probs(self, context) -> np.ndarray:
        """The distribution of the next character after ``context`` (a sequence of ids), (V,)."""
        ids = _check_ids(context, self.V, "context")
        k = min(len(ids), self.n - 1)
        ctx = np.zeros((self.V, self.n - 1), dtype=np.int64)
        if k:
            ctx[:, self.n - 1 - k :] = ids[len(ids) - k :]
        p = self.prob(ctx, np.full(self.V, k), np.arange(self.V))
        return p / p.sum()

    def sample(self, context, n_chars: int, rng: np.random.Generator) -> list[int]:
        """Draw ``n_chars`` ids one at a time after ``context``; returns only the new ids."""
        ids = list(_check_ids(context, self.V, "context"))
        out = []
        for _ in range(n_chars):
            nxt = int(rng.choice(self.V, p=self.next_probs(ids[-(self.n - 1) :] if self.n > 1 else [])))
            ids.append(nxt)
            out.append(nxt)
        return out


class AddKModel(_CountModel):
    """n-gram counts with add-k smoothing: P(c | h) = (count(h c) + k) / (count(h) + k V).

    Inputs: train_ids (N,) ints in 0..V-1, V, n >= 1 (1 unigram, 2 bigram), k > 0.
    Near the start of a text, where fewer than n - 1 characters precede, the shorter n-gram is used.
    """

    def __init__(self, train_ids, V: int, n: int, k: float = 1.0):
        if n < 1 or V**n >= 2**62:
            raise ValueError(f"n must be >= 1 with V^n < 2^62, got n = {n} for V = {V}")
        if not k > 0:
            raise ValueError(f"k must be > 0, got {k}")
        ids = _check_ids(train_ids, V, "train_ids")
        self.n, self.V, self.k = n, V, float(k)
        self.tables = []  # per order m = 1..n: (sorted codes, counts) of m-grams and of their contexts
        for m in range(1, n + 1):
            keys, counts = np.unique(ngram_codes(ids, m, V), return_counts=True)
            ctx_keys = np.unique(keys // V)
            ctx_counts = np.bincount(np.searchsorted(ctx_keys, keys // V), weights=counts).astype(np.int64)
            self.tables.append((keys, counts, ctx_keys, ctx_counts))

    def prob(self, ctx: np.ndarray, length: np.ndarray, nxt: np.ndarray) -> np.ndarray:
        p = np.empty(len(nxt))
        for m in range(1, self.n + 1):
            keys, counts, ctx_keys, ctx_counts = self.tables[m - 1]
            rows = length == m - 1 if m < self.n else length >= m - 1
            h = np.zeros(rows.sum(), dtype=np.int64)
            for j in range(self.n - m, self.n - 1):
                h = h * self.V + ctx[rows, j]
            c_hc = _lookup(keys, counts, h * self.V + nxt[rows])
            c_h = _lookup(ctx_keys, ctx_counts, h) if m > 1 else np.full(rows.sum(), counts.sum())
            p[rows] = (c_hc + self.k) / (c_h + self.k * self.V)
        return p


class KneserNey(_CountModel):
    """Interpolated Kneser-Ney character model of order n (see the module docstring).

    Inputs: train_ids (N,) ints in 0..V-1, V, n >= 1. The discount of each order is the usual
    estimate D = n1 / (n1 + 2 n2) from that order's count-of-counts (n1 strings seen once, n2 twice).
    """

    def __init__(self, train_ids, V: int, n: int):
        if n < 1 or V**n >= 2**62:
            raise ValueError(f"n must be >= 1 with V^n < 2^62, got n = {n} for V = {V}")
        ids = _check_ids(train_ids, V, "train_ids")
        self.n, self.V = n, V
        raw = [self._table(np.unique(ngram_codes(ids, m, V), return_counts=True), V) for m in range(1, n + 1)]
        # continuation counts: in how many distinct one-longer strings does each m-gram end?
        cont = [self._table(np.unique(raw[m][0] % V**m, return_counts=True), V) for m in range(1, n)]
        self._raw, self._cont = raw, cont
        self.tables = cont[: n - 1] + [raw[n - 1]]  # raw counts only at the top order

    @staticmethod
    def _table(keys_counts: tuple[np.ndarray, np.ndarray], V: int) -> tuple:
        keys, counts = keys_counts
        n1, n2 = np.sum(counts == 1), np.sum(counts == 2)
        D = n1 / (n1 + 2 * n2) if n1 + n2 > 0 else 0.5
        ctx_keys = np.unique(keys // V)
        where = np.searchsorted(ctx_keys, keys // V)
        ctx_total = np.bincount(where, weights=counts).astype(np.int64)  # c_k(h .)
        ctx_types = np.bincount(where).astype(np.int64)  # N1+(h .)
        return keys, counts, ctx_keys, ctx_total, ctx_types, D

    def order(self, n: int) -> KneserNey:
        """The Kneser-Ney model of a lower order n, sharing this model's count tables."""
        if not 1 <= n <= self.n:
            raise ValueError(f"n must be in 1..{self.n}, got {n}")
        lower = object.__new__(KneserNey)
        lower.n, lower.V = n, self.V
        lower._raw, lower._cont = self._raw[:n], self._cont[: n - 1]
        lower.tables = lower._cont + [lower._raw[n - 1]]
        return lower

    @property
    def discounts(self) -> list[float]:
        """The discount D_k of each order k = 1..n."""
        return [float(t[-1]) for t in self.tables]

    def prob(self, ctx: np.ndarray, length: np.ndarray, nxt: np.ndarray) -> np.ndarray:
        p = np.full(len(nxt), 1.0 / self.V)  # P_0: uniform
        for m in range(1, self.n + 1):
            keys, counts, ctx_keys, ctx_total, ctx_types, D = self.tables[m - 1]
            rows = np.flatnonzero(length >= m - 1)
            h = np.zeros(len(rows), dtype=np.int64)
            for j in range(self.n - m, self.n - 1):
                h = h * self.V + ctx[rows, j]
            total = _lookup(ctx_keys, ctx_total, h)
            seen = total > 0  # an unseen context keeps the shorter order's estimate
            r, h, total = rows[seen], h[seen], total[seen]
            c_hc = _lookup(keys, counts, h * self.V + nxt[r])
            types = _lookup(ctx_keys, ctx_types, h)
            p[r] = np.maximum(c_hc - D, 0) / total + D * types / total * p[r]
        return p
