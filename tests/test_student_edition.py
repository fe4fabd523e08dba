"""The student edition: solutions removed, exercise outputs cleared, everything else unchanged,
and every notebook still runs top to bottom (the checks report "Not yet" for the stubs)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
sys.path.insert(0, str(ROOT / "scripts"))

import student_edition as se  # noqa: E402


def _text(cell) -> str:
    parts = []
    for out in cell.get("outputs", []):
        parts.append(out.get("text", "") if isinstance(out.get("text", ""), str) else "".join(out["text"]))
        parts.append(str(out.get("data", {}).get("text/plain", "")))
    return "".join(parts)


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    out = tmp_path_factory.mktemp("student")
    se.build(out)
    return out


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_exercises_follow_the_convention(path):
    nb = nbformat.read(path, as_version=4)
    exercises = [c for c in nb.cells if se.EXERCISE_TAG in se._tags(c)]
    solutions = [c for c in nb.cells if se.SOLUTION_TAG in se._tags(c)]
    assert exercises, "no cell tagged 'exercise'"
    assert solutions, "no cell tagged 'solution'"
    for cell in solutions:
        assert cell.metadata.get("jupyter", {}).get("source_hidden"), "a solution cell is not folded"
    for cell in exercises:
        if cell.cell_type != "code":
            continue
        assert "NotImplementedError" in cell.source or "check_" in cell.source, "exercise cell without stub or check"
        shown = _text(cell)
        assert "Correct" not in shown, "an exercise cell's committed output shows a result before the learner tried"
    for cell in nb.cells:  # self-check answers too live in hidden solution cells, not in <details> blocks
        assert "<details" not in cell.source, "answers in a <details> block stay in the student edition"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_edition_removes_solutions_and_keeps_the_rest(path, edition):
    original = nbformat.read(path, as_version=4)
    student = nbformat.read(edition / "notebooks" / path.name, as_version=4)
    kept = [c for c in original.cells if se.SOLUTION_TAG not in se._tags(c)]
    assert len(student.cells) == len(kept)
    assert not any(se.SOLUTION_TAG in se._tags(c) for c in student.cells)
    for before, after in zip(kept, student.cells):
        assert before.source == after.source
        if after.cell_type != "code":
            continue
        if se.EXERCISE_TAG in se._tags(after):
            assert after.outputs == []
        else:
            assert before.outputs == after.outputs, "a non-exercise cell changed in the student edition"
    assert (edition / "rnn_helpers" / "__init__.py").exists() and (edition / "course.py").exists()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_edition_runs_top_to_bottom(path, edition):
    from refresh_notebooks import run_notebook

    nb = nbformat.read(edition / "notebooks" / path.name, as_version=4)
    backend = os.environ.pop("MPLBACKEND", None)
    try:
        run_notebook(nb, edition / "notebooks")  # raises on any error (a check that crashes on a stub)
    finally:
        if backend is not None:
            os.environ["MPLBACKEND"] = backend
    for cell in nb.cells:
        if cell.cell_type == "code" and se.EXERCISE_TAG in se._tags(cell) and "check_" in cell.source:
            assert "Not yet" in _text(cell), f"a check did not report 'Not yet' for the stub:\n{cell.source[:300]}"
