"""Add or normalise the slide metadata of notebooks, touching nothing else (outputs stay as they are).

    python3 scripts/add_slide_metadata.py                    # every notebooks/NN_*.ipynb, in place
    python3 scripts/add_slide_metadata.py --check            # only report; exit 1 if anything is missing
    python3 scripts/add_slide_metadata.py notebooks/03_*.ipynb

Rules (the ones tests/test_browser.py::test_slide_metadata checks):
- the first cell, and every markdown cell that opens with a ``#`` or ``##`` heading, starts a slide;
- a markdown cell that opens with ``###`` starts a sub-slide, unless it already has a valid type;
- every other cell keeps a valid slide type it already has ("subslide", "fragment", "skip",
  "notes", "-"); a missing or unknown one becomes "-" (continue the current slide).
The notebook also gets ``metadata.rise`` defaults (if unset) for presenting live with RISE in
JupyterLab: ``scroll = true`` (long slides scroll) and ``theme = "white"`` (no web fonts).
A notebook whose metadata already follows the rules is not rewritten.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
SLIDE_TYPES = {"slide", "subslide", "fragment", "skip", "notes", "-"}
# RISE (live slides in JupyterLab): long slides scroll; the "white" theme's fonts ship with RISE
# (its default theme, "simple", fetches Google Fonts, which fails offline).
RISE_DEFAULTS = {"scroll": True, "theme": "white"}


def wanted_type(cell, index: int) -> str:
    """The slide type ``cell`` (at position ``index``) should have under the rules above."""
    current = cell.get("metadata", {}).get("slideshow", {}).get("slide_type")
    first_line = cell.source.lstrip().split("\n", 1)[0] if cell.source else ""
    if index == 0:
        return "slide"
    if cell.cell_type == "markdown" and re.match(r"#{1,2} ", first_line):
        return "slide"
    if current in SLIDE_TYPES:
        return current
    if cell.cell_type == "markdown" and first_line.startswith("### "):
        return "subslide"
    return "-"


def normalise(nb: nbformat.NotebookNode) -> list[str]:
    """Fix ``nb``'s slide metadata in place; return a description of each change."""
    changes = []
    for i, cell in enumerate(nb.cells):
        want = wanted_type(cell, i)
        show = cell.metadata.setdefault("slideshow", {})
        if show.get("slide_type") != want:
            changes.append(f"cell {i}: {show.get('slide_type')!r} -> {want!r}")
            show["slide_type"] = want
    rise = nb.metadata.setdefault("rise", {})
    for key, value in RISE_DEFAULTS.items():
        if key not in rise:
            rise[key] = value
            changes.append(f"notebook: rise.{key} = {value!r}")
    return changes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--check", action="store_true", help="report only, write nothing")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    needed = 0
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        changes = normalise(nb)
        if not changes:
            print(f"{path.name}: ok")
            continue
        needed += 1
        print(f"{path.name}: {len(changes)} change(s)" + ("" if args.check else ", saved"))
        for change in changes:
            print(f"  {change}")
        if not args.check:
            nbformat.write(nb, path)
    return 1 if (args.check and needed) else 0


if __name__ == "__main__":
    sys.exit(main())
