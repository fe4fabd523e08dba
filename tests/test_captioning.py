"""Synthetic scenes, the caption model, decoding and the training script of notebook 11."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from rnn_helpers import captioning as cp

ROOT = Path(__file__).resolve().parents[1]


def test_scenes_are_seeded_and_captioned_from_the_grammar():
    a, ca = cp.make_scenes(50, np.random.default_rng(0))
    b, cb = cp.make_scenes(50, np.random.default_rng(0))
    assert a.shape == (50, 3, 24, 24) and np.array_equal(a, b) and ca == cb
    for caption in ca:
        words = caption.split()
        assert words[0] == "a" and words[1] in cp.COLOURS and words[2] in cp.SHAPES
        assert len(words) in (3, 7, 8)
    with pytest.raises(ValueError, match="n must be a positive count"):
        cp.make_scenes(0, np.random.default_rng(0))


def test_encode_decode_round_trip():
    captions = ["a red circle", "a blue square left of a green triangle"]
    ids = cp.encode_captions(captions)
    assert ids.shape == (2, cp.MAX_LEN) and [cp.decode_words(row) for row in ids] == captions


def test_model_shapes_and_bad_input():
    model = cp.CaptionModel(hidden=8)
    images = torch.rand(4, 3, 24, 24)
    words = cp.teacher_forcing_inputs(cp.encode_captions(["a red circle"] * 4))
    assert model(images, words).shape == (4, cp.MAX_LEN, len(cp.CAPTION_VOCAB))
    with pytest.raises(ValueError, match=r"images must have shape \(N, 3, 24, 24\)"):
        model.encode(torch.rand(4, 24, 24))


def test_beam_of_one_equals_greedy():
    torch.manual_seed(0)
    model = cp.CaptionModel(hidden=8)
    images = torch.from_numpy(cp.make_scenes(5, np.random.default_rng(1))[0])
    assert cp.beam_captions(model, images, beam=1) == cp.greedy_captions(model, images)
    with pytest.raises(ValueError, match="beam must be >= 1"):
        cp.beam_captions(model, images, beam=0)


def test_nearest_neighbour_returns_the_closest_training_caption():
    train, captions = cp.make_scenes(20, np.random.default_rng(2))
    assert cp.nearest_neighbour_captions(train, captions, train[[3, 7]]) == [captions[3], captions[7]]


def test_bleu_is_sacrebleus():
    caption = "a red circle left of a blue square"
    assert cp.corpus_bleu([caption], [caption]) == pytest.approx(100)
    with pytest.raises(ValueError, match="predicted has 1 captions, references has 2"):
        cp.corpus_bleu(["a"], ["a", "b"])


def test_training_script_runs_on_a_tiny_setting(tmp_path):
    out = tmp_path / "captioner.pt"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "train_captioner.py"), "--tiny", "--out", str(out)],
                   check=True, capture_output=True, timeout=600)  # fmt: skip
    saved = torch.load(out, weights_only=False)
    assert {"state_dict", "meta"} <= set(saved) and 0 <= saved["meta"]["exact_match"] <= 1


def test_shipped_weights_match_their_provenance():
    saved = torch.load(ROOT / "data" / "weights" / "captioner.pt", weights_only=False)
    model = cp.CaptionModel(hidden=saved["meta"]["hidden"])
    model.load_state_dict(saved["state_dict"])
    assert saved["meta"]["exact_match"] > 0.8
    readme = (ROOT / "data" / "README.md").read_text()
    assert "captioner.pt" in readme and f"{saved['meta']['exact_match']:.3f}" in readme
