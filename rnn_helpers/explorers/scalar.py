"""Explorers of the lecture notes' scalar recurrence O_t = f(x_t w + O_{t-1} w'): how long it
remembers (notebook 01), and gradient descent with one learning rate (notebook 02).
"""

from __future__ import annotations

import ipywidgets as W
import numpy as np

from ..scalar import scalar_forward, scalar_loss_grid, scalar_teacher_data, train_scalar
from .base import agg_figure, register_explorer, wire

__all__ = ["scalar_memory_view", "scalar_memory_explorer", "scalar_lr_view", "scalar_lr_explorer"]


def scalar_memory_view(w: float, w_prime: float, activation: str = "linear", T: int = 20, ax=None):
    """How long the scalar recurrence remembers one input: O_t after an impulse x = (1, 0, 0, ...).

    With f linear, O_t = w w'^(t-1): memory fades for |w'| < 1 and blows up for |w'| > 1 (a
    preview of vanishing and exploding gradients); tanh keeps O_t within (-1, 1).

    Inputs: w, w_prime, activation, T (number of steps); ax to draw into (or None for no plot).
    Returns: dict with "t" (T,), "O" (T,), "regime" ("fades" if |O_T| < |O_1|/4, "blows up" if
        |O_T| > 4 |O_1|, otherwise "persists"), and "ax".
    """
    x = np.zeros(T)
    x[0] = 1.0
    O, _ = scalar_forward(x, w, w_prime, 0.0, activation)
    first, last = abs(O[0]), abs(O[-1])
    if not np.isfinite(last) or last > 4 * max(first, 1e-12):
        regime = "blows up"
    elif last < 0.25 * first:
        regime = "fades"
    else:
        regime = "persists"
    t = np.arange(1, T + 1)
    if ax is not None:
        ax.plot(t, np.clip(O, -1e3, 1e3), marker="o")
        ax.set(xlabel="step t", ylabel="$O_t$")
    return {"t": t, "O": O, "regime": regime, "ax": ax}


def scalar_memory_explorer(activation: str = "linear", T: int = 20):
    """Sliders for w and w' (and the activation) over :func:`scalar_memory_view`.

    Returns: an :class:`~rnn_helpers.widgets.Explorer`; ``state`` holds the last view's result.
    """

    controls = {
        "w": W.FloatSlider(value=1.0, min=-2.0, max=2.0, step=0.05, description="w"),
        "w_prime": W.FloatSlider(value=0.8, min=-1.5, max=1.5, step=0.05, description="w'"),
        "activation": W.ToggleButtons(options=["linear", "tanh"], value=activation, description="f"),
    }
    fig = agg_figure((6.4, 3.4))
    ax = fig.add_subplot()
    t = np.arange(1, T + 1)
    (line,) = ax.plot(t, np.zeros(T), marker="o", color="#0072B2")
    ax.axhline(0, color="0.5", lw=1)
    # symlog: linear near 0 (fading memories stay visible), logarithmic beyond 1 (blow-ups fit)
    ax.set_yscale("symlog", linthresh=1.0)
    ax.set(xlabel="step t", ylabel="$O_t$ after $x_1 = 1$", xlim=(0.5, T + 0.5), ylim=(-1e3, 1e3))
    title = ax.set_title(" ", fontsize=14)
    fig.tight_layout()

    def update():
        v = scalar_memory_view(controls["w"].value, controls["w_prime"].value, controls["activation"].value, T)
        line.set_ydata(np.clip(v["O"], -1e3, 1e3))
        title.set_text(f"w = {controls['w'].value:.2f}, w' = {controls['w_prime'].value:.2f}: memory {v['regime']}")
        return {k: v[k] for k in ("t", "O", "regime")}, [line, title]

    return wire(controls, fig, update, [line, title], stack=True)


def scalar_lr_view(x, y, w0: float, w_prime0: float, lr: float, steps: int = 30, activation: str = "linear") -> dict:
    """Gradient descent from (w0, w'0) with one learning rate: the path and the loss per step.

    Inputs: x (N, T), y (N,), start weights, lr, steps, activation.
    Returns: dict with the :func:`train_scalar` history and "verdict": "converges" (the loss fell
        below 1% of its start), "diverges" (stopped early or the loss ended above its start) or
        "too slow" (in between).
    """
    hist = train_scalar(x, y, w0, w_prime0, lr, steps, activation=activation)
    L = hist["loss"]
    if hist["diverged"] or L[-1] > L[0]:
        verdict = "diverges"
    elif L[-1] > 0.01 * L[0]:
        verdict = "too slow"
    else:
        verdict = "converges"
    return {**hist, "verdict": verdict, "lr": lr}


def scalar_lr_explorer(
    x,
    y,
    w0: float = -0.5,
    w_prime0: float = -0.5,
    steps: int = 30,
    activation: str = "linear",
    w_range=(-1.5, 2.5),
    w_prime_range=(-1.5, 1.5),
    lr_values=(0.01, 0.03, 0.1, 0.3, 1.0, 2.0, 3.0),
):
    """A learning-rate selector over :func:`scalar_lr_view`: the descent path on the loss contours
    of (w, w') and the loss per step.

    Inputs: x (N, T), y (N,), start weights, steps, activation, grid ranges, lr choices.
    Returns: an :class:`~rnn_helpers.widgets.Explorer` with control "lr"; ``state`` holds the last
        view's result (history and verdict).
    """

    ws = np.linspace(*w_range, 61)
    wps = np.linspace(*w_prime_range, 61)
    grid = scalar_loss_grid(x, y, ws, wps, activation=activation)
    controls = {
        "lr": W.SelectionSlider(options=list(lr_values), value=lr_values[len(lr_values) // 2], description="lr")
    }
    fig = agg_figure((9.0, 3.6))
    ax_c, ax_l = fig.subplots(1, 2)
    ax_c.imshow(
        np.log10(grid + 1e-6),
        origin="lower",
        aspect="auto",
        cmap="viridis",
        extent=(*w_range, *w_prime_range),
    )
    ax_c.grid(False)
    (path,) = ax_c.plot([], [], marker="o", ms=3, color="#E69F00", lw=1.5)
    ax_c.set(xlabel="w", ylabel="w'", xlim=w_range, ylim=w_prime_range, title="loss surface (log)")
    (curve,) = ax_l.plot([], [], color="#0072B2")
    ax_l.set(xlabel="update", ylabel="$\\log_{10}$ loss", xlim=(0, steps), ylim=(-8, 6))
    title = ax_l.set_title(" ", fontsize=14)
    fig.tight_layout()

    def update():
        v = scalar_lr_view(x, y, w0, w_prime0, controls["lr"].value, steps, activation)
        path.set_data(v["w"], v["w_prime"])
        curve.set_data(np.arange(len(v["loss"])), np.log10(np.maximum(v["loss"], 1e-12)))
        title.set_text(f"lr = {v['lr']:g}: {v['verdict']}")
        return v, [path, curve, title]

    return wire(controls, fig, update, [path, curve, title], stack=True)


@register_explorer("scalar_memory", sweep={"w_prime": [0.5, 0.9, 1.1, 1.3], "activation": ["tanh", "linear"]})
def _example_memory_explorer():
    return scalar_memory_explorer()


@register_explorer("scalar_learning_rate", sweep={"lr": [0.01, 0.3, 1.0, 3.0]})
def _example_lr_explorer():
    x, y = scalar_teacher_data(32, 4, activation="linear", rng=0)
    return scalar_lr_explorer(x, y)
