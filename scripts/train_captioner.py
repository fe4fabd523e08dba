"""Train the caption model of notebook 11 on synthetic scenes and save its weights.

    python3 scripts/train_captioner.py                 # data/weights/captioner.pt (a few minutes, 1 thread)
    python3 scripts/train_captioner.py --tiny --out /tmp/c.pt   # seconds: what the test runs

Seeded end to end: the scenes come from numpy's Generator(seed), torch is seeded and runs on one
thread with deterministic algorithms. The file holds the state dict and a ``meta`` dict with the
hyperparameters, the number of scenes and the held-out exact-match rate and BLEU on scenes drawn
with another seed (data/README.md records them).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rnn_helpers import captioning as cp  # noqa: E402
from rnn_helpers.training import fit  # noqa: E402

DEFAULTS = {"train": 8000, "heldout": 1000, "steps": 1500, "batch": 64, "lr": 5e-3, "hidden": 64, "seed": 0}
HELDOUT_SEED = 12345  # the notebook draws its held-out scenes with this seed too


def train(train: int, heldout: int, steps: int, batch: int, lr: float, hidden: int, seed: int) -> tuple:
    torch.manual_seed(seed)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    images, captions = cp.make_scenes(train, np.random.default_rng(seed))
    model = cp.CaptionModel(hidden=hidden)
    loss_fn = cp.caption_loss(model, images, captions, batch)
    fit(model, loss_fn, steps, lr=lr, seed=seed, clip=1.0, schedule="one_cycle", desc="captioner")
    test_images, test_captions = cp.make_scenes(heldout, np.random.default_rng(HELDOUT_SEED))
    predicted = cp.greedy_captions(model, torch.from_numpy(test_images))
    exact = float(np.mean([p == t for p, t in zip(predicted, test_captions)]))
    bleu = cp.corpus_bleu(predicted, test_captions)
    return model, {"exact_match": exact, "bleu": bleu}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "weights" / "captioner.pt")
    parser.add_argument("--tiny", action="store_true", help="a few seconds: 200 scenes, 20 steps")
    args = parser.parse_args(argv)
    settings = dict(DEFAULTS, **({"train": 200, "heldout": 50, "steps": 20} if args.tiny else {}))
    model, scores = train(**settings)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    torch.save({"state_dict": model.state_dict(), "meta": {**settings, **scores}}, args.out)
    print(f"saved {args.out}: held-out exact match {scores['exact_match']:.3f}, BLEU {scores['bleu']:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
