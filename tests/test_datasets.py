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
    load_digits,
    load_sales,
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
    with pytest.raises(FileNotFoundError, match=r"sales.csv is missing.*make_data.py"):
        load_sales(tmp_path)


def test_altered_file_is_refused(tmp_path):
    shutil.copy(DATA_DIR / "sales.csv", tmp_path / "sales.csv")
    with (tmp_path / "sales.csv").open("a") as f:
        f.write("730,1.0\n")
    with pytest.raises(ValueError, match=r"sales.csv was altered: its SHA-256 is [0-9a-f]{64}, expected"):
        load_sales(tmp_path)
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
    sales = load_sales()
    assert sales.shape == (730,) and sales[-100:].mean() > sales[:100].mean()
    X, y = load_digits()
    assert X.shape == (2000, 12, 12) and X.min() >= 0 and X.max() <= 1
    assert np.bincount(y).tolist() == [200] * 10
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
