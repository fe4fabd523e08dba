"""Render the executed course as a static website that works offline, in site/.

    python3 course.py html                          # every notebooks/NN_*.ipynb -> site/
    python3 course.py html -- --execute             # re-execute first (fresh kernel, nothing saved)
    python3 course.py html -- --out /tmp/site notebooks/03_*.ipynb

Open site/index.html in a browser: it links the notebooks in order. Each page shows the committed
outputs, renders the equations and the saved state of the widgets (sliders show the values they
had when the notebook was executed; moving them needs a live kernel, i.e. JupyterLab), and keeps
exercise solutions folded until you click "Show the solution".

Nothing is loaded from the network: MathJax 2, require.js and the Jupyter widgets HTML manager
are copied into site/assets/ from their npm packages. The packages are fetched once with
`npm pack` (needs Node.js) into build/web/ and checked against the sha512 hashes pinned below.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import html
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
CACHE = ROOT / "build" / "web"

# npm packages copied next to the pages: name -> (version, sha512 integrity from the registry).
WEB_PACKAGES = {
    "requirejs": (
        "2.3.8",
        "sha512-7/cTSLOdYkNBNJcDMWf+luFvMriVm7eYxp4BcFCsAX0wF421Vyce5SXP17c+Jd5otXKGNehIonFlyQXSowL6Mw==",
    ),
    "mathjax": (
        "2.7.9",
        "sha512-NOGEDTIM9+MrsqnjPEjVGNx4q0GQxqm61yQwSK+/5S59i26wId5IC5gNu9/bu8+CCVl5p9G2IHcAl/wJa+5+BQ==",
    ),
    "@jupyter-widgets/html-manager": (
        "1.0.15",
        "sha512-5thBIV6ymNgmPVOHvzx+gGy8ZSKmSazhtGw4/c4xJDVzRhG9PTeQsRjF3FUTopvFi//SABeNz1yp47bCrJ3CQA==",
    ),
    "jquery": (
        "3.7.1",
        "sha512-m4avr8yL8kmFN8psrbFFFmB/If14iN5o9nw/NgnnM+kybDJpRsAynV2BsfpTYrTRysYUdADVD7CkUUizgkpLfg==",
    ),
    "reveal.js": (
        "4.6.1",
        "sha512-1CW0auaXNPmwmvQ7TwpszwVxMi2Xr5cTS3J3EBC/HHgbPF32Dn7aiu/LKWDOGjMbaDwKQiGmfqcoGQ74HUHCMw==",
    ),
}

# What of each package the pages need (paths inside the package -> paths under assets/).
MATHJAX_PARTS = [
    "MathJax.js",
    "config/TeX-AMS_CHTML-full.js",
    "config/Safe.js",
    "extensions",
    "jax/input/TeX",
    "jax/output/CommonHTML",
    "jax/element",
    "fonts/HTML-CSS/TeX/woff",
    "LICENSE",
]
HTML_MANAGER_FONTS = ["*.woff2", "*.woff"]
ASSETS = "assets"  # folder next to the pages
MATHJAX_URL = f"{ASSETS}/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe"
REQUIRE_URL = f"{ASSETS}/require.js"
JQUERY_URL = f"{ASSETS}/jquery.min.js"
WIDGETS_URL = f"{ASSETS}/html-manager/dist/embed-amd.js"

TITLE = "Recurrent neural networks: an interactive course"

COURSE_CSS = """
main { max-width: 1100px; margin: 0 auto; padding: 0 1em 3em; }
nav.course-nav { max-width: 1100px; margin: 0 auto; padding: 0.6em 1em; display: flex;
  gap: 1.5em; font: 15px/1.4 system-ui, sans-serif; border-bottom: 1px solid #ddd; }
nav.course-nav.bottom { border-top: 1px solid #ddd; border-bottom: none; }
nav.course-nav a { color: #0072B2; text-decoration: none; }
nav.course-nav .spacer { flex: 1; }
details.course-solution { margin: 0.5em 0 0.5em 0; border: 1px solid #ccc; border-radius: 4px; }
details.course-solution > summary { cursor: pointer; padding: 0.4em 0.8em; font-weight: 600;
  font-family: system-ui, sans-serif; color: #0072B2; background: #f5f8fb; }
details.course-solution[open] > summary { border-bottom: 1px solid #ccc; }
.jupyter-widgets, .widget-readout, .widget-label { font-family: system-ui, sans-serif; }
"""

# The course's pages: the lab template with local scripts, solutions folded, and navigation.
COURSE_TEMPLATES = {
    "course_solutions.j2": """
{%- macro solution_open(cell) -%}
{%- if cell.metadata.get('jupyter', {}).get('source_hidden') -%}
{%- set label = 'Show the answer' if cell.cell_type == 'markdown' else 'Show the solution' -%}
<details class="course-solution"><summary>{{ label }}</summary>
{%- endif -%}
{%- endmacro -%}
{%- macro solution_close(cell) -%}
{%- if cell.metadata.get('jupyter', {}).get('source_hidden') -%}
</details>
{%- endif -%}
{%- endmacro -%}
""",
    "course_page.html.j2": """
{%- extends 'lab/index.html.j2' -%}
{% from 'course_solutions.j2' import solution_open, solution_close %}
{% block codecell %}{{ solution_open(cell) }}{{ super() }}{{ solution_close(cell) }}{% endblock codecell %}
{% block markdowncell %}{{ solution_open(cell) }}{{ super() }}{{ solution_close(cell) }}{% endblock markdowncell %}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{% block extra_css %}<style type="text/css">{{ resources.course_css }}</style>{% endblock extra_css %}
{%- block body_header -%}
{{ super() }}
{{ resources.course_nav_top }}
{%- endblock body_header -%}
{% block body_footer %}
{{ resources.course_nav_bottom }}
{{ super() }}
{% endblock body_footer %}
""",
}


# ---------------------------------------------------------------------------------------------
# npm packages, fetched once into build/web/ and verified


def _integrity(path: Path) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(path.read_bytes()).digest()).decode()


def _safe_extract(tar: tarfile.TarFile, dest: Path) -> None:
    dest = dest.resolve()
    for member in tar.getmembers():
        target = (dest / member.name).resolve()
        if not str(target).startswith(str(dest) + "/") or not (member.isfile() or member.isdir()):
            raise RuntimeError(f"refusing to extract {member.name!r}")
    tar.extractall(dest)  # noqa: S202 (members checked above)


def web_package(name: str, cache: Path = CACHE) -> Path:
    """Folder holding the npm package ``name`` at its pinned version (fetched when missing)."""
    version, integrity = WEB_PACKAGES[name]
    folder = cache / f"{name.replace('/', '__')}-{version}"
    if (folder / ".verified").exists():
        return folder / "package"
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError(
            f"npm is needed once to fetch {name}@{version} (offline copies of MathJax, reveal.js "
            "and the widget manager): install Node.js, e.g. `sudo apt-get install npm`"
        )
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(
            [npm, "pack", f"{name}@{version}", "--json", "--pack-destination", tmp],
            capture_output=True, text=True, cwd=tmp,
        )  # fmt: skip
        if out.returncode != 0:
            raise RuntimeError(f"`npm pack {name}@{version}` failed:\n{out.stderr[-2000:]}")
        tarball = Path(tmp) / json.loads(out.stdout)[0]["filename"]
        got = _integrity(tarball)
        if got != integrity:
            raise RuntimeError(f"{name}@{version}: integrity {got} != pinned {integrity}")
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        with tarfile.open(tarball) as tar:
            _safe_extract(tar, folder)
    (folder / ".verified").write_text(integrity + "\n")
    return folder / "package"


def _copy(src: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    if src.is_dir():
        shutil.copytree(src, dest, dirs_exist_ok=True)
    else:
        shutil.copy2(src, dest)


def copy_assets(out: Path, slides: bool = False) -> Path:
    """Copy what the pages load into ``out/assets``; with ``slides`` also reveal.js and jQuery."""
    assets = out / ASSETS
    _copy(web_package("requirejs") / "require.js", assets / "require.js")
    mathjax = web_package("mathjax")
    for part in MATHJAX_PARTS:
        _copy(mathjax / part, assets / "mathjax" / part)
    manager = web_package("@jupyter-widgets/html-manager") / "dist"
    # embed-amd.js bundles the manager and the built-in widgets; the icon fonts sit beside it
    # (browsers take the woff2/woff entries of the @font-face rules).
    for part in ["embed-amd.js", "embed.js.LICENSE.txt", *HTML_MANAGER_FONTS]:
        for src in sorted(manager.glob(part)):
            _copy(src, assets / "html-manager" / "dist" / src.name)
    if slides:
        _copy(web_package("jquery") / "dist" / "jquery.min.js", assets / "jquery.min.js")
        reveal = web_package("reveal.js")
        for part in ["dist", "plugin/notes", "LICENSE"]:
            _copy(reveal / part, assets / "reveal.js" / part)
    return assets


# ---------------------------------------------------------------------------------------------
# pages


def notebook_paths(paths: list[Path] | None = None) -> list[Path]:
    """The given notebooks, or every notebooks/NN_*.ipynb, in course order."""
    found = paths or sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    return sorted((Path(p) for p in found), key=lambda p: p.name)


def notebook_title(nb: nbformat.NotebookNode, fallback: str) -> tuple[str, str]:
    """(title, first paragraph) from the first markdown cell's ``# `` heading."""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        lines = cell.source.strip().splitlines()
        title = next((ln[2:].strip() for ln in lines if ln.startswith("# ")), None)
        if title is None:
            continue
        rest = "\n".join(ln for ln in lines if not ln.startswith("# ")).strip()
        return title, rest
    return fallback, ""


def configure(exporter, slides: bool = False):
    """Point an nbconvert HTML/Slides exporter at the local assets instead of CDNs."""
    exporter.require_js_url = REQUIRE_URL
    exporter.mathjax_url = MATHJAX_URL
    exporter.widget_renderer_url = WIDGETS_URL
    exporter.jquery_url = JQUERY_URL
    exporter.mermaid_js_url = f"{ASSETS}/no-mermaid.js"  # block removed in our templates
    exporter.embed_images = True
    if slides:
        exporter.reveal_url_prefix = f"{ASSETS}/reveal.js"
    return exporter


def _nav(entries: list[tuple[str, str]], i: int, suffix: str, bottom: bool) -> str:
    def link(j: int, text: str) -> str:
        return f'<a href="{entries[j][0]}{suffix}">{text}</a>' if 0 <= j < len(entries) else ""

    prev = link(i - 1, f"&larr; {html.escape(entries[i - 1][1])}") if i > 0 else ""
    nxt = link(i + 1, f"{html.escape(entries[i + 1][1])} &rarr;") if i + 1 < len(entries) else ""
    cls = "course-nav bottom" if bottom else "course-nav"
    return f'<nav class="{cls}"><a href="index.html">Contents</a>{prev}<span class="spacer"></span>{nxt}</nav>'


def summary_html(markdown: str) -> str:
    """A notebook's opening summary (markdown with LaTeX) as HTML, as JupyterLab renders it.

    nbconvert's own markdown filter does the work; MathJax on the index page typesets the maths."""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    return markdown2html_mistune(markdown)


def index_page(entries: list[dict], heading: str, note: str) -> str:
    items = "\n".join(
        f'<li><a href="{html.escape(e["href"])}">{html.escape(e["title"])}</a>'
        f'<div class="summary">{summary_html(e["blurb"])}</div></li>'
        for e in entries
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{html.escape(heading)}</title>
<script type="text/x-mathjax-config">
MathJax.Hub.Config({{tex2jax: {{inlineMath: [['$','$'], ['\\\\(','\\\\)']], processEscapes: true}}}});
</script>
<script src="{MATHJAX_URL}"></script>
<style>
body {{ font: 18px/1.5 system-ui, sans-serif; max-width: 50em; margin: 2em auto; padding: 0 1em;
  color: #222; }}
h1 {{ font-size: 1.8em; }}
ul.course-index {{ list-style: none; padding: 0; }}
ul.course-index > li {{ margin: 1.2em 0; }}
ul.course-index > li > a {{ font-size: 1.2em; font-weight: 600; color: #0072B2; text-decoration: none; }}
ul.course-index .summary {{ margin: 0.2em 0 0; color: #333; }}
ul.course-index .summary p {{ margin: 0.3em 0; }}
.note {{ color: #555; font-size: 0.9em; border-top: 1px solid #ddd; padding-top: 1em; }}
</style></head>
<body>
<h1>{html.escape(heading)}</h1>
<ul class="course-index">
{items}
</ul>
<p class="note">{note}</p>
</body></html>
"""


def execute_copy(nb: nbformat.NotebookNode, path: Path) -> nbformat.NotebookNode:
    """Execute ``nb`` in a fresh kernel (as scripts/refresh_notebooks.py does); nothing saved."""
    from nbclient import NotebookClient

    client = NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}},
                            store_widget_state=True)  # fmt: skip
    client.execute()
    return nb


def build_site(paths: list[Path], out: Path, execute: bool = False) -> Path:
    """Write ``out/index.html``, one page per notebook and ``out/assets``; return the index."""
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    out.mkdir(parents=True, exist_ok=True)
    copy_assets(out)
    exporter = configure(
        HTMLExporter(
            template_name="lab",
            extra_loaders=[DictLoader(COURSE_TEMPLATES)],
            template_file="course_page.html.j2",
        )
    )
    notebooks = [(p, nbformat.read(p, as_version=4)) for p in paths]
    titles = [(p.stem, notebook_title(nb, p.stem)[0]) for p, nb in notebooks]
    entries = []
    for i, (path, nb) in enumerate(notebooks):
        if execute:
            nb = execute_copy(nb, path)
        resources = {
            "metadata": {"name": titles[i][1], "path": str(path.parent)},
            "course_css": COURSE_CSS,
            "course_nav_top": _nav(titles, i, ".html", bottom=False),
            "course_nav_bottom": _nav(titles, i, ".html", bottom=True),
        }
        body, _ = exporter.from_notebook_node(nb, resources=resources)
        (out / f"{path.stem}.html").write_text(body, encoding="utf-8")
        title, blurb = notebook_title(nb, path.stem)
        entries.append({"href": f"{path.stem}.html", "title": title, "blurb": blurb})
        print(f"{path.name} -> {out / (path.stem + '.html')}", flush=True)
    note = (
        "Static copy for reading offline: the figures and widgets show the values saved when the "
        "notebooks were executed. To move the sliders, run the notebooks in JupyterLab "
        "(<code>python3 course.py lab</code>)."
    )
    index = out / "index.html"
    index.write_text(index_page(entries, TITLE, note), encoding="utf-8")
    return index


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--out", type=Path, default=ROOT / "site", help="output folder (site/)")
    parser.add_argument("--execute", action="store_true", help="re-execute before rendering")
    args = parser.parse_args(argv)
    paths = notebook_paths(args.notebooks)
    if not paths:
        print("no notebooks found (notebooks/NN_*.ipynb)", file=sys.stderr)
        return 1
    try:
        index = build_site(paths, args.out, execute=args.execute)
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"Open {index} in a browser (works offline).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
