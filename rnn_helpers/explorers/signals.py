"""Explorer of a handwritten digit read point by point (notebook 10): the pen path so far and
the classifier's probabilities after it.
"""

from __future__ import annotations

import ipywidgets as W
import numpy as np

from ..viz.signals import pen_path_artists, set_pen_path
from .base import agg_figure, register_explorer, wire

__all__ = ["pen_reader_view", "pen_reader_explorer"]


def pen_reader_view(points, probs, index: int, steps: int) -> dict:
    """A digit read point by point: the pen path so far and the classifier's probabilities after it.

    Inputs: points (N, T, 2); probs (N, T, C), the softmax after each point; index < N;
    1 <= steps <= T. Returns dict with "points" (T, 2) of that digit, "steps", "p" (C,) after
    ``steps`` points and "guess" (argmax of p).
    """
    points, probs = np.asarray(points), np.asarray(probs)
    if points.ndim != 3 or points.shape[2] != 2 or probs.ndim != 3 or probs.shape[:2] != points.shape[:2]:
        raise ValueError(
            f"points must be (N, T, 2) and probs (N, T, C) with the same N, T; got {points.shape} and {probs.shape}"
        )
    N, T, _ = points.shape
    if not 0 <= index < N or not 1 <= steps <= T:
        raise ValueError(f"index must be in 0..{N - 1} and steps in 1..{T}, got {index} and {steps}")
    p = probs[index, steps - 1]
    return {"points": points[index], "steps": steps, "p": p, "guess": int(np.argmax(p))}


def pen_reader_explorer(points, probs, labels=None):
    """Sliders for the test digit and the number of pen points read; shows the path drawn so far
    (the rest faint) and the probability of every digit after those points (the guess in vermillion)."""
    N, T, _ = np.asarray(points).shape
    C = np.asarray(probs).shape[2]
    controls = {
        "digit": W.IntSlider(value=0, min=0, max=N - 1, description="digit"),
        "steps": W.IntSlider(value=T // 2, min=1, max=T, description="points read"),
    }
    fig = agg_figure((7.5, 3.0))
    ax_pen, ax_p = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 2.2]})
    bars = ax_p.bar(range(C), np.zeros(C), color="#0072B2")
    ax_p.set(ylim=(0, 1), xticks=range(C), xlabel="digit", ylabel="probability")
    fig.subplots_adjust(left=0.02, right=0.98, bottom=0.2, top=0.85, wspace=0.25)
    pen = pen_path_artists(ax_pen, T)  # updated in place: no clearing and redrawing the axes
    points = np.asarray(points, dtype=float)

    def update():
        view = pen_reader_view(points, probs, controls["digit"].value, controls["steps"].value)
        set_pen_path(pen, view["points"], view["steps"])
        for k, (bar, value) in enumerate(zip(bars, view["p"])):
            bar.set_height(value)
            bar.set_color("#D55E00" if k == view["guess"] else "#0072B2")
        truth = "" if labels is None else f" (label {labels[controls['digit'].value]})"
        title.set_text(f"after {view['steps']} of {T} points: guess {view['guess']}{truth}")
        return dict(view), moving

    title = ax_p.set_title(" ", fontsize=12)
    moving = [*bars, pen["rest"], pen["read"], pen["dots"], pen["start"], title]  # drawn over a fixed background
    return wire(controls, fig, update, animated=moving)


@register_explorer("pen_reader", sweep={"steps": [2, 5, 8], "digit": [4, 7]})
def _example_pen_reader():
    rng = np.random.default_rng(0)
    probs = rng.dirichlet(np.ones(10), size=(20, 8))  # (N, T, C)
    return pen_reader_explorer(rng.random((20, 8, 2)), probs)
