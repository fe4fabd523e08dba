"""Cut the English-Spanish subset shipped in data/ from the Tatoeba pairs (no downloads).

    .venv/bin/python scripts/make_translation_data.py --source DIR           # write data/spa_eng_short.tsv
    .venv/bin/python scripts/make_translation_data.py --source DIR --check   # compare with data/

DIR holds ``spa_eng_max6words.tsv.gz`` (every Tatoeba/ManyThings pair of ``spa-eng.zip``, file
dated 2018-05-13, whose English side has at most 6 words) and ``_about.txt`` (terms and
attribution, copied beside the data). The subset keeps, in the original order, every pair whose
words are all among the 1000 most frequent English and the 1500 most frequent Spanish words of
that file (lower-cased, punctuation split off as in ``rnn_helpers.seq2seq.tokenize``): short
sentences over a closed vocabulary a small model can learn in minutes on a CPU.

The SHA-256 printed must match ``rnn_helpers.datasets.CHECKSUMS["spa_eng_short.tsv"]``.
"""

from __future__ import annotations

import argparse
import collections
import gzip
import hashlib
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rnn_helpers.seq2seq import tokenize  # noqa: E402

DATA_FILE = "spa_eng_short.tsv"

N_ENGLISH_WORDS, N_SPANISH_WORDS = 1000, 1500


def subset(lines: list[str]) -> list[str]:
    """The pairs (TSV lines "English<TAB>Spanish") whose tokens are all in the two top-k lists."""
    pairs = [line.split("\t") for line in lines]
    if any(len(p) != 2 for p in pairs):
        raise ValueError("every line must have two tab-separated fields: English and Spanish")
    en = [tokenize(e) for e, _ in pairs]
    es = [tokenize(s) for _, s in pairs]
    # most_common breaks ties by first occurrence, so the lists are deterministic
    top_en = {w for w, _ in collections.Counter(w for x in en for w in x).most_common(N_ENGLISH_WORDS)}
    top_es = {w for w, _ in collections.Counter(w for x in es for w in x).most_common(N_SPANISH_WORDS)}
    keep = [i for i in range(len(pairs)) if set(en[i]) <= top_en and set(es[i]) <= top_es]
    return [lines[i] for i in keep]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", type=Path, default=ROOT.parent / "shared" / "datasets" / "spa_eng")
    parser.add_argument("--check", action="store_true", help="compare with data/ instead of writing")
    args = parser.parse_args()
    raw = gzip.decompress((args.source / "spa_eng_max6words.tsv.gz").read_bytes()).decode("utf-8")
    text = "\n".join(subset(raw.splitlines())) + "\n"
    data = text.encode("utf-8")
    out = ROOT / "data" / DATA_FILE
    about = ROOT / "data" / "spa_eng_about.txt"
    digest = hashlib.sha256(data).hexdigest()
    print(f"{DATA_FILE}: {text.count(chr(10))} pairs, {len(data)} bytes, sha256 {digest}")
    if args.check:
        same = out.read_bytes() == data and about.read_bytes() == (args.source / "_about.txt").read_bytes()
        print("identical" if same else "DIFFERENT")
        sys.exit(0 if same else 1)
    out.write_bytes(data)
    shutil.copyfile(args.source / "_about.txt", about)


if __name__ == "__main__":
    main()
