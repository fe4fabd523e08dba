"""The scan benchmark runs on a tiny setting and reports one ratio per layer and length."""

import importlib.util
from pathlib import Path


def test_scan_benchmark_tiny():
    path = Path(__file__).resolve().parents[1] / "benchmarks" / "scan.py"
    spec = importlib.util.spec_from_file_location("bench_scan", path)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    ratios = bench.run(lengths=(8, 16), rounds=1)
    assert set(ratios) == {f"T{T}_{n}/scan" for T in (8, 16) for n in ("mingru_loop", "nn_gru", "gru_cell_loop")}
    assert all(r > 0 for r in ratios.values())
