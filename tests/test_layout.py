"""The package layout: every module imports, no import cycles, the import rules of
CONTRIBUTING.md hold, and CONTRIBUTING.md's module table lists exactly the modules there are."""

import ast
import importlib
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import pytest

import rnn_helpers

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "rnn_helpers"
CORE = {"ops", "_validate", "rnn", "lstm", "gru", "bidirectional", "gradcheck", "torch_convert", "reproducibility",
        "style", "linear_recurrence", "mingru"}  # fmt: skip
IDEAS = {"tasks", "datasets", "models", "training", "forecasting", "gradients", "scalar", "programs", "seq2seq",
         "trees", "ngram", "charlm", "music", "captioning"}  # fmt: skip


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


FILES = sorted(PKG.rglob("*.py"))
MODULES = {module_name(f): f for f in FILES}


def package_imports(path: Path) -> list[tuple[str, list[str], bool]]:
    """(imported rnn_helpers module, names imported from it, at module level?) for one file."""
    tree = ast.parse(path.read_text())
    me = module_name(path)
    base = me.split(".") if path.name == "__init__.py" else me.split(".")[:-1]
    top = {id(n) for n in tree.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                mod = ".".join(base[: len(base) - node.level + 1] + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            if not mod.startswith("rnn_helpers"):
                continue
            names = [a.name for a in node.names]
            for n in names:  # "from . import rnn" imports a module
                if f"{mod}.{n}" in MODULES:
                    found.append((f"{mod}.{n}", [], id(node) in top))
            found.append((mod, [n for n in names if f"{mod}.{n}" not in MODULES], id(node) in top))
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("rnn_helpers"):
                    found.append((a.name, [], id(node) in top))
    return [(m, n, t) for m, n, t in found if m != me]


def graph() -> dict[str, set[str]]:
    return {m: {i for i, _, _ in package_imports(f) if i in MODULES} for m, f in MODULES.items()}


def test_every_module_imports_in_a_fresh_interpreter():
    names = [m.name for m in pkgutil.walk_packages(rnn_helpers.__path__, "rnn_helpers.")]
    assert len(names) >= 40
    code = "import importlib, sys\nfor n in sys.argv[1:]:\n    importlib.import_module(n)"
    subprocess.run([sys.executable, "-c", code, *names], check=True, cwd=ROOT)


def test_no_import_cycles():
    g = graph()
    state: dict[str, int] = {}

    def visit(m: str, path: list[str]):
        state[m] = 1
        for n in sorted(g[m]):
            if n.startswith(m + "."):  # a package importing its own submodules is not a cycle
                continue
            if state.get(n) == 1:
                pytest.fail("import cycle: " + " -> ".join(path[path.index(n):] + [n]) if n in path
                            else f"import cycle through {m} -> {n}")  # fmt: skip
            if n not in state:
                visit(n, path + [n])
        state[m] = 2

    for m in sorted(g):
        if m not in state:
            visit(m, [m])


def layer(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "init"
    if parts[1] in ("viz", "explorers", "exercises"):
        return parts[1]
    return "core" if parts[1] in CORE else "idea" if parts[1] in IDEAS else "unknown"


ALLOWED = {
    "core": {"core"},
    "idea": {"core", "idea"},
    "viz": {"core", "viz"},
    "explorers": {"core", "idea", "viz", "explorers"},
    "exercises": {"exercises"},  # only the shared feedback module, see FEEDBACK below
    "init": {"core"},
}
# exercises/ imports nothing from the rest of the package (each checker carries its reference);
# the checks share only their feedback plumbing, which imports nothing from the package itself
FEEDBACK = "rnn_helpers.exercises.feedback"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_import_rules(module):
    me = layer(module)
    assert me != "unknown", f"{module} is in no layer of CONTRIBUTING.md; add it to CORE or IDEAS here"
    for imported, names, top_level in package_imports(MODULES[module]):
        if imported.startswith(module + "."):
            continue  # a package's __init__ importing its own submodules
        assert top_level, f"{module} imports {imported} inside a function"
        assert layer(imported) in ALLOWED[me], f"{module} ({me}) must not import {imported} ({layer(imported)})"
        if me == "exercises":
            assert module != FEEDBACK, f"{FEEDBACK} must import nothing from the package, got {imported}"
            assert imported == FEEDBACK, f"{module} may import only {FEEDBACK} from the package, got {imported}"
        private = [n for n in names if n.startswith("_")]
        assert not private, f"{module} imports the private name(s) {private} from {imported}"


def table_entries() -> list[str]:
    text = (ROOT / "CONTRIBUTING.md").read_text()
    section = text[text.index("## Package layout") :]
    section = section[: section.index("\n## ", 3)]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return [p for row in rows for p in re.findall(r"`([\w/]+\.py)`", row.split("|")[1])]


def test_contributing_module_table_matches_the_tree():
    listed = table_entries()
    assert len(listed) == len(set(listed)), "a module is listed twice"
    actual = {str(f.relative_to(PKG)) for f in FILES}
    exercises = {p for p in actual if re.fullmatch(r"exercises/ex\d\d\.py", p)}
    assert "exercises/exNN.py" in listed and exercises
    assert set(listed) - {"exercises/exNN.py"} == actual - exercises


def test_top_level_is_the_curated_public_surface():
    public = {n for n in dir(rnn_helpers) if not n.startswith("_")}
    modules = {n for n in public if isinstance(getattr(rnn_helpers, n), type(rnn_helpers))}
    assert set(rnn_helpers.__all__) == public - modules
    for name in ("lstm_forward", "gru_backward", "gradcheck_report", "params_from_torch", "seed_everything",
                 "use_course_style"):  # fmt: skip
        assert name in rnn_helpers.__all__
    assert "fit" not in rnn_helpers.__all__ and "EXPLORERS" not in rnn_helpers.__all__


def test_importing_the_package_does_not_import_torch_models_or_widgets():
    code = "import sys, rnn_helpers; print(sorted(m for m in sys.modules if m.startswith('rnn_helpers.')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    loaded = set(eval(out))
    assert not any(layer(m) in ("explorers", "viz", "idea") for m in loaded), loaded
    importlib.import_module("rnn_helpers.explorers")  # and the explorers import fine on their own
