#!/usr/bin/env python3
"""One entry point for the course: set up, open, test, refresh.

    python3 course.py lab        # set up (first time only) and open JupyterLab on notebooks/
    python3 course.py test       # set up (first time only) and run unit tests + nbval on every notebook
    python3 course.py refresh    # re-execute notebooks in place (fresh kernel) to refresh outputs
    python3 course.py bench      # benchmarks/run.py (pass its options after --)
    python3 course.py slides     # every notebook as offline reveal.js slides in slides/
    python3 course.py html       # the executed course as an offline static website in site/
    python3 course.py student    # the student edition (no solutions) in student/, to hand out
    python3 course.py setup      # only create/update the environment

Needs only Python >= 3.10. Everything goes into .venv/ inside the repository. A second run
reuses it: dependencies are reinstalled only when pyproject.toml changes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".course-installed"


def _fingerprint() -> str:
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()


def setup(quiet: bool = False) -> None:
    """Create .venv and install the pinned dependencies and the package (editable)."""
    if sys.version_info < (3, 10):  # noqa: UP036 - this file runs on whatever python3 the user has
        sys.exit(f"Python >= 3.10 is needed, this is {sys.version.split()[0]}")
    if not PY.exists():
        print(f"Creating the virtual environment in {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    _lab_settings()
    if STAMP.exists() and STAMP.read_text() == _fingerprint():
        if not quiet:
            print("Environment up to date (.venv).", flush=True)
        _music_cache()
        return
    print("Installing pinned dependencies into .venv (first run takes a few minutes) ...", flush=True)
    pip = [str(PY), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "-e", f"{ROOT}[course,dev]"], check=True)
    STAMP.write_text(_fingerprint())
    print("Environment ready.", flush=True)
    _music_cache()


def _music_cache() -> None:
    """Notebook 11's piano rolls, derived once from the chorales bundled with music21 into build/cache/
    (git-ignored: nothing derived from the corpus is committed). A few minutes, first setup only."""
    cache = ROOT / "build" / "cache" / "chorales.npz"
    if not cache.exists():
        print("Deriving piano rolls from music21's Bach chorales (first setup only) ...", flush=True)
        subprocess.run([str(PY), "-m", "rnn_helpers.music"], check=True, cwd=ROOT)


def _lab_settings() -> None:
    """JupyterLab defaults for the course: no news pop-up over the lesson."""
    import json

    target = VENV / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    settings = json.loads(target.read_text()) if target.exists() else {}
    settings.setdefault("@jupyterlab/apputils-extension:notification", {})["fetchNews"] = "false"
    target.write_text(json.dumps(settings, indent=2))


def _env() -> dict[str, str]:
    env = dict(os.environ)
    # A non-interactive backend would make inline figures vanish from executed notebooks.
    env.pop("MPLBACKEND", None)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env.setdefault("PYTHONHASHSEED", "0")
    # The course's matrices are small: one BLAS thread is faster than several fighting over two
    # cores, and results do not depend on how many cores a machine has.
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env.setdefault(var, "1")
    return env


# "Another CPU": the floating-point paths of an x86-64 machine without AVX2/FMA/AVX-512 (older
# laptops, many CI runners), forced on this one. torch's vectorised kernels fall back to their
# default (SSE) versions, OpenBLAS uses its Nehalem kernels, MKL (if any) stops at SSE4.2 and
# numpy's AVX2/FMA3/AVX-512 dispatch targets are switched off. Results differ from the native run
# in the last bits, which is the point: committed outputs must compare equal under both.
OTHER_CPU_ENV = {
    "ATEN_CPU_CAPABILITY": "default",
    "OPENBLAS_CORETYPE": "Nehalem",
    "MKL_ENABLE_INSTRUCTIONS": "SSE4_2",
    "NPY_DISABLE_CPU_FEATURES": "AVX2 FMA3 AVX512F AVX512CD AVX512_KNL AVX512_KNM AVX512_SKX AVX512_CLX "
    "AVX512_CNL AVX512_ICL AVX512_SPR",
}


def _run(cmd: list[str]) -> int:
    return subprocess.run(cmd, cwd=ROOT, env=_env()).returncode


def lab_command(extra: list[str]) -> list[str]:
    """JupyterLab on 127.0.0.1 (token authentication left on), starting in notebooks/."""
    first = sorted((ROOT / "notebooks").glob("00_*.ipynb"))
    root = ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []  # containers
    return [
        str(PY),
        "-m",
        "jupyter",
        "lab",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.root_dir={ROOT / 'notebooks'}",
        *root,
        *extra,
        *map(str, first[:1]),
    ]


def test_command(extra: list[str]) -> list[str]:
    """Unit tests plus nbval in strict mode (every output compared) over every notebook.

    pytest-xdist spreads whole files over the CPU's cores (``--dist loadfile``: the cells of a
    notebook run in order in one kernel, as nbval needs)."""
    return [
        str(PY),
        "-m",
        "pytest",
        "tests",
        "notebooks",
        "-n",
        "auto",
        "--dist",
        "loadfile",
        "--nbval",
        "--nbval-sanitize-with",
        "tests/nbval_sanitize.cfg",
        "--nbval-current-env",
        "--nbval-cell-timeout=300",
        *extra,
    ]


def lab(extra: list[str]) -> int:
    return _run(lab_command(extra))


def test(extra: list[str]) -> int:
    return _run(test_command(extra))


def refresh(extra: list[str]) -> int:
    return _run([str(PY), "scripts/refresh_notebooks.py", *extra])


def bench(extra: list[str]) -> int:
    return _run([str(PY), "benchmarks/run.py", *extra])


def slides(extra: list[str]) -> int:
    """scripts/export_slides.py: reveal.js decks that work offline (assets fetched once via npm)."""
    return _run([str(PY), "scripts/export_slides.py", *extra])


def html(extra: list[str]) -> int:
    """scripts/export_html.py: static pages + index for self-study, no network needed to read."""
    return _run([str(PY), "scripts/export_html.py", *extra])


def student(extra: list[str]) -> int:
    """scripts/student_edition.py: the notebooks without solution cells, plus what runs them."""
    return _run([str(PY), "scripts/student_edition.py", *extra])


COMMANDS = {
    "student": student,
    "lab": lab,
    "test": test,
    "refresh": refresh,
    "bench": bench,
    "slides": slides,
    "html": html,
}


def main(argv: list[str]) -> int:
    if not argv or argv[0] in {"-h", "--help"} or argv[0] not in {*COMMANDS, "setup"}:
        print(__doc__)
        return 0 if argv and argv[0] in {"-h", "--help"} else 2
    setup(quiet=argv[0] != "setup")
    if argv[0] == "setup":
        return 0
    extra = argv[1:]
    if extra[:1] == ["--"]:
        extra = extra[1:]
    return COMMANDS[argv[0]](extra)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
