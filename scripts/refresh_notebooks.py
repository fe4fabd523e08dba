"""Re-execute notebooks top to bottom in a fresh kernel and save the outputs in place.

    python3 course.py refresh                       # every notebook
    python3 course.py refresh notebooks/01_*.ipynb  # some of them
    python3 course.py refresh --seed 3 notebooks/04_lstm_gates.ipynb --check-only

With --check-only the notebook is executed (optionally with another SEED) and nothing is written:
use it to confirm that a notebook's asserts hold for other seeds.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
# Kernels inherit this environment: one BLAS thread (small matrices; same results on any machine).
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
SEED_LINE = re.compile(r"^SEED\s*=\s*\d+", re.M)


def set_seed(nb: nbformat.NotebookNode, seed: int) -> None:
    """Replace ``SEED = ...`` in the cell tagged ``parameters``."""
    for cell in nb.cells:
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            cell.source, n = SEED_LINE.subn(f"SEED = {seed}", cell.source, count=1)
            if n:
                return
    raise ValueError("no 'SEED = ...' line in a cell tagged 'parameters'")


def execute(path: Path, seed: int | None = None, timeout: int = 600) -> tuple[nbformat.NotebookNode, float]:
    """Execute the notebook at ``path`` in a fresh kernel; return it and the seconds taken."""
    nb = nbformat.read(path, as_version=4)
    if seed is not None:
        set_seed(nb, seed)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        store_widget_state=True,
    )
    start = time.perf_counter()
    client.execute()
    return nb, time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--seed", type=int, default=None, help="run with this SEED instead")
    parser.add_argument("--check-only", action="store_true", help="execute without saving")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    if args.seed is not None and not args.check_only:
        parser.error("--seed needs --check-only: committed notebooks run with SEED = 0")
    for path in paths:
        nb, seconds = execute(path, seed=args.seed)
        if not args.check_only:
            nbformat.write(nb, path)
        print(f"{path.name}: {seconds:.1f} s{'' if args.check_only else ', saved'}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
