"""Give every notebook slide metadata so that each ``##`` section presents as one slide, split into
sub-slides where it would not fit a 1280x720 projector. Outputs are never touched.

    python3 scripts/add_slide_metadata.py                    # every notebooks/NN_*.ipynb, in place
    python3 scripts/add_slide_metadata.py --check            # only report; exit 1 if anything would change
    python3 scripts/add_slide_metadata.py notebooks/03_*.ipynb

Rules (tests/test_browser.py::test_slide_metadata and test_slides_offline check them):
- a markdown cell holding a ``#`` or ``##`` heading below its first line is split there, so every
  section starts with its own cell (whole cells are read, not only their first line; headings inside
  fenced code blocks are ignored);
- the first cell and every cell that opens with a ``#``/``##`` heading start a slide;
- inside a section, a cell whose estimated height would push the current slide past
  ``SLIDE_BUDGET_PX`` starts a sub-slide (``estimate_height`` below: text lines, code lines, the
  pixel height of figures as shown, explorers);
- "skip" and "notes" are kept; every other cell continues the current (sub-)slide ("-").
The notebook also gets ``metadata.rise`` defaults (if unset) for presenting live with RISE in
JupyterLab: ``scroll = true`` and ``theme = "white"`` (no web fonts).
"""

from __future__ import annotations

import argparse
import base64
import re
import struct
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
SLIDE_TYPES = {"slide", "subslide", "fragment", "skip", "notes", "-"}
KEPT_TYPES = {"skip", "notes"}
RISE_DEFAULTS = {"scroll": True, "theme": "white"}
HEADING = re.compile(r"^#{1,2} ")
FENCE = re.compile(r"^\s*(```|~~~)")
# The decks render at 1280x720 (reveal.js default size); about 80 px go to margins and controls.
SLIDE_BUDGET_PX = 640
MAX_IMAGE_WIDTH_PX = 1180  # figures wider than this are scaled down to it (export_slides.py's CSS)
MAX_IMAGE_HEIGHT_PX = 560
PX = {
    "heading": 64,
    "md_line": 34,
    "md_chars": 90,
    "math": 70,
    "code_line": 25,
    "code_pad": 24,
    "out_line": 24,
    "widget": 420,
    "html_line": 30,
}


def split_sections(nb: nbformat.NotebookNode) -> int:
    """Split markdown cells at every ``#``/``##`` heading that is not their first line; return the count."""
    cells, splits = [], 0
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            cells.append(cell)
            continue
        chunks, current, fenced = [], [], False
        for line in cell.source.split("\n"):
            if FENCE.match(line):
                fenced = not fenced
            if not fenced and HEADING.match(line) and any(x.strip() for x in current):
                chunks.append(current)
                current = []
            current.append(line)
        chunks.append(current)
        for k, chunk in enumerate(chunks):
            text = "\n".join(chunk).strip("\n")
            if k == 0:
                cell.source = text
                cells.append(cell)
            else:
                cells.append(nbformat.v4.new_markdown_cell(text, metadata={"slideshow": {"slide_type": "slide"}}))
                splits += 1
    nb.cells = cells
    return splits


def _png_size(b64: str) -> tuple[int, int]:
    head = base64.b64decode(b64[:64] + "=" * (-len(b64[:64]) % 4))
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def estimate_height(cell) -> int:
    """Rough height in pixels of ``cell`` rendered in a deck (input and outputs)."""
    if cell.cell_type == "markdown":
        height = 0
        for line in cell.source.split("\n"):
            if HEADING.match(line) or line.startswith("### "):
                height += PX["heading"]
            elif line.strip().startswith("$$"):
                height += PX["math"]
            elif line.strip():
                height += PX["md_line"] * (1 + len(line) // PX["md_chars"])
            else:
                height += PX["md_line"] // 3
        return height
    if cell.cell_type != "code":
        return 0
    hidden = cell.metadata.get("jupyter", {}).get("source_hidden")
    height = PX["code_pad"] + (PX["md_line"] if hidden else PX["code_line"] * len(cell.source.split("\n")))
    for out in cell.get("outputs", []):
        data = out.get("data", {})
        if "application/vnd.jupyter.widget-view+json" in data:
            height += PX["widget"]
        elif "image/png" in data:
            width, h = _png_size(data["image/png"])
            shown = h * min(1.0, MAX_IMAGE_WIDTH_PX / max(width, 1))
            height += int(min(shown, MAX_IMAGE_HEIGHT_PX))
        elif "text/html" in data:
            height += PX["html_line"] * "".join(data["text/html"]).count("<tr")
        else:
            text = out.get("text") or "".join(data.get("text/plain", ""))
            height += PX["out_line"] * len(str(text).rstrip("\n").split("\n"))
    return height


def wanted_types(nb: nbformat.NotebookNode) -> list[str]:
    """The slide type each cell should have under the rules above."""
    types, used = [], 0
    for i, cell in enumerate(nb.cells):
        current = cell.get("metadata", {}).get("slideshow", {}).get("slide_type")
        first = cell.source.lstrip().split("\n", 1)[0] if cell.source else ""
        height = estimate_height(cell)
        if i == 0 or (cell.cell_type == "markdown" and HEADING.match(first)):
            types.append("slide")
            used = height
        elif current in KEPT_TYPES:
            types.append(current)
        elif used > 0 and used + height > SLIDE_BUDGET_PX:
            types.append("subslide")
            used = height
        else:
            types.append("-")
            used += height
    return types


def normalise(nb: nbformat.NotebookNode) -> list[str]:
    """Fix ``nb``'s sections and slide metadata in place; return a description of each change."""
    changes = []
    splits = split_sections(nb)
    if splits:
        changes.append(f"split {splits} heading(s) into cells of their own")
    for i, (cell, want) in enumerate(zip(nb.cells, wanted_types(nb))):
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
