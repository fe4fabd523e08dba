"""Parallel scan vs loops: time of one training step (forward + backward) of four layers, as
ratios to the minGRU's scan, on this machine's CPU, one torch thread.

Layers (N=16 sequences, D = H = 64, a loss on every h_t): the minGRU with the Hillis-Steele scan,
the minGRU with a python loop over its T multiply-adds, ``torch.nn.GRU``, and ``nn.GRUCell``
stepped by a python loop. Timed in interleaved rounds (every layer once per round, so a load
spike on a shared machine hits all of them), median per layer, CPU time of the process.
A ratio above 1 means that layer is slower than the minGRU's scan.

    python benchmarks/scan.py          # a table of ms and ratios per T
    python benchmarks/scan.py --json   # ratios as JSON (what ``run`` reads)
"""

from __future__ import annotations

import json
import sys

import torch

from rnn_helpers.mingru import GRUCellLoop, MinGRU
from rnn_helpers.models import training_step_times

N, D, H = 16, 64, 64
LENGTHS = (64, 256, 1024)
ROUNDS = 5


def measure(lengths=LENGTHS, rounds: int = ROUNDS) -> dict[int, dict[str, float]]:
    """Median seconds per training step, per T and layer."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        torch.manual_seed(0)
        layers = {"mingru_scan": MinGRU(D, H, mode="scan"), "mingru_loop": MinGRU(D, H, mode="loop"),
                  "nn_gru": torch.nn.GRU(D, H, batch_first=True), "gru_cell_loop": GRUCellLoop(D, H)}  # fmt: skip
        return {T: training_step_times(layers, torch.randn(N, T, D), rounds=rounds) for T in lengths}
    finally:
        torch.set_num_threads(threads)


def run(lengths=LENGTHS, rounds: int = ROUNDS) -> dict[str, float]:
    """Ratios time(layer) / time(minGRU scan), keys like "T1024_mingru_loop/scan"."""
    out = {}
    for T, times in measure(lengths, rounds).items():
        for name in ("mingru_loop", "nn_gru", "gru_cell_loop"):
            out[f"T{T}_{name}/scan"] = round(times[name] / times["mingru_scan"], 3)
    return out


def _main(argv: list[str]) -> None:
    if "--json" in argv:
        print(json.dumps(run()))
        return
    results = measure()
    print(f"Training step (forward + backward), N={N} D={D} H={H}, CPU time, median of {ROUNDS} rounds, 1 thread")
    names = list(next(iter(results.values())))
    print(f"{'T':>6} " + " ".join(f"{n + ' ms':>18}" for n in names) + "   ratios to mingru_scan")
    for T, times in results.items():
        ms = " ".join(f"{1e3 * times[n]:>18.1f}" for n in names)
        ratios = ", ".join(f"{n} {times[n] / times['mingru_scan']:.2f}" for n in names[1:])
        print(f"{T:>6} {ms}   {ratios}")


if __name__ == "__main__":
    _main(sys.argv[1:])
