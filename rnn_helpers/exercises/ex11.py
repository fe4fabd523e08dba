"""Exercise checks for notebook 11: music and captions.

Each ``check_*`` prints what it found and returns True when the answer is right: "Not yet" for a
stub that raises NotImplementedError, "Not quite" with the mistake it recognises, "Correct" (with
no answer values) when it matches the reference.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = ["check_note_nll", "check_beam_step"]


def _nll_variants(probs: np.ndarray, roll: np.ndarray) -> dict[str, float]:
    p = np.clip(probs, 1e-6, 1 - 1e-6)
    per_pitch = -(roll * np.log(p) + (1 - roll) * np.log(1 - p))  # (T, P)
    return {
        "ok": float(per_pitch.sum(1).mean()),
        "the pitches are averaged, not summed: the P notes of a step are P independent predictions, "
        "so their log-probabilities add up": float(per_pitch.mean()),
        "only the sounding notes are scored: a silent pitch predicted as likely to sound must cost "
        "-log(1 - p) too": float(-(roll * np.log(p)).sum(1).mean()),
        "the steps are summed, not averaged: report the NLL per time step": float(per_pitch.sum()),
        "log base 2 was used: the course reports nats (natural log)": float(per_pitch.sum(1).mean() / np.log(2)),
    }


def check_note_nll(note_nll: Callable) -> bool:
    """Check ``note_nll(probs, roll) -> float``: the Bernoulli NLL per time step in nats.

    probs: (T, P) predicted probabilities that each pitch sounds; roll: (T, P) 0/1 notes."""
    rng = np.random.default_rng(11)
    probs = rng.uniform(0.02, 0.98, size=(6, 5))
    roll = (rng.random((6, 5)) < 0.4).astype(float)
    try:
        got = float(note_nll(probs, roll))
    except NotImplementedError:
        print("Not yet: note_nll still raises NotImplementedError. Fill in its body.")
        return False
    except Exception as exc:  # a learner's bug of any kind: report it, don't crash the notebook
        print(f"Not quite: note_nll raised {type(exc).__name__}: {exc}")
        return False
    variants = _nll_variants(probs, roll)
    if np.isclose(got, variants.pop("ok"), rtol=1e-6):
        print("Correct: the per-step Bernoulli NLL matches the reference on a random (6, 5) roll.")
        return True
    for mistake, value in variants.items():
        if np.isclose(got, value, rtol=1e-6):
            print(f"Not quite: looks like {mistake}.")
            return False
    print("Not quite: the value matches neither the reference nor a mistake this check knows. "
          "Sum -[x log p + (1 - x) log(1 - p)] over pitches, then average over steps.")  # fmt: skip
    return False


def _log_softmax(a: np.ndarray) -> np.ndarray:
    a = a - a.max(-1, keepdims=True)
    return a - np.log(np.exp(a).sum(-1, keepdims=True))


def _beam_variants(scores: np.ndarray, logits: np.ndarray, beam: int) -> dict[str, list[tuple[int, int]]]:
    def top(total: np.ndarray) -> list[tuple[int, int]]:
        flat = np.argsort(-total, axis=None, kind="stable")[:beam]
        return [tuple(int(v) for v in np.unravel_index(i, total.shape)) for i in flat]

    logp = _log_softmax(logits)  # (B, V)
    return {
        "ok": top(scores[:, None] + logp),
        "each beam's own top word was kept, not the best `beam` candidates over all beams": [
            (b, int(np.argmax(scores[b] + logp[b]))) for b in np.argsort(-scores, kind="stable")[:beam]
        ],
        "raw logits were added to the scores: turn them into log-probabilities (log-softmax) first": top(
            scores[:, None] + logits
        ),
        "probabilities were added to log-probability scores: use log-softmax": top(scores[:, None] + np.exp(logp)),
        "the beams' running scores were ignored: a candidate's score is its beam's score plus the word's "
        "log-probability": top(np.broadcast_to(logp, logp.shape).copy()),
    }


def check_beam_step(beam_step: Callable) -> bool:
    """Check ``beam_step(scores, logits, beam) -> list of (beam index, word id)``, best first.

    scores: (B,) log-probabilities of the B partial captions so far; logits: (B, V) the decoder's
    scores for the next word after each of them; keep the ``beam`` best extensions overall."""
    rng = np.random.default_rng(5)  # a case where every mistake below gives a different answer
    scores = np.array([-0.2, -1.5, -0.9])
    logits = rng.normal(size=(3, 7)) * 2
    try:
        got = [tuple(int(v) for v in pair) for pair in beam_step(scores, logits, 3)]
    except NotImplementedError:
        print("Not yet: beam_step still raises NotImplementedError. Fill in its body.")
        return False
    except Exception as exc:
        print(f"Not quite: beam_step raised {type(exc).__name__}: {exc}")
        return False
    variants = _beam_variants(scores, logits, 3)
    if got == variants.pop("ok"):
        print("Correct: the three extensions kept, in order, match the reference beam search.")
        return True
    for mistake, value in variants.items():
        if got == value:
            print(f"Not quite: looks like {mistake}.")
            return False
    print("Not quite: return the `beam` pairs (b, w) with the largest scores[b] + log_softmax(logits[b])[w], "
          "best first.")  # fmt: skip
    return False
