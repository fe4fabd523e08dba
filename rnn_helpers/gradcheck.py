"""Gradient checking: centred finite differences, relative error, a per-parameter report.

A hand-written backward pass is checked by nudging every entry of every input a little and
watching the loss move:

    ∂L/∂θ_k ≈ (L(θ + h e_k) - L(θ - h e_k)) / (2h)

The centred difference is accurate to O(h^2); in float64 with h = 1e-6 the estimate agrees
with a correct analytic gradient to about 1e-9 relative, so a relative error above ~1e-7
means a bug.

Typical use in a notebook::

    def loss_and_grads():
        h, cache = rnn_forward(x, h0, Wx, Wh, b)
        dx, dh0, dWx, dWh, db = rnn_backward(dh, cache)
        return (h * dh).sum(), {"x": dx, "h0": dh0, "Wx": dWx, "Wh": dWh, "b": db}

    rows = gradcheck_report(loss_and_grads, {"x": x, "h0": h0, "Wx": Wx, "Wh": Wh, "b": b})
    print(format_gradcheck(rows))
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from ._validate import as_float

__all__ = [
    "numerical_gradient",
    "rel_error",
    "GradcheckRow",
    "gradcheck_report",
    "format_gradcheck",
]


def _check_h(h) -> float:
    if not np.isscalar(h) or not np.isfinite(h) or h <= 0:
        raise ValueError(f"h must be a finite number > 0, got {h!r}")
    return float(h)


def numerical_gradient(f: Callable, x: np.ndarray, df=None, h: float = 1e-6) -> np.ndarray:
    """Centred finite-difference gradient of ``f`` with respect to the array ``x``.

    For each entry k: g_k = (f(x + h e_k) - f(x - h e_k)) / (2h). ``x`` is nudged IN PLACE
    (and restored), so ``f`` may either use its argument or read ``x`` from a closure.

    Inputs:
        f: ``f(x)`` returning a scalar, or an array when ``df`` is given.
        x: float64 array of any shape (float32 is too coarse for finite differences).
        df: optional upstream gradient of the array ``f(x)``; then the scalar checked is
            Σ f(x) * df, i.e. the vector-Jacobian product.
        h: step size.
    Returns:
        grad: same shape as ``x``.
    """
    if not callable(f):
        raise ValueError(f"f must be callable, got {type(f).__name__}")
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        got = x.dtype if isinstance(x, np.ndarray) else type(x).__name__
        raise ValueError(f"x must be a float64 numpy array (it is nudged in place), got {got}")
    as_float("x", x)  # finite check
    h = _check_h(h)
    if df is not None:
        df = as_float("df", df)

    def scalar() -> float:
        out = f(x)
        if df is None:
            out = np.asarray(out)
            if out.size != 1:
                raise ValueError(f"f must return a scalar when df is None, got shape {out.shape}")
            return float(out.reshape(()))
        out = np.asarray(out, dtype=np.float64)
        if out.shape != df.shape:
            raise ValueError(f"df must have the shape of f(x) = {out.shape}, got {df.shape}")
        return float((out * df).sum())

    grad = np.zeros_like(x)
    flat = x.reshape(-1)  # a view: writing into it nudges x
    gflat = grad.reshape(-1)
    for k in range(flat.size):
        old = flat[k]
        flat[k] = old + h
        f_plus = scalar()
        flat[k] = old - h
        f_minus = scalar()
        flat[k] = old
        gflat[k] = (f_plus - f_minus) / (2.0 * h)
    return grad


def rel_error(a, b) -> float:
    """Relative error between two arrays: ||a - b|| / (||a|| + ||b||) (Frobenius norms).

    0 when both are zero; at most 1. Unlike an entrywise ratio, this does not blow up for
    entries that are nearly zero in both arrays (common for saturated gates).
    """
    a = as_float("a", a)
    b = as_float("b", b)
    if a.shape != b.shape:
        raise ValueError(f"b must have the shape of a = {a.shape}, got {b.shape}")
    a = a.astype(np.float64)
    b = b.astype(np.float64)
    denom = np.linalg.norm(a) + np.linalg.norm(b)
    if denom == 0.0:
        return 0.0
    return float(np.linalg.norm(a - b) / denom)


class GradcheckRow(NamedTuple):
    """One line of a gradient-check report."""

    name: str
    shape: tuple[int, ...]
    rel_error: float
    max_abs_error: float


def gradcheck_report(f: Callable, params: dict, h: float = 1e-6) -> list[GradcheckRow]:
    """Compare the analytic gradients of ``f`` with finite differences, one row per parameter.

    Inputs:
        f: ``f()`` with no arguments, returning ``(loss, grads)`` where ``grads`` maps each
           name of ``params`` to the analytic gradient ∂loss/∂param. ``f`` must read the very
           arrays in ``params`` (they are nudged in place).
        params: name -> float64 array.
        h: finite-difference step.
    Returns:
        list of ``GradcheckRow(name, shape, rel_error, max_abs_error)``, in the order of
        ``params``; print it with ``format_gradcheck``.
    """
    if not callable(f):
        raise ValueError(f"f must be callable, got {type(f).__name__}")
    if not isinstance(params, dict) or not params:
        raise ValueError("params must be a non-empty dict of name -> float64 array")
    out = f()
    if not (isinstance(out, tuple) and len(out) == 2 and isinstance(out[1], dict)):
        raise ValueError("f() must return (loss, grads) with grads a dict of name -> gradient")
    _, grads = out
    rows = []
    for name, p in params.items():
        if name not in grads:
            raise ValueError(f"grads returned by f() has no entry for parameter {name!r}")
        analytic = as_float(f"grads[{name!r}]", grads[name])
        if analytic.shape != np.shape(p):
            raise ValueError(
                f"grads[{name!r}] must have the shape of params[{name!r}] = {np.shape(p)}, got {analytic.shape}"
            )
        analytic = analytic.copy()
        numeric = numerical_gradient(lambda _: f()[0], p, h=h)
        rows.append(
            GradcheckRow(
                name=name,
                shape=tuple(p.shape),
                rel_error=rel_error(analytic, numeric),
                max_abs_error=float(np.max(np.abs(analytic - numeric), initial=0.0)),
            )
        )
    return rows


def format_gradcheck(rows: list[GradcheckRow], tol: float = 1e-7) -> str:
    """A fixed-width table of a report, with "ok" or "FAIL" against ``tol`` on each line."""
    if not isinstance(rows, (list, tuple)) or not all(isinstance(r, GradcheckRow) for r in rows):
        raise ValueError("rows must be the list of GradcheckRow returned by gradcheck_report")
    lines = [f"{'param':<10} {'shape':<14} {'rel error':>10} {'max abs err':>12}  verdict"]
    for r in rows:
        verdict = "ok" if r.rel_error < tol else "FAIL"
        shape = str(r.shape)
        lines.append(f"{r.name:<10} {shape:<14} {r.rel_error:>10.1e} {r.max_abs_error:>12.1e}  {verdict}")
    return "\n".join(lines)
