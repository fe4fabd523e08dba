"""Data files: checksums verified, clear errors for missing or altered files, shapes as documented."""

import shutil
from pathlib import Path

import numpy as np
import pytest

from rnn_helpers.datasets import (
    CHECKSUMS,
    DATA_DIR,
    Vocab,
    data_path,
    load_co2_monthly,
    load_pendigits,
    pad_sequences,
)

ROOT = Path(__file__).resolve().parents[1]


def test_every_shipped_file_matches_its_checksum_and_has_a_readme_line():
    readme = (DATA_DIR / "README.md").read_text()
    for name in CHECKSUMS:
        assert data_path(name).is_file()
        assert f"`{name}`" in readme


def test_missing_file_says_how_to_restore_it(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"co2.csv is missing.*git checkout -- data/co2.csv"):
        load_co2_monthly(tmp_path)


def test_altered_file_is_refused(tmp_path):
    shutil.copy(DATA_DIR / "co2.csv", tmp_path / "co2.csv")
    with (tmp_path / "co2.csv").open("a") as f:
        f.write("20020105,372.0\n")
    with pytest.raises(ValueError, match=r"co2.csv was altered: its SHA-256 is [0-9a-f]{64}, expected"):
        load_co2_monthly(tmp_path)
    with pytest.raises(ValueError, match="name must be one of"):
        data_path("nope.csv")


def test_loaders_return_documented_shapes():
    months, ppm = load_co2_monthly()
    assert len(months) == len(ppm) == 444 and months[0] == "1965-01" and months[-1] == "2001-12"
    assert 318 < ppm[0] < 322 and ppm[-12:].mean() > ppm[:12].mean() + 45  # the Keeling curve rises
    P, y = load_pendigits("train")
    Pt, yt = load_pendigits("test")
    assert P.shape == (7494, 8, 2) and Pt.shape == (3498, 8, 2) and P.min() == 0 and P.max() == 1
    assert np.bincount(y).tolist()[:3] == [780, 779, 780] and np.bincount(yt).min() == 335
    with pytest.raises(ValueError, match="split must be"):
        load_pendigits("valid")


def test_vocab_and_padding():
    v = Vocab(["b", "a", "b"])
    assert v.itos == ["<pad>", "a", "b"] and v.encode(["b", "a"]) == [2, 1]
    with pytest.raises(ValueError, match="not in the vocabulary"):
        v.encode(["c"])
    ids, lengths = pad_sequences([[1, 2, 3], [2]])
    assert ids.tolist() == [[1, 2, 3], [2, 0, 0]] and lengths.tolist() == [3, 1]
    with pytest.raises(ValueError):
        pad_sequences([[1], []])
