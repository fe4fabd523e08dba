"""Helpers for the real-browser tests: find Chromium, start JupyterLab, drive a page.

The tests drive Debian's Chromium (``/usr/bin/chromium``) through Playwright for Python; nothing
is downloaded (``playwright install`` is never needed). Every request the page makes that does not
go to the local JupyterLab server or to local files is blocked and recorded, so a test can assert
that the course needs no network at run time.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "artifacts" / "browser"

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")

# Headless, and nothing that phones home: no sync, no component or field-trial downloads.
LAUNCH_ARGS = [
    "--headless=new",
    "--no-sandbox",  # containers and CI runners run as root without user namespaces
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-domain-reliability",
    "--disable-sync",
    "--metrics-recording-only",
    "--no-default-browser-check",
    "--no-first-run",
    "--hide-scrollbars",
    "--mute-audio",
]

LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
LOCAL_SCHEMES = {"file", "data", "blob", "about", "chrome-extension"}


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def find_chromium() -> str | None:
    """Path of a Chromium executable: $CHROMIUM if set (and only it), else Debian's /usr/bin/chromium."""
    override = os.environ.get("CHROMIUM", "")
    for path in [override] if override else CHROMIUM_CANDIDATES:
        if path and Path(path).is_file() and os.access(path, os.X_OK):
            return path
    return None


def require_browser() -> str:
    """Chromium's path and Playwright importable; else skip (locally) or fail (under CI=true)."""
    problems = []
    path = find_chromium()
    if path is None:
        problems.append(
            f"no Chromium at {os.environ.get('CHROMIUM') or '/usr/bin/chromium'} "
            "(install it: `sudo apt-get install chromium`, or point $CHROMIUM at one)"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        problems.append("playwright is not installed in .venv (`python3 course.py setup`)")
    if problems:
        message = "browser tests need a browser: " + "; ".join(problems)
        if in_ci():
            pytest.fail(message + " [CI=true: a missing browser is a failure]", pytrace=False)
        pytest.skip(message)
    return path


def is_local_url(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return True
    return parts.scheme in {"http", "https", "ws", "wss"} and parts.hostname in LOCAL_HOSTS


class Browser:
    """One Playwright + Chromium for the session; ``new_page`` gives a page with the network off.

    Each page records console errors, uncaught exceptions, blocked (non-local) requests and local
    requests that failed, in ``page.course_log`` (a dict of lists).
    """

    def __init__(self, executable: str):
        from playwright.sync_api import sync_playwright

        self._pw = sync_playwright().start()
        try:
            self.browser = self._pw.chromium.launch(executable_path=executable, headless=True, args=LAUNCH_ARGS)
        except Exception:
            self._pw.stop()
            raise

    def new_page(self, width: int = 1280, height: int = 900, scale: float = 1.0):
        context = self.browser.new_context(
            viewport={"width": width, "height": height},
            device_scale_factor=scale,
            service_workers="block",
        )
        log: dict[str, list[str]] = {"console": [], "pageerror": [], "blocked": [], "failed": []}

        def route(route):
            if is_local_url(route.request.url):
                route.continue_()
            else:
                log["blocked"].append(route.request.url)
                route.abort("internetdisconnected")

        context.route("**/*", route)
        page = context.new_page()
        page.on(
            "console",
            lambda msg: (
                log["console"].append(f"{msg.text}  [{msg.location.get('url', '')}]") if msg.type == "error" else None
            ),
        )
        page.on("pageerror", lambda exc: log["pageerror"].append(str(exc)))
        page.on(
            "requestfailed",
            lambda req: (
                log["failed"].append(f"{req.url} ({req.failure})")
                if is_local_url(req.url) and req.url not in log["blocked"]
                else None
            ),
        )
        page.course_log = log
        return page

    def close(self):
        try:
            self.browser.close()
        finally:
            self._pw.stop()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# JupyterLab user settings for the test server (an isolated settings directory):
LAB_SETTINGS = {
    # Render every cell (the default windowing only attaches cells near the viewport).
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    # No update check, no news feed: the test must not need (or try) the network.
    "@jupyterlab/apputils-extension/notification": {"checkForUpdates": False, "fetchNews": "false"},
    # The notebooks under test are copies, but never write them anyway.
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
}


class LabServer:
    """JupyterLab from .venv on 127.0.0.1:<free port> with a random token.

    ``notebooks`` are copied into a temporary ``notebooks/`` (next to a link to ``data/``), so
    running them in the browser never modifies the repository's files.
    """

    def __init__(self, notebooks: list[Path], workdir: Path):
        self.workdir = workdir
        self.root = workdir / "course" / "notebooks"
        self.root.mkdir(parents=True)
        for nb in notebooks:
            shutil.copy2(nb, self.root / nb.name)
        data = ROOT / "data"
        if data.is_dir():
            (self.root.parent / "data").symlink_to(data, target_is_directory=True)
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.url = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ)
        env.pop("MPLBACKEND", None)  # the kernel must draw inline figures
        env.setdefault("PYTHONHASHSEED", "0")
        for var, sub in [
            ("JUPYTER_CONFIG_DIR", "config"),
            ("JUPYTER_DATA_DIR", "data"),
            ("JUPYTER_RUNTIME_DIR", "runtime"),
            ("JUPYTERLAB_SETTINGS_DIR", "settings"),
            ("JUPYTERLAB_WORKSPACES_DIR", "workspaces"),
            ("IPYTHONDIR", "ipython"),
        ]:
            (workdir / sub).mkdir()
            env[var] = str(workdir / sub)
        for plugin, values in LAB_SETTINGS.items():
            path = workdir / "settings" / f"{plugin}.jupyterlab-settings"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values))
        bindir = str(Path(sys.executable).parent)
        env["PATH"] = bindir + os.pathsep + env.get("PATH", "")
        cmd = [
            sys.executable, "-m", "jupyter", "lab", "--no-browser",
            "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0", f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root}", "--LabApp.expose_app_in_browser=True",
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--ServerApp.open_browser=False", "--LabApp.extension_manager=readonly",
        ]  # fmt: skip
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            cmd.append("--allow-root")  # CI containers run as root
        self.log_path = workdir / "jupyterlab.log"
        self._log = open(self.log_path, "w")
        self.proc = subprocess.Popen(cmd, cwd=self.root, env=env, stdout=self._log, stderr=subprocess.STDOUT)
        self._wait_ready(timeout=120)

    def _wait_ready(self, timeout: float):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"JupyterLab exited:\n{self.log_path.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/api/status?token={self.token}", timeout=5) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"JupyterLab did not start:\n{self.log_path.read_text()[-3000:]}")

    def lab_url(self) -> str:
        return f"{self.url}/lab?token={self.token}&reset"

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self._log.close()


# ---------------------------------------------------------------------------------------------
# JavaScript run in the JupyterLab page (window.jupyterapp is exposed by the server option).

JS_WAIT_APP = "() => !!(window.jupyterapp && window.jupyterapp.shell && document.querySelector('#jp-main-dock-panel'))"

JS_OPEN_AND_RUN = """
async (path) => {
  const app = window.jupyterapp;
  await app.restored;
  window.__course = {path, done: false, error: null, ran: null};
  const panel = await app.commands.execute('docmanager:open', {path, factory: 'Notebook'});
  window.__course.panel = panel;
  await panel.context.ready;
  await panel.sessionContext.ready;
  // Wait until the kernel has started and answers (status idle).
  const t0 = Date.now();
  while (!(panel.sessionContext.session && panel.sessionContext.session.kernel &&
           panel.sessionContext.session.kernel.status === 'idle')) {
    if (Date.now() - t0 > 120000) { throw new Error('kernel did not become idle'); }
    await new Promise(r => setTimeout(r, 100));
  }
  app.shell.activateById(panel.id);
  app.shell.collapseLeft();  // the file browser only takes width from the screenshots
  window.__course.started = performance.now();
  app.commands.execute('notebook:run-all-cells').then(
    (ran) => { window.__course.ran = ran; window.__course.done = true; },
    (err) => { window.__course.error = String(err); window.__course.done = true; });
  return true;
}
"""

JS_RUN_FINISHED = """
() => {
  const c = window.__course;
  if (!c || !c.done) return false;
  const kernel = c.panel.sessionContext.session && c.panel.sessionContext.session.kernel;
  if (!kernel || kernel.status !== 'idle') return false;
  // No cell still queued or running (prompt shows [*]).
  for (const cell of c.panel.content.widgets) {
    const prompt = cell.node.querySelector('.jp-InputPrompt');
    if (cell.model.type === 'code' && prompt && prompt.textContent.includes('*')) return false;
  }
  if (!c.finished) c.finished = performance.now();
  return true;
}
"""

JS_COLLECT = """
() => {
  const c = window.__course;
  const strip = (s) => String(s).replace(/\\u001b\\[[0-9;]*m/g, '');
  const cells = [];
  c.panel.content.widgets.forEach((cell, index) => {
    if (cell.model.type !== 'code') return;
    const outputs = cell.model.outputs.toJSON();
    cells.push({
      index,
      source: cell.model.sharedModel.getSource().slice(0, 120),
      execution_count: cell.model.executionCount,
      errors: outputs.filter(o => o.output_type === 'error')
                     .map(o => o.ename + ': ' + o.evalue + '\\n' + strip((o.traceback || []).join('\\n'))),
      stderr: outputs.filter(o => o.output_type === 'stream' && o.name === 'stderr')
                     .map(o => strip(Array.isArray(o.text) ? o.text.join('') : o.text)),
      widget_views: outputs.filter(o => o.data && o.data['application/vnd.jupyter.widget-view+json']).length,
    });
  });
  const node = c.panel.content.node;
  // A widget view's output node carries no data-mime-type; once rendered it holds the widget.
  const views = [...node.querySelectorAll('.jp-OutputArea-output')].filter(o =>
    !o.getAttribute('data-mime-type') ||
    o.getAttribute('data-mime-type') === 'application/vnd.jupyter.widget-view+json');
  return {
    run_error: c.error,
    seconds: (c.finished - c.started) / 1000,
    cells,
    widget_outputs: views.length,
    widget_rendered: views.filter(v => v.querySelector(':scope > .jupyter-widgets')).length,
    widget_text_problems: views.filter(v => v.querySelector('.jupyter-widgets-error-widget') ||
                                             /Error displaying widget|Loading widget/.test(v.textContent))
                               .map(v => v.textContent.trim()),
    stderr_nodes: [...node.querySelectorAll('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')]
                   .map(n => n.textContent.slice(0, 500)),
  };
}
"""

JS_WIDGETS_SETTLED = """
() => {
  const node = window.__course.panel.content.node;
  return !/Loading widget/.test(node.textContent);
}
"""

# Explorer controls the test moves, in order of preference (the first one found in the notebook).
EXPLORER_CONTROLS = [".widget-slider", ".widget-dropdown", ".widget-toggle-buttons", ".widget-text"]

# Fingerprint of what the cell holding the first control matching ``selector`` shows: image bytes
# (hashed), SVG, and the output text outside the controls; plus the control's current value.
JS_EXPLORER_FINGERPRINT = """
async (selector) => {
  const node = window.__course.panel.content.node;
  const control = node.querySelector(selector);
  if (!control) return null;
  const cell = control.closest('.jp-Cell');
  const hex = (buf) => [...new Uint8Array(buf)].map(b => b.toString(16).padStart(2, '0')).join('');
  const parts = [];
  for (const img of cell.querySelectorAll('.jp-OutputArea img')) {
    let bytes;
    if (img.src.startsWith('blob:')) {
      bytes = await (await fetch(img.src)).arrayBuffer();
    } else {
      bytes = new TextEncoder().encode(img.src);
    }
    parts.push('img:' + hex(await crypto.subtle.digest('SHA-256', bytes)).slice(0, 16));
  }
  for (const svg of cell.querySelectorAll('.jp-OutputArea svg')) {
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(svg.outerHTML));
    parts.push('svg:' + hex(digest).slice(0, 16));
  }
  const clone = cell.querySelector('.jp-Cell-outputWrapper').cloneNode(true);
  clone.querySelectorAll('.widget-readout, .widget-slider, .widget-label, select, input, button, ' +
                         '.widget-dropdown, .widget-toggle-buttons, .widget-text').forEach(e => e.remove());
  parts.push('text:' + clone.textContent.replace(/\\s+/g, ' ').trim());
  const readout = control.querySelector('.widget-readout');
  const select = control.querySelector('select');
  const input = control.querySelector('input');
  const active = control.querySelector('button.mod-active');
  const value = readout ? readout.textContent : select ? select.value : active ? active.textContent
              : input ? input.value : null;
  return {fingerprint: parts.join('|'), readout: value,
          description: (control.querySelector('.widget-label') || {}).textContent || ''};
}
"""

JS_SCROLL_TOP = """
() => {
  const outer = window.__course.panel.content.node.querySelector('.jp-WindowedPanel-outer');
  outer.scrollTop = 0;
  return outer.scrollHeight;
}
"""

JS_CLOSE = """
async () => {
  const c = window.__course;
  if (!c || !c.panel) return;
  try { await c.panel.sessionContext.shutdown(); } catch (e) {}
  c.panel.context.model.dirty = false;
  c.panel.dispose();
  window.__course = null;
}
"""


# Explorers of the open notebook: the output boxes that wire() builds (class "course-explorer").
JS_EXPLORERS = """
() => [...window.__course.panel.content.node.querySelectorAll('.course-explorer')].map((box, k) => {
  const name = [...box.classList].find(c => c.startsWith('explorer-'));
  const slider = box.querySelector('.widget-slider'), select = box.querySelector('.widget-dropdown');
  const control = slider || select || box.querySelector('.widget-text');
  const label = control ? control.querySelector('.widget-label') : null;
  return {index: k, name: name ? name.slice('explorer-'.length) : '?',
          kind: slider ? 'slider' : select ? 'dropdown' : control ? 'text' : null,
          description: label ? label.textContent.trim() : ''};
})
"""

# Slider-to-screen latency, measured inside the page: the input event's timestamp (keydown or
# change, captured before any widget code runs) against the first animation frame after the
# explorer's <img> received its new picture and decoded it. Marks the control to press with
# data-latency-target and returns the direction that has room (ArrowRight or ArrowLeft).
JS_LATENCY_INSTALL = """
(index) => {
  const box = window.__course.panel.content.node.querySelectorAll('.course-explorer')[index];
  document.querySelectorAll('[data-latency-target]').forEach(e => e.removeAttribute('data-latency-target'));
  const img = box.querySelector('img');
  const st = window.__latency = {t0: null, samples: [], img};
  const start = e => { if (st.t0 === null) st.t0 = e.timeStamp; };
  box.addEventListener('keydown', start, true);
  box.addEventListener('change', start, true);
  if (st.observer) st.observer.disconnect();
  st.observer = new MutationObserver(() => {
    const t0 = st.t0;
    if (t0 === null) return;
    st.t0 = null;
    img.decode().catch(() => null).then(() => requestAnimationFrame(t => st.samples.push(t - t0)));
  });
  st.observer.observe(img, {attributes: true, attributeFilter: ['src']});
  const handle = box.querySelector('.widget-slider .noUi-handle');
  const target = handle || box.querySelector('.widget-dropdown select') || box.querySelector('.widget-text input');
  target.setAttribute('data-latency-target', '1');
  if (!handle) return 'other';
  const now = Number(handle.getAttribute('aria-valuenow')), max = Number(handle.getAttribute('aria-valuemax'));
  return now < max ? 'ArrowRight' : 'ArrowLeft';
}
"""
