"""Course benchmarks: seconds per notebook, milliseconds per widget update, numpy/torch kernel ratios,
scan-vs-loop training-step ratios.

    python3 course.py bench                        # everything, as tables
    python3 course.py bench -- --only notebooks    # or widgets, latency, kernels, scan (comma-separated)
    python3 course.py bench -- --json              # one JSON object on stdout

Budgets (this is a benchmark, not a timed test): each notebook at most 60 s on a 2-core machine
(aim 30 s); every widget update at most 100 ms (aim 50 ms); numpy LSTM within 2x of torch.

"latency" is what a learner sees: from a slider move to the new picture on screen, measured
inside the page by the browser test (``.venv/bin/pytest tests/test_browser.py -k jupyterlab``),
which writes artifacts/browser/latency.json; this section reports the median of every explorer
from the last such run (budget 100 ms, the "instant" limit).

"scan" has no budget: it reports how a minGRU's parallel scan compares with loops on this CPU,
as training-step time ratios (benchmarks/scan.py).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "benchmarks"), str(ROOT / "scripts")]

NOTEBOOK_BUDGET_S = 60.0
WIDGET_BUDGET_MS = 100.0
SECTIONS = ("notebooks", "widgets", "latency", "kernels", "scan")
LATENCY_FILE = ROOT / "artifacts" / "browser" / "latency.json"


def bench_notebooks(names: list[str] | None = None) -> dict[str, float]:
    """Execute every notebook top to bottom in a fresh kernel (nothing saved); seconds each."""
    from refresh_notebooks import execute

    out = {}
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        if names and not any(n in path.name for n in names):
            continue
        _, seconds = execute(path)
        out[path.stem] = round(seconds, 2)
        print(f"  {path.stem}: {seconds:.1f} s", file=sys.stderr, flush=True)
    return out


def bench_widgets() -> dict[str, float]:
    import widgets

    return widgets.run()


def bench_latency() -> dict[str, float]:
    """Slider-to-screen median (ms) of every explorer, from the last browser test run."""
    if not LATENCY_FILE.exists():
        print(f"  no {LATENCY_FILE.relative_to(ROOT)}: run .venv/bin/pytest tests/test_browser.py -k jupyterlab",
              file=sys.stderr)  # fmt: skip
        return {}
    data = json.loads(LATENCY_FILE.read_text())
    return {name: float(v["median_ms"]) for name, v in sorted(data.items())}


def bench_kernels() -> dict[str, float]:
    import kernels

    return kernels.run()


def bench_scan() -> dict[str, float]:
    import scan

    return scan.run()


def _table(title: str, rows: dict[str, float], unit: str, budget: float | None) -> str:
    lines = [f"\n{title}", "-" * len(title)]
    for name, value in rows.items():
        flag = "" if budget is None or value <= budget else f"   OVER BUDGET ({budget:g} {unit})"
        lines.append(f"{name:<60} {value:>10.2f} {unit}{flag}")
    if unit == "s" and rows:
        lines.append(f"{'total':<45} {sum(rows.values()):>10.2f} {unit}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--only",
        default=",".join(SECTIONS),
        help="comma-separated subset of: notebooks, widgets, latency, kernels, scan",
    )
    parser.add_argument("--notebook", action="append", help="only notebooks whose name contains this")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    only = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = sorted(set(only) - set(SECTIONS))
    if unknown:
        parser.error(f"--only takes {', '.join(SECTIONS)}; got {', '.join(unknown)}")

    result: dict[str, dict[str, float]] = {}
    if "notebooks" in only:
        result["notebooks"] = bench_notebooks(args.notebook)
    if "widgets" in only:
        result["widgets"] = bench_widgets()
    if "latency" in only:
        result["latency"] = bench_latency()
    if "kernels" in only:
        result["kernels"] = bench_kernels()
    if "scan" in only:
        result["scan"] = bench_scan()

    if args.json:
        print(json.dumps(result, indent=2))
    else:
        if "notebooks" in result:
            print(_table("Notebooks (fresh kernel, top to bottom)", result["notebooks"], "s", NOTEBOOK_BUDGET_S))
        if "widgets" in result:
            print(_table("Widget updates (median: set a value, redraw)", result["widgets"], "ms", WIDGET_BUDGET_MS))
        if "latency" in result:
            title = "Slider to screen in the browser (median ms, from the last browser test)"
            print(_table(title, result["latency"], "ms", WIDGET_BUDGET_MS))
        if "kernels" in result:
            print(_table("Kernels (numpy time / torch time)", result["kernels"], "x", None))
        if "scan" in result:
            print(_table("Scan (training-step time / minGRU scan time, 1 thread)", result["scan"], "x", None))
    return 0


if __name__ == "__main__":
    sys.exit(main())
