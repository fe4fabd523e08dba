"""numpy LSTM vs torch.nn.LSTM, forward + backward, as a time ratio (numpy / torch).

Shape N=32, T=100, D=32, H=64, in float64 and float32. Both sides compute the same things:
every output h_t, then the gradients of sum(h * dh) with respect to x, h0, c0 and all
weights (torch by autograd on CPU, numpy by ``lstm_backward``).

Measured side by side: the two are timed alternately, repeat after repeat, and the ratio is
of the medians, so a load spike on a shared machine hits both. Both sides are single-threaded:
torch by ``torch.set_num_threads(1)`` (as the notebooks' ``seed_everything`` sets it), numpy's
BLAS by running the measurement in a child process started with OPENBLAS_NUM_THREADS=1 (on a
busy 2-core machine a multi-threaded BLAS spins and makes small matmuls ~5x slower). Times are
CPU seconds of the process (``time.process_time``), which a busy machine distorts less than
wall-clock time. A ratio below 1 means numpy is faster.

    python benchmarks/kernels.py          # prints a table
    python benchmarks/kernels.py --json   # the ratios as JSON (what ``run`` reads)
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time

import numpy as np
import torch

from rnn_helpers import lstm_backward, lstm_forward, params_to_torch

N, T, D, H = 32, 100, 32, 64
REPEATS = 15


def _setup(dtype_np, dtype_torch, seed: int = 0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(N, T, D)).astype(dtype_np)
    h0 = rng.normal(size=(N, H)).astype(dtype_np)
    c0 = rng.normal(size=(N, H)).astype(dtype_np)
    w = {
        "Wx": (rng.normal(size=(D, 4 * H)) / np.sqrt(D)).astype(dtype_np),
        "Wh": (rng.normal(size=(H, 4 * H)) / np.sqrt(H)).astype(dtype_np),
        "b": np.zeros(4 * H, dtype=dtype_np),
    }
    dh = rng.normal(size=(N, T, H)).astype(dtype_np)
    module = torch.nn.LSTM(D, H, batch_first=True, dtype=dtype_torch)
    params_to_torch(w, module)
    tx = torch.tensor(x, requires_grad=True)
    th0 = torch.tensor(h0[None], requires_grad=True)
    tc0 = torch.tensor(c0[None], requires_grad=True)
    tdh = torch.tensor(dh)

    def run_numpy():
        _, _, cache = lstm_forward(x, h0, c0, w["Wx"], w["Wh"], w["b"])
        return lstm_backward(dh, cache)

    def run_torch():
        for t in (tx, th0, tc0, *module.parameters()):
            t.grad = None
        out, _ = module(tx, (th0, tc0))
        out.backward(tdh)
        return tx.grad

    return run_numpy, run_torch


def _time(fn) -> float:
    start = time.process_time()
    fn()
    return time.process_time() - start


def measure(dtype_np, dtype_torch, repeats: int = REPEATS) -> dict[str, float]:
    """Median seconds of numpy and torch (alternating repeats) and their ratio."""
    run_numpy, run_torch = _setup(dtype_np, dtype_torch)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        for _ in range(2):  # warm-up: allocator, first-call overheads
            run_numpy()
            run_torch()
        t_np, t_torch = [], []
        for _ in range(repeats):
            t_np.append(_time(run_numpy))
            t_torch.append(_time(run_torch))
    finally:
        torch.set_num_threads(threads)
    med_np, med_torch = statistics.median(t_np), statistics.median(t_torch)
    return {"numpy_s": med_np, "torch_s": med_torch, "ratio": med_np / med_torch}


DTYPES = {"float64": (np.float64, torch.float64), "float32": (np.float32, torch.float32)}
SINGLE_THREAD_ENV = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def _measure_all(repeats: int) -> dict[str, dict[str, float]]:
    return {name: measure(dn, dt, repeats) for name, (dn, dt) in DTYPES.items()}


def run(repeats: int = REPEATS) -> dict[str, float]:
    """Time ratios numpy / torch for LSTM forward+backward: keys "lstm_float64", "lstm_float32".

    Runs in a child process so that numpy's BLAS is single-threaded like torch.
    """
    env = {**os.environ, **SINGLE_THREAD_ENV}
    cmd = [sys.executable, os.path.abspath(__file__), "--json", "--repeats", str(repeats)]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def _main(argv: list[str]) -> None:
    repeats = int(argv[argv.index("--repeats") + 1]) if "--repeats" in argv else REPEATS
    if "--json" not in argv and any(os.environ.get(k) != v for k, v in SINGLE_THREAD_ENV.items()):
        # re-run ourselves with a single-threaded BLAS (it is fixed when numpy loads)
        env = {**os.environ, **SINGLE_THREAD_ENV}
        sys.exit(subprocess.call([sys.executable, os.path.abspath(__file__), *argv], env=env))
    results = _measure_all(repeats)
    if "--json" in argv:
        print(json.dumps({f"lstm_{k}": round(v["ratio"], 3) for k, v in results.items()}))
        return
    print(f"LSTM forward+backward, N={N} T={T} D={D} H={H}, CPU time, median of {repeats}")
    print("torch: 1 thread; numpy: OpenBLAS 1 thread")
    print(f"{'dtype':<10} {'numpy ms':>10} {'torch ms':>10} {'numpy/torch':>12}")
    for name, m in results.items():
        print(f"{name:<10} {1e3 * m['numpy_s']:>10.1f} {1e3 * m['torch_s']:>10.1f} {m['ratio']:>12.2f}")


if __name__ == "__main__":
    _main(sys.argv[1:])
