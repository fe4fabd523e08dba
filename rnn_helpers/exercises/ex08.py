"""Exercise checks for notebook 08: language applications on real text.

Each ``check_*`` calls the learner's function on small cases, prints "Correct: ...",
"Not yet: ..." (the stub still raises NotImplementedError) or "Not quite: ..." naming the mistake
it recognises, and returns True only when the function is right. It never raises and never
prints the expected values.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch

__all__ = ["check_precision_recall_f1", "check_masked_token_metrics", "masked_token_metrics", "precision_recall_f1"]


def precision_recall_f1(pred, gold, positive: int = 1) -> tuple[float, float, float]:
    """Reference: precision TP/(TP+FP), recall TP/(TP+FN), F1 2PR/(P+R) of class ``positive`` (0/0 -> 0)."""
    pred, gold = np.asarray(pred), np.asarray(gold)
    tp = int(np.sum((pred == positive) & (gold == positive)))
    fp = int(np.sum((pred == positive) & (gold != positive)))
    fn = int(np.sum((pred != positive) & (gold == positive)))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _call(fn: Callable, *args):
    """(result, None) or (None, message) when the learner's function is unfinished or crashes."""
    try:
        return fn(*args), None
    except NotImplementedError:
        return None, "Not yet: the function still raises NotImplementedError; replace it with your code."
    except ZeroDivisionError:
        return None, (
            "Not quite: a division by zero. When nothing is flagged (TP + FP = 0) or nothing is positive "
            "(TP + FN = 0) the ratio has nothing to count: return 0 for it."
        )
    except Exception as exc:  # a learner's bug: report it, do not crash the notebook
        return None, f"Not quite: the function raised {type(exc).__name__}: {exc}"


def _close(got, want, tol=1e-6) -> bool:
    try:
        got = np.asarray([float(v) for v in got])
    except (TypeError, ValueError):
        return False
    return got.shape == np.shape(want) and bool(np.allclose(got, want, atol=tol))


# (pred, gold): 3 spam flagged right, 1 ham flagged as spam, 2 spam missed, 4 ham passed
_PRED = np.array([1, 1, 1, 1, 0, 0, 0, 0, 0, 0])
_GOLD = np.array([1, 1, 1, 0, 1, 1, 0, 0, 0, 0])


def check_precision_recall_f1(fn: Callable) -> bool:
    """Check ``fn(pred, gold, positive=1) -> (precision, recall, f1)`` for the class ``positive``."""
    cases = [(_PRED, _GOLD, 1), (1 - _PRED, 1 - _GOLD, 0), (np.array([2, 0, 1, 2, 2]), np.array([2, 1, 1, 0, 2]), 2)]
    for pred, gold, positive in cases:
        got, msg = _call(fn, pred.copy(), gold.copy(), positive)
        if msg:
            print(msg)
            return False
        want = precision_recall_f1(pred, gold, positive)
        if _close(got, want):
            continue
        p, r, _ = want
        mistakes = {
            "precision and recall are swapped: precision divides by what was flagged (TP + FP), "
            "recall by what is really positive (TP + FN)": (r, p, want[2]),
            "the scores are those of the other class: count `positive` as the positive class, "
            "not whichever label is 1 or 0": precision_recall_f1(pred, gold, 1 - positive if positive in (0, 1) else 0),
            "F1 is the arithmetic mean of precision and recall; it is the harmonic mean 2PR / (P + R)": (
                p,
                r,
                (p + r) / 2,
            ),
            "that precision is the accuracy (all correct predictions / all predictions), which the "
            "large ham class inflates": (float(np.mean(pred == gold)), r, want[2]),
        }
        for why, wrong in mistakes.items():
            if _close(got, wrong):
                print(f"Not quite: looks like {why}.")
                return False
        print(
            f"Not quite: for positive={positive} the three numbers differ from TP/(TP+FP), TP/(TP+FN) "
            "and 2PR/(P+R). Count TP, FP and FN first, then divide."
        )
        return False
    none_flagged, msg = _call(fn, np.zeros(4, dtype=int), np.array([1, 0, 1, 0]), 1)
    if msg:
        print(msg)
        return False
    if not _close(none_flagged, (0.0, 0.0, 0.0)):
        print("Not quite: when nothing is flagged, precision, recall and F1 should all be 0 (nothing found).")
        return False
    print("Correct: precision, recall and F1 of the chosen class, and no division by zero.")
    return True


def masked_token_metrics(scores: torch.Tensor, target: torch.Tensor, lengths: torch.Tensor) -> tuple[float, float]:
    """Reference: mean cross-entropy and accuracy over the real tokens of a padded batch.

    scores (N, T, C), target (N, T), lengths (N,): token t of sentence n is real when t < lengths[n].
    Every real token counts once (long sentences weigh more than short ones).
    """
    real = torch.arange(scores.shape[1])[None, :] < lengths[:, None]  # (N, T)
    loss = torch.nn.functional.cross_entropy(scores[real], target[real])
    acc = (scores.argmax(-1) == target)[real].float().mean()
    return float(loss), float(acc)


def _metrics_with(scores, target, real) -> tuple[float, float]:
    loss = torch.nn.functional.cross_entropy(scores[real], target[real])
    return float(loss), float((scores.argmax(-1) == target)[real].float().mean())


def check_masked_token_metrics(fn: Callable) -> bool:
    """Check ``fn(scores (N, T, C), target (N, T), lengths (N,)) -> (loss, accuracy)``."""
    g = torch.Generator().manual_seed(8)
    N, T, C = 3, 6, 5
    scores = torch.randn(N, T, C, generator=g, dtype=torch.float64) * 2
    lengths = torch.tensor([6, 2, 4])
    target = torch.randint(1, C, (N, T), generator=g)
    target[:, :2] = scores[:, :2].argmax(-1)  # some right answers
    pad = torch.arange(T)[None, :] >= lengths[:, None]  # (N, T)
    target[pad] = 0  # padding id, and the "tag" the padding scores often pick
    scores[pad] = scores[pad] + 10 * torch.nn.functional.one_hot(torch.zeros(int(pad.sum()), dtype=torch.long), C)
    got, msg = _call(fn, scores.clone(), target.clone(), lengths.clone())
    if msg:
        print(msg)
        return False
    want = masked_token_metrics(scores, target, lengths)
    if _close(got, want, tol=1e-5):
        print("Correct: loss and accuracy over the real tokens only, each token counted once.")
        return True
    real = ~pad
    per_sentence = [masked_token_metrics(scores[n : n + 1], target[n : n + 1], lengths[n : n + 1]) for n in range(N)]
    mistakes = {
        "the padding positions are counted (padding predicted as padding is 'right' for free)": _metrics_with(
            scores, target, torch.ones_like(real)
        ),
        "the mask is inverted: it keeps the padding and drops the real tokens": _metrics_with(scores, target, pad),
        "the mask is off by one (t <= length keeps one padding position per sentence)": _metrics_with(
            scores, target, torch.arange(T)[None, :] <= lengths[:, None]
        ),
        "the mask is off by one (t < length - 1 drops each sentence's last token)": _metrics_with(
            scores, target, torch.arange(T)[None, :] < lengths[:, None] - 1
        ),
        "each sentence is averaged first and then the sentences: a short sentence then weighs as "
        "much as a long one; average over all real tokens at once": tuple(np.mean(per_sentence, axis=0)),
    }
    for why, wrong in mistakes.items():
        if _close(got, wrong, tol=1e-5):
            print(f"Not quite: looks like {why}.")
            return False
    print(
        "Not quite: build the mask real[n, t] = t < lengths[n], then take the cross-entropy and the "
        "argmax accuracy over scores[real] and target[real]."
    )
    return False
