"""Seeded synthetic sequence tasks: a long-lag cue task, the adding problem, a copy task.

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
* :func:`copy_task`: memorise a few symbols, wait ``delay`` steps, then reproduce them.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "ALLERGY_VOCAB",
    "ALLERGY_CLASSES",
    "allergy_task",
    "adding_problem",
    "ADDING_BASELINE_MSE",
    "copy_task",
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


def copy_task(
    n: int, length: int, delay: int, n_symbols: int, rng: np.random.Generator | int
) -> tuple[np.ndarray, np.ndarray]:
    """Copy/recall: read ``length`` symbols, wait ``delay`` steps, then write them back in order.

    Token ids: 0 = blank, 1 = "go" marker, 2 .. n_symbols + 1 = the symbols (V = n_symbols + 2).
    T = 2 * length + delay::

        t < length                         input: symbols s_1..s_L       target: blank
        length <= t < length + delay       input: blank ("go" at the last) target: blank
        t >= length + delay                input: blank                   target: s_1..s_L

    Inputs:
        n: number of sequences N.
        length: number of symbols L to remember (>= 1).
        delay: waiting steps (>= 1); the "go" marker sits at t = length + delay - 1.
        n_symbols: alphabet size (>= 2).
        rng: numpy Generator or int seed.
    Returns:
        x: (N, T, V) float32 one-hot inputs.
        y: (N, T) int64 target ids (many-to-many, one class per step).
    """
    n = _check_int("n", n, 1)
    length = _check_int("length", length, 1)
    delay = _check_int("delay", delay, 1)
    n_symbols = _check_int("n_symbols", n_symbols, 2)
    rng = _as_rng(rng)
    V, T = n_symbols + 2, 2 * length + delay
    symbols = rng.integers(2, V, size=(n, length))  # (N, L)
    x_ids = np.zeros((n, T), dtype=np.int64)  # (N, T) blanks
    x_ids[:, :length] = symbols
    x_ids[:, length + delay - 1] = 1  # "go"
    y = np.zeros((n, T), dtype=np.int64)  # (N, T) blanks
    y[:, length + delay :] = symbols
    return _one_hot(x_ids, V), y


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
