"""Bach chorales as piano rolls, next-step baselines, a note-sequence RNN, and a tiny synthesiser.

The chorales come from the corpus bundled with the ``music21`` package (Bach's music is public
domain; the machine-readable encodings are distributed with music21 by permission), read at run
time. Nothing derived from them is committed: the piano rolls are built once into a git-ignored
cache (``build/cache/``; ``python3 course.py setup`` builds it, or ``python -m rnn_helpers.music``).

A piano roll x is a (T, P) 0/1 array: x[t, k] = 1 when pitch LOW + k sounds at quarter-note beat t
(the resolution of the JSB Chorales benchmark). Next-step prediction models
p(x_t | x_{<t}) as P independent Bernoulli variables whose probabilities come from the history;
the score is the negative log-likelihood per time step, in nats:

    NLL = - (1 / #steps) * sum_t sum_k [ x_{t,k} log p_{t,k} + (1 - x_{t,k}) log(1 - p_{t,k}) ]
"""

from __future__ import annotations

import io
import wave
from pathlib import Path

import numpy as np
import torch
from torch import nn

__all__ = [
    "LOW",
    "HIGH",
    "CACHE",
    "load_chorales",
    "split_chorales",
    "frequency_baseline",
    "repeat_baseline",
    "bernoulli_nll",
    "NoteRNN",
    "pad_rolls",
    "model_nll",
    "windows",
    "sample_continuation",
    "synthesise",
    "wav_bytes",
]

LOW, HIGH = 36, 84  # MIDI C2 .. B5: the range of the four voices
P = HIGH - LOW
CACHE = Path(__file__).resolve().parents[1] / "build" / "cache" / "chorales.npz"


def _roll_of(path) -> np.ndarray | None:
    from music21 import corpus

    score = corpus.parse(path)
    steps = int(np.ceil(float(score.duration.quarterLength)))
    if steps < 8:
        return None
    roll = np.zeros((steps, P), np.uint8)
    for item in score.flatten().notes:
        start, end = float(item.offset), float(item.offset + item.duration.quarterLength)
        beats = np.arange(int(np.ceil(start)), int(np.ceil(end)))  # beats at which it sounds
        for pitch in item.pitches:
            if LOW <= pitch.midi < HIGH:
                roll[beats[beats < steps], pitch.midi - LOW] = 1
    return roll


def build_cache(path: Path = CACHE, processes: int = 2) -> Path:
    """Parse every chorale of music21's corpus into piano rolls and save them to ``path``."""
    from multiprocessing import Pool

    from music21 import corpus

    names = sorted(str(n) for n in corpus.chorales.Iterator(returnType="filename"))
    with Pool(processes) as pool:
        rolls = pool.map(_roll_of, names)
    kept = [(n, r) for n, r in zip(names, rolls) if r is not None]
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.npz")
    np.savez_compressed(tmp, names=np.array([n for n, _ in kept]), lengths=np.array([len(r) for _, r in kept]),
                        rolls=np.concatenate([r for _, r in kept]))  # fmt: skip
    tmp.replace(path)  # atomic: a notebook running meanwhile sees the old file or the whole new one
    return path


def load_chorales(path: Path = CACHE) -> tuple[list[str], list[np.ndarray]]:
    """(names, piano rolls) of the chorales; builds the cache on first use (a few minutes)."""
    if not path.exists():
        build_cache(path)
    data = np.load(path)
    rolls = np.split(data["rolls"], np.cumsum(data["lengths"])[:-1])
    return [str(n) for n in data["names"]], rolls


def split_chorales(rolls: list[np.ndarray]) -> dict[str, list[np.ndarray]]:
    """Fixed split by position in the sorted corpus: 60% train, 20% validation, 20% test."""
    parts = {"train": [], "valid": [], "test": []}
    for i, roll in enumerate(rolls):
        parts["test" if i % 5 == 0 else "valid" if i % 5 == 1 else "train"].append(roll)
    return parts


def bernoulli_nll(probs: np.ndarray, rolls: np.ndarray) -> float:
    """Mean over time steps of the summed Bernoulli NLL (nats). probs, rolls: (steps, P)."""
    if probs.shape != rolls.shape:
        raise ValueError(f"probs must have the shape of rolls {rolls.shape}, got {probs.shape}")
    p = np.clip(probs, 1e-6, 1 - 1e-6)
    return float(-(rolls * np.log(p) + (1 - rolls) * np.log(1 - p)).sum(1).mean())


def frequency_baseline(train: list[np.ndarray], test: list[np.ndarray]) -> float:
    """Each pitch on with its training frequency, whatever came before."""
    freq = np.concatenate(train).mean(0).clip(1e-4, 1 - 1e-4)  # (P,)
    steps = np.concatenate(test)
    return bernoulli_nll(np.broadcast_to(freq, steps.shape), steps)


def repeat_baseline(train: list[np.ndarray], test: list[np.ndarray]) -> float:
    """Repeat the previous chord, softly: pitch k is on with P(on | on before) if it sounded at the
    previous step and with P(on | off before) otherwise, both counted per pitch on the training set."""
    prev = np.concatenate([np.vstack([np.zeros((1, P), np.uint8), r[:-1]]) for r in train])
    now = np.concatenate(train)
    stay = (now * prev).sum(0) / np.maximum(prev.sum(0), 1)  # (P,)
    start = (now * (1 - prev)).sum(0) / np.maximum((1 - prev).sum(0), 1)
    probs = [np.where(np.vstack([np.zeros((1, P)), r[:-1]]) == 1, stay, start) for r in test]
    return bernoulli_nll(np.concatenate(probs), np.concatenate(test))


class NoteRNN(nn.Module):
    """Next-step model over piano rolls: x_{t-1} in, logits of x_t out (P independent Bernoullis).

    ``kind`` is "rnn" (tanh), "gru" or "lstm"; inputs (N, T, P) -> logits (N, T, P).
    """

    def __init__(self, kind: str = "gru", hidden: int = 64):
        super().__init__()
        cells = {"rnn": nn.RNN, "gru": nn.GRU, "lstm": nn.LSTM}
        if kind not in cells:
            raise ValueError(f"kind must be one of {sorted(cells)}, got {kind!r}")
        self.kind = kind
        self.rnn = cells[kind](P, hidden, batch_first=True)
        self.out = nn.Linear(hidden, P)

    def forward(self, x: torch.Tensor, state=None):
        if x.dim() != 3 or x.shape[-1] != P:
            raise ValueError(f"x must have shape (N, T, {P}), got {tuple(x.shape)}")
        h, state = self.rnn(x, state)
        return self.out(h), state


def pad_rolls(rolls: list[np.ndarray]) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Inputs (x shifted right by one step), targets and a mask, padded: (N, T, P), (N, T, P), (N, T)."""
    steps = max(len(r) for r in rolls)
    x = torch.zeros(len(rolls), steps, P)
    y = torch.zeros(len(rolls), steps, P)
    mask = torch.zeros(len(rolls), steps)
    for i, r in enumerate(rolls):
        y[i, : len(r)] = torch.from_numpy(r.astype(np.float32))
        x[i, 1 : len(r)] = y[i, : len(r) - 1]
        mask[i, : len(r)] = 1
    return x, y, mask


def windows(rolls: list[np.ndarray], length: int = 32) -> list[np.ndarray]:
    """Cut chorales into consecutive windows of ``length`` steps (the last one shorter) for training."""
    return [r[i : i + length] for r in rolls for i in range(0, len(r), length) if len(r[i : i + length]) > 1]


def model_nll(model: NoteRNN, batch: tuple[torch.Tensor, torch.Tensor, torch.Tensor]) -> torch.Tensor:
    """The NLL per time step (nats) of ``model`` on a padded batch; differentiable."""
    x, y, mask = batch
    logits, _ = model(x)
    per_step = nn.functional.binary_cross_entropy_with_logits(logits, y, reduction="none").sum(-1)  # (N, T)
    return (per_step * mask).sum() / mask.sum()


@torch.no_grad()
def sample_continuation(model: NoteRNN, primer: np.ndarray, steps: int, rng: np.random.Generator,
                        temperature: float = 1.0) -> np.ndarray:  # fmt: skip
    """Play ``primer`` (T0, P) into the model, then draw ``steps`` chords, one Bernoulli per pitch.

    Probabilities are rounded to 3 decimals before the draw, so a different floating-point path
    (another CPU) almost never changes a note."""
    model.eval()
    x = torch.zeros(1, 1, P)
    state = None
    for t in range(len(primer)):
        _, state = model(x, state)
        x = torch.from_numpy(primer[t : t + 1].astype(np.float32))[None]
    out = []
    for _ in range(steps):
        logits, state = model(x, state)
        probs = torch.sigmoid(logits[0, -1] / temperature).numpy().round(3)
        chord = (rng.random(P) < probs).astype(np.uint8)
        out.append(chord)
        x = torch.from_numpy(chord.astype(np.float32))[None, None]
    return np.array(out)


def synthesise(roll: np.ndarray, seconds_per_step: float = 0.45, rate: int = 8000) -> np.ndarray:
    """A piano roll as sound: each sounding pitch a sine with a soft attack and decay, summed."""
    if roll.ndim != 2 or roll.shape[1] != P:
        raise ValueError(f"roll must have shape (T, {P}), got {roll.shape}")
    n = int(seconds_per_step * rate)
    t = np.arange(n) / rate
    envelope = np.minimum(1, t / 0.02) * np.exp(-2.5 * t)
    freqs = 440.0 * 2 ** ((np.arange(LOW, HIGH) - 69) / 12)
    out = []
    for chord in roll:
        notes = freqs[chord.astype(bool)]
        tone = np.sin(2 * np.pi * notes[:, None] * t[None, :]).sum(0) if len(notes) else np.zeros(n)
        out.append(tone * envelope / max(len(notes), 1))
    return np.concatenate(out)


def wav_bytes(signal: np.ndarray, rate: int = 8000) -> bytes:
    """16-bit mono WAV bytes of ``signal`` (peak-normalised): small enough to embed in a notebook."""
    pcm = (signal / max(np.abs(signal).max(), 1e-9) * 0.8 * 32767).astype("<i2")
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())
    return buf.getvalue()


if __name__ == "__main__":
    print(f"piano rolls cached in {build_cache()}")
