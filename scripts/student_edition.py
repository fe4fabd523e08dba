"""Build the student edition: the course without exercise solutions, ready to hand out.

    python3 course.py student                 # writes student/ (a copy of the course to zip and share)
    python3 course.py student -- --out DIR    # somewhere else
    python3 course.py student -- --execute    # also re-run each stripped notebook (checks say "Not yet")

Exercise cells follow one convention in every notebook (CONTRIBUTING.md):
- the learner's cell is tagged ``exercise``: a stub (``raise NotImplementedError``) and a ``check_*``
  call, which reports "Not yet" for a stub instead of raising;
- the worked solution follows in a cell tagged ``solution`` (folded in JupyterLab).
The edition removes every ``solution`` cell with nbconvert's standard TagRemovePreprocessor,
clears the outputs of ``exercise`` cells, and keeps every other cell and its committed outputs
unchanged. Beside the notebooks it copies what a learner needs to run them (``course.py``,
``pyproject.toml``, ``rnn_helpers/``, ``data/``, README, license), so a learner sets up and checks
their own work offline with ``python3 course.py lab``.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import nbformat
from nbconvert.preprocessors import TagRemovePreprocessor

ROOT = Path(__file__).resolve().parents[1]
SOLUTION_TAG = "solution"
EXERCISE_TAG = "exercise"
COPIED = [
    "course.py",
    "pyproject.toml",
    "environment.yml",
    "README.md",
    "LICENSE",
    "rnn_helpers",
    "data",
    "notebooks/NOTATION.md",
    "notebooks/rise.css",
]


def _tags(cell) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def strip_solutions(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Return a copy of ``nb`` without ``solution`` cells and with ``exercise`` outputs cleared."""
    nb = nbformat.from_dict(nb)
    remover = TagRemovePreprocessor(remove_cell_tags={SOLUTION_TAG}, enabled=True)
    nb, _ = remover.preprocess(nb, {})
    for cell in nb.cells:
        if cell.cell_type == "code" and EXERCISE_TAG in _tags(cell):
            cell.outputs = []
            cell.execution_count = None
    nb.metadata.setdefault("course", {})["edition"] = "student"
    return nb


def build(out: Path, execute: bool = False, notebooks: list[Path] | None = None) -> list[Path]:
    """Write the edition to ``out``; return the paths of its notebooks."""
    out.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        src, dest = ROOT / name, out / name
        if not src.exists():
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.rmtree(dest, ignore_errors=True)
            shutil.copytree(src, dest, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy2(src, dest)
    written = []
    for path in notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        nb = strip_solutions(nbformat.read(path, as_version=4))
        dest = out / "notebooks" / path.name
        if execute:
            sys.path.insert(0, str(ROOT / "scripts"))
            from refresh_notebooks import run_notebook

            nb = run_notebook(nb, dest.parent)
        nbformat.write(nb, dest)
        written.append(dest)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "student")
    parser.add_argument("--execute", action="store_true", help="re-run each stripped notebook in a fresh kernel")
    parser.add_argument("notebooks", nargs="*", type=Path)
    args = parser.parse_args(argv)
    written = build(args.out, execute=args.execute, notebooks=args.notebooks or None)
    print(f"Student edition: {len(written)} notebooks in {args.out} (zip the folder and hand it out).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
