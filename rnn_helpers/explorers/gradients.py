"""Explorers of exploding and vanishing gradients (notebook 03): the gradient norm against the
lag, and gradient descent near the cliff with and without clipping.
"""

from __future__ import annotations

import ipywidgets as W
import numpy as np
from matplotlib.ticker import NullLocator

from ..gradients import (
    activation_derivative_bound,
    cliff_descent,
    cliff_loss_and_grad,
    cliff_wall,
    hidden_jacobian_norms,
    scaled_orthogonal,
)
from ..style import COURSE_COLORS, OKABE_ITO
from .base import Explorer, agg_figure, check_step, register_explorer, wire

__all__ = ["gradient_lag_view", "gradient_lag_explorer", "cliff_view", "cliff_explorer"]


def gradient_lag_view(scale: float, activation: str = "tanh", T: int = 50, H: int = 16,
                      seed: int = 0) -> dict:  # fmt: skip
    """||dh_T/dh_k|| against the lag T - k for W_h = scale * (random orthogonal matrix).

    dh_T/dh_k = prod_{t=k+1}^{T} diag(f'(a_t)) W_h, bounded by (gamma * scale)^(T-k) with
    gamma = max|f'| (1 for tanh and ReLU, 1/4 for sigmoid).

    Inputs:
        scale: spectral radius (= every singular value) of W_h; activation: "tanh", "relu"
        or "sigmoid"; T steps; H units; seed for W_h, h_0 and the inputs.
    Returns:
        dict with "lag" (T+1,), "norms" (T+1,), "bound" (T+1,) = (gamma scale)^lag,
        "verdict": "vanishing" (||dh_T/dh_0|| < 1e-3), "exploding" (> 1e3) or "kept".
    """

    if not scale > 0:
        raise ValueError(f"scale must be positive, got {scale!r}")
    T = check_step("T", T, 1, 10_000)
    W = scaled_orthogonal(H, scale, seed)
    norms = hidden_jacobian_norms(W, activation, T, seed)
    lag = np.arange(T + 1)
    gamma = activation_derivative_bound(activation)
    end = norms[-1]
    verdict = "vanishing" if end < 1e-3 else "exploding" if end > 1e3 else "kept"
    return {"lag": lag, "norms": norms, "bound": (gamma * scale) ** lag, "verdict": verdict,
            "scale": scale, "activation": activation, "T": T}  # fmt: skip


def gradient_lag_explorer(H: int = 16, seed: int = 0) -> Explorer:
    """Sliders for the recurrent-weight scale and T, a dropdown for the activation, over
    ``gradient_lag_view``: the gradient norm against lag on a log scale with its bound.

    Returns: an Explorer with controls "scale", "activation", "T".
    """

    fig = agg_figure((7.5, 4.2))
    ax = fig.add_subplot()
    (line,) = ax.plot([], [], color=COURSE_COLORS[0], marker="o", markersize=3,
                      label=r"$\|\partial h_T/\partial h_k\|$")  # fmt: skip
    (bound,) = ax.plot([], [], "--", color="0.45", label=r"bound $(\gamma\,s)^{T-k}$")
    ax.axhline(1.0, color="0.7", linewidth=1)
    ax.set_yscale("log")
    floor, ceiling = 1e-20, 1e20  # fixed axes, so the background can be reused
    ax.set_ylim(floor, ceiling)
    ax.set_yticks([10.0**e for e in range(-20, 21, 5)])
    ax.yaxis.set_minor_locator(NullLocator())
    ax.set_xlim(0, 100)
    ax.set_xlabel("lag $T-k$")
    ax.set_ylabel("gradient norm")
    legend = ax.legend(loc="upper right")
    fig.subplots_adjust(left=0.14, right=0.97, bottom=0.16, top=0.88)
    title = ax.set_title(" ")
    controls = {
        "scale": W.FloatSlider(value=1.0, min=0.5, max=1.5, step=0.05, description="scale s"),
        "activation": W.Dropdown(options=["tanh", "relu", "sigmoid"], value="tanh", description="f"),  # fmt: skip
        "T": W.IntSlider(value=50, min=10, max=100, step=10, description="T"),
    }

    def update():
        v = gradient_lag_view(controls["scale"].value, controls["activation"].value,
                              controls["T"].value, H, seed)  # fmt: skip
        line.set_data(v["lag"], np.clip(v["norms"], floor, ceiling))
        bound.set_data(v["lag"], np.clip(v["bound"], floor, ceiling))
        title.set_text(f"{v['activation']}, s = {v['scale']:.2f}: "
                       f"||dh_T/dh_0|| = {v['norms'][-1]:.2g} ({v['verdict']})")  # fmt: skip
        return v, [bound, line, legend, title]

    return wire(controls, fig, update, [line, bound, legend, title])


@register_explorer("gradient_vs_lag", sweep={"scale": [0.8, 1.2, 1.0],
                                             "activation": ["relu", "sigmoid", "tanh"],
                                             "T": [30, 100, 50]})  # fmt: skip
def _example_gradient_lag() -> Explorer:
    return gradient_lag_explorer()


def cliff_view(offset: float, lr: float, clip: float, steps: int = 60, w0: float = 5.0) -> dict:
    """Gradient descent on the cliff model started ``offset`` above the wall at w = ``w0``.

    Inputs:
        offset: distance b0 - b* of the start from the wall (> 0: the low-loss side).
        lr: learning rate; clip: norm threshold, 0 for no clipping; steps: updates.
    Returns:
        dict with "w", "b", "loss" (steps + 1,), "grad_norm" (steps,), "start" (w0, b0),
        "b_star", "largest_step" (longest single update) and "farthest" (largest distance
        from the start).
    """
    if not lr > 0:
        raise ValueError(f"lr must be positive, got {lr!r}")
    if clip < 0:
        raise ValueError(f"clip must be >= 0 (0 = no clipping), got {clip!r}")
    b_star = _cliff_wall_cached(w0)
    start = (w0, b_star + offset)
    run = cliff_descent(*start, lr=lr, steps=steps, clip=clip if clip > 0 else None)
    step_len = np.hypot(np.diff(run["w"]), np.diff(run["b"]))
    dist = np.hypot(run["w"] - start[0], run["b"] - start[1])
    return {**run, "start": start, "b_star": b_star, "largest_step": float(step_len.max()),
            "farthest": float(dist.max())}  # fmt: skip


_WALLS: dict[float, float] = {}


def _cliff_wall_cached(w0: float) -> float:
    if w0 not in _WALLS:
        _WALLS[w0] = cliff_wall(w0, -3.0, -2.0) if w0 == 5.0 else cliff_wall(w0, -2.0 * w0, 0.0)
    return _WALLS[w0]


def cliff_explorer(steps: int = 60):
    """Sliders for the start's distance to the wall, the learning rate and the clipping threshold
    over :func:`cliff_view`: the descent path drawn on the error surface of the cliff model.

    Returns: an Explorer with controls "offset", "lr", "clip" (0 = no clipping).
    """

    fig = agg_figure((7.5, 4.6))
    ax = fig.add_subplot()
    w_grid, b_grid = np.meshgrid(np.linspace(3.5, 5.5, 161), np.linspace(-3.0, -1.6, 141))
    loss_grid = cliff_loss_and_grad(w_grid, b_grid)[0]
    cs = ax.contourf(w_grid, b_grid, np.log10(loss_grid + 1e-6), levels=16, cmap="viridis")
    fig.colorbar(cs, ax=ax, label=r"$\log_{10} L$")
    (path,) = ax.plot([], [], "o-", color=OKABE_ITO["vermillion"], markersize=3, linewidth=1.8)
    (first,) = ax.plot([], [], "*", color="white", markersize=14, markeredgecolor="black")
    ax.set(xlim=(3.5, 5.5), ylim=(-3.0, -1.6), xlabel="$w$", ylabel="$b$")
    ax.grid(False)
    title = ax.set_title(" ", fontsize=12)
    fig.subplots_adjust(left=0.12, right=0.98, bottom=0.14, top=0.9)
    controls = {
        "offset": W.FloatLogSlider(value=3e-3, base=10, min=-4, max=-1, step=0.25, description="b0 - b*"),
        "lr": W.FloatLogSlider(value=0.01, base=10, min=-3, max=-1, step=0.25, description="lr"),
        "clip": W.FloatSlider(value=0.0, min=0.0, max=5.0, step=0.5, description="clip (0=off)"),
    }

    def update():
        v = cliff_view(controls["offset"].value, controls["lr"].value, controls["clip"].value, steps)
        path.set_data(v["w"], v["b"])
        first.set_data([v["start"][0]], [v["start"][1]])
        clip_text = f"clip {controls['clip'].value:g}" if controls["clip"].value > 0 else "no clipping"
        title.set_text(f"{clip_text}: largest step {v['largest_step']:.3g}, farthest {v['farthest']:.3g}")
        return v, [path, first, title]

    return wire(controls, fig, update, [path, first, title])


@register_explorer("cliff_descent", sweep={"clip": [1.0, 0.0], "offset": [1e-2, 1e-3], "lr": [0.02, 0.005]})
def _example_cliff() -> Explorer:
    return cliff_explorer()
