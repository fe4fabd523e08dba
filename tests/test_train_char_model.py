"""The training script of notebook 09 runs end to end on a tiny setting and writes loadable weights."""

import sys
from pathlib import Path

import pytest
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import train_char_model  # noqa: E402

from rnn_helpers.datasets import CHECKSUMS  # noqa: E402
from rnn_helpers.models import load_char_model  # noqa: E402

SHAKESPEARE_SHA256 = CHECKSUMS["tinyshakespeare.txt"]


def test_tiny_training_run_writes_loadable_weights(tmp_path, capsys):
    args = "--cells rnn lstm --hidden 8 --embed 4 --steps 5 --batch 2 --seq 16 --heldout-chars 500".split()
    args += ["--out", str(tmp_path)]
    assert train_char_model.main(args) == 0
    assert "held-out" in capsys.readouterr().out
    for cell in ["rnn", "lstm"]:
        model, record = load_char_model(cell, tmp_path)
        assert record["data_sha256"] == SHAKESPEARE_SHA256
        assert record["config"] == {"V": 66, "H": 8, "cell": cell, "D": 4}
        assert record["hyperparameters"]["steps"] == 5 and len(record["losses"]) == 5
        assert 4 < record["heldout_bpc"] < 8  # barely trained: near the uniform 6 bits
        assert model(torch.tensor([[1, 2, 3]]))[0].shape == (1, 3, 66)


def test_shipped_weights_are_small_and_match_the_data():
    for cell in ["rnn", "lstm"]:
        path = ROOT / "data" / "weights" / f"char_{cell}.pt"
        assert path.stat().st_size < 2_000_000
        _, record = load_char_model(cell)
        assert record["data_sha256"] == SHAKESPEARE_SHA256 and record["hyperparameters"]["steps"] == 900


def test_missing_weights_say_how_to_make_them(tmp_path):
    with pytest.raises(FileNotFoundError, match="train_char_model.py"):
        load_char_model("gru", tmp_path)
