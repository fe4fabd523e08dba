"""The repository works unchanged on Binder / a JupyterHub built by repo2docker.

repo2docker looks for its configuration in binder/ (or .binder/) if that folder exists, else in
the repository root. Here: environment.yml (conda + pinned pip packages) and postBuild (installs
the course's own package). The pins themselves are compared with pyproject.toml in
tests/test_course.py; this file checks what repo2docker needs, and that nothing the course needs
at run time is fetched from the network.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import tokenize
from io import StringIO
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    tomllib = pytest.importorskip("tomli")
yaml = pytest.importorskip("yaml")  # PyYAML comes with JupyterLab (jupyter-events)

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _env() -> dict:
    return yaml.safe_load((ROOT / "environment.yml").read_text())


def _pip_entries(env: dict) -> list[str]:
    for dep in env["dependencies"]:
        if isinstance(dep, dict) and "pip" in dep:
            return list(dep["pip"])
    return []


def _name(requirement: str) -> str:
    return re.split(r"[=<>!~\[; ]", requirement, maxsplit=1)[0].strip().lower().replace("_", "-")


def test_repo2docker_reads_the_root_configuration():
    # A binder/ or .binder/ folder would make repo2docker ignore environment.yml and postBuild here.
    for folder in ("binder", ".binder"):
        assert not (ROOT / folder).exists(), f"{folder}/ would hide the root environment.yml/postBuild"
    # A Dockerfile overrides every other file; a second dependency file makes the build ambiguous.
    for other in ("Dockerfile", "requirements.txt", "Pipfile", "Pipfile.lock", "setup.py"):
        assert not (ROOT / other).exists(), f"{other} would change how repo2docker builds the image"
    assert (ROOT / "environment.yml").is_file() and (ROOT / "postBuild").is_file()


def test_environment_yml_is_a_complete_conda_environment():
    env = _env()
    deps = env["dependencies"]
    python = [d for d in deps if isinstance(d, str) and re.match(r"python\s*[=<>]", d)]
    assert len(python) == 1, "pin the Python version (python=3.X) so the image matches the course"
    version = tuple(int(x) for x in re.findall(r"\d+", python[0])[:2])
    minimum = tuple(int(x) for x in re.findall(r"\d+", PYPROJECT["project"]["requires-python"])[:2])
    assert version >= minimum, f"{python[0]} is older than requires-python"
    assert "pip" in deps, "the pip section needs pip itself in the conda dependencies"
    pip = _pip_entries(env)
    names = {_name(p) for p in pip}
    # What a learner's kernel and JupyterLab need, and the browser extensions the notebooks use.
    needed = {_name(d) for d in PYPROJECT["project"]["dependencies"]}
    needed |= {"jupyterlab", "ipykernel", "jupyterlab-rise"}
    assert needed <= names, f"missing from environment.yml: {sorted(needed - names)}"
    assert all("==" in p for p in pip), "every pip entry pinned exactly (==)"


def test_environment_yml_does_not_install_the_package_itself():
    # repo2docker installs environment.yml before the repository is copied in: a "-e ." there
    # fails the build. postBuild installs the package instead.
    pip = _pip_entries(_env())
    local = [p for p in pip if p.startswith(("-e", ".", "/", "file:")) or "rnn-helpers" in _name(p)]
    assert not local, f"environment.yml installs the local package: {local}"


def test_postbuild_is_executable_and_installs_the_package():
    path = ROOT / "postBuild"
    text = path.read_text()
    assert text.startswith("#!"), "postBuild needs a shebang (#!/bin/bash)"
    assert os.access(path, os.X_OK), "postBuild must be executable (chmod +x postBuild)"
    tracked = subprocess.run(["git", "ls-files", "-s", "postBuild"], cwd=ROOT, capture_output=True, text=True).stdout
    if tracked:  # in a git checkout: the executable bit must be committed, not only local
        assert tracked.startswith("100755"), f"postBuild is committed without +x: {tracked.strip()}"
    assert re.search(r"^set -e", text, re.M), "postBuild must stop at the first failing command"
    installs = [
        shlex.split(line)
        for line in text.splitlines()
        if re.search(r"\bpip install\b", line) and not line.lstrip().startswith("#")
    ]
    assert installs, "postBuild must pip install the course package"
    for args in installs:
        assert "--no-deps" in args, "postBuild must not change environment.yml's pinned versions"
        targets = [a for a in args[args.index("install") + 1 :] if not a.startswith("-")]
        assert targets, f"pip install without a target: {args}"
        for target in targets:
            assert (ROOT / target).resolve().is_dir(), f"postBuild installs {target!r}, not a folder here"
            assert (ROOT / target / "pyproject.toml").is_file()
    include = PYPROJECT["tool"]["setuptools"]["packages"]["find"]["include"]
    assert any(re.fullmatch(pat.replace("*", ".*"), "rnn_helpers") for pat in include)


# ---------------------------------------------------------------------------------------------
# nothing needed at run time comes from the network

NETWORK_CALLS = re.compile(
    r"urlopen|urlretrieve|urllib\.request|\brequests\.(get|post|Session)|http\.client|"
    r"torch\.hub|load_state_dict_from_url|download\s*=\s*True|hf_hub_download|from_pretrained|"
    r"\bsocket\.|snapshot_download|tfds\.load|kagglehub|gdown"
)
SHELL_NETWORK = re.compile(r"^\s*[!%]\s*(pip|conda|mamba|wget|curl|git\s+clone|apt)", re.M)
REMOTE_ASSET = re.compile(r"""(src|href)\s*=\s*["']?(https?:)?//""", re.I)


def _code_without_comments_and_strings(source: str) -> str:
    out = []
    try:
        for tok in tokenize.generate_tokens(StringIO(source).readline):
            if tok.type not in (tokenize.COMMENT, tokenize.STRING):
                out.append(tok.string)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return source
    return " ".join(out)


def _python_sources() -> list[Path]:
    return sorted(p for p in (ROOT / "rnn_helpers").rglob("*.py"))


@pytest.mark.parametrize("path", _python_sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_package_makes_no_network_calls(path):
    code = _code_without_comments_and_strings(path.read_text())
    hits = sorted({m.group(0) for m in NETWORK_CALLS.finditer(code)})
    assert not hits, f"{path.relative_to(ROOT)} reaches for the network at run time: {hits}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_needs_no_network(path):
    nb = json.loads(path.read_text())
    problems = []
    for i, cell in enumerate(nb["cells"]):
        source = "".join(cell["source"])
        if cell["cell_type"] == "code":
            if SHELL_NETWORK.search(source):
                problems.append(f"cell {i} installs or downloads: {SHELL_NETWORK.search(source).group(0)!r}")
            code = _code_without_comments_and_strings(
                "\n".join(ln for ln in source.splitlines() if not ln.lstrip().startswith(("!", "%")))
            )
            problems += [f"cell {i} calls {m.group(0)!r}" for m in NETWORK_CALLS.finditer(code)]
            for out in cell.get("outputs", []):
                html = "".join(out.get("data", {}).get("text/html", ""))
                if REMOTE_ASSET.search(html):
                    problems.append(f"cell {i} output loads a remote asset: {REMOTE_ASSET.search(html).group(0)}")
        elif cell["cell_type"] == "markdown":
            # Links to read are fine; an image or script from the web is not shown offline.
            for m in re.finditer(r"!\[[^\]]*\]\((https?://[^)]+)\)|<(img|script)[^>]+src=[\"']https?://", source):
                problems.append(f"cell {i} embeds a remote image/script: {m.group(0)[:80]}")
    assert not problems, "\n".join(problems)
