"""Notebook 03's gradient maths: how much gradient survives going back through time.

* :func:`input_gradient_norms`: ||dL/dx_t|| for every step t of a torch model.
* :func:`scaled_orthogonal`, :func:`hidden_jacobian_norms`: the vector case of vanishing and
  exploding gradients, ||dh_T/dh_k|| for a recurrent matrix with a chosen spectral radius
  (row vectors, h_t = f(h_{t-1} W_h + x_t)).
* :func:`cliff_forward`, :func:`cliff_loss_and_grad`, :func:`cliff_descent`: the one-unit RNN
  x_t = w sigma(x_{t-1}) + b of Pascanu, Mikolov & Bengio (2013), whose error surface has a
  cliff, and gradient descent on it with and without norm clipping.
* :func:`clip_by_norm`: g <- threshold * g / ||g|| when ||g|| > threshold.
"""

from __future__ import annotations

import copy
import math

import numpy as np
import torch
from torch import nn

from .models import SequenceModel
from .ops import sigmoid_fast
from .tasks import ALLERGY_VOCAB, allergy_task
from .training import batch_loss, evaluate, fit, flat_outputs, loss_module, to_tensors

__all__ = [
    "input_gradient_norms",
    "long_lag_experiment",
    "clip_by_norm",
    "scaled_orthogonal",
    "hidden_jacobian_norms",
    "activation_derivative_bound",
    "cliff_forward",
    "cliff_loss_and_grad",
    "cliff_descent",
    "cliff_wall",
]


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
    criterion = loss_module(loss)
    x, y = to_tensors(x, y, loss)
    if x.ndim != 3:
        raise ValueError(f"x must have shape (N, T, D), got {tuple(x.shape)}")
    model = copy.deepcopy(model).double()  # float64: norms of 1e-20 and below stay measurable
    x = x.double().requires_grad_(True)
    out, y = flat_outputs(model(x), y, loss)
    (grad,) = torch.autograd.grad(criterion(out, y) * x.shape[0], x)  # (N, T, D), per-example
    return grad.norm(dim=2).mean(dim=0).double().numpy()  # (T,)


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
    W: np.ndarray,
    activation: str,
    T: int,
    rng: np.random.Generator | int,
    input_std: float = 0.5,
    last_only: bool = False,
) -> np.ndarray | float:
    """||dh_T/dh_k||_2 for k = T, T-1, ..., 0 along one run of h_t = f(h_{t-1} W + x_t) (row vectors).

    A bare recurrence: it starts from a random state h_0 ~ N(0, 1) and adds a random drive x_t
    straight to the pre-activation (no input weights, no bias), so only W and f set the gradient.
    dh_t/dh_{t-1} = diag(f'(a_t)) W^T, so dh_T/dh_k = prod_{t=T..k+1} diag(f'(a_t)) W^T and
    ||dh_T/dh_k|| <= (gamma * sigma_max(W))^(T-k) with gamma = max |f'| (1 for tanh and ReLU,
    1/4 for sigmoid).

    Inputs:
        W: (H, H) recurrent matrix (the course's W_h).
        activation: "tanh", "sigmoid" or "relu".
        T: number of steps.
        rng: numpy Generator or int seed for h_0 ~ N(0, 1) and inputs x_t ~ N(0, input_std^2).
        input_std: standard deviation of the input drive x_t.
        last_only: return only ||dh_T/dh_0||_2, a float (one spectral norm instead of T; for
            spreads over many seeds).
    Returns:
        norms: (T + 1,) float64; norms[j] = ||dh_T/dh_{T-j}||_2 (spectral norm), norms[0] = 1.
        With ``last_only``, the float norms[T].
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
        h, d = _act(activation, h @ W + input_std * rng.standard_normal(H))  # h_t, f'(a_t)
        derivs.append(d)
    J = np.eye(H)  # dh_T/dh_T
    norms = [1.0]
    for d in reversed(derivs):  # t = T, T-1, ..., 1
        J = J @ (d[:, None] * W.T)  # dh_T/dh_{t-1} = dh_T/dh_t diag(f'(a_t)) W^T, (H, H)
        if not last_only:
            norms.append(np.linalg.norm(J, 2))
    return float(np.linalg.norm(J, 2)) if last_only else np.array(norms)


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
        xs.append(w * sigmoid_fast(xs[-1]) + b)
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
        s = sigmoid_fast(xs[t - 1])
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
    ||dL/dx_1|| / ||dL/dx_T|| of the first (cue) and last (query) of the T = lag + 1 steps, on the
    test set.

    Inputs:
        cell: "rnn" (tanh), "lstm" or "gru"; lag: cue-to-query distance (T = lag + 1);
        rng: numpy Generator or int seed (test set, then training batches); the initial weights
        come from torch's global seed. forget_bias: see ``SequenceModel``.
    Returns:
        dict with "model", "history" (the losses of :func:`~rnn_helpers.training.fit`), "accuracy" and "loss" on a test
        set of ``n_test`` sequences, "cue_gradient_ratio" (before training), "lag".
    """

    rng = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
    V = len(ALLERGY_VOCAB)
    model = SequenceModel(V, hidden_size, 2, cell=cell, forget_bias=forget_bias)
    x, y = allergy_task(n_test, lag, rng)  # (n_test, T, V), (n_test,)
    norms = input_gradient_norms(model, x, y)  # (T,)
    history = fit(model, batch_loss(model, lambda r: allergy_task(batch_size, lag, r)), steps, lr=lr,
                  seed=rng, clip=clip, desc=f"{cell}, lag {lag}", progress=progress)  # fmt: skip
    result = evaluate(model, x, y)
    return {"model": model, "history": history, "accuracy": result["accuracy"], "loss": result["loss"],
            "cue_gradient_ratio": float(norms[0] / norms[-1]), "lag": lag}  # fmt: skip
