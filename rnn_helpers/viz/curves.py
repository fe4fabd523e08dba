"""Loss curves: live while a notebook trains, static at the end (committed notebooks show them).

:class:`LiveLossCurve` keeps one figure outside pyplot (so Jupyter does not show it twice),
renders it to PNG every ``every`` steps into one display slot, and renders the final curve
into the same slot when closed: the executed notebook keeps that last, static image.
:func:`train_with_live_curve` wraps a training step function in a ``tqdm.auto`` loop with it.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ..style import COURSE_COLORS

__all__ = ["plot_loss_curves", "LiveLossCurve", "train_with_live_curve"]


def _running_mean(v: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Running mean over windows of k: returns (x positions 1-based, means)."""
    k = max(1, min(int(k), v.size))
    means = np.convolve(v, np.ones(k) / k, mode="valid")  # (n - k + 1,)
    return np.arange(k, v.size + 1), means


def plot_loss_curves(
    histories,
    ax: Axes | None = None,
    *,
    key: str = "loss",
    smooth: int = 1,
    logy: bool = False,
    xlabel: str = "training step",
    ylabel: str | None = None,
    baseline: float | None = None,
) -> Axes:
    """Loss per step for one or several runs, overlaid with a legend.

    Inputs:
        histories: dict label -> (list/array of values or a history dict holding ``key``),
            or a single list/array/history dict.
        key: which series of a history dict to draw ("loss", "val_loss", ...).
        smooth: running-mean window; with smooth > 1 the raw values are drawn faintly behind.
        logy: log scale on y. baseline: dashed horizontal reference (e.g. chance loss).
    Returns:
        The Axes; one Line2D per run with gid "curve:<label>" (the smoothed one if smooth > 1).
    """
    single = not isinstance(histories, dict) or (
        key in histories and not isinstance(histories[key], dict)
    )  # one run: a series, or one history dict {"loss": [...], ...}
    if single:
        histories = {None: histories}
    if not histories:
        raise ValueError("histories must contain at least one run")
    if ax is None:
        _, ax = plt.subplots()
    for i, (label, h) in enumerate(histories.items()):
        if isinstance(h, dict):
            if key not in h:
                raise ValueError(f"history {label!r} has no {key!r} (keys: {sorted(h)})")
            h = h[key]
        v = np.asarray(h, dtype=float)
        if v.ndim != 1 or v.size == 0:
            raise ValueError(f"run {label!r} must be a non-empty 1-D series, got shape {v.shape}")
        color = COURSE_COLORS[i % len(COURSE_COLORS)]
        steps = np.arange(1, v.size + 1)
        if smooth > 1:
            ax.plot(steps, v, color=color, alpha=0.25, linewidth=1, gid=f"raw:{label}")
            steps, v = _running_mean(v, smooth)
        ax.plot(steps, v, color=color, label=label, gid=f"curve:{label}")
    if baseline is not None:
        ax.axhline(baseline, color="0.4", linestyle="--", linewidth=1.5, gid="baseline")
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel or key.replace("_", " "))
    if any(label is not None for label in histories):
        ax.legend()
    return ax


def _in_notebook() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with jupyter
        return False
    shell = get_ipython()
    return shell is not None and "IPKernelApp" in getattr(shell, "config", {})


class LiveLossCurve:
    """A loss curve that redraws while training and stays as a static image afterwards.

    Usage (in a notebook cell)::

        live = LiveLossCurve(every=20, title="adding problem")
        for step in tqdm(range(steps)):
            loss = train_step()
            live.update(loss=loss)            # any named series: loss=..., val_loss=...
        fig = live.close()                    # final render stays in the output

    Inputs:
        every: redraw every ``every`` updates (rendering costs ~30 ms: keep it >= 10 for
            fast loops).
        title, logy, smooth: as in :func:`plot_loss_curves` (smooth applies to the drawing).
        display: show it (default: only inside a Jupyter kernel); tests pass False.
        figsize, dpi: of the figure.
    Attributes:
        history: dict series name -> list of values; fig, ax: the figure and its Axes;
        renders: how many redraws happened (every ``every`` updates, plus the final one;
            without a display only the final one is actually drawn).
    """

    def __init__(
        self,
        every: int = 10,
        *,
        title: str | None = None,
        logy: bool = False,
        smooth: int = 1,
        display: bool | None = None,
        figsize: tuple[float, float] = (8.0, 4.0),
        dpi: int = 80,
    ):
        if isinstance(every, bool) or not isinstance(every, int) or every < 1:
            raise ValueError(f"every must be a positive int, got {every!r}")
        self.every = every
        self.title = title
        self.logy = logy
        self.smooth = smooth
        self.history: dict[str, list[float]] = {}
        self.renders = 0
        self.closed = False
        self.fig = Figure(figsize=figsize, dpi=dpi)
        FigureCanvasAgg(self.fig)
        self.ax = self.fig.add_subplot()
        self._n = 0
        self._handle = None
        self._display = _in_notebook() if display is None else display

    def update(self, **values: float) -> None:
        """Record one step of each named series (e.g. ``loss=0.3``); redraw every ``every``."""
        if self.closed:
            raise ValueError("this LiveLossCurve is closed; create a new one")
        if not values:
            raise ValueError("update needs at least one named value, e.g. update(loss=0.5)")
        for name, v in values.items():
            v = float(v)
            self.history.setdefault(name, []).append(v)
        self._n += 1
        if self._n % self.every == 0:
            self._render(final=False)

    def _draw(self) -> None:
        self.ax.clear()
        series = {name: {"loss": v} for name, v in self.history.items()}  # one run per series
        plot_loss_curves(series, self.ax, smooth=self.smooth, logy=self.logy, ylabel="loss")
        if len(self.history) == 1:
            self.ax.get_legend().remove()
        if self.title:
            self.ax.set_title(self.title)
        self.fig.tight_layout()

    def png(self) -> bytes:
        """The current figure as PNG bytes."""
        buf = io.BytesIO()
        self.fig.canvas.print_png(buf)
        return buf.getvalue()

    def _render(self, final: bool) -> None:
        self.renders += 1
        if not (self._display or final):
            return  # nobody is watching: draw only the final figure
        self._draw()
        if not self._display:
            return
        from IPython.display import Image, display

        image = Image(data=self.png(), format="png")
        if self._handle is None:
            self._handle = display(image, display_id=True)
        else:
            self._handle.update(image)

    def close(self) -> Figure:
        """Draw the final curve (kept in the output as a static image) and return the figure."""
        if not self.history:
            raise ValueError("nothing to draw: update() was never called")
        if not self.closed:
            self._render(final=True)
            self.closed = True
        return self.fig


def train_with_live_curve(
    step: Callable[[int], float | dict[str, float]],
    steps: int,
    *,
    every: int | None = None,
    desc: str | None = None,
    title: str | None = None,
    logy: bool = False,
    smooth: int = 1,
    display: bool | None = None,
    progress: bool = True,
) -> tuple[dict[str, list[float]], Figure]:
    """Run ``step(i)`` for i = 0..steps-1 under a ``tqdm.auto`` bar, drawing the loss live.

    Inputs:
        step: function doing one update and returning the loss (a float) or a dict of named
            values (e.g. {"loss": ..., "val_loss": ...}).
        steps: number of calls. every: redraw interval (default steps // 10, at least 1).
        desc: progress-bar label; title, logy, smooth, display: see :class:`LiveLossCurve`.
        progress: show the progress bar.
    Returns:
        history: dict name -> list of values (one per step); fig: the final static figure.
    """
    from tqdm.auto import tqdm

    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 1:
        raise ValueError(f"steps must be a positive int, got {steps!r}")
    every = max(1, int(steps) // 10) if every is None else every
    live = LiveLossCurve(every, title=title, logy=logy, smooth=smooth, display=display)
    bar = tqdm(range(int(steps)), desc=desc, disable=not progress, mininterval=0.5)
    for i in bar:
        out = step(i)
        values = out if isinstance(out, dict) else {"loss": out}
        live.update(**values)
        if progress:
            bar.set_postfix({k: f"{v:.3g}" for k, v in values.items()}, refresh=False)
    return live.history, live.close()
