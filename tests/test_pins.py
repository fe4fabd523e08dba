"""The pinned stack installs from wheels on every Python and OS the README names.

For each Python in SUPPORTED_PYTHONS and each platform in PLATFORMS, the whole pinned set of
pyproject.toml (dependencies and every extra) is resolved for that target without installing
anything, wheels only (``uv pip compile --python-version --python-platform --only-binary :all:``).
uv evaluates environment markers (``sys_platform``, ``python_version``) for the target, which
``pip install --dry-run --platform`` does not: pip evaluates platform markers on the machine it runs on.
Needs the package index (as the install itself does); pip's configured find-links are passed on, so
a local wheel that pip would use here (the CPU build of torch) is seen too.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SUPPORTED_PYTHONS = ["3.10", "3.11", "3.12", "3.13", "3.14"]
PLATFORMS = {
    "Linux x86_64": "x86_64-manylinux_2_28",
    "macOS arm64": "aarch64-apple-darwin",
    "Windows x86_64": "x86_64-pc-windows-msvc",
}


def pinned_requirements() -> list[str]:
    """Every requirement string of pyproject.toml's dependencies and optional dependencies."""
    text = (ROOT / "pyproject.toml").read_text()
    return re.findall(r'^\s*"([A-Za-z0-9_.-]+==[^"]+)",?\s*$', text, re.M)


def _find_links() -> list[str]:
    out = subprocess.run([sys.executable, "-m", "pip", "config", "list"], capture_output=True, text=True).stdout
    links = []
    for line in out.splitlines():
        if line.split("=", 1)[0].endswith("find-links"):
            links += line.split("=", 1)[1].strip("'\" ").split()
    return [arg for link in links if Path(link).exists() for arg in ("--find-links", link)]


def test_readme_names_the_supported_pythons():
    readme = (ROOT / "README.md").read_text()
    assert f"Python {SUPPORTED_PYTHONS[0]} to {SUPPORTED_PYTHONS[-1]}" in readme
    assert f'requires-python = ">={SUPPORTED_PYTHONS[0]}"' in (ROOT / "pyproject.toml").read_text()


def test_pinned_stack_resolves_from_wheels(tmp_path):
    """All Python x OS targets, resolved concurrently (each is network-bound, not CPU-bound)."""
    uv = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")
    assert uv, "uv (a dev dependency) is missing from the environment"
    reqs = tmp_path / "requirements.txt"
    reqs.write_text("\n".join(pinned_requirements()) + "\n")
    runs = {}
    for python in SUPPORTED_PYTHONS:
        for platform, triple in PLATFORMS.items():
            out = tmp_path / f"{python}-{triple}.txt"
            cmd = [
                uv,
                "pip",
                "compile",
                "--quiet",
                "--no-config",
                "--python-version",
                python,
                "--python-platform",
                triple,
                "--only-binary",
                ":all:",
                *_find_links(),
                str(reqs),
                "-o",
                str(out),
            ]
            runs[python, platform, out] = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True)
    failures = []
    for (python, platform, out), proc in runs.items():
        _, err = proc.communicate(timeout=900)
        if proc.returncode != 0:
            failures.append(f"Python {python} on {platform}: {err[-1500:]}")
            continue
        resolved = out.read_text()
        for req in pinned_requirements():
            name = req.split("==")[0]
            if not re.search(rf"^{re.escape(name)}==", resolved, re.M | re.I):
                failures.append(f"Python {python} on {platform}: {name} missing from the resolution")
    assert not failures, "\n".join(failures)
