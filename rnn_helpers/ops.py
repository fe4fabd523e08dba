"""Activations, their derivatives, softmax and losses, as forward/backward pairs.

Every function accepts arrays of any shape (softmax works along ``axis``) and is numerically
stable: inputs up to 1e4 in magnitude give no overflow warning and no NaN.

| function | value | derivative (``*_grad``, evaluated at the input ``x``) |
|---|---|---|
| ``sigmoid`` | σ(x) = 1 / (1 + e^{-x}) | σ(x) (1 - σ(x)) |
| ``tanh`` | tanh(x) | 1 - tanh(x)^2 |
| ``relu`` | max(0, x) | 1 if x > 0 else 0 |
| ``leaky_relu`` | x if x > 0 else αx | 1 if x > 0 else α |
| ``softmax`` | e^{x_k} / Σ_j e^{x_j} | Jacobian diag(s) - s sᵀ |

Losses return the loss and its gradient: ``softmax_cross_entropy(scores, y) -> loss, dscores``
and ``mse_loss(pred, target) -> loss, dpred``.
"""

from __future__ import annotations

import numpy as np

from ._validate import as_float, check_shape

__all__ = [
    "sigmoid",
    "sigmoid_grad",
    "tanh",
    "tanh_grad",
    "relu",
    "relu_grad",
    "leaky_relu",
    "leaky_relu_grad",
    "softmax",
    "log_softmax",
    "softmax_grad",
    "softmax_cross_entropy",
    "mse_loss",
]


def sigmoid(x) -> np.ndarray:
    """Logistic sigmoid σ(x) = 1 / (1 + e^{-x}), elementwise, in (0, 1).

    Stable form: with e = e^{-|x|} (never overflows), σ(x) = 1 / (1 + e) for x >= 0 and
    e / (1 + e) for x < 0.
    """
    return _sigmoid(as_float("x", x))


def _sigmoid(x: np.ndarray) -> np.ndarray:
    """``sigmoid`` without input checks, for the cells' inner loops."""
    e = np.exp(-np.abs(x))  # in (0, 1]; underflows quietly to 0 for |x| > 745
    r = 1.0 / (1.0 + e)  # σ(|x|)
    return np.where(x >= 0, r, e * r)  # σ(-|x|) = e^{-|x|} σ(|x|)


def sigmoid_fast(a: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """σ(a) = (1 + tanh(a/2)) / 2, for inner loops (no input checks): the one fast sigmoid of the
    package (the cells, the scalar recurrence, the cliff model).

    The same function as ``sigmoid``, overflow-free, and about 3x cheaper (four in-place
    passes). Accurate to ~1e-16 absolute; only values below ~1e-8 lose relative accuracy,
    which does not matter for a gate. Writes into ``out`` when given.
    """
    out = np.multiply(a, 0.5, out=out)
    if not isinstance(out, np.ndarray):  # a 0-d input gives a numpy scalar: no buffer to reuse
        return np.tanh(out) * 0.5 + 0.5
    np.tanh(out, out=out)
    out *= 0.5
    out += 0.5
    return out


def sigmoid_grad(x) -> np.ndarray:
    """Derivative of the sigmoid at ``x``: σ'(x) = σ(x) (1 - σ(x)), elementwise, in (0, 1/4]."""
    s = sigmoid(x)
    return s * (1.0 - s)


def tanh(x) -> np.ndarray:
    """Hyperbolic tangent, elementwise, in (-1, 1) (numpy's ``tanh`` is already stable)."""
    return np.tanh(as_float("x", x))


def tanh_grad(x) -> np.ndarray:
    """Derivative of tanh at ``x``: 1 - tanh(x)^2, elementwise, in (0, 1]."""
    t = tanh(x)
    return 1.0 - t * t


def relu(x) -> np.ndarray:
    """Rectified linear unit max(0, x), elementwise."""
    x = as_float("x", x)
    return np.maximum(x, 0.0)


def relu_grad(x) -> np.ndarray:
    """Derivative of ReLU at ``x``: 1 where x > 0, else 0 (we take 0 at the kink x = 0)."""
    x = as_float("x", x)
    return (x > 0).astype(x.dtype)


def _check_alpha(alpha) -> float:
    if not np.isscalar(alpha) or not np.isfinite(alpha) or alpha < 0:
        raise ValueError(f"alpha must be a finite number >= 0, got {alpha!r}")
    return float(alpha)


def leaky_relu(x, alpha: float = 0.01) -> np.ndarray:
    """Leaky ReLU: x where x > 0, else ``alpha * x`` (a small slope keeps gradients alive)."""
    x = as_float("x", x)
    alpha = _check_alpha(alpha)
    return np.where(x > 0, x, alpha * x)


def leaky_relu_grad(x, alpha: float = 0.01) -> np.ndarray:
    """Derivative of leaky ReLU at ``x``: 1 where x > 0, else ``alpha``."""
    x = as_float("x", x)
    alpha = _check_alpha(alpha)
    return np.where(x > 0, 1.0, alpha).astype(x.dtype)


def _check_axis(x: np.ndarray, axis: int) -> None:
    if x.ndim == 0:
        raise ValueError("x must have at least one dimension for softmax, got a 0-D array")
    if not isinstance(axis, (int, np.integer)) or not -x.ndim <= axis < x.ndim:
        raise ValueError(f"axis must be an int in [-{x.ndim}, {x.ndim}), got {axis!r}")


def softmax(x, axis: int = -1) -> np.ndarray:
    """Softmax along ``axis``: s_k = e^{x_k} / Σ_j e^{x_j}; entries in [0, 1] summing to 1.

    Stable form: subtracting max_j x_j from every x_k leaves s unchanged and keeps every
    exponent <= 0, so nothing overflows.
    """
    x = as_float("x", x)
    _check_axis(x, axis)
    e = np.exp(x - x.max(axis=axis, keepdims=True))  # every exponent <= 0
    return e / e.sum(axis=axis, keepdims=True)


def log_softmax(x, axis: int = -1) -> np.ndarray:
    """log softmax along ``axis``: x_k - log Σ_j e^{x_j}, computed without overflow."""
    x = as_float("x", x)
    _check_axis(x, axis)
    shifted = x - x.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def softmax_grad(x) -> np.ndarray:
    """Jacobian of the softmax over the last axis at ``x``: J[..., k, j] = ∂s_k/∂x_j.

    J = diag(s) - s sᵀ, so for x of shape (..., V) the result has shape (..., V, V).
    (In a backward pass use the product instead: dx = s * (ds - Σ_k ds_k s_k).)
    """
    s = softmax(x, axis=-1)  # (..., V)
    return s[..., :, None] * np.eye(s.shape[-1], dtype=s.dtype) - s[..., :, None] * s[..., None, :]


def softmax_cross_entropy(scores, y) -> tuple[float, np.ndarray]:
    """Mean cross-entropy of softmax(scores) against integer labels, and its gradient.

    loss = -(1/M) Σ_m log softmax(scores_m)[y_m] over all M = scores.size / V positions;
    dscores = (softmax(scores) - onehot(y)) / M.

    Inputs:
        scores: (..., V) unnormalised log-probabilities, e.g. (N, V) or (N, T, V).
        y: (...) integer labels in [0, V), the shape of ``scores`` without its last axis.
    Returns:
        loss: float.
        dscores: (..., V), same shape as ``scores``.
    """
    scores = as_float("scores", scores)
    if scores.ndim < 1 or scores.shape[-1] < 1:
        raise ValueError(f"scores must have shape (..., V) with V >= 1, got {scores.shape}")
    y = np.asarray(y)
    if y.dtype.kind not in "iu":
        raise ValueError(f"y must be an integer array of labels, got dtype {y.dtype}")
    check_shape("y", y, scores.shape[:-1], "scores.shape[:-1]")
    V = scores.shape[-1]
    if y.size and (y.min() < 0 or y.max() >= V):
        raise ValueError(f"y must hold labels in [0, V) = [0, {V}), got values in [{y.min()}, {y.max()}]")
    M = max(y.size, 1)
    logp = log_softmax(scores, axis=-1)  # (..., V)
    picked = np.take_along_axis(logp, y[..., None], axis=-1)  # (..., 1)
    loss = float(-picked.sum() / M)
    dscores = np.exp(logp)  # softmax probabilities
    np.put_along_axis(dscores, y[..., None], np.take_along_axis(dscores, y[..., None], -1) - 1.0, -1)
    return loss, dscores / M


def mse_loss(pred, target) -> tuple[float, np.ndarray]:
    """Mean squared error over all elements, and its gradient.

    loss = (1/M) Σ (pred - target)^2 with M = pred.size; dpred = 2 (pred - target) / M.

    Inputs:
        pred, target: arrays of the same shape (no broadcasting).
    Returns:
        loss: float.
        dpred: same shape as ``pred``.
    """
    pred = as_float("pred", pred)
    target = as_float("target", target)
    check_shape("target", target, pred.shape, "pred.shape")
    diff = pred - target
    M = max(diff.size, 1)
    return float((diff * diff).sum() / M), 2.0 * diff / M
