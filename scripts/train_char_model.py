"""Train the character models of notebook 09 on Tiny Shakespeare and save their small weights.

    nice -n 10 .venv/bin/python scripts/train_char_model.py          # both models
    nice -n 10 .venv/bin/python scripts/train_char_model.py --cells lstm    # one of them

Time: about 30 minutes on a 2-core machine shared with ten other busy processes (the committed
run: RNN 11 min, LSTM 18 min); a few minutes on an idle laptop.

One recurrent layer per model (a vanilla tanh RNN and an LSTM, same hidden size, same data, same
number of updates, same seed), trained with Adam on random windows of the first 90% of the text;
the last 10% is held out and scored once at the end, in bits per character. Each model is written
to ``<out>/char_<cell>.pt``: the weights (float32), the hyperparameters, the data checksum, the
training losses and the held-out score. ``data/README.md`` records the committed run.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rnn_helpers.charlm import heldout_bits_per_char, random_windows  # noqa: E402
from rnn_helpers.datasets import CHECKSUMS, Vocab, load_shakespeare, split_text  # noqa: E402
from rnn_helpers.models import CharRNN  # noqa: E402
from rnn_helpers.training import fit  # noqa: E402


def train_one(cell: str, args, train_ids: torch.Tensor, heldout_ids: torch.Tensor, V: int) -> dict:
    torch.manual_seed(args.seed)
    model = CharRNN(V, H=args.hidden, cell=cell, D=args.embed)

    def loss_fn(rng):
        x = random_windows(train_ids, args.batch, args.seq, rng)  # (N, T+1)
        scores, _ = model(x[:, :-1])  # (N, T, V)
        return torch.nn.functional.cross_entropy(scores.reshape(-1, V), x[:, 1:].reshape(-1))

    start = time.perf_counter()
    # a step decay: the last fifth of the updates at a third of the learning rate
    n_low = args.steps // 5
    losses = fit(model, loss_fn, args.steps - n_low, lr=args.lr, seed=args.seed, desc=f"{cell} (lr {args.lr:g})")
    losses += fit(model, loss_fn, n_low, lr=args.lr / 3, seed=args.seed + 1, desc=f"{cell} (lr {args.lr / 3:g})")
    seconds = time.perf_counter() - start
    bpc = heldout_bits_per_char(model, heldout_ids)
    return {
        "state_dict": {k: v.detach().clone() for k, v in model.state_dict().items()},
        "config": {"V": V, "H": args.hidden, "cell": cell, "D": args.embed},
        "hyperparameters": {k: getattr(args, k) for k in ("steps", "batch", "seq", "lr", "seed")},
        "data_sha256": CHECKSUMS["tinyshakespeare.txt"],
        "losses": torch.tensor(losses, dtype=torch.float32),
        "heldout_bpc": float(bpc),
        "train_seconds": float(seconds),
        "torch": str(torch.__version__),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cells", nargs="+", default=["rnn", "lstm"], choices=["rnn", "gru", "lstm"])
    parser.add_argument("--hidden", type=int, default=192)
    parser.add_argument("--embed", type=int, default=32)
    parser.add_argument("--steps", type=int, default=900)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--seq", type=int, default=128)
    parser.add_argument("--lr", type=float, default=4e-3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1, choices=[1, 2])
    parser.add_argument("--heldout-chars", type=int, default=None, help="score only this many held-out characters")
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "weights")
    args = parser.parse_args(argv)

    torch.set_num_threads(args.threads)
    text = load_shakespeare()
    vocab = Vocab(list(text))
    train, heldout = split_text(text)
    train_ids = torch.tensor(vocab.encode(list(train)))
    heldout_ids = torch.tensor(vocab.encode(list(heldout[: args.heldout_chars])))
    args.out.mkdir(parents=True, exist_ok=True)
    for cell in args.cells:
        result = train_one(cell, args, train_ids, heldout_ids, len(vocab))
        path = args.out / f"char_{cell}.pt"
        torch.save(result, path)
        last = float(np.mean(result["losses"][-100:].numpy()))
        print(
            f"{cell}: held-out {result['heldout_bpc']:.4f} bits/char, last-100 training loss {last:.4f} nats, "
            f"{result['train_seconds']:.0f} s, {path.stat().st_size / 1e6:.2f} MB -> {path}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
