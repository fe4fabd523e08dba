"""Generate the small synthetic datasets shipped in data/ (reproducibly: fixed seeds, no downloads).

    .venv/bin/python scripts/make_data.py            # rewrite data/*, print SHA-256 checksums
    .venv/bin/python scripts/make_data.py --check    # regenerate in memory, compare with data/

The checksums printed must match ``rnn_helpers.datasets.CHECKSUMS``; after a deliberate change,
paste the new ones there. Every dataset is described, one line each, in data/README.md.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]

# ----------------------------------------------------------------------------------- sentiment

POSITIVE = ["good", "great", "fun", "funny", "clever", "moving", "beautiful", "gripping", "fresh"]
NEGATIVE = ["bad", "boring", "dull", "awful", "silly", "slow", "bland", "messy", "tedious"]
SUBJECTS = ["the movie", "the plot", "the acting", "this film", "the ending", "the script"]
ADVERBS = ["", "very ", "really ", "quite "]


def _clause(adj: str, negated: bool) -> tuple[str, int]:
    pol = 1 if adj in POSITIVE else 0
    return ("not " if negated else "") + adj, pol ^ int(negated)


def sentiment_rows(rng: np.random.Generator, n_per_kind: int = 700) -> list[str]:
    """Phrases "SUBJ was [ADV] [not] ADJ [but [not] ADJ]" with label 1 (positive) or 0.

    kinds: plain ("the plot was very dull"), negated ("the movie was not bad"), contrast (two
    clauses of opposite sentiment joined by "but"; the clause after "but" decides, as in
    "good but boring"). Returns sorted unique TSV lines "label<TAB>kind<TAB>phrase".
    """
    adjs = POSITIVE + NEGATIVE
    rows: set[str] = set()
    plain = [(s, a, adj) for s in SUBJECTS for a in ADVERBS for adj in adjs]
    for s, a, adj in plain:
        rows.add(f"{int(adj in POSITIVE)}\tplain\t{s} was {a}{adj}")
    for s, a, adj in plain:  # "not" before the adverb: "was not very good"
        rows.add(f"{1 - int(adj in POSITIVE)}\tnegated\t{s} was not {a}{adj}")
    contrast = []
    for s, a1, a2, n1, n2 in itertools.product(SUBJECTS, adjs, adjs, (False, True), (False, True)):
        c1, p1 = _clause(a1, n1)
        c2, p2 = _clause(a2, n2)
        if p1 != p2 and a1 != a2:  # "but" joins clauses of opposite sentiment; the second one decides
            contrast.append(f"{p2}\tcontrast\t{s} was {c1} but {c2}")
    picks = rng.choice(len(contrast), size=min(n_per_kind, len(contrast)), replace=False)
    rows.update(contrast[i] for i in picks)
    return sorted(rows)


# ------------------------------------------------------------------------------------- tagging

LEX = {
    "DET": ["the", "a", "this", "every"],
    "ADJ": ["old", "small", "red", "quiet", "light", "fast"],
    "PRON": ["we", "they", "you", "i"],
    "MODAL": ["can", "will", "must"],
    "ADP": ["near", "under", "with", "on"],
    "ADV": ["today", "again", "slowly", "often"],
    # ambiguous words are listed in both NOUN and VERB (and "can" is also MODAL, "light" ADJ)
    "NOUN": [
        "fish",
        "watch",
        "book",
        "saw",
        "run",
        "play",
        "light",
        "can",
        "dog",
        "river",
        "man",
        "table",
        "city",
        "boat",
        "letter",
    ],
    "VERB": ["fish", "watch", "book", "saw", "run", "play", "light", "see", "like", "take", "find", "open"],
}
TEMPLATES = [
    "DET NOUN VERB DET NOUN",
    "DET ADJ NOUN VERB DET NOUN ADV",
    "PRON VERB DET NOUN",
    "PRON MODAL VERB DET ADJ NOUN",
    "PRON MODAL VERB DET NOUN ADP DET NOUN",
    "DET NOUN MODAL VERB ADV",
    "PRON VERB DET NOUN ADP DET ADJ NOUN",
    "DET ADJ NOUN VERB ADV",
]


def tagging_rows(rng: np.random.Generator, n: int = 1500) -> list[str]:
    """Sentences from 8 templates, one per line as "word/TAG word/TAG ...".

    Nouns are drawn so that ambiguous words appear more often as nouns than as verbs (a word's
    most frequent tag is then right most of the time but not always).
    """
    rows = []
    for _ in range(n):
        template = TEMPLATES[int(rng.integers(len(TEMPLATES)))].split()
        words = []
        for tag in template:
            pool = LEX[tag]
            words.append(f"{pool[int(rng.integers(len(pool)))]}/{tag}")
        rows.append(" ".join(words))
    return rows


# ------------------------------------------------------------------------------ char corpus

EMAILS = """\
thank you for your message.
thanks for the quick reply.
thanks for sending the report.
see you on monday.
see you at the meeting.
see you tomorrow morning.
please find the report attached.
please find the slides attached.
please let me know if you have any questions.
please let me know what you think.
let me know if this works for you.
let me know when you are free.
i will send the report by friday.
i will call you tomorrow.
i will be out of the office until monday.
i am out of the office this week.
can we move the meeting to tuesday?
can we meet on thursday afternoon?
could you send me the slides?
could you review the draft by friday?
sorry for the late reply.
sorry, i missed your call.
happy to help.
happy friday!
have a great weekend.
have a nice day.
best wishes for the new project.
looking forward to the meeting.
looking forward to hearing from you.
the meeting is moved to friday.
the report is ready for review.
the draft is attached.
the slides are in the shared folder.
we will discuss the budget on monday.
we need to finish the report this week.
we can talk about it at the meeting.
good morning, team.
good news: the project is on track.
great work on the report.
great, thanks!
thanks again for your help.
thanks, see you then.
no problem, see you tomorrow.
sounds good to me.
sounds good, thanks.
that works for me.
that time works for me.
just a quick reminder about the meeting.
just checking in on the report.
kind regards.
"""


def char_corpus_text() -> str:
    """Short e-mail phrases written for this course (no external source)."""
    return EMAILS


# ------------------------------------------------------------------------------------ output

GENERATORS = {
    "sentiment.tsv": lambda: "\n".join(["label\tkind\tphrase", *sentiment_rows(np.random.default_rng(1))]) + "\n",
    "tagging.txt": lambda: "\n".join(tagging_rows(np.random.default_rng(2))) + "\n",
    "emails.txt": char_corpus_text,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="compare with data/ instead of writing")
    parser.add_argument("--out", type=Path, default=ROOT / "data")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    status = 0
    for name, make in GENERATORS.items():
        data = make().encode("utf-8")
        digest = hashlib.sha256(data).hexdigest()
        path = args.out / name
        if args.check:
            same = path.exists() and path.read_bytes() == data
            status |= not same
            print(f"{name}: {'same' if same else 'DIFFERENT'} ({digest})")
        else:
            path.write_bytes(data)
            print(f'    "{name}": "{digest}",  # {len(data)} bytes')
    return status


if __name__ == "__main__":
    sys.exit(main())
