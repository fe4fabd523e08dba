"""Tests of the course itself: committed notebooks, setup commands, pins, CI, lint."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import course  # noqa: E402


def _pins_from_pyproject() -> list[str]:
    """Every pinned requirement string (with its environment marker, if any), in file order."""
    text = (ROOT / "pyproject.toml").read_text()
    return re.findall(r'^\s*"([A-Za-z0-9_.-]+==[^"]+)",?\s*$', text, re.M)


def _code_cells(nb: dict) -> list[dict]:
    return [c for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]


def _load(path: Path) -> dict:
    return json.loads(path.read_text())


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks/NN_*.ipynb found"
    assert NOTEBOOKS[0].name == "00_sequences_and_the_rnn_family.ipynb"


def test_environment_yml_matches_pyproject_pins():
    pins = _pins_from_pyproject()
    assert any(p.startswith("torch==2.13.0; sys_platform == 'linux'") for p in pins)
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert pip_section == pins, "environment.yml and pyproject.toml pin different packages or versions"


def test_every_dependency_is_pinned_exactly():
    text = (ROOT / "pyproject.toml").read_text()
    block = re.findall(r"^\s*\"([^\"]+)\",?\s*$", text, re.M)
    deps = [d for d in block if re.match(r"^[A-Za-z0-9_.-]+\s*[<>=!~]", d)]
    loose = [d for d in deps if "==" not in d]
    assert not loose, f"unpinned dependencies: {loose}"


def test_lab_command_is_local_with_token_in_notebooks():
    cmd = course.lab_command([])
    assert "--ServerApp.ip=127.0.0.1" in cmd
    assert f"--ServerApp.root_dir={ROOT / 'notebooks'}" in cmd
    assert not any("token=" in c.lower() or "disable_check_xsrf" in c.lower() for c in cmd)


def test_test_command_runs_units_and_strict_nbval():
    cmd = course.test_command([])
    assert "--nbval" in cmd and "--nbval-lax" not in cmd
    assert "tests" in cmd and "notebooks" in cmd
    assert cmd[cmd.index("--dist") + 1] == "loadfile"  # a notebook's cells stay in one kernel


def test_ci_runs_exactly_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci/run").read_text()
    assert "python3 course.py test" in readme
    assert re.search(r"^python3 course\.py test$", ci, re.M)


def test_readme_course_map_lists_every_notebook():
    readme = (ROOT / "README.md").read_text()
    for path in NOTEBOOKS:
        assert f"notebooks/{path.name}" in readme, f"{path.name} missing from the README's course map"
    for name in re.findall(r"notebooks/(\d\d_[\w-]+\.ipynb)", readme):
        assert (ROOT / "notebooks" / name).exists(), f"README links a missing notebook {name}"


def _header_minutes(path: Path) -> int | None:
    first = "".join(_load(path)["cells"][0]["source"])
    found = re.search(r"(?:about|~)\s*(\d+)\s*min", first, re.I)
    return int(found.group(1)) if found else None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_minutes_agree_between_header_and_readme(path):
    minutes = _header_minutes(path)
    assert minutes, "the first cell should say how long the notebook takes ('about N minutes')"
    row = next((ln for ln in (ROOT / "README.md").read_text().splitlines() if f"notebooks/{path.name}" in ln), "")
    assert row.rstrip().rstrip("|").strip().split("|")[-1].strip() == str(minutes), (
        f"README's course map and the notebook's header disagree on minutes ({minutes} in the header)"
    )


def test_ruff_clean():
    ruff = Path(sys.executable).with_name("ruff")
    result = subprocess.run([str(ruff), "check", "--quiet", str(ROOT)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    folders = [str(ROOT / name) for name in ("rnn_helpers", "tests", "benchmarks", "scripts")]
    result = subprocess.run([str(ruff), "format", "--check", *folders], capture_output=True, text=True)
    assert result.returncode == 0, "run: ruff format rnn_helpers tests benchmarks scripts\n" + result.stdout


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_committed_executed_in_order(path):
    nb = _load(path)
    code = _code_cells(nb)
    counts = [c["execution_count"] for c in code]
    assert counts == list(range(1, len(code) + 1)), f"execution counts {counts}: re-run in a fresh kernel"
    errors = [o for c in code for o in c["outputs"] if o["output_type"] == "error"]
    assert not errors, f"{len(errors)} error outputs committed"
    stderr = [o for c in code for o in c["outputs"] if o.get("name") == "stderr"]
    assert not stderr, f"stderr committed (warnings?): {''.join(stderr[0]['text'])[:300]}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_structure(path):
    nb = _load(path)
    first = nb["cells"][0]
    assert first["cell_type"] == "markdown" and "".join(first["source"]).startswith("# ")
    setup = _code_cells(nb)[0]
    src = "".join(setup["source"])
    assert "parameters" in setup["metadata"].get("tags", []), "setup cell must be tagged 'parameters'"
    assert re.search(r"^SEED = 0$", src, re.M)
    assert "seed_everything(SEED)" in src and "use_course_style()" in src
    headings = [
        line
        for c in nb["cells"]
        if c["cell_type"] == "markdown"
        for line in "".join(c["source"]).splitlines()
        if line.startswith("#")
    ]
    assert any("Summary" in h for h in headings) and any("Exercises" in h for h in headings)
    outputs = [o for c in _code_cells(nb) for o in c["outputs"]]
    assert any("image/png" in o.get("data", {}) for o in outputs), "no figure in the outputs"
    assert any("check_" in "".join(c["source"]) for c in _code_cells(nb)), "no exercise check"
    for cell in nb["cells"]:
        assert "slideshow" in cell["metadata"], "every cell needs slide metadata"


def test_second_setup_reuses_the_environment(monkeypatch, tmp_path):
    """Idempotent: with the stamp matching pyproject.toml, setup installs nothing."""
    calls = []
    monkeypatch.setattr(course.subprocess, "run", lambda *a, **k: calls.append(a))
    monkeypatch.setattr(course, "VENV", tmp_path)
    monkeypatch.setattr(course, "PY", Path(sys.executable))
    monkeypatch.setattr(course, "STAMP", tmp_path / "stamp")
    monkeypatch.setattr(course, "_music_cache", lambda: None)  # tested on its own below
    course.STAMP.write_text(course._fingerprint())
    course.setup(quiet=True)
    assert calls == []
    course.STAMP.write_text("an older pyproject")
    course.setup(quiet=True)
    assert len(calls) == 2  # pip upgrade, then the pinned install
    assert course.STAMP.read_text() == course._fingerprint()


def test_setup_derives_the_music_cache_only_when_missing(monkeypatch, tmp_path):
    calls = []
    monkeypatch.setattr(course.subprocess, "run", lambda *a, **k: calls.append(a))
    monkeypatch.setattr(course, "ROOT", tmp_path)
    course._music_cache()
    assert len(calls) == 1 and calls[0][0][-1] == "rnn_helpers.music"
    (tmp_path / "build" / "cache").mkdir(parents=True)
    (tmp_path / "build" / "cache" / "chorales.npz").write_bytes(b"")
    course._music_cache()
    assert len(calls) == 1
