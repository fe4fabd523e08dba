"""Committed outputs hold on another CPU: nbval strict on every notebook under course.OTHER_CPU_ENV.

A learner's laptop computes in another floating-point path than the machine that executed the
committed notebooks. This runs each notebook under nbval (strict, the same sanitizer as the main
pass) in a subprocess whose kernel uses the SSE-level paths of torch, numpy and OpenBLAS (see
``course.OTHER_CPU_ENV``); a cell whose printed result depends on the last bits fails here.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
sys.path.insert(0, str(ROOT))

import course  # noqa: E402


def test_other_cpu_environment_changes_the_floating_point_path():
    code = (
        "import numpy as np, torch; from numpy._core._multiarray_umath import __cpu_features__ as f; "
        "print(torch.backends.cpu.get_cpu_capability(), f['AVX2'], f['FMA3'])"
    )
    env = {**os.environ, **course.OTHER_CPU_ENV}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["DEFAULT", "False", "False"], out.stdout + out.stderr


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_outputs_hold_on_another_cpu(path):
    env = {**os.environ, **course.OTHER_CPU_ENV}
    env.pop("MPLBACKEND", None)
    cmd = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        str(path),
        "--nbval",
        "--nbval-sanitize-with",
        str(ROOT / "tests" / "nbval_sanitize.cfg"),
        "--nbval-current-env",
        "--nbval-cell-timeout=300",
    ]
    result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, f"nbval on another CPU failed for {path.name}:\n{result.stdout[-6000:]}"
