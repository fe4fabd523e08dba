"""Piano rolls, baselines, the note model and the synthesiser of notebook 11."""

from __future__ import annotations

import io
import wave

import numpy as np
import pytest
import torch

from rnn_helpers import music as mu


def _rolls(n=6, steps=20, seed=0):
    rng = np.random.default_rng(seed)
    return [(rng.random((steps + i, mu.P)) < 0.08).astype(np.uint8) for i in range(n)]


def test_bernoulli_nll_matches_the_formula_and_p_half_costs_p_ln2():
    roll = _rolls(1)[0]
    assert mu.bernoulli_nll(np.full(roll.shape, 0.5), roll) == pytest.approx(mu.P * np.log(2))
    p = np.full(roll.shape, 0.1)
    expected = -(roll * np.log(0.1) + (1 - roll) * np.log(0.9)).sum(1).mean()
    assert mu.bernoulli_nll(p, roll) == pytest.approx(expected)
    with pytest.raises(ValueError, match="probs must have the shape of rolls"):
        mu.bernoulli_nll(p[:, :3], roll)


def test_repeat_baseline_beats_frequencies_on_held_notes():
    # notes held for 4 beats: the previous chord predicts the next one well
    rng = np.random.default_rng(1)
    rolls = [np.repeat((rng.random((8, mu.P)) < 0.08).astype(np.uint8), 4, axis=0) for _ in range(10)]
    assert mu.repeat_baseline(rolls[:7], rolls[7:]) < mu.frequency_baseline(rolls[:7], rolls[7:]) - 1


def test_split_is_60_20_20_and_disjoint():
    parts = mu.split_chorales(_rolls(10))
    assert [len(parts[k]) for k in ("train", "valid", "test")] == [6, 2, 2]


def test_pad_rolls_shifts_inputs_by_one_step_and_masks_padding():
    rolls = _rolls(2, steps=5)
    x, y, mask = mu.pad_rolls(rolls)
    assert x.shape == y.shape == (2, 6, mu.P) and mask.shape == (2, 6)
    assert torch.equal(x[0, 1:5], y[0, :4]) and x[0, 0].sum() == 0
    assert mask[0].tolist() == [1, 1, 1, 1, 1, 0] and mask[1].sum() == 6


def test_windows_cover_every_step():
    rolls = _rolls(3, steps=70)
    assert sum(len(w) for w in mu.windows(rolls, 32)) == sum(len(r) for r in rolls)


@pytest.mark.parametrize("kind", ["rnn", "gru", "lstm"])
def test_note_model_shapes_and_nll_is_differentiable(kind):
    model = mu.NoteRNN(kind, 8)
    batch = mu.pad_rolls(_rolls(3))
    loss = mu.model_nll(model, batch)
    loss.backward()
    assert loss.item() > 0 and all(p.grad is not None for p in model.parameters())


def test_note_model_bad_input():
    with pytest.raises(ValueError, match="kind must be one of"):
        mu.NoteRNN("transformer")
    with pytest.raises(ValueError, match=r"x must have shape \(N, T, 48\)"):
        mu.NoteRNN("gru", 4)(torch.zeros(2, 3, 5))


def test_sampling_is_seeded_and_returns_chords():
    torch.manual_seed(0)
    model = mu.NoteRNN("gru", 8)
    primer = _rolls(1, steps=4)[0]
    a = mu.sample_continuation(model, primer, 6, np.random.default_rng(0))
    b = mu.sample_continuation(model, primer, 6, np.random.default_rng(0))
    assert a.shape == (6, mu.P) and set(np.unique(a)) <= {0, 1} and np.array_equal(a, b)


def test_synthesise_and_wav():
    roll = np.zeros((3, mu.P), np.uint8)
    roll[0, 69 - mu.LOW] = 1  # A4 = 440 Hz on the first beat, silence after
    signal = mu.synthesise(roll, seconds_per_step=0.5, rate=8000)
    assert signal.shape == (12000,) and np.abs(signal[4000:]).max() == 0
    spectrum = np.abs(np.fft.rfft(signal[:4000]))
    assert np.fft.rfftfreq(4000, 1 / 8000)[spectrum.argmax()] == pytest.approx(440, abs=2)
    with wave.open(io.BytesIO(mu.wav_bytes(signal)), "rb") as w:
        assert (w.getframerate(), w.getnframes(), w.getsampwidth()) == (8000, 12000, 2)
    with pytest.raises(ValueError, match=r"roll must have shape \(T, 48\)"):
        mu.synthesise(np.zeros((3, 5)))
