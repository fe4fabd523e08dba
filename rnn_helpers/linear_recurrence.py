"""Linear recurrences h_t = a_t * h_{t-1} + b_t, computed step by step and by parallel scans.

A diagonal linear recurrence (elementwise products, ``*``) is what a minGRU, an LRU or a Mamba
layer runs. Each step is an affine map of the state, h -> a_t * h + b_t, stored as the pair
(a_t, b_t). Applying (a_1, b_1) and then (a_2, b_2) is again an affine map::

    (a_1, b_1) then (a_2, b_2)  =  (a_2 * a_1,  a_2 * b_1 + b_2)          (:func:`combine`)

and composing maps is associative, so the T prefixes (a_1..a_t, b_1..b_t) can be combined in any
bracketing: a parallel scan needs ceil(log2 T) rounds where the loop needs T steps.

* :func:`recurrence_loop` / :func:`recurrence_loop_torch`: the T sequential steps (reference).
* :func:`hillis_steele_scan` / :func:`scan_torch`: the Hillis & Steele (1986) scan, round k
  combines element t with element t - 2^k; ceil(log2 T) rounds, no division anywhere.
* :func:`cumprod_scan`: the closed form h_t = A_t (h_0 + sum_s b_s / A_s), A_t = a_1 ... a_t,
  with two library calls (cumprod, cumsum). It divides by A_t, which underflows on long
  sequences: inf, then NaN.
* :func:`log_scan` / :func:`log_scan_torch`: the same closed form in log space (Heinsen 2023),
  log h_t = log A_t + logcumsumexp_s(log b_s - log A_s): stable, but only for a, b, h_0 > 0.
* :func:`scan_levels`, :func:`scan_tree_view`: which element each round of the scan combines,
  for drawing the scan's tree.
* :func:`lti_kernel`, :func:`fft_convolve`: a time-invariant recurrence (a_t = a, b_t = x_t B)
  is a convolution of the inputs with the kernel K_k = a^k.

Shapes: a, b are (N, T, H) (batch, time, hidden units), h0 is (N, H); h is (N, T, H) with
h[:, t] = h_{t+1} (python indexes from 0, the equations count steps from 1).
"""

from __future__ import annotations

import math

import numpy as np
import torch

from ._validate import as_float

__all__ = [
    "combine",
    "recurrence_loop",
    "recurrence_loop_torch",
    "hillis_steele_scan",
    "scan_torch",
    "cumprod_scan",
    "log_scan",
    "log_scan_torch",
    "scan_depth",
    "scan_levels",
    "scan_tree_view",
    "transfer_matrix",
    "lti_kernel",
    "fft_convolve",
]


# ----------------------------------------------------------------------------------------------
# Input checks


def _as_array(name: str, value) -> np.ndarray:
    return as_float(name, value, finite=False)  # the numpy core's one check: ints become float64


def _check_ab(a, b, h0, *, backend: str):
    """a, b (N, T, H) of one shape; h0 (N, H) or None (zeros). Returns arrays/tensors."""
    if backend == "torch":
        for name, v in (("a", a), ("b", b)):
            if not isinstance(v, torch.Tensor):
                raise ValueError(f"{name} must be a torch tensor of shape (N, T, H), got {type(v).__name__}")
        if h0 is not None and not isinstance(h0, torch.Tensor):
            raise ValueError(f"h0 must be a torch tensor of shape (N, H) or None, got {type(h0).__name__}")
    else:
        a, b = _as_array("a", a), _as_array("b", b)
        h0 = None if h0 is None else _as_array("h0", h0)
    if a.ndim != 3:
        raise ValueError(f"a must be a 3-D array of shape (N, T, H), got shape {tuple(a.shape)}")
    N, T, H = a.shape
    if T < 1:
        raise ValueError(f"a must have at least one time step, got shape {tuple(a.shape)}")
    if tuple(b.shape) != (N, T, H):
        raise ValueError(f"b must have shape (N, T, H) = {(N, T, H)} like a, got {tuple(b.shape)}")
    if h0 is None:
        h0 = torch.zeros(N, H, dtype=b.dtype) if backend == "torch" else np.zeros((N, H), dtype=b.dtype)
    elif tuple(h0.shape) != (N, H):
        raise ValueError(f"h0 must have shape (N, H) = {(N, H)}, got {tuple(h0.shape)}")
    if backend == "numpy":
        dt = np.result_type(a, b, h0)
        a, b, h0 = a.astype(dt, copy=False), b.astype(dt, copy=False), h0.astype(dt, copy=False)
    return a, b, h0


# ----------------------------------------------------------------------------------------------
# The combine operator and the loop


def combine(a1, b1, a2, b2):
    """Compose two steps: first h -> a1 * h + b1, then h -> a2 * h + b2.

    a2 * (a1 * h + b1) + b2 = (a2 * a1) * h + (a2 * b1 + b2), so the pair of the two steps is
    (a2 * a1, a2 * b1 + b2). Works elementwise on numpy arrays and torch tensors alike.
    The order matters: (a1, b1) is the EARLIER step.

    Returns:
        (a, b): the pair of the composed map, shapes broadcast from the inputs.
    """
    return a2 * a1, a2 * b1 + b2  # A = a2 a1, B = a2 b1 + b2


def recurrence_loop(a, b, h0=None) -> np.ndarray:
    """h_t = a_t * h_{t-1} + b_t for t = 1..T, one step after another (numpy).

    Inputs:
        a: (N, T, H) multipliers a_t (the minGRU's update gate z_t).
        b: (N, T, H) inputs b_t.
        h0: (N, H) initial state, or None for zeros.
    Returns:
        h: (N, T, H), h[:, t - 1] = h_t.
    """
    a, b, h0 = _check_ab(a, b, h0, backend="numpy")
    h = np.empty_like(b)  # (N, T, H)
    prev = h0  # (N, H)
    for t in range(a.shape[1]):
        prev = a[:, t] * prev + b[:, t]  # h_t = a_t * h_{t-1} + b_t
        h[:, t] = prev
    return h


def recurrence_loop_torch(a: torch.Tensor, b: torch.Tensor, h0: torch.Tensor | None = None) -> torch.Tensor:
    """The loop of :func:`recurrence_loop` in torch (differentiable): T sequential steps.

    Inputs/Returns: as :func:`recurrence_loop`, torch tensors.
    """
    a, b, h0 = _check_ab(a, b, h0, backend="torch")
    prev, out = h0, []
    for a_t, b_t in zip(a.unbind(1), b.unbind(1)):  # unbind: one (N, H) view per step, cheap backward
        prev = a_t * prev + b_t  # h_t = a_t * h_{t-1} + b_t
        out.append(prev)
    return torch.stack(out, dim=1)  # (N, T, H)


# ----------------------------------------------------------------------------------------------
# Hillis-Steele scan


def hillis_steele_scan(a, b, h0=None, combine_fn=combine) -> np.ndarray:
    """All h_t of h_t = a_t * h_{t-1} + b_t by the Hillis & Steele (1986) inclusive scan (numpy).

    Round k = 0, 1, ... (stride d = 2^k) replaces every element t >= d by the composition of
    element t - d (earlier) and element t, all t at once. After ceil(log2 T) rounds element t
    holds the pair (A_t, B_t) of steps 1..t: A_t = a_1 * ... * a_t and B_t = h_t for h_0 = 0,
    so h_t = A_t * h_0 + B_t. Only products and sums, no division.

    Inputs:
        a, b: (N, T, H); h0: (N, H) or None.
        combine_fn: the operator ``combine_fn(a1, b1, a2, b2)`` (earlier step first); the
            exercise of notebook 12 passes the learner's own.
    Returns:
        h: (N, T, H).
    """
    a, b, h0 = _check_ab(a, b, h0, backend="numpy")
    A, B = a.copy(), b.copy()
    T, d = a.shape[1], 1
    while d < T:
        A_new, B_new = combine_fn(A[:, :-d], B[:, :-d], A[:, d:], B[:, d:])  # (t - d) then t
        A, B = np.concatenate([A[:, :d], A_new], 1), np.concatenate([B[:, :d], B_new], 1)  # (N, T, H)
        d *= 2
    return A * h0[:, None] + B  # h_t = A_t * h_0 + B_t


def scan_torch(a: torch.Tensor, b: torch.Tensor, h0: torch.Tensor | None = None) -> torch.Tensor:
    """:func:`hillis_steele_scan` in torch: ceil(log2 T) rounds of elementwise ops, each over all
    T steps at once; autograd differentiates through it.

    Inputs/Returns: as :func:`recurrence_loop`, torch tensors.
    """
    a, b, h0 = _check_ab(a, b, h0, backend="torch")
    A, B = a, b
    T, d = a.shape[1], 1
    while d < T:
        A_new, B_new = combine(A[:, :-d], B[:, :-d], A[:, d:], B[:, d:])  # (t - d) then t
        A, B = torch.cat([A[:, :d], A_new], 1), torch.cat([B[:, :d], B_new], 1)  # (N, T, H)
        d *= 2
    return A * h0[:, None] + B  # h_t = A_t * h_0 + B_t


# ----------------------------------------------------------------------------------------------
# Closed forms: cumulative product (unstable) and log space (stable for positive values)


def cumprod_scan(a, b, h0=None) -> np.ndarray:
    """The closed form h_t = A_t * (h_0 + sum_{s<=t} b_s / A_s), A_t = a_1 * ... * a_t (numpy).

    Two library calls (cumprod, cumsum), no loop, but it divides by A_t: for a_t < 1 on a long
    sequence A_t underflows, b_s / A_s overflows to inf and A_t * inf becomes NaN. Kept as the
    cautionary example; use :func:`hillis_steele_scan` or :func:`log_scan`.

    Inputs/Returns: as :func:`recurrence_loop`.
    """
    a, b, h0 = _check_ab(a, b, h0, backend="numpy")
    A = np.cumprod(a, axis=1)  # A_t, (N, T, H)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore", under="ignore"):
        return A * (h0[:, None] + np.cumsum(b / A, axis=1))


def _check_positive(name: str, v, *, allow_zero: bool = False) -> None:
    vals = v.detach().numpy() if isinstance(v, torch.Tensor) else v
    bad = vals < 0 if allow_zero else vals <= 0
    if np.any(bad):
        rule = ">= 0" if allow_zero else "> 0"
        raise ValueError(
            f"{name} must be {rule} for the log-space scan (the log of a negative number is undefined); "
            f"got {int(np.count_nonzero(bad))} entries that are not, in an array of shape {tuple(v.shape)}"
        )


def log_scan(a, b, h0=None) -> np.ndarray:
    """The closed form in log space (Heinsen 2023), numpy; needs a > 0, b > 0 and h_0 >= 0.

    With a*_t = log a_1 + ... + log a_t (a cumulative sum) and b_0 = h_0, a*_0 = 0:

        log h_t = a*_t + log sum_{s=0..t} exp(log b_s - a*_s)      (logcumsumexp)

    The sum is kept in log space (``np.logaddexp.accumulate``), so nothing under- or overflows.

    Inputs/Returns: as :func:`recurrence_loop`.
    Raises:
        ValueError naming the argument when a or b has entries <= 0 or h0 entries < 0.
    """
    a, b, h0 = _check_ab(a, b, h0, backend="numpy")
    _check_positive("a", a)
    _check_positive("b", b)
    _check_positive("h0", h0, allow_zero=True)
    with np.errstate(divide="ignore"):  # log 0 = -inf for h_0 = 0 is exact and harmless
        log_b = np.concatenate([np.log(h0)[:, None], np.log(b)], 1)  # (N, T + 1, H), b_0 = h_0
    a_star = np.concatenate([np.zeros_like(h0)[:, None], np.cumsum(np.log(a), 1)], 1)  # (N, T + 1, H)
    log_h = a_star + np.logaddexp.accumulate(log_b - a_star, axis=1)  # (N, T + 1, H)
    return np.exp(log_h[:, 1:])


def log_scan_torch(log_a: torch.Tensor, log_b: torch.Tensor, log_h0: torch.Tensor | None = None) -> torch.Tensor:
    """:func:`log_scan` in torch, taking logs: log_a, log_b (N, T, H), log_h0 (N, H) or None
    (h_0 = 0). Two library calls (cumsum, logcumsumexp); differentiable.

    Returns:
        h: (N, T, H).
    """
    if log_h0 is None:  # h_0 = 0: log h_0 = -inf, which logcumsumexp treats exactly
        if not isinstance(log_b, torch.Tensor) or log_b.ndim != 3:
            raise ValueError(f"log_b must be a torch tensor of shape (N, T, H), got {getattr(log_b, 'shape', log_b)}")
        log_h0 = torch.full((log_b.shape[0], log_b.shape[2]), -math.inf, dtype=log_b.dtype)
    log_a, log_b, log_h0 = _check_ab(log_a, log_b, log_h0, backend="torch")
    N, T, H = log_a.shape
    a_star = torch.cumsum(log_a, dim=1)  # (N, T, H)
    a_star0 = torch.cat([torch.zeros(N, 1, H, dtype=a_star.dtype), a_star], 1)  # (N, T + 1, H)
    values = torch.cat([log_h0[:, None], log_b], 1) - a_star0  # (N, T + 1, H)
    log_h = a_star0 + torch.logcumsumexp(values, dim=1)
    return torch.exp(log_h[:, 1:])


# ----------------------------------------------------------------------------------------------
# The scan's structure (for the depth figure and the explorer)


def _check_T(T) -> int:
    if isinstance(T, bool) or not isinstance(T, (int, np.integer)) or T < 1:
        raise ValueError(f"T must be an int >= 1, got {T!r}")
    return int(T)


def scan_depth(T: int) -> int:
    """Sequential rounds of the Hillis-Steele scan over T steps: ceil(log2 T) (0 for T = 1)."""
    T = _check_T(T)
    return math.ceil(math.log2(T)) if T > 1 else 0


def scan_levels(T: int) -> list[list[tuple[int, int]]]:
    """The combines of each Hillis-Steele round: levels[k] lists (source, target) pairs,
    source = target - 2^k, for every target >= 2^k (0-based step indices).

    Returns:
        list of ceil(log2 T) lists; the total number of combines is sum_k (T - 2^k).
    """
    T = _check_T(T)
    levels, d = [], 1
    while d < T:
        levels.append([(t - d, t) for t in range(d, T)])
        d *= 2
    return levels


def scan_tree_view(T: int, t: int) -> dict:
    """What the scan explorer shows for T steps with output h_t highlighted (t is 1-based).

    Returns:
        dict with "levels" (:func:`scan_levels`), "depth" (rounds), "combines" (total count),
        "loop_steps" (T), "t", and "used": a list, per round k = 0..depth, of the 0-based
        columns whose partial result at round k feeds h_t (round depth holds t - 1 only), and
        "used_edges": per round, the (source, target) combines on h_t's path.
    """
    T = _check_T(T)
    if isinstance(t, bool) or not isinstance(t, (int, np.integer)) or not 1 <= t <= T:
        raise ValueError(f"t must be an int with 1 <= t <= T = {T}, got {t!r}")
    levels = scan_levels(T)
    depth = len(levels)
    used = [set() for _ in range(depth + 1)]
    used_edges: list[set] = [set() for _ in range(depth)]
    used[depth] = {t - 1}
    for k in range(depth - 1, -1, -1):  # walk the tree down from the output
        d = 2**k
        for col in used[k + 1]:
            used[k].add(col)  # element col at round k feeds itself at round k + 1
            if col >= d:
                used[k].add(col - d)
                used_edges[k].add((col - d, col))
    return {
        "levels": levels,
        "depth": depth,
        "combines": sum(len(lv) for lv in levels),
        "loop_steps": T,
        "t": int(t),
        "used": [sorted(u) for u in used],
        "used_edges": [sorted(e) for e in used_edges],
    }


# ----------------------------------------------------------------------------------------------
# Time-invariant recurrences are convolutions


def transfer_matrix(a) -> np.ndarray:
    """M[t, s] = a_{s+1} * ... * a_t for s <= t (0 above the diagonal): how much of b_s is in h_t,
    h_t = sum_s M[t, s] b_s. For a scalar sequence a of shape (T,).

    Returns:
        M: (T, T) lower-triangular. For a constant a it is Toeplitz (M[t, s] = a^(t - s)).
    """
    a = _as_array("a", a)
    if a.ndim != 1:
        raise ValueError(f"a must be a 1-D array of shape (T,), got shape {a.shape}")
    T = a.shape[0]
    M = np.zeros((T, T))  # (T, T)
    for t in range(T):
        if t > 0:
            M[t, :t] = M[t - 1, :t] * a[t]  # one more step of decay for every earlier input
        M[t, t] = 1.0  # b_t enters h_t as it is
    return M


def lti_kernel(a, T: int) -> np.ndarray:
    """The convolution kernel of h_t = a * h_{t-1} + u_t with constant a: K_k = a^k, k = 0..T-1.

    Inputs:
        a: (H,) constant multipliers; T: length.
    Returns:
        K: (T, H).
    """
    a = _as_array("a", a)
    if a.ndim != 1:
        raise ValueError(f"a must be a 1-D array of shape (H,), got shape {a.shape}")
    T = _check_T(T)
    return a[None, :] ** np.arange(T)[:, None]  # K_k = a^k, (T, H)


def fft_convolve(u, K) -> np.ndarray:
    """Causal convolution h_t = sum_{k=0..t} K_k * u_{t-k} along time, by FFT (zero-padded to 2T).

    Inputs:
        u: (N, T, H) inputs; K: (T, H) kernel.
    Returns:
        h: (N, T, H), equal to the recurrence h_t = a * h_{t-1} + u_t (h_0 = 0) when K_k = a^k.
    """
    u, K = _as_array("u", u), _as_array("K", K)
    if u.ndim != 3:
        raise ValueError(f"u must be a 3-D array of shape (N, T, H), got shape {u.shape}")
    N, T, H = u.shape
    if K.shape != (T, H):
        raise ValueError(f"K must have shape (T, H) = {(T, H)}, got {K.shape}")
    n = 2 * T  # zero padding: the circular convolution of length 2T equals the linear one for t < T
    spectrum = np.fft.rfft(u, n=n, axis=1) * np.fft.rfft(K, n=n, axis=0)[None]  # (N, T + 1, H)
    return np.fft.irfft(spectrum, n=n, axis=1)[:, :T]
