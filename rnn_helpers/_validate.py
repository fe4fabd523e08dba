"""Input checks shared by the numpy cells (private).

Every public function of ``ops``, ``rnn``, ``lstm``, ``gru`` and ``bidirectional`` turns its
arguments into float arrays with these helpers, so a mistake reads as a sentence naming the
argument, its shape and the shape expected:

    Wh must have shape (H, 4H) = (5, 20), got (5, 15)

instead of a broadcasting traceback (or, worse, a silently broadcast result).
"""

from __future__ import annotations

import numpy as np


def _describe(a: np.ndarray) -> str:
    return f"{a.ndim}-D array of shape {a.shape}"


def as_float(name: str, a, *, finite: bool = True) -> np.ndarray:
    """``a`` as a float ndarray (ints and bools become float64; float32 stays float32).

    Raises ValueError for non-numeric data and, when ``finite``, for NaN or infinite values.
    """
    try:
        arr = np.asarray(a)
    except Exception as err:  # ragged lists and the like
        raise ValueError(f"{name} must be a numeric array, got {type(a).__name__}") from err
    if arr.dtype.kind in "biu":
        arr = arr.astype(np.float64)
    elif arr.dtype.kind != "f":
        raise ValueError(f"{name} must be a real numeric array, got dtype {arr.dtype}")
    if finite and not np.isfinite(arr).all():
        bad = int(np.size(arr) - np.count_nonzero(np.isfinite(arr)))
        raise ValueError(
            f"{name} must contain only finite values, got {bad} NaN/inf entries in an array of shape {arr.shape}"
        )
    return arr


def check_ndim(name: str, a: np.ndarray, ndim: int, symbolic: str) -> None:
    """Raise unless ``a`` has ``ndim`` dimensions; ``symbolic`` is e.g. ``"(N, T, D)"``."""
    if a.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-D array of shape {symbolic}, got a {_describe(a)}")


def check_shape(name: str, a: np.ndarray, expected: tuple[int, ...], symbolic: str) -> None:
    """Raise unless ``a.shape == expected``; ``symbolic`` is e.g. ``"(H, 4H)"``."""
    expected = tuple(int(e) for e in expected)
    if a.shape != expected:
        if a.ndim != len(expected):
            got = f"a {_describe(a)}"
        else:
            got = str(a.shape)
        raise ValueError(f"{name} must have shape {symbolic} = {expected}, got {got}")


def common_dtype(*arrays: np.ndarray) -> np.dtype:
    """float32 if every array is float32, otherwise float64."""
    dt = np.result_type(*arrays)
    return np.dtype(np.float32) if dt == np.float32 else np.dtype(np.float64)


def check_truncate(truncate) -> int | None:
    """``truncate`` must be None or an int >= 1 (the number of steps gradients may flow back)."""
    if truncate is None:
        return None
    if isinstance(truncate, bool) or not isinstance(truncate, (int, np.integer)):
        raise ValueError(f"truncate must be None or an int >= 1, got {truncate!r}")
    if truncate < 1:
        raise ValueError(f"truncate must be None or an int >= 1, got {truncate}")
    return int(truncate)


def check_activation(activation) -> str:
    if activation not in ("tanh", "relu"):
        raise ValueError(f"activation must be 'tanh' or 'relu', got {activation!r}")
    return activation


def check_cache(cache, cell: str, producer: str) -> dict:
    """The cache must be the dict returned by ``producer`` for ``cell``."""
    if not isinstance(cache, dict) or cache.get("cell") != cell:
        raise ValueError(f"cache must be the cache returned by {producer}, got {type(cache).__name__}")
    return cache


def seq_inputs(x, h0, weights: dict, G: int, *, c0=None) -> tuple[np.ndarray, np.ndarray, dict, np.ndarray | None]:
    """Validate a sequence forward's inputs and return them as arrays of one float dtype.

    x (N, T, D), h0 (N, H), optional c0 (N, H); ``weights`` maps name -> array with
    names starting "Wx" (D, G*H), "Wh" (H, G*H) or "b" (G*H,). H is read from h0.
    """
    x = as_float("x", x)
    check_ndim("x", x, 3, "(N, T, D)")
    N, T, D = x.shape
    if T < 1:
        raise ValueError(f"x must have at least one time step, got shape {x.shape}")
    h0 = as_float("h0", h0)
    check_ndim("h0", h0, 2, "(N, H)")
    H = h0.shape[1]
    check_shape("h0", h0, (N, H), "(N, H)")
    if c0 is not None:
        c0 = as_float("c0", c0)
        check_shape("c0", c0, (N, H), "(N, H)")
    out = check_weights(weights, D, H, G)
    dt = common_dtype(x, h0, *out.values(), *([] if c0 is None else [c0]))
    x = x.astype(dt, copy=False)
    h0 = h0.astype(dt, copy=False)
    out = {k: v.astype(dt, copy=False) for k, v in out.items()}
    if c0 is not None:
        c0 = c0.astype(dt, copy=False)
    return x, h0, out, c0


def check_weights(weights: dict, D: int, H: int, G: int) -> dict:
    """Check Wx (D, G*H), Wh (H, G*H) and biases (G*H,), reading names from the dict keys."""
    gh = "H" if G == 1 else f"{G}H"
    out = {}
    for name, w in weights.items():
        w = as_float(name, w)
        if name.startswith("Wx"):
            check_shape(name, w, (D, G * H), f"(D, {gh})")
        elif name.startswith("Wh"):
            check_shape(name, w, (H, G * H), f"(H, {gh})")
        else:
            check_shape(name, w, (G * H,), f"({gh},)")
        out[name] = w
    return out


def step_inputs(x, h_prev, weights: dict, G: int, *, c_prev=None):
    """Validate one step's inputs: x (N, D), h_prev (N, H), optional c_prev (N, H), weights."""
    x = as_float("x", x)
    check_ndim("x", x, 2, "(N, D)")
    N, D = x.shape
    h_prev = as_float("h_prev", h_prev)
    check_ndim("h_prev", h_prev, 2, "(N, H)")
    H = h_prev.shape[1]
    check_shape("h_prev", h_prev, (N, H), "(N, H)")
    if c_prev is not None:
        c_prev = as_float("c_prev", c_prev)
        check_shape("c_prev", c_prev, (N, H), "(N, H)")
    out = check_weights(weights, D, H, G)
    dt = common_dtype(x, h_prev, *out.values(), *([] if c_prev is None else [c_prev]))
    x = x.astype(dt, copy=False)
    h_prev = h_prev.astype(dt, copy=False)
    out = {k: v.astype(dt, copy=False) for k, v in out.items()}
    if c_prev is not None:
        c_prev = c_prev.astype(dt, copy=False)
    return x, h_prev, out, c_prev


def upstream(name: str, d, shape: tuple[int, ...], symbolic: str, dtype) -> np.ndarray:
    """Validate an upstream gradient (``dh``, ``dc``, ...) against the forward's shape."""
    d = as_float(name, d)
    check_shape(name, d, shape, symbolic)
    return d.astype(dtype, copy=False)
