"""Train the recurrent models of notebook 08 and save their weights under data/weights/.

    nice -n 10 .venv/bin/python scripts/train_language_models.py            # all four, a few minutes
    .venv/bin/python scripts/train_language_models.py --task spam --steps 20 --out /tmp/w   # tiny check

Tasks: "spam" (GRU on the SMS Spam Collection), "sentiment" (GRU on the review sentences),
"tagger_forward" and "tagger_bidirectional" (LSTM taggers on UD English EWT). Everything is seeded
(--seed) and runs on one CPU thread. The data splits are the fixed ones of
rnn_helpers.datasets; the vocabulary comes from the training split. The script prints the
validation and held-out test accuracy of the saved (float16) weights, as the notebook measures
them, and stores them in the weight file; data/README.md records them.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rnn_helpers.datasets import CHECKSUMS, classification_splits, pad_sequences, tagging_splits  # noqa: E402
from rnn_helpers.models import TRAINED, build_model, load_weights, predict, save_weights  # noqa: E402
from rnn_helpers.training import fit  # noqa: E402

DATA_FILES = {
    "spam": ["sms_spam_collection.tsv"],
    "sentiment": ["amazon_cells_labelled.txt", "imdb_labelled.txt", "yelp_labelled.txt"],
    "tagger_forward": ["en_ewt-train.pos.tsv.gz", "en_ewt-dev.pos.tsv", "en_ewt-test.pos.tsv"],
    "tagger_bidirectional": ["en_ewt-train.pos.tsv.gz", "en_ewt-dev.pos.tsv", "en_ewt-test.pos.tsv"],
}


def accuracy_of(model: nn.Module, part: dict, tagger: bool) -> float:
    """Accuracy of float64 predictions on a split (per token for a tagger)."""
    scores = predict(model, part["ids"])
    if not tagger:
        return float(np.mean(torch.stack(scores).argmax(1).numpy() == part["y"]))
    pred = torch.cat(scores).argmax(1).numpy()
    gold = np.concatenate([np.asarray(t) for t in part["tag_ids"]])
    return float(np.mean(pred == gold))


def data_sha(task: str) -> str:
    """One SHA-256 over the checksums of the task's data files."""
    return hashlib.sha256("".join(CHECKSUMS[f] for f in DATA_FILES[task]).encode()).hexdigest()


def train(task: str, seed: int, out: Path, steps: int | None = None) -> dict:
    cfg = dict(TRAINED[task])
    if steps is not None:
        cfg["steps"] = steps
    tagger = task.startswith("tagger")
    torch.manual_seed(seed)
    data = tagging_splits(cfg["min_count"]) if tagger else classification_splits(task, cfg["min_count"])
    C = len(data["tags"]) if tagger else 2
    model = build_model(task, len(data["itos"]), C, cfg)
    tr = data["train"]
    y = None if tagger else torch.as_tensor(tr["y"])

    def loss_fn(r):
        i = r.integers(len(tr["ids"]), size=cfg["batch"])
        ids, lengths = pad_sequences([tr["ids"][j] for j in i])
        if not tagger:
            return nn.functional.cross_entropy(model(ids, lengths), y[i])
        target, _ = pad_sequences([tr["tag_ids"][j] for j in i])  # (N, T), 0 = padding
        scores = model(ids, lengths)  # (N, T, C)
        return nn.functional.cross_entropy(scores.reshape(-1, C), target.reshape(-1), ignore_index=0)

    start = time.perf_counter()
    losses = fit(model, loss_fn, cfg["steps"], lr=cfg["lr"], seed=seed, desc=task)
    seconds = time.perf_counter() - start
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{task}.pt"
    info = dict(
        task=task,
        seed=seed,
        config=cfg,
        itos=data["itos"],
        data_sha256=data_sha(task),
        final_loss=float(np.mean(losses[-50:])),
        train_seconds=round(seconds),
        loss_curve=[float(np.mean(losses[i : i + 25])) for i in range(0, len(losses), 25)],
    )
    if tagger:
        info["tags"] = data["tags"]
    save_weights(path, model, **info)
    reloaded = build_model(task, len(data["itos"]), C, cfg)
    load_weights(path, reloaded)  # score what was saved: float16 parameters
    info["val_accuracy"] = accuracy_of(reloaded, data["val"], tagger)
    info["test_accuracy"] = accuracy_of(reloaded, data["test"], tagger)
    size = save_weights(path, reloaded, **info)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    print(
        f"{task}: {cfg['steps']} steps in {seconds:.0f} s, final loss {info['final_loss']:.3f}, "
        f"validation {info['val_accuracy']:.4f}, test {info['test_accuracy']:.4f}, {size / 1e3:.0f} kB -> {path}, "
        f"SHA-256 {digest}"
    )
    return info


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--task", choices=[*TRAINED, "all"], default="all")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--steps", type=int, default=None, help="override the number of training steps")
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "weights")
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    for task in TRAINED if args.task == "all" else [args.task]:
        train(task, args.seed, args.out, args.steps)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
