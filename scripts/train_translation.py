"""Train the four English -> Spanish translators of notebook 06 and save their weights.

    nice -n 10 .venv/bin/python scripts/train_translation.py            # data/weights/translation_*.pt
    .venv/bin/python scripts/train_translation.py --tiny --out /tmp/w   # seconds: a smoke test

Models (same data, split, vocabularies, epochs and optimiser; see rnn_helpers/seq2seq.py):
  plain      GRU encoder-decoder, H = 128: the decoder sees the source only through d_0 = h_{T_x}
  attention  the same encoder and decoder, H = 128, plus a context c_t over all encoder states
  plain_big  the control: the plain model with H = 192, more memory AND more parameters than
             the attention model
  bahdanau   Bahdanau et al.'s design, H = 128: a bidirectional encoder (64 units each way), an
             additive score from the previous decoder state, the context fed into the decoder GRU

Each is trained for 6 epochs with teacher forcing (Adam, lr 3e-3 for two epochs, then halved
after every epoch, batch 64, gradient norm clipped at 1, dropout 0.2) and keeps the weights of its
best validation epoch. Then it is scored on the 1000 held-out test sentences (never seen in
training, all their Tatoeba translations as references) with sacreBLEU, greedy and beam search
(k = 5). Seeded and single-threaded, so a run on one machine repeats exactly. Weights are stored
as float16 with the vocabularies, the hyperparameters, the data checksum, the loss history and
the scores; data/README.md records them.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rnn_helpers.datasets import CHECKSUMS, load_spa_eng  # noqa: E402
from rnn_helpers.reproducibility import seed_everything  # noqa: E402
from rnn_helpers.seq2seq import (  # noqa: E402
    BahdanauTranslator,
    Translator,
    beam_search,
    build_vocab,
    corpus_bleu,
    detokenize,
    encode_words,
    greedy_decode,
    pad_batch,
    save_translator,
    split_pairs,
    tokenize,
    train_translator,
)

MODELS = {  # class, attention, H factor
    "plain": (Translator, False, 1.0),
    "attention": (Translator, True, 1.0),
    "plain_big": (Translator, False, 1.5),
    "bahdanau": (BahdanauTranslator, True, 1.0),
}


def score(model, test, src_vocab, tgt_vocab, beam: int) -> float:
    """Held-out corpus BLEU of greedy (beam = 1) or beam-search translations."""
    src = pad_batch([encode_words(src_vocab, tokenize(en)) for en, _ in test])
    ids = greedy_decode(model, src, 20)[0] if beam == 1 else beam_search(model, src, beam, 20)
    return corpus_bleu([detokenize(tgt_vocab.decode(r)) for r in ids], [refs for _, refs in test])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--hidden", type=int, default=128)
    parser.add_argument("--emb", type=int, default=64)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--models", default=",".join(MODELS), help="comma-separated subset of " + ",".join(MODELS))
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "weights")
    parser.add_argument("--tiny", action="store_true", help="a few steps of tiny models on 40 sentences (tests)")
    args = parser.parse_args()
    torch.set_num_threads(1)
    split = split_pairs(load_spa_eng())
    train, test = split["train"], split["test"]
    valid = [(en, refs[0]) for en, refs in split["valid"]]
    max_steps = None
    if args.tiny:
        args.epochs, args.hidden, args.emb, max_steps = 1, 8, 8, 3
        test, valid = test[:40], valid[:40]
    src_vocab = build_vocab([tokenize(en) for en, _ in train])
    tgt_vocab = build_vocab([tokenize(es) for _, es in train])
    args.out.mkdir(parents=True, exist_ok=True)
    for name in args.models.split(","):
        cls, attention, factor = MODELS[name]
        hidden = round(args.hidden * factor)
        seed_everything(args.seed)
        model = cls(len(src_vocab), len(tgt_vocab), emb=args.emb, hidden=hidden, attention=attention)
        start = time.process_time()
        hist = train_translator(model, train, valid, src_vocab, tgt_vocab, epochs=args.epochs, seed=args.seed,
                                max_steps=max_steps, desc=name)  # fmt: skip
        seconds = time.process_time() - start
        model.eval()
        # score the float16 weights that are shipped, not the float32 ones trained
        model.load_state_dict({k: v.half().float() for k, v in model.state_dict().items()})
        info = {
            "script": "scripts/train_translation.py",
            "data_sha256": CHECKSUMS["spa_eng_short.tsv"],
            "hyperparameters": {
                "emb": args.emb,
                "hidden": hidden,
                "attention": attention,
                "design": "bahdanau" if cls is BahdanauTranslator else "luong",
                "epochs": args.epochs,
                "batch": 64,
                "lr": 3e-3,
                "dropout": 0.2,
                "seed": args.seed,
            },  # fmt: skip
            "parameters": sum(p.numel() for p in model.parameters()),
            "history": {k: v for k, v in hist.items() if k != "steps"},
            "bleu_greedy": score(model, test, src_vocab, tgt_vocab, 1),
            "bleu_beam5": score(model, test, src_vocab, tgt_vocab, 5),
            "cpu_seconds": seconds,
        }
        save_translator(args.out / f"translation_{name}.pt", model, src_vocab, tgt_vocab, info)
        print(json.dumps({name: {k: v for k, v in info.items() if k != "script"}}), flush=True)


if __name__ == "__main__":
    main()
