"""The lecture notes' scalar recurrence, its BPTT terms one by one, and gradient descent on (w, w').

The notes write a recurrent network with one input weight ``w`` and one recurrent weight ``w'``
(here ``w_prime``) for a four-step input ``x_1 = <x_11, x_12, x_13, x_14>``:

    O_t = f(x_t w + O_{t-1} w'),   t = 1..T,   O_0 given (0 by default)

and a loss on the last output only (many-to-one): ``y_hat = O_T``, ``L = (y_hat - y)^2 / 2``.
By the chain rule dL/dw' (and likewise dL/dw) is a sum of T products, one per path from the
loss back through O_T, O_{T-1}, ..., O_k to the weight's use at step k:

    dL/dw' = sum_k  dL/dy_hat * dy_hat/dO_T * prod_{j=k+1..T} dO_j/dO_{j-1} * d+O_k/dw'

with dO_j/dO_{j-1} = f'(a_j) w', d+O_k/dw' = f'(a_k) O_{k-1} and d+O_k/dw = f'(a_k) x_k
(a_k = x_k w + O_{k-1} w' is the pre-activation; d+ is the "direct" derivative with O_{k-1} held
fixed). :func:`scalar_bptt_terms` returns every term with its factors so a notebook can print
them; :func:`scalar_grad` computes the same sums with the usual backward recursion.

Shapes: a single sequence x is (T,); a batch is (N, T) with targets y (N,).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .ops import sigmoid_fast

__all__ = [
    "SCALAR_ACTIVATIONS",
    "scalar_forward",
    "scalar_loss",
    "scalar_grad",
    "BPTTTerm",
    "scalar_bptt_terms",
    "bptt_terms_table",
    "train_scalar",
    "scalar_loss_grid",
    "scalar_teacher_data",
]


# name -> (f(a), f'(a) written with a and f(a))
SCALAR_ACTIVATIONS = {
    "tanh": (np.tanh, lambda a, o: 1.0 - o**2),
    "sigmoid": (sigmoid_fast, lambda a, o: o * (1.0 - o)),
    "relu": (lambda a: np.maximum(a, 0.0), lambda a, o: (a > 0).astype(float)),
    "linear": (lambda a: a, lambda a, o: np.ones_like(a)),
}


def _check_activation(activation: str) -> None:
    if activation not in SCALAR_ACTIVATIONS:
        raise ValueError(f"activation must be one of {sorted(SCALAR_ACTIVATIONS)}, got {activation!r}")


def _check_scalar(name: str, v) -> float:
    arr = np.asarray(v, dtype=float)
    if arr.shape != ():
        raise ValueError(f"{name} must be a scalar (shape ()), got shape {arr.shape}")
    if not np.isfinite(arr):
        raise ValueError(f"{name} must be finite, got {float(arr)}")
    return float(arr)


def _as_batch(x) -> tuple[np.ndarray, bool]:
    """x (T,) or (N, T) -> float64 (N, T) and whether the input was a single sequence."""
    x = np.asarray(x, dtype=float)
    if x.ndim not in (1, 2):
        raise ValueError(f"x must have shape (T,) or (N, T), got shape {x.shape}")
    if x.shape[-1] < 1:
        raise ValueError(f"x must have at least one time step, got shape {x.shape}")
    if not np.isfinite(x).all():
        raise ValueError("x must contain only finite values")
    return (x[None, :], True) if x.ndim == 1 else (x, False)


def _targets(y, N: int, single: bool) -> np.ndarray:
    y = np.asarray(y, dtype=float)
    expected = () if single else (N,)
    if y.shape != expected and not (single and y.shape == (1,)):
        raise ValueError(f"y must have shape {'()' if single else '(N,)'} = {expected}, got {y.shape}")
    return y.reshape(N)


def scalar_forward(x, w, w_prime, O0=0.0, activation: str = "tanh"):
    """Run O_t = f(x_t w + O_{t-1} w') over a sequence (or a batch of sequences).

    Inputs:
        x: inputs, shape (T,) for one sequence or (N, T) for a batch.
        w, w_prime: the input weight w and the recurrent weight w' (scalars).
        O0: initial output O_0 (scalar).
        activation: f, one of "tanh", "sigmoid", "relu", "linear".
    Returns:
        O: outputs O_1..O_T, same shape as x.
        cache: dict with x (N, T), pre-activations a (N, T), O (N, T), O_prev (N, T) holding
            O_0..O_{T-1}, the weights and the activation, for the backward pass.
    """
    _check_activation(activation)
    w, w_prime, O0 = (_check_scalar(n, v) for n, v in (("w", w), ("w_prime", w_prime), ("O0", O0)))
    xb, single = _as_batch(x)
    f = SCALAR_ACTIVATIONS[activation][0]
    N, T = xb.shape
    a = np.empty((N, T))
    O = np.empty((N, T))
    prev = np.full(N, O0)
    with np.errstate(over="ignore", invalid="ignore"):  # a diverging linear run may overflow
        for t in range(T):
            a[:, t] = xb[:, t] * w + prev * w_prime  # a_t = x_t w + O_{t-1} w'
            O[:, t] = f(a[:, t])  # O_t = f(a_t)
            prev = O[:, t]
    O_prev = np.concatenate([np.full((N, 1), O0), O[:, :-1]], axis=1)  # (N, T): O_0..O_{T-1}
    cache = dict(x=xb, a=a, O=O, O_prev=O_prev, w=w, w_prime=w_prime, activation=activation)
    return (O[0] if single else O), cache


def scalar_loss(x, w, w_prime, y, O0=0.0, activation: str = "tanh") -> float:
    """Many-to-one squared error: y_hat = O_T, L = mean over the batch of (y_hat - y)^2 / 2.

    Inputs: as :func:`scalar_forward`, plus targets y, shape () for one sequence or (N,).
    Returns: L (float).
    """
    O, cache = scalar_forward(x, w, w_prime, O0, activation)
    N = cache["x"].shape[0]
    y = _targets(y, N, np.ndim(x) == 1)
    return float(np.mean(0.5 * (cache["O"][:, -1] - y) ** 2))


def scalar_grad(x, w, w_prime, y, O0=0.0, activation: str = "tanh", truncate: int | None = None):
    """Loss and gradient of the many-to-one loss by backpropagation through time.

    The recursion carries delta_t = dL/dO_t backwards: delta_T = dL/dy_hat,
    delta_{t-1} = delta_t f'(a_t) w'; each step adds its direct part to the shared weights:
    dL/dw += delta_t f'(a_t) x_t and dL/dw' += delta_t f'(a_t) O_{t-1}.

    Inputs: as :func:`scalar_loss`; ``truncate=k`` keeps only the k steps nearest the loss
        (the terms with paths through at most k outputs), None keeps all T.
    Returns:
        (L, dw, dw_prime) as floats (means over the batch).
    """
    if truncate is not None and (isinstance(truncate, bool) or int(truncate) != truncate or truncate < 1):
        raise ValueError(f"truncate must be None or an int >= 1, got {truncate!r}")
    _, cache = scalar_forward(x, w, w_prime, O0, activation)
    xb, a, O, O_prev = cache["x"], cache["a"], cache["O"], cache["O_prev"]
    N, T = xb.shape
    y = _targets(y, N, np.ndim(x) == 1)
    fprime = SCALAR_ACTIVATIONS[activation][1](a, O)  # (N, T)
    delta = (O[:, -1] - y) / N  # dL/dO_T for the mean loss, (N,)
    dw = dwp = 0.0
    first = 0 if truncate is None else max(0, T - int(truncate))
    for t in range(T - 1, first - 1, -1):
        da = delta * fprime[:, t]  # dL/da_t
        dw += float(np.sum(da * xb[:, t]))
        dwp += float(np.sum(da * O_prev[:, t]))
        delta = da * w_prime  # dL/dO_{t-1}: the carry into the previous step
    L = float(np.mean(0.5 * (O[:, -1] - y) ** 2))
    return L, dw, dwp


@dataclass
class BPTTTerm:
    """One term of the BPTT sum: the path from the loss back to a weight's use at step k."""

    param: str  # "w" or "w'"
    index: int  # 1..T, numbered as in the notes (1 = the shortest path, through O_T only)
    step: int  # k: the step whose use of the weight this path reaches
    path: str  # e.g. "L -> y_hat -> O4 -> O3 -> w'"
    factors: list[tuple[str, float]]  # (symbol, value) of every chain factor, in order
    value: float  # product of the factors


def scalar_bptt_terms(x, w, w_prime, y, O0=0.0, activation: str = "tanh") -> list[BPTTTerm]:
    """Every term of dL/dw' and dL/dw for one sequence, each as the product of its chain factors.

    Inputs: x (T,) one sequence, weights, target y (scalar), O0, activation.
    Returns: 2T :class:`BPTTTerm` s: first the T terms of dL/dw' (index 1..T), then those of dL/dw.
        Term i reaches step k = T - i + 1:
        dL/dy_hat * dy_hat/dO_T * dO_T/dO_{T-1} * ... * dO_{k+1}/dO_k * d+O_k/dparam.
    """
    if np.ndim(x) != 1:
        raise ValueError(f"x must be one sequence of shape (T,), got shape {np.shape(x)}")
    _, cache = scalar_forward(x, w, w_prime, O0, activation)
    y = _check_scalar("y", y)
    a, O, O_prev, xs = cache["a"][0], cache["O"][0], cache["O_prev"][0], cache["x"][0]
    T = len(xs)
    fprime = SCALAR_ACTIVATIONS[activation][1](a, O)
    terms = []
    for param in ("w'", "w"):
        for i in range(1, T + 1):
            k = T - i + 1
            factors = [("dL/dy_hat", float(O[-1] - y)), (f"dy_hat/dO{T}", 1.0)]
            for j in range(T, k, -1):
                factors.append((f"dO{j}/dO{j - 1}", float(fprime[j - 1] * w_prime)))
            local = O_prev[k - 1] if param == "w'" else xs[k - 1]
            factors.append((f"d+O{k}/d{param}", float(fprime[k - 1] * local)))
            path = " -> ".join(["L", "y_hat"] + [f"O{j}" for j in range(T, k - 1, -1)] + [param])
            value = float(np.prod([v for _, v in factors]))
            terms.append(BPTTTerm(param, i, k, path, factors, value))
    return terms


def bptt_terms_table(terms: list[BPTTTerm], digits: int = 4) -> str:
    """The terms as a plain-text table (term, path, factor values, value) plus a sum per weight.

    The factor column starts with dL/dO_T = dL/dy_hat * dy_hat/dO_T, shared by every term.

    Inputs: terms from :func:`scalar_bptt_terms`; digits: significant digits printed.
    Returns: the table as one string.
    """
    fmt = lambda v: f"{v:+.{digits - 1}e}" if v != 0 and abs(v) < 1e-3 else f"{v:+.{digits}g}"
    T = max(t.index for t in terms)
    rows = [("term", "path", f"dL/dO{T} * chain factors", "value")]
    for p in dict.fromkeys(t.param for t in terms):
        mine = [t for t in terms if t.param == p]
        for t in mine:
            head = t.factors[0][1] * t.factors[1][1]  # dL/dO_T = dL/dy_hat * dy_hat/dO_T
            chain = " * ".join(fmt(v) for v in [head] + [v for _, v in t.factors[2:]])
            rows.append((f"dL/d{p} #{t.index}", t.path, chain, fmt(t.value)))
        rows.append((f"dL/d{p}", "sum of the terms above", "", fmt(sum(t.value for t in mine))))
    widths = [max(len(r[c]) for r in rows) for c in range(4)]
    lines = ["  ".join(cell.ljust(wd) for cell, wd in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines)


def train_scalar(
    x,
    y,
    w,
    w_prime,
    lr: float,
    steps: int,
    O0=0.0,
    activation: str = "tanh",
    truncate: int | None = None,
) -> dict:
    """Plain gradient descent on (w, w'): p <- p - lr * dL/dp, for ``steps`` updates.

    Stops early (``diverged=True``) once a weight or the loss stops being finite or exceeds 1e6.

    Inputs: x (N, T) or (T,), y (N,) or (), initial w and w', learning rate, number of steps.
    Returns: dict with arrays "w", "w_prime", "loss" (one entry per visited point, so up to
        steps + 1), "dw", "dw_prime" (gradients at those points) and "diverged" (bool).
    """
    lr = _check_scalar("lr", lr)
    if lr < 0:
        raise ValueError(f"lr must be >= 0, got {lr}")
    if int(steps) != steps or steps < 0:
        raise ValueError(f"steps must be an int >= 0, got {steps!r}")
    hist = {k: [] for k in ("w", "w_prime", "loss", "dw", "dw_prime")}
    diverged = False
    for step in range(int(steps) + 1):
        with np.errstate(over="ignore", invalid="ignore"):
            L, dw, dwp = scalar_grad(x, w, w_prime, y, O0, activation, truncate)
        if not all(np.isfinite(v) and abs(v) < 1e6 for v in (L, dw, dwp)):
            diverged = True
            break
        for k, v in zip(hist, (w, w_prime, L, dw, dwp), strict=True):
            hist[k].append(v)
        if step < steps:
            w, w_prime = w - lr * dw, w_prime - lr * dwp  # the update rule
            if not (abs(w) < 1e6 and abs(w_prime) < 1e6):
                diverged = True
                break
    out = {k: np.array(v) for k, v in hist.items()}
    out["diverged"] = diverged
    return out


def scalar_loss_grid(x, y, w_values, w_prime_values, O0=0.0, activation: str = "tanh") -> np.ndarray:
    """The loss on a grid of weights (for contour plots), vectorised over the grid.

    Inputs: x (N, T), y (N,), w_values (A,), w_prime_values (B,).
    Returns: loss, shape (B, A): row j is w' = w_prime_values[j], column i is w = w_values[i].
    """
    _check_activation(activation)
    xb, single = _as_batch(x)
    N, T = xb.shape
    y = _targets(y, N, single)
    W, WP = np.meshgrid(np.asarray(w_values, float), np.asarray(w_prime_values, float))  # (B, A)
    f = SCALAR_ACTIVATIONS[activation][0]
    O = np.full(W.shape + (N,), float(O0))  # (B, A, N)
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(T):
            O = f(xb[:, t] * W[..., None] + O * WP[..., None])
        return np.mean(0.5 * (O - y) ** 2, axis=-1)


def scalar_teacher_data(
    n: int, T: int, w: float = 1.0, w_prime: float = 0.5, activation: str = "tanh", rng=0
) -> tuple[np.ndarray, np.ndarray]:
    """A toy regression set made by a "teacher" scalar RNN with known weights.

    Inputs: n sequences of T steps, x ~ N(0, 1); the teacher's w, w', activation; rng: a numpy
        Generator or an int seed.
    Returns: x (n, T) and y (n,) = the teacher's O_T, so gradient descent can recover (w, w').
    """
    rng = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(int(rng))
    x = rng.standard_normal((n, T))
    O, _ = scalar_forward(x, w, w_prime, 0.0, activation)
    return x, O[:, -1].copy()
