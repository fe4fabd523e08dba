"""Seeded synthetic sequence tasks, where control over the data is the point (called synthetic
in the notebooks).

Every task is a plain function ``task(n, ..., rng) -> (x, y)`` returning numpy arrays (float32
inputs, int64 class targets or float32 regression targets), so a notebook can look at them and a
torch model can train on them after ``torch.from_numpy``. ``rng`` is a ``numpy.random.Generator``
or an int seed; nothing random happens at import, and the same seed gives the same batch.

Dimension letters: N batch, T time, D input features (= V for one-hot tokens), V vocabulary.

* :func:`allergy_task`: "Alice is allergic to nuts. ... She can't eat peanut butter." A cue at
  t = 0 decides the answer asked for at t = T - 1, with ``lag`` - 1 distractor words between.
* :func:`adding_problem`: Hochreiter & Schmidhuber (1997, exp. 4), Le, Jaitly & Hinton (2015).
  Two of T random numbers are marked; the target is their sum. Predicting the constant 1 gives
  MSE = Var(u1 + u2) = 2/12 = 1/6.
* :func:`order_task`: every ordering of n tokens; does token ``first`` come before ``second``?
* :func:`echo_task`: the target at step t is the input at step t - lag.
* :func:`shift_task`: y_t = x_{t+k}, an answer that depends on a *later* input.
* :func:`fill_blank_task`: a masked word in a short idiom, decided by the word after it.
"""

from __future__ import annotations

from itertools import permutations

import numpy as np

__all__ = [
    "ALLERGY_VOCAB",
    "ALLERGY_CLASSES",
    "allergy_task",
    "adding_problem",
    "ADDING_BASELINE_MSE",
    "order_task",
    "echo_task",
    "shift_task",
    "shift_ceiling",
    "IDIOMS",
    "FILL_VOCAB",
    "IGNORE",
    "fill_blank_task",
    "decode_tokens",
]

# Token ids of the long-lag task. The two cues come first, then the query, then the distractors.
ALLERGY_VOCAB: list[str] = [
    "allergic",  # cue of class 1: "Alice is allergic to nuts."
    "fine",  # cue of class 0: "Alice has no allergy."
    "peanut?",  # the query at the last step: "can she eat peanut butter?"
    "she",
    "went",
    "to",
    "the",
    "park",
    "and",
    "met",
    "bob",
]
# Class 0: she can eat it; class 1: she can't.
ALLERGY_CLASSES: list[str] = ["can eat", "can't eat"]

# Mean squared error of the best constant prediction on the adding problem: Var(u1 + u2) = 1/6.
ADDING_BASELINE_MSE: float = 1.0 / 6.0


def _as_rng(rng: np.random.Generator | int) -> np.random.Generator:
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, bool):
        return np.random.default_rng(int(rng))
    raise ValueError(f"rng must be a numpy Generator or an int seed, got {type(rng).__name__}")


def _check_int(name: str, value, minimum: int) -> int:
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < minimum:
        raise ValueError(f"{name} must be an int >= {minimum}, got {value!r}")
    return int(value)


def _one_hot(ids: np.ndarray, V: int) -> np.ndarray:
    return np.eye(V, dtype=np.float32)[ids]  # (..., V)


def allergy_task(n: int, lag: int, rng: np.random.Generator | int) -> tuple[np.ndarray, np.ndarray]:
    """The long-lag cue task: the first token decides the answer asked for ``lag`` steps later.

    Sequence (T = lag + 1 tokens)::

        t = 0        cue: "allergic" (class 1, can't eat) or "fine" (class 0, can eat)
        t = 1..T-2   distractor words drawn uniformly from ALLERGY_VOCAB[3:]
        t = T-1      query: "peanut?"

    The distractors carry no information, so a model that forgets the cue is at chance (1/2).

    Inputs:
        n: number of sequences N.
        lag: steps from the cue to the query (>= 1), so T = lag + 1.
        rng: numpy Generator or int seed.
    Returns:
        x: (N, T, V) float32 one-hot tokens, V = len(ALLERGY_VOCAB) = 11.
        y: (N,) int64 class labels, 1 = "can't eat" (cue "allergic"), 0 = "can eat".
    """
    n = _check_int("n", n, 1)
    lag = _check_int("lag", lag, 1)
    rng = _as_rng(rng)
    V, T = len(ALLERGY_VOCAB), lag + 1
    y = rng.integers(0, 2, size=n)  # (N,)
    ids = rng.integers(3, V, size=(n, T))  # (N, T) distractors everywhere first
    ids[:, 0] = np.where(y == 1, 0, 1)  # cue: id 0 "allergic" for class 1, id 1 "fine"
    ids[:, -1] = 2  # query "peanut?"
    return _one_hot(ids, V), y.astype(np.int64)


def adding_problem(n: int, T: int, rng: np.random.Generator | int) -> tuple[np.ndarray, np.ndarray]:
    """The adding problem: sum the two marked numbers among T.

    Feature 0 of each step is u_t ~ U(0, 1); feature 1 is the marker m_t in {0, 1}, with exactly
    one marker in the first half (t < T // 2) and one in the second half. Target
    y = sum_t m_t u_t. The best constant prediction (1) has MSE = Var(u1 + u2) = 1/6.

    Inputs:
        n: number of sequences N.
        T: sequence length (>= 2).
        rng: numpy Generator or int seed.
    Returns:
        x: (N, T, 2) float32, x[..., 0] the numbers, x[..., 1] the markers.
        y: (N, 1) float32 target sums (shape of a many-to-one regression output).
    """
    n = _check_int("n", n, 1)
    T = _check_int("T", T, 2)
    rng = _as_rng(rng)
    u = rng.random((n, T))  # (N, T)
    half = T // 2
    first = rng.integers(0, half, size=n)  # (N,)
    second = rng.integers(half, T, size=n)  # (N,)
    m = np.zeros((n, T))
    m[np.arange(n), first] = 1.0
    m[np.arange(n), second] = 1.0
    x = np.stack([u, m], axis=-1).astype(np.float32)  # (N, T, 2)
    y = (u * m).sum(axis=1, keepdims=True).astype(np.float32)  # (N, 1)
    return x, y


def decode_tokens(x: np.ndarray, vocab: list[str]) -> list[str]:
    """Words of one one-hot sequence.

    Inputs:
        x: (T, V) one-hot tokens (one sequence of a task's batch).
        vocab: the V words, e.g. ALLERGY_VOCAB.
    Returns:
        list of T words.
    """
    x = np.asarray(x)
    if x.ndim != 2 or x.shape[1] != len(vocab):
        raise ValueError(f"x must have shape (T, V) with V = len(vocab) = {len(vocab)}, got {x.shape}")
    return [vocab[i] for i in x.argmax(axis=1)]


def order_task(n: int = 5, first: int = 0, second: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """All n! orderings of tokens 0..n-1, labelled 1 where ``first`` precedes ``second``.

    Returns:
        X: int64 array (n!, n), one ordering per row (T = n steps).
        y: int64 array (n!,), 1 if ``first`` comes before ``second``.
    """
    if not 2 <= n <= 8:
        raise ValueError(f"n must be between 2 and 8, got {n}")
    if first == second or not (0 <= first < n and 0 <= second < n):
        raise ValueError(f"first and second must be two different tokens in 0..{n - 1}, got {first}, {second}")
    X = np.array(list(permutations(range(n))), dtype=np.int64)  # (n!, T)
    y = (np.argmax(X == first, axis=1) < np.argmax(X == second, axis=1)).astype(np.int64)
    return X, y


def echo_task(n: int, T: int, lag: int, rng=0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Delayed echo: random bits x_t in {-1, +1}; the target at step t is x_{t - lag}.

    Returns: x (n, T, 1), y (n, T, 1) and mask (n, T), 0 for the first ``lag`` steps (nothing
        to echo yet). Predicting 0 everywhere gives the loss 1/2.
    """
    if not 1 <= lag < T:
        raise ValueError(f"lag must be in 1..T-1 = 1..{T - 1}, got {lag}")
    rng = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(int(rng))
    x = rng.choice([-1.0, 1.0], size=(n, T, 1))
    y = np.zeros_like(x)
    y[:, lag:] = x[:, :-lag]
    mask = np.ones((n, T))
    mask[:, :lag] = 0.0
    return x, y, mask


IGNORE = -100  # target id that nn.CrossEntropyLoss leaves out (its default ignore_index)


def shift_task(n: int, T: int, k: int, rng, n_symbols: int = 10) -> tuple[np.ndarray, np.ndarray]:
    """y_t = x_{t+k}: at every step, name the symbol that arrives k steps later.

    The last k steps have nothing k steps ahead; their target is the extra class
    ``n_symbols`` ("end"), which a model can learn from the position alone.

    Inputs: n: N; T: length; k: look-ahead, 1 <= k < T; rng: numpy Generator or seed;
        n_symbols: alphabet size V.
    Returns: x (N, T, V) float32 one-hot; y (N, T) int64 in 0..V (V = "end").
    """
    n, T, k, n_symbols = (_check_int(a, v, lo) for a, v, lo in (("n", n, 1), ("T", T, 2), ("k", k, 1),
                                                                 ("n_symbols", n_symbols, 2)))  # fmt: skip
    if k >= T:
        raise ValueError(f"k must be < T = {T}, got {k}")
    rng = np.random.default_rng(rng)
    ids = rng.integers(0, n_symbols, size=(n, T))  # (N, T)
    y = np.full((n, T), n_symbols, dtype=np.int64)
    y[:, : T - k] = ids[:, k:]
    return np.eye(n_symbols, dtype=np.float32)[ids], y  # (N, T, V), (N, T)


def shift_ceiling(T: int, k: int, n_symbols: int = 10) -> float:
    """Best expected accuracy of a model that sees only x_1..x_t: chance 1/V on the T - k steps
    whose answer lies ahead, certainty on the k "end" steps: ((T - k) / V + k) / T."""
    return ((T - k) / n_symbols + k) / T


IDIOMS = (
    ("feeling", "under", "the", "weather"),
    ("feeling", "over", "the", "moon"),
    ("going", "under", "the", "radar"),
    ("going", "over", "the", "top"),
    ("kept", "in", "the", "dark"),
    ("kept", "out", "the", "cold"),
)


_FILLERS = ("we", "were", "all", "so", "today", "and", "then", "you", "it", "is")


FILL_VOCAB = ("<blank>",) + _FILLERS + tuple(sorted({w for idiom in IDIOMS for w in idiom}))


def fill_blank_task(n: int, T: int, rng) -> tuple[np.ndarray, np.ndarray, list[list[str]]]:
    """Sentences of T words with one idiom at a random place; its second word is blanked out.

    Inputs: n: N; T: length (>= 4); rng: numpy Generator or seed.
    Returns:
        x: (N, T, V) float32 one-hot over ``FILL_VOCAB`` (the blank is ``<blank>``);
        y: (N, T) int64: the hidden word's id at the blank, ``IGNORE`` (-100) elsewhere;
        words: the N sentences as word lists, blank shown as "___".
    """
    n, T = _check_int("n", n, 1), _check_int("T", T, 4)
    rng = np.random.default_rng(rng)
    index = {w: i for i, w in enumerate(FILL_VOCAB)}
    ids = rng.integers(1, 1 + len(_FILLERS), size=(n, T))  # (N, T) filler words
    which = rng.integers(0, len(IDIOMS), size=n)
    start = rng.integers(0, T - 3, size=n)
    y = np.full((n, T), IGNORE, dtype=np.int64)
    for k in range(n):
        ids[k, start[k] : start[k] + 4] = [index[w] for w in IDIOMS[which[k]]]
        y[k, start[k] + 1] = ids[k, start[k] + 1]
        ids[k, start[k] + 1] = 0  # <blank>
    words = [[FILL_VOCAB[i] if i else "___" for i in row] for row in ids]
    return np.eye(len(FILL_VOCAB), dtype=np.float32)[ids], y, words
