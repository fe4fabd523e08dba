"""Training small torch sequence models, and measuring gradients through time.

* :func:`train_model`: Adam on freshly sampled batches, optional gradient-norm clipping,
  ``tqdm.auto`` progress; returns a history of losses and gradient norms.
* :func:`evaluate`: loss and accuracy on a fixed test set.
* :func:`input_gradient_norms`: ||dL/dx_t|| for every step t: how much of the loss gradient
  reaches the inputs at step t (for the long-lag task: does it reach the cue at t = 0?).
* :func:`scaled_orthogonal`, :func:`hidden_jacobian_norms`: the vector case of vanishing and
  exploding gradients, ||dh_T/dh_k|| for a recurrent matrix with a chosen spectral radius.
* :func:`cliff_forward`, :func:`cliff_loss_and_grad`, :func:`cliff_descent`: the one-unit RNN
  x_t = w sigma(x_{t-1}) + b of Pascanu, Mikolov & Bengio (2013), whose error surface has a
  cliff, and gradient descent on it with and without norm clipping.
* :func:`clip_by_norm`: g <- threshold * g / ||g|| when ||g|| > threshold.

Dimension letters: N batch, T time, D input features, H hidden units, O outputs.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable

import matplotlib.pyplot as plt
import numpy as np
import torch
from torch import nn
from tqdm.auto import tqdm

__all__ = [
    "train_model",
    "evaluate",
    "input_gradient_norms",
    "long_lag_experiment",
    "plot_history",
    "clip_by_norm",
    "scaled_orthogonal",
    "hidden_jacobian_norms",
    "activation_derivative_bound",
    "cliff_forward",
    "cliff_loss_and_grad",
    "cliff_descent",
    "cliff_wall",
    "cliff_view",
    "cliff_explorer",
]

LOSSES = ("cross_entropy", "mse")


def _loss_fn(loss: str) -> nn.Module:
    if loss == "cross_entropy":
        return nn.CrossEntropyLoss()
    if loss == "mse":
        return nn.MSELoss()
    raise ValueError(f"loss must be one of {LOSSES}, got {loss!r}")


def _to_tensors(x, y, loss: str) -> tuple[torch.Tensor, torch.Tensor]:
    x = torch.as_tensor(np.asarray(x, dtype=np.float32))
    y = torch.as_tensor(np.asarray(y))
    y = y.long() if loss == "cross_entropy" else y.float()
    return x, y


def _flat(out: torch.Tensor, y: torch.Tensor, loss: str) -> tuple[torch.Tensor, torch.Tensor]:
    """Many-to-many classification: (N, T, O) logits and (N, T) targets -> (N*T, O), (N*T,)."""
    if loss == "cross_entropy" and out.ndim == 3:
        return out.reshape(-1, out.shape[-1]), y.reshape(-1)  # (N*T, O), (N*T,)
    return out, y


def train_model(
    model: nn.Module,
    make_batch: Callable[[np.random.Generator], tuple[np.ndarray, np.ndarray]],
    steps: int,
    rng: np.random.Generator | int,
    lr: float = 1e-2,
    loss: str = "cross_entropy",
    clip: float | None = None,
    progress: bool = True,
    desc: str | None = None,
) -> dict[str, list[float]]:
    """Train ``model`` with Adam on a fresh batch ``make_batch(rng)`` at every step.

    Each step: loss L on the batch, gradient g = dL/dtheta, optional clipping
    g <- clip * g / ||g|| when ||g|| > clip (``torch.nn.utils.clip_grad_norm_``), Adam update.

    Inputs:
        model: a torch module mapping x (N, T, D) to (N, O) or (N, T, O) outputs.
        make_batch: function of a numpy Generator returning (x, y) numpy arrays, e.g.
            ``lambda r: allergy_task(64, 20, r)``.
        steps: number of updates.
        rng: numpy Generator or int seed for the batches (the model's initial weights come from
            torch's seed, set by ``seed_everything``).
        lr: Adam learning rate.
        loss: "cross_entropy" (targets are class ids, (N,) or (N, T)) or "mse".
        clip: gradient-norm threshold, or None for no clipping.
        progress: show a ``tqdm.auto`` progress bar.
        desc: label of the progress bar.
    Returns:
        history: {"loss": per-step training loss, "grad_norm": per-step ||g|| before clipping}.
    """
    if not isinstance(steps, (int, np.integer)) or steps < 1:
        raise ValueError(f"steps must be a positive int, got {steps!r}")
    if clip is not None and not clip > 0:
        raise ValueError(f"clip must be positive or None, got {clip!r}")
    if not lr > 0:
        raise ValueError(f"lr must be positive, got {lr!r}")
    criterion = _loss_fn(loss)
    if not isinstance(rng, np.random.Generator):
        rng = np.random.default_rng(rng)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    history: dict[str, list[float]] = {"loss": [], "grad_norm": []}
    model.train()
    bar = tqdm(range(steps), desc=desc, disable=not progress, mininterval=0.5)
    for _ in bar:
        x, y = _to_tensors(*make_batch(rng), loss)
        out, y = _flat(model(x), y, loss)
        value = criterion(out, y)
        optimizer.zero_grad()
        value.backward()
        max_norm = clip if clip is not None else float("inf")
        norm = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm)
        optimizer.step()
        history["loss"].append(value.item())
        history["grad_norm"].append(float(norm))
        if progress:
            bar.set_postfix(loss=f"{value.item():.3f}", refresh=False)
    return history


@torch.no_grad()
def evaluate(model: nn.Module, x: np.ndarray, y: np.ndarray, loss: str = "cross_entropy") -> dict[str, float]:
    """Loss (and accuracy for classification) of ``model`` on a fixed set.

    Inputs:
        x: (N, T, D) inputs; y: (N,) or (N, T) class ids, or (N, O) regression targets.
        loss: "cross_entropy" or "mse".
    Returns:
        {"loss": float} plus {"accuracy": fraction of correct argmax predictions} for
        cross-entropy.
    """
    criterion = _loss_fn(loss)
    x, y = _to_tensors(x, y, loss)
    model.eval()
    out, y = _flat(model(x), y, loss)
    model.train()
    result = {"loss": float(criterion(out, y))}
    if loss == "cross_entropy":
        result["accuracy"] = float((out.argmax(dim=-1) == y).float().mean())
    return result


def input_gradient_norms(model: nn.Module, x: np.ndarray, y: np.ndarray, loss: str = "cross_entropy") -> np.ndarray:
    """||dL/dx_t|| for every step t, averaged over the batch.

    For a many-to-one model the loss reads only h_T, so dL/dx_t reaches step t only through
    the chain dh_T/dh_{T-1} ... dh_{t+1}/dh_t: it measures how much the loss can still "see" the
    input at step t.

    Inputs:
        model: torch module, x (N, T, D), y targets as in :func:`evaluate`.
    Returns:
        norms: (T,) float64, mean over the batch of ||dL/dx_t||_2 (computed in float64 on a
        copy of the model, which is left unchanged).
    """
    criterion = _loss_fn(loss)
    x, y = _to_tensors(x, y, loss)
    if x.ndim != 3:
        raise ValueError(f"x must have shape (N, T, D), got {tuple(x.shape)}")
    model = copy.deepcopy(model).double()  # float64: norms of 1e-20 and below stay measurable
    x = x.double().requires_grad_(True)
    out, y = _flat(model(x), y, loss)
    (grad,) = torch.autograd.grad(criterion(out, y) * x.shape[0], x)  # (N, T, D), per-example
    return grad.norm(dim=2).mean(dim=0).double().numpy()  # (T,)


def long_lag_experiment(
    cell: str,
    lag: int,
    rng: np.random.Generator | int,
    steps: int = 250,
    hidden_size: int = 32,
    batch_size: int = 64,
    lr: float = 3e-3,
    clip: float | None = 1.0,
    forget_bias: float | None = None,
    n_test: int = 512,
    progress: bool = True,
) -> dict:
    """Train a fresh many-to-one ``SequenceModel`` on :func:`~rnn_helpers.tasks.allergy_task`.

    The same recipe for every cell, so notebooks 03 (tanh RNN) and 04 (LSTM) compare like with
    like: Adam, ``steps`` batches of ``batch_size`` fresh sequences, norm clipping ``clip``.
    Before training, the gradient reaching the cue is measured as the ratio
    ||dL/dx_0|| / ||dL/dx_T|| (cue vs. query input) on the test set.

    Inputs:
        cell: "rnn" (tanh), "lstm" or "gru"; lag: cue-to-query distance (T = lag + 1);
        rng: numpy Generator or int seed (test set, then training batches); the initial weights
        come from torch's global seed. forget_bias: see ``SequenceModel``.
    Returns:
        dict with "model", "history" (of :func:`train_model`), "accuracy" and "loss" on a test
        set of ``n_test`` sequences, "cue_gradient_ratio" (before training), "lag".
    """
    from .models import SequenceModel
    from .tasks import ALLERGY_VOCAB, allergy_task

    rng = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
    V = len(ALLERGY_VOCAB)
    model = SequenceModel(V, hidden_size, 2, cell=cell, forget_bias=forget_bias)
    x, y = allergy_task(n_test, lag, rng)  # (n_test, T, V), (n_test,)
    norms = input_gradient_norms(model, x, y)  # (T,)
    history = train_model(
        model, lambda r: allergy_task(batch_size, lag, r), steps, rng, lr=lr, clip=clip,
        progress=progress, desc=f"{cell}, lag {lag}",
    )  # fmt: skip
    result = evaluate(model, x, y)
    return {"model": model, "history": history, "accuracy": result["accuracy"], "loss": result["loss"],
            "cue_gradient_ratio": float(norms[0] / norms[-1]), "lag": lag}  # fmt: skip


def plot_history(
    history: dict[str, list[float]],
    ax=None,
    label: str | None = None,
    key: str = "loss",
    smooth: int = 20,
    baseline: float | None = None,
    logy: bool = False,
):
    """Static training curve: ``history[key]`` per step, with a running mean over ``smooth`` steps.

    Inputs:
        history: as returned by :func:`train_model`.
        ax: matplotlib Axes or None (current axes).
        label: legend label.
        key: which series ("loss" or "grad_norm").
        smooth: window of the running mean (1 = raw).
        baseline: optional horizontal reference line (e.g. chance loss).
        logy: log scale on y.
    Returns:
        ax.
    """
    if key not in history:
        raise ValueError(f"key must be one of {sorted(history)}, got {key!r}")
    ax = plt.gca() if ax is None else ax
    values = np.asarray(history[key], dtype=float)
    k = max(1, min(int(smooth), len(values)))
    curve = np.convolve(values, np.ones(k) / k, mode="valid")  # running mean
    (line,) = ax.plot(np.arange(k, len(values) + 1), curve, label=label)
    ax.plot(np.arange(1, len(values) + 1), values, color=line.get_color(), alpha=0.2, lw=1)
    if baseline is not None:
        ax.axhline(baseline, color="0.4", ls="--", lw=1.5)
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel("training step")
    ax.set_ylabel(key.replace("_", " "))
    if label is not None:
        ax.legend()
    return ax


# ----------------------------------------------------------------------------------------------
# Gradient-norm clipping (Pascanu, Mikolov & Bengio 2013)


def clip_by_norm(g: np.ndarray, threshold: float) -> np.ndarray:
    """g <- threshold * g / ||g|| if ||g|| > threshold, else g unchanged (direction kept).

    Inputs:
        g: gradient, any shape; threshold: positive float.
    Returns:
        clipped gradient, same shape as g.
    """
    if not threshold > 0:
        raise ValueError(f"threshold must be positive, got {threshold!r}")
    g = np.asarray(g, dtype=float)
    norm = np.linalg.norm(g)
    return g * (threshold / norm) if norm > threshold else g.copy()


# ----------------------------------------------------------------------------------------------
# Vector case: ||dh_T/dh_k|| for h_t = f(W h_{t-1} + x_t)

ACTIVATIONS = ("tanh", "sigmoid", "relu")


def activation_derivative_bound(activation: str) -> float:
    """gamma = max |f'|: 1 for tanh, 1/4 for sigmoid, 1 for ReLU."""
    bounds = {"tanh": 1.0, "sigmoid": 0.25, "relu": 1.0}
    if activation not in bounds:
        raise ValueError(f"activation must be one of {ACTIVATIONS}, got {activation!r}")
    return bounds[activation]


def _act(activation: str, a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if activation == "tanh":
        h = np.tanh(a)
        return h, 1.0 - h**2
    if activation == "sigmoid":
        h = 0.5 * (1.0 + np.tanh(0.5 * a))  # stable sigmoid
        return h, h * (1.0 - h)
    if activation == "relu":
        return np.maximum(a, 0.0), (a > 0).astype(float)
    raise ValueError(f"activation must be one of {ACTIVATIONS}, got {activation!r}")


def scaled_orthogonal(H: int, scale: float, rng: np.random.Generator | int) -> np.ndarray:
    """W = scale * Q with Q a random orthogonal (H, H) matrix: every singular value, and the
    spectral radius, equal |scale|.

    Returns:
        W: (H, H) float64.
    """
    if not isinstance(H, (int, np.integer)) or H < 1:
        raise ValueError(f"H must be a positive int, got {H!r}")
    rng = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
    Q, R = np.linalg.qr(rng.standard_normal((H, H)))  # (H, H)
    Q = Q * np.sign(np.diag(R))  # uniform (Haar) orthogonal
    return scale * Q


def hidden_jacobian_norms(
    W: np.ndarray, activation: str, T: int, rng: np.random.Generator | int, input_std: float = 0.5
) -> np.ndarray:
    """||dh_T/dh_k||_2 for k = T, T-1, ..., 0 along one run of h_t = f(W h_{t-1} + x_t).

    dh_t/dh_{t-1} = diag(f'(a_t)) W, so dh_T/dh_k = prod_{t=k+1..T} diag(f'(a_t)) W and
    ||dh_T/dh_k|| <= (gamma * sigma_max(W))^(T-k) with gamma = max |f'| (1 for tanh and ReLU,
    1/4 for sigmoid).

    Inputs:
        W: (H, H) recurrent matrix.
        activation: "tanh", "sigmoid" or "relu".
        T: number of steps.
        rng: numpy Generator or int seed for h_0 ~ N(0, 1) and inputs x_t ~ N(0, input_std^2).
        input_std: standard deviation of the input drive x_t.
    Returns:
        norms: (T + 1,) float64; norms[j] = ||dh_T/dh_{T-j}||_2 (spectral norm), norms[0] = 1.
    """
    W = np.asarray(W, dtype=float)
    if W.ndim != 2 or W.shape[0] != W.shape[1]:
        raise ValueError(f"W must have shape (H, H), got {W.shape}")
    if not isinstance(T, (int, np.integer)) or T < 1:
        raise ValueError(f"T must be a positive int, got {T!r}")
    _act(activation, np.zeros(1))  # validates the name
    rng = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
    H = W.shape[0]
    h = rng.standard_normal(H)  # h_0, (H,)
    derivs = []
    for _ in range(T):
        h, d = _act(activation, W @ h + input_std * rng.standard_normal(H))  # h_t, f'(a_t)
        derivs.append(d)
    J = np.eye(H)  # dh_T/dh_T
    norms = [1.0]
    for d in reversed(derivs):  # t = T, T-1, ..., 1
        J = J @ (d[:, None] * W)  # dh_T/dh_{t-1} = dh_T/dh_t diag(f'(a_t)) W, (H, H)
        norms.append(np.linalg.norm(J, 2))
    return np.array(norms)


# ----------------------------------------------------------------------------------------------
# The cliff: x_t = w sigma(x_{t-1}) + b, L = (x_T - target)^2


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def cliff_forward(w, b, T: int = 50, x0: float = 0.5) -> np.ndarray:
    """Run the one-unit RNN x_t = w sigma(x_{t-1}) + b for T steps (w, b broadcast together).

    Inputs:
        w, b: floats or arrays of one shape S (e.g. a grid of b values).
        T: number of steps; x0: initial state.
    Returns:
        xs: (T + 1, *S) float64, xs[t] = x_t.
    """
    if not isinstance(T, (int, np.integer)) or T < 1:
        raise ValueError(f"T must be a positive int, got {T!r}")
    w, b = np.broadcast_arrays(np.asarray(w, dtype=float), np.asarray(b, dtype=float))
    xs = [np.full(w.shape, float(x0))]
    for _ in range(T):
        xs.append(w * _sigmoid(xs[-1]) + b)
    return np.stack(xs)  # (T + 1, *S)


def cliff_loss_and_grad(w, b, T: int = 50, x0: float = 0.5, target: float = 0.7):
    """L = (x_T - target)^2 for the cliff model and its gradient by backpropagation through time.

    dL/dx_T = 2 (x_T - target); going back, dx_t/dx_{t-1} = w sigma'(x_{t-1}),
    dL/dw = sum_t dL/dx_t sigma(x_{t-1}), dL/db = sum_t dL/dx_t.

    Inputs:
        w, b: floats or arrays of one shape S.
    Returns:
        L, dL/dw, dL/db: each of shape S.
    """
    xs = cliff_forward(w, b, T, x0)  # (T + 1, *S)
    w = np.broadcast_to(np.asarray(w, dtype=float), xs.shape[1:])
    loss = (xs[-1] - target) ** 2
    dx = 2.0 * (xs[-1] - target)  # dL/dx_T
    dw = np.zeros_like(dx)
    db = np.zeros_like(dx)
    for t in range(T, 0, -1):
        s = _sigmoid(xs[t - 1])
        dw += dx * s
        db += dx
        dx = dx * w * s * (1.0 - s)  # dL/dx_{t-1}
    return loss, dw, db


def _cliff_scalar(w: float, b: float, T: int, x0: float, target: float) -> tuple[float, float, float]:
    """:func:`cliff_loss_and_grad` for one (w, b) in plain Python floats (fast inside loops)."""
    xs = [float(x0)]
    for _ in range(T):
        xs.append(w * 0.5 * (1.0 + math.tanh(0.5 * xs[-1])) + b)  # x_t = w sigma(x_{t-1}) + b
    dx = 2.0 * (xs[-1] - target)  # dL/dx_T
    dw = db = 0.0
    for t in range(T, 0, -1):
        s = 0.5 * (1.0 + math.tanh(0.5 * xs[t - 1]))
        dw += dx * s
        db += dx
        dx *= w * s * (1.0 - s)  # dL/dx_{t-1}
    return (xs[-1] - target) ** 2, dw, db


def cliff_wall(w: float, b_low: float, b_high: float, T: int = 50, x0: float = 0.5, tol: float = 1e-12) -> float:
    """Position b* of the wall of the cliff model at fixed w, by bisection.

    Between ``b_low`` and ``b_high`` the final state x_T must jump from one fixed point to the
    other (x_T(b_low) < threshold < x_T(b_high), the threshold being their midpoint); the wall is
    where the jump happens, located to ``tol``.

    Returns:
        b*: float.
    """
    lo_x, hi_x = cliff_forward(w, [b_low, b_high], T, x0)[-1]
    if not lo_x < hi_x:
        raise ValueError(f"x_T must increase from b_low to b_high, got x_T = {lo_x:.3g} and {hi_x:.3g}")
    threshold = 0.5 * (lo_x + hi_x)
    while b_high - b_low > tol:
        mid = 0.5 * (b_low + b_high)
        if cliff_forward(w, mid, T, x0)[-1] < threshold:
            b_low = mid
        else:
            b_high = mid
    return 0.5 * (b_low + b_high)


def cliff_descent(
    w0: float,
    b0: float,
    lr: float,
    steps: int,
    clip: float | None = None,
    T: int = 50,
    x0: float = 0.5,
    target: float = 0.7,
) -> dict[str, np.ndarray]:
    """Gradient descent on (w, b) for the cliff model, optionally with gradient-norm clipping.

    Inputs:
        w0, b0: start; lr: learning rate; steps: updates; clip: threshold or None.
    Returns:
        {"w": (steps + 1,), "b": (steps + 1,), "loss": (steps + 1,), "grad_norm": (steps,)}:
        the path, its losses and the gradient norm before clipping at each step.
    """
    if not isinstance(steps, (int, np.integer)) or steps < 1:
        raise ValueError(f"steps must be a positive int, got {steps!r}")
    if not lr > 0:
        raise ValueError(f"lr must be positive, got {lr!r}")
    p = np.array([w0, b0], dtype=float)
    path, losses, norms = [p.copy()], [], []
    for _ in range(steps):
        loss, dw, db = _cliff_scalar(float(p[0]), float(p[1]), T, x0, target)
        g = np.array([dw, db])
        losses.append(float(loss))
        norms.append(float(np.linalg.norm(g)))
        p = p - lr * (clip_by_norm(g, clip) if clip is not None else g)
        path.append(p.copy())
    losses.append(_cliff_scalar(float(p[0]), float(p[1]), T, x0, target)[0])
    path = np.array(path)
    return {"w": path[:, 0], "b": path[:, 1], "loss": np.array(losses), "grad_norm": np.array(norms)}


# ----------------------------------------------------------------------------------------------
# Explorer: gradient descent near the cliff, with and without clipping


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
    import ipywidgets as W

    from .style import OKABE_ITO
    from .widgets import _agg_figure, _wire

    fig = _agg_figure((7.5, 4.6))
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

    explorer = _wire(controls, fig, [path, first, title], update)
    image = explorer.widget.children[-1]  # shown at the pixel width drawn, never stretched wider
    image.layout = W.Layout(width=f"{int(fig.get_figwidth() * fig.dpi)}px", max_width="100%")
    return explorer


def _register_cliff_explorer():
    from .widgets import register_explorer

    @register_explorer("cliff_descent", sweep={"clip": [1.0, 0.0], "offset": [1e-2, 1e-3], "lr": [0.02, 0.005]})
    def _example_cliff() -> object:
        return cliff_explorer()


_register_cliff_explorer()
