"""Data files: checksums verified, clear errors for missing or altered files, shapes as documented."""

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from rnn_helpers.datasets import (
    CHECKSUMS,
    DATA_DIR,
    GENERATED_CHECKSUMS,
    Vocab,
    data_path,
    load_char_corpus,
    load_co2_monthly,
    load_pendigits,
    load_sentiment,
    load_tagging,
    pad_sequences,
)

ROOT = Path(__file__).resolve().parents[1]


def test_every_shipped_file_matches_its_checksum_and_has_a_readme_line():
    readme = (DATA_DIR / "README.md").read_text()
    for name in CHECKSUMS:
        assert data_path(name).is_file()
        assert f"`{name}`" in readme


def test_make_data_reproduces_the_shipped_bytes(tmp_path):
    out = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make_data.py"), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert len(out.stdout.splitlines()) == len(GENERATED_CHECKSUMS)
    for name in GENERATED_CHECKSUMS:
        assert (tmp_path / name).read_bytes() == (DATA_DIR / name).read_bytes(), name


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
    sent = load_sentiment()
    assert {k for _, _, k in sent} == {"plain", "negated", "contrast"}
    assert all(lbl in (0, 1) for _, lbl, _ in sent)
    assert (["the", "movie", "was", "not", "bad"], 1, "negated") in sent
    tagged = load_tagging()
    assert len(tagged) == 1500 and all(len(w) == len(t) for w, t in tagged)
    assert {t for _, ts in tagged for t in ts} == {"DET", "NOUN", "VERB", "ADJ", "PRON", "MODAL", "ADP", "ADV"}
    months, ppm = load_co2_monthly()
    assert len(months) == len(ppm) == 444 and months[0] == "1965-01" and months[-1] == "2001-12"
    assert 318 < ppm[0] < 322 and ppm[-12:].mean() > ppm[:12].mean() + 45  # the Keeling curve rises
    P, y = load_pendigits("train")
    Pt, yt = load_pendigits("test")
    assert P.shape == (7494, 8, 2) and Pt.shape == (3498, 8, 2) and P.min() == 0 and P.max() == 1
    assert np.bincount(y).tolist()[:3] == [780, 779, 780] and np.bincount(yt).min() == 335
    with pytest.raises(ValueError, match="split must be"):
        load_pendigits("valid")
    text = load_char_corpus()
    assert text.count("\n") == 50 and "see you on monday." in text


def test_vocab_and_padding():
    v = Vocab(["b", "a", "b"])
    assert v.itos == ["<pad>", "a", "b"] and v.encode(["b", "a"]) == [2, 1]
    with pytest.raises(ValueError, match="not in the vocabulary"):
        v.encode(["c"])
    ids, lengths = pad_sequences([[1, 2, 3], [2]])
    assert ids.tolist() == [[1, 2, 3], [2, 0, 0]] and lengths.tolist() == [3, 1]
    with pytest.raises(ValueError):
        pad_sequences([[1], []])
