"""The one torch training loop, its loss helpers, evaluation and accuracy; and the numpy
trainer of notebook 02 (a tanh RNN trained with the hand-written BPTT).

* :func:`fit`: Adam on ``loss_fn(rng)`` (which draws or holds its own batch), optional
  gradient-norm clipping and one-cycle schedule, ``tqdm.auto`` progress; returns the loss of
  every step. Every torch model of every notebook is trained by it.
* :func:`batch_loss`: turns a numpy task ``make_batch(rng) -> (x, y)`` into such a ``loss_fn``.
* :func:`evaluate`: loss (and accuracy) on a fixed set; :func:`accuracy`: the one accuracy.
* :func:`train_rnn_regression`: plain gradient descent or Adam written out in numpy, on the
  gradients of ``rnn_backward`` (the point of notebook 02 is that the learner sees the update).

Dimension letters: N batch, T time, D input features, H hidden units, O outputs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import torch
from torch import nn
from tqdm.auto import tqdm

from .rnn import rnn_backward, rnn_forward

__all__ = [
    "confusion_matrix",
    "fit",
    "batch_loss",
    "evaluate",
    "accuracy",
    "precision_recall_f1",
    "loss_module",
    "to_tensors",
    "flat_outputs",
    "init_rnn_regression",
    "train_rnn_regression",
    "rnn_regression_predict",
]

LOSSES = ("cross_entropy", "mse")


def fit(
    model: nn.Module,
    loss_fn: Callable[[np.random.Generator], torch.Tensor],
    steps: int,
    lr: float = 1e-2,
    seed: int | np.random.Generator = 0,
    clip: float | None = 1.0,
    schedule: str | None = None,
    desc: str | None = None,
    progress: bool = True,
) -> list[float]:
    """Train ``model`` with Adam: at every step L = ``loss_fn(rng)``, g = dL/dtheta, optional
    clipping g <- clip * g / ||g|| when ||g|| > clip, then the Adam update.

    Inputs:
        model: the torch module whose parameters are trained (``loss_fn`` calls it).
        loss_fn: function of a numpy Generator returning the scalar loss of one batch (it
            draws a fresh batch from the Generator, or ignores it for full-batch training).
        steps: number of updates; lr: Adam learning rate (the peak one with a schedule).
        seed: numpy Generator or int seed of the Generator passed to ``loss_fn`` (the model's
            initial weights come from torch's seed, set by ``seed_everything``).
        clip: gradient-norm threshold, or None for no clipping.
        schedule: None (constant lr) or "one_cycle" (warm up to lr over 20% of the steps, then
            anneal: ``torch.optim.lr_scheduler.OneCycleLR``).
        desc: label of the ``tqdm.auto`` progress bar; progress: show the bar.
    Returns:
        the training loss of every step (list of ``steps`` floats); the model is left in
        eval mode.
    """
    if not isinstance(steps, (int, np.integer)) or steps < 1:
        raise ValueError(f"steps must be a positive int, got {steps!r}")
    if not lr > 0:
        raise ValueError(f"lr must be positive, got {lr!r}")
    if clip is not None and not clip > 0:
        raise ValueError(f"clip must be positive or None, got {clip!r}")
    if schedule not in (None, "one_cycle"):
        raise ValueError(f"schedule must be None or 'one_cycle', got {schedule!r}")
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    scheduler = None
    if schedule == "one_cycle":
        scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=lr, total_steps=steps, pct_start=0.2)
    losses: list[float] = []
    model.train()
    for _ in tqdm(range(steps), desc=desc, disable=not progress, mininterval=0.5):
        loss = loss_fn(rng)
        optimizer.zero_grad()
        loss.backward()
        if clip is not None:
            nn.utils.clip_grad_norm_(model.parameters(), clip)
        optimizer.step()
        if scheduler is not None:
            scheduler.step()
        losses.append(loss.item())
    model.eval()
    return losses


def loss_module(loss: str) -> nn.Module:
    """The torch criterion named ``loss``: "cross_entropy" or "mse"."""
    if loss == "cross_entropy":
        return nn.CrossEntropyLoss()
    if loss == "mse":
        return nn.MSELoss()
    raise ValueError(f"loss must be one of {LOSSES}, got {loss!r}")


def to_tensors(x, y, loss: str) -> tuple[torch.Tensor, torch.Tensor]:
    """numpy (x, y) -> float32 x and targets (long for cross-entropy, float for mse)."""
    x = torch.as_tensor(np.asarray(x, dtype=np.float32))
    y = torch.as_tensor(np.asarray(y))
    y = y.long() if loss == "cross_entropy" else y.float()
    return x, y


def flat_outputs(out: torch.Tensor, y: torch.Tensor, loss: str) -> tuple[torch.Tensor, torch.Tensor]:
    """Many-to-many classification: (N, T, O) logits and (N, T) targets -> (N*T, O), (N*T,)."""
    if loss == "cross_entropy" and out.ndim == 3:
        return out.reshape(-1, out.shape[-1]), y.reshape(-1)  # (N*T, O), (N*T,)
    return out, y


def batch_loss(
    model: nn.Module,
    make_batch: Callable[[np.random.Generator], tuple[np.ndarray, np.ndarray]],
    loss: str = "cross_entropy",
) -> Callable[[np.random.Generator], torch.Tensor]:
    """A ``loss_fn`` for :func:`fit` from a numpy task: L(model(x), y) on a fresh
    ``(x, y) = make_batch(rng)`` at every call.

    Inputs:
        model: maps x (N, T, D) to (N, O) or (N, T, O); make_batch: e.g.
            ``lambda r: allergy_task(64, 20, r)``; loss: "cross_entropy" (targets are class ids,
            (N,) or (N, T); id -100 is left out) or "mse".
    """
    criterion = loss_module(loss)

    def loss_fn(rng: np.random.Generator) -> torch.Tensor:
        x, y = to_tensors(*make_batch(rng), loss)
        out, y = flat_outputs(model(x), y, loss)
        return criterion(out, y)

    return loss_fn


def accuracy(scores, y, mask=None) -> float:
    """Fraction of argmax(scores) == y, only where ``mask`` is true if given.

    Inputs: scores (..., C) tensor or array; y (...) class ids; mask (...) bool or None.
    Returns: a float in [0, 1].
    """
    scores = torch.as_tensor(scores)
    y = torch.as_tensor(np.asarray(y) if not isinstance(y, torch.Tensor) else y)
    if scores.shape[:-1] != y.shape:
        raise ValueError(f"scores must have shape (*y.shape, C) = ({', '.join(map(str, y.shape))}, C), "
                         f"got {tuple(scores.shape)}")  # fmt: skip
    right = scores.argmax(-1) == y
    if mask is not None:
        mask = torch.as_tensor(np.asarray(mask) if not isinstance(mask, torch.Tensor) else mask)
        if not bool(mask.any()):
            raise ValueError("mask selects no position")
        right = right[mask]
    return float(right.float().mean())


def confusion_matrix(pred: Sequence[int], gold: Sequence[int], C: int | None = None) -> np.ndarray:
    """Counts (C, C): row = true class, column = predicted class. C defaults to the largest class
    id seen (in either argument) + 1."""
    pred, gold = np.asarray(pred, dtype=int), np.asarray(gold, dtype=int)
    if C is None:
        C = int(max(pred.max(initial=0), gold.max(initial=0))) + 1
    if pred.shape != gold.shape:
        raise ValueError(f"pred and gold must have the same shape, got {pred.shape} and {gold.shape}")
    m = np.zeros((C, C), dtype=np.int64)
    np.add.at(m, (gold, pred), 1)
    return m


def precision_recall_f1(pred: Sequence[int], gold: Sequence[int], positive: int = 1) -> tuple[float, float, float]:
    """Precision, recall and F1 of the class ``positive``.

    precision = TP / (TP + FP): of the messages flagged, the share that really are positive.
    recall    = TP / (TP + FN): of the positive messages, the share flagged.
    F1 = 2 P R / (P + R), the harmonic mean. A ratio with nothing to count (0 / 0) is 0.
    """
    pred, gold = np.asarray(pred), np.asarray(gold)
    if pred.shape != gold.shape:
        raise ValueError(f"pred and gold must have the same shape, got {pred.shape} and {gold.shape}")
    tp = int(np.sum((pred == positive) & (gold == positive)))
    fp = int(np.sum((pred == positive) & (gold != positive)))
    fn = int(np.sum((pred != positive) & (gold == positive)))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


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
    criterion = loss_module(loss)
    x, y = to_tensors(x, y, loss)
    model.eval()
    out, y = flat_outputs(model(x), y, loss)
    result = {"loss": float(criterion(out, y))}
    if loss == "cross_entropy":
        result["accuracy"] = accuracy(out, y)
    return result


# ------------------------------------------------ a numpy vector RNN trained by BPTT (notebook 02)


def init_rnn_regression(D: int, H: int, O: int, rng=0) -> dict:
    """Initial weights for :func:`train_rnn_regression`: Wx (D, H) ~ N(0, 1/D),
    Wh (H, H) ~ 0.9 N(0, 1/H), Wy (H, O) ~ N(0, 1/H), zero biases b (H,) and by (O,)."""
    rng = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(int(rng))
    return {
        "Wx": rng.standard_normal((D, H)) / np.sqrt(D),
        "Wh": rng.standard_normal((H, H)) / np.sqrt(H) * 0.9,
        "b": np.zeros(H),
        "Wy": rng.standard_normal((H, O)) / np.sqrt(H),
        "by": np.zeros(O),
    }


def train_rnn_regression(
    x,
    y,
    H: int,
    steps: int,
    lr: float = 0.05,
    truncate: int | None = None,
    mask=None,
    optimizer: str = "adam",
    rng=0,
    progress: bool = False,
) -> dict:
    """Fit a tanh RNN with a linear read-out to targets at every step, with the numpy BPTT.

    Model: h = rnn_forward(x, 0, W_x, W_h, b), y_hat_t = h_t W_y + b_y; loss
    L = sum over (n, t, o) of mask * (y_hat - y)^2 / 2, divided by the number of masked steps.
    The gradient comes from ``rnn_backward(dh, cache, truncate)``; the update is plain gradient
    descent p <- p - lr * dL/dp (``optimizer="gd"``) or Adam (``"adam"``, the default).

    Inputs:
        x: (N, T, D) inputs; y: (N, T, O) targets; H: hidden size; steps: updates.
        lr: learning rate; truncate: None (full BPTT) or k (gradients flow back k steps).
        mask: (N, T) of 0/1 marking the steps whose loss counts (default all).
        rng: numpy Generator or int seed for the initial weights; progress: show tqdm.
    Returns:
        dict with "params" (Wx (D, H), Wh (H, H), b (H,), Wy (H, O), by (O,)), "loss" (steps,)
        the loss before each update, "grad_norm" (steps,) the norm of dL/dW_h, and "diverged":
        True if the loss or a weight stopped being finite (or the loss passed 1e6); training
        then stops and the remaining entries of "loss" and "grad_norm" are NaN.
    """

    x, y = np.asarray(x, float), np.asarray(y, float)
    if x.ndim != 3:
        raise ValueError(f"x must have shape (N, T, D), got shape {x.shape}")
    N, T, D = x.shape
    if y.ndim != 3 or y.shape[:2] != (N, T):
        raise ValueError(f"y must have shape (N, T, O) = ({N}, {T}, O), got shape {y.shape}")
    if optimizer not in ("gd", "adam"):
        raise ValueError(f"optimizer must be 'gd' or 'adam', got {optimizer!r}")
    mask = np.ones((N, T)) if mask is None else np.asarray(mask, float)
    if mask.shape != (N, T):
        raise ValueError(f"mask must have shape (N, T) = ({N}, {T}), got {mask.shape}")
    O = y.shape[2]
    p = init_rnn_regression(D, H, O, rng)
    m = {k: np.zeros_like(v) for k, v in p.items()}
    v2 = {k: np.zeros_like(v) for k, v in p.items()}
    count = mask.sum() or 1.0
    losses, norms = np.full(steps, np.nan), np.full(steps, np.nan)
    diverged = False
    for i in tqdm(range(steps), disable=not progress, desc="BPTT training"):
        h, cache = rnn_forward(x, np.zeros((N, H)), p["Wx"], p["Wh"], p["b"])
        with np.errstate(over="ignore", invalid="ignore"):
            err = (h @ p["Wy"] + p["by"] - y) * mask[..., None]  # (N, T, O)
            loss = 0.5 * np.sum(err**2) / count
        if not np.isfinite(loss) or loss > 1e6 or not np.isfinite(err).all():
            diverged = True  # stop: the remaining losses stay NaN
            break
        losses[i] = loss
        dy = err / count  # dL/dy_hat   (N, T, O)
        g = {"Wy": h.reshape(N * T, H).T @ dy.reshape(N * T, O), "by": dy.sum(axis=(0, 1))}
        _, _, g["Wx"], g["Wh"], g["b"] = rnn_backward(dy @ p["Wy"].T, cache, truncate=truncate)
        norms[i] = np.linalg.norm(g["Wh"])
        for k in p:
            if optimizer == "gd":
                p[k] -= lr * g[k]  # the update rule
            else:
                m[k] = 0.9 * m[k] + 0.1 * g[k]
                v2[k] = 0.999 * v2[k] + 0.001 * g[k] ** 2
                mhat, vhat = m[k] / (1 - 0.9 ** (i + 1)), v2[k] / (1 - 0.999 ** (i + 1))
                p[k] -= lr * mhat / (np.sqrt(vhat) + 1e-8)
        if not all(np.isfinite(v).all() for v in p.values()):
            diverged = True
            break
    return {"params": p, "loss": losses, "grad_norm": norms, "diverged": diverged}


def rnn_regression_predict(params: dict, x) -> np.ndarray:
    """Read-outs y_hat (N, T, O) of a model from :func:`train_rnn_regression` on inputs x (N, T, D)."""

    x = np.asarray(x, float)
    H = params["Wh"].shape[0]
    h, _ = rnn_forward(x, np.zeros((x.shape[0], H)), params["Wx"], params["Wh"], params["b"])
    return h @ params["Wy"] + params["by"]  # (N, T, O)
