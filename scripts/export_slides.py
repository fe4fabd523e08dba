"""Export every notebook as reveal.js slides that work offline, in slides/.

    python3 course.py slides                         # every notebooks/NN_*.ipynb -> slides/
    python3 course.py slides -- --out /tmp/slides notebooks/03_*.ipynb

Open slides/index.html (or slides/NN_topic.slides.html) in a browser; arrow keys or space move
on, Esc shows the overview, S opens the speaker notes, F goes full screen. The slides follow each
cell's slide type (View > Cell Toolbar / the property inspector in JupyterLab;
scripts/add_slide_metadata.py sets defaults). Exercise solutions stay folded until clicked.

To present live (running code) instead, open the notebook in JupyterLab and use the RISE button
(jupyterlab-rise, installed with the course) or Alt+R.

reveal.js, MathJax, require.js, jQuery and the widget manager are copied into slides/assets/
from their npm packages (see scripts/export_html.py): nothing is loaded from a CDN.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import export_html as web  # noqa: E402
import nbformat  # noqa: E402

ROOT = web.ROOT

SLIDE_CSS = """
.reveal .slides .jp-RenderedHTMLCommon, .reveal .slides .jp-RenderedMarkdown { font-size: 24px; }
.reveal .slides .jp-InputArea-editor, .reveal .slides .jp-OutputArea-output pre { font-size: 17px; }
.reveal .slides .jp-OutputArea-output img { max-height: 560px; width: auto; }
.reveal .slides details.course-solution > summary { font-size: 20px; }
.reveal .slides h1, .reveal .slides h2, .reveal .slides h3 { text-transform: none; }
.jupyter-widgets, .widget-readout, .widget-label { font-family: system-ui, sans-serif; }
"""

SLIDE_TEMPLATES = {
    **web.COURSE_TEMPLATES,
    "course_slides.html.j2": """
{%- extends 'reveal/index.html.j2' -%}
{% from 'course_solutions.j2' import solution_open, solution_close %}
{% block codecell %}{{ solution_open(cell) }}{{ super() }}{{ solution_close(cell) }}{% endblock codecell %}
{% block markdowncell %}{{ solution_open(cell) }}{{ super() }}{{ solution_close(cell) }}{% endblock markdowncell %}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block html_head_css -%}
<style type="text/css">{{ resources.course_css }}</style>
{%- endblock html_head_css -%}
""",
}


def slides_exporter():
    from jinja2 import DictLoader
    from nbconvert import SlidesExporter

    exporter = SlidesExporter(
        template_name="reveal",
        extra_loaders=[DictLoader(SLIDE_TEMPLATES)],
        template_file="course_slides.html.j2",
    )
    web.configure(exporter, slides=True)
    exporter.reveal_theme = "white"  # its fonts ship with reveal.js (the default theme loads Google Fonts)
    exporter.reveal_transition = "none"
    exporter.reveal_number = "c/t"
    exporter.reveal_scroll = True  # tall slides scroll instead of overflowing
    return exporter


def build_slides(paths: list[Path], out: Path) -> Path:
    """Write ``out/NN_topic.slides.html`` for each notebook, ``out/assets`` and an index."""
    out.mkdir(parents=True, exist_ok=True)
    web.copy_assets(out, slides=True)
    exporter = slides_exporter()
    entries = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        title, blurb = web.notebook_title(nb, path.stem)
        resources = {"metadata": {"name": title, "path": str(path.parent)}, "course_css": SLIDE_CSS}
        body, _ = exporter.from_notebook_node(nb, resources=resources)
        target = out / f"{path.stem}.slides.html"
        target.write_text(body, encoding="utf-8")
        entries.append({"href": target.name, "title": title, "blurb": blurb})
        print(f"{path.name} -> {target}", flush=True)
    note = (
        "Keys: &rarr;/space next, &larr; back, Esc overview, S speaker notes, F full screen. "
        "These decks show saved outputs; to run code while presenting, open the notebook in "
        "JupyterLab and start RISE (Alt+R)."
    )
    index = out / "index.html"
    index.write_text(web.index_page(entries, f"{web.TITLE}: slides", note), encoding="utf-8")
    return index


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--out", type=Path, default=ROOT / "slides", help="output folder (slides/)")
    args = parser.parse_args(argv)
    paths = web.notebook_paths(args.notebooks)
    if not paths:
        print("no notebooks found (notebooks/NN_*.ipynb)", file=sys.stderr)
        return 1
    try:
        index = build_slides(paths, args.out)
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"Open {index} in a browser (works offline).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
