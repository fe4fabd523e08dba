"""Exercise checks for notebook 08: RNN applications (language).

Each ``check_*`` returns a short message when the answer is right and raises
``AssertionError`` naming the mistake it recognises when it is wrong.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import torch

__all__ = ["phrase_sentiment", "check_same_bag", "check_temperature", "check_masked_accuracy"]

_POS = {"good", "great", "fun", "funny", "clever", "moving", "beautiful", "gripping", "fresh"}
_NEG = {"bad", "boring", "dull", "awful", "silly", "slow", "bland", "messy", "tedious"}


def phrase_sentiment(phrase: str) -> int:
    """Sentiment (1 positive, 0 negative) of "SUBJECT was [not] [ADV] ADJ [but [not] ADJ]".

    "not" flips the adjective after it; with "but", the last clause decides.
    """
    words = phrase.split()
    if "was" not in words:
        raise ValueError(f"phrase must look like 'the movie was ...', got {phrase!r}")
    clause = words[words.index("was") + 1 :]
    if "but" in clause:
        clause = clause[clause.index("but") + 1 :]
    adjs = [w for w in clause if w in _POS | _NEG]
    if len(adjs) != 1:
        raise ValueError(f"each clause needs one sentiment adjective (e.g. good, boring), got {phrase!r}")
    return int(adjs[0] in _POS) ^ int("not" in clause)


def check_same_bag(phrase_a: str, phrase_b: str) -> str:
    """Two phrases with identical bags of words and opposite sentiment."""
    if "..." in (phrase_a + phrase_b):
        raise AssertionError("Not yet: replace the '...' with two phrases.")
    bag_a, bag_b = Counter(phrase_a.split()), Counter(phrase_b.split())
    if bag_a != bag_b:
        extra = (bag_a - bag_b) + (bag_b - bag_a)
        raise AssertionError(
            f"Not yet: the bags differ in {sorted(extra)}; a bag-of-words model can tell these apart. "
            "Use exactly the same words, in a different order."
        )
    try:
        a, b = phrase_sentiment(phrase_a), phrase_sentiment(phrase_b)
    except ValueError as exc:
        raise AssertionError(f"Not yet: {exc}") from exc
    if a == b:
        raise AssertionError(
            f"Not yet: both phrases are {'positive' if a else 'negative'}; the same bag can still "
            "mean the same thing. Try moving 'not', or swapping the clauses around 'but'."
        )
    return "Correct: same bag, opposite meaning: only the order tells them apart."


def check_temperature(with_temperature: Callable) -> str:
    """Check ``with_temperature(scores, tau)`` -> softmax(scores / tau)."""
    scores = torch.tensor([2.0, 1.0, 0.0, -1.0])
    tau = 0.5
    got = with_temperature(scores.clone(), tau)
    if got is None:
        raise AssertionError("Not yet: the function returns None; return the probabilities.")
    got = torch.as_tensor(got, dtype=torch.float32)
    want = torch.softmax(scores / tau, dim=-1)
    if got.shape != want.shape:
        raise AssertionError(
            f"Not yet: expected one probability per score, shape {tuple(want.shape)}, got {tuple(got.shape)}"
        )
    if torch.allclose(got, want, atol=1e-6):
        return "Correct: dividing the scores by tau sharpens (tau < 1) or flattens (tau > 1) the softmax."
    mistakes = {
        "the scores are multiplied by tau; divide them: softmax(scores / tau)": torch.softmax(scores * tau, -1),
        "the softmax is missing: scores / tau are not probabilities": scores / tau,
        "tau is ignored: that is the plain softmax": torch.softmax(scores, -1),
        "the temperature must scale the scores before the softmax, not the probabilities after it": torch.softmax(
            scores, -1
        )
        / tau,
    }
    for why, wrong in mistakes.items():
        if torch.allclose(got, wrong, atol=1e-6):
            raise AssertionError(f"Not yet: {why}.")
    raise AssertionError("Not yet: expected torch.softmax(scores / tau, dim=-1).")


def check_masked_accuracy(masked_accuracy: Callable) -> str:
    """Check ``masked_accuracy(scores (N, T, C), target (N, T))`` ignoring target == 0 (padding)."""
    target = torch.tensor([[1, 2, 3, 0, 0], [2, 2, 0, 0, 0]])
    pred = torch.tensor([[1, 2, 1, 0, 0], [2, 1, 0, 0, 0]])  # 3 of 5 real tokens right
    scores = torch.nn.functional.one_hot(pred, 4).float() * 3.0  # (N, T, C)
    got = masked_accuracy(scores, target)
    if got is None:
        raise AssertionError("Not yet: the function returns None; return a number.")
    got = float(got)
    if abs(got - 0.6) < 1e-6:
        return "Correct: 3 of the 5 real tokens; padding positions do not count."
    if abs(got - 0.8) < 1e-6:
        raise AssertionError("Not yet: the padding positions were counted (and they are 'right' for free).")
    if abs(got - 3.0) < 1e-6:
        raise AssertionError("Not yet: that is the number of right tokens; divide by the number of real tokens.")
    raise AssertionError("Not yet: take argmax over the last axis (the tags) and average where target > 0.")
