"""The vanilla (Elman) RNN cell in numpy: one step, a whole sequence, and BPTT by hand.

One step, for a batch of N inputs x_t (N, D) and previous hidden states h_{t-1} (N, H):

    a_t = x_t W_x + h_{t-1} W_h + b          (pre-activation, N x H)
    h_t = tanh(a_t)        (or relu(a_t) with activation="relu")

Shapes: W_x (D, H), W_h (H, H), b (H,). The same W_x, W_h, b are used at every step
(parameter sharing), so their gradients are sums over steps. This matches ``torch.nn.RNN``
with W_x = weight_ih_l0.T, W_h = weight_hh_l0.T and b = bias_ih_l0 + bias_hh_l0.

Arrays are float64 (ints are converted); if every input is float32 the computation stays in
float32 (used only to compare speed with torch). Bad shapes or NaN/inf raise ValueError.

Backpropagation through time (BPTT), walking t = T-1, ..., 0 with the carry
dh_next = ∂L/∂h_t arriving from step t+1:

    dh_t  = dh[:, t] + dh_next                  (loss at step t + everything later)
    da_t  = dh_t * (1 - h_t^2)                  (tanh' written with the output)
    dW_x += x_tᵀ da_t,  dW_h += h_{t-1}ᵀ da_t,  db += Σ_n da_t
    dx_t  = da_t W_xᵀ,  dh_next = da_t W_hᵀ     (passed on to step t-1)
"""

from __future__ import annotations

import numpy as np

from ._validate import (
    check_activation,
    check_cache,
    check_truncate,
    seq_inputs,
    step_inputs,
    upstream,
)

__all__ = [
    "rnn_step_forward",
    "rnn_step_backward",
    "rnn_forward",
    "rnn_backward",
]


def _act(a: np.ndarray, activation: str) -> np.ndarray:
    return np.tanh(a) if activation == "tanh" else np.maximum(a, 0.0)


def _act_back(dh: np.ndarray, h: np.ndarray, activation: str) -> np.ndarray:
    """da from dh, using the OUTPUT h: tanh' = 1 - h^2, relu' = [h > 0]."""
    if activation == "tanh":
        return dh * (1.0 - h * h)
    return dh * (h > 0)


def _step(xa_t, h_prev, Wh, activation: str):
    """The equations of one step; ``rnn_step_forward`` and ``rnn_forward`` both run it.
    ``xa_t`` = x_t W_x + b (N, H), computed for every step at once by ``rnn_forward``."""
    a = xa_t + h_prev @ Wh  # a_t = x_t W_x + h_{t-1} W_h + b   (N, H)
    return _act(a, activation)  # h_t = tanh(a_t)   (N, H)


def rnn_step_forward(x, h_prev, Wx, Wh, b, activation: str = "tanh"):
    """One RNN step: h_t = tanh(x_t W_x + h_{t-1} W_h + b).

    Inputs:
        x: (N, D) inputs at this step.
        h_prev: (N, H) previous hidden state h_{t-1}.
        Wx: (D, H) input-to-hidden weights.  Wh: (H, H) hidden-to-hidden.  b: (H,) bias.
        activation: "tanh" (default) or "relu".
    Returns:
        h_next: (N, H) the new hidden state h_t.
        cache: dict for ``rnn_step_backward``.
    """
    activation = check_activation(activation)
    x, h_prev, w, _ = step_inputs(x, h_prev, {"Wx": Wx, "Wh": Wh, "b": b}, G=1)
    h_next = _step(x @ w["Wx"] + w["b"], h_prev, w["Wh"], activation)  # h_t   (N, H)
    cache = {
        "cell": "rnn_step",
        "x": x,
        "h_prev": h_prev,
        "h_next": h_next,
        "activation": activation,
    }
    cache.update(w)
    return h_next, cache


def rnn_step_backward(dh_next, cache):
    """Backward of one RNN step.

    Inputs:
        dh_next: (N, H) ∂L/∂h_t.
        cache: from ``rnn_step_forward``.
    Returns:
        dx (N, D), dh_prev (N, H), dWx (D, H), dWh (H, H), db (H,).
    """
    c = check_cache(cache, "rnn_step", "rnn_step_forward")
    h = c["h_next"]
    dh_next = upstream("dh_next", dh_next, h.shape, "(N, H)", h.dtype)
    da = _act_back(dh_next, h, c["activation"])  # ∂L/∂a_t   (N, H)
    dx = da @ c["Wx"].T  # ∂L/∂x_t   (N, D)
    dh_prev = da @ c["Wh"].T  # ∂L/∂h_{t-1}   (N, H)
    dWx = c["x"].T @ da  # (D, H)
    dWh = c["h_prev"].T @ da  # (H, H)
    db = da.sum(axis=0)  # (H,)
    return dx, dh_prev, dWx, dWh, db


def rnn_forward(x, h0, Wx, Wh, b, activation: str = "tanh"):
    """Run the RNN over a whole sequence: h_t = tanh(x_t W_x + h_{t-1} W_h + b), t = 0..T-1.

    Inputs:
        x: (N, T, D) input sequence.
        h0: (N, H) initial hidden state (h_{-1} in the equations).
        Wx: (D, H), Wh: (H, H), b: (H,).
        activation: "tanh" (default) or "relu".
    Returns:
        h: (N, T, H) hidden states of every step.
        cache: dict for ``rnn_backward`` (holds x, h0, the weights and h).
    """
    activation = check_activation(activation)
    x, h0, w, _ = seq_inputs(x, h0, {"Wx": Wx, "Wh": Wh, "b": b}, G=1)
    N, T, D = x.shape
    H = h0.shape[1]
    # x_t W_x + b for every step in one matmul, time-major so each step is contiguous.
    xa = (x.transpose(1, 0, 2).reshape(T * N, D) @ w["Wx"] + w["b"]).reshape(T, N, H)  # (T, N, H)
    hs = np.empty((T, N, H), dtype=x.dtype)  # h_t for every t, time-major
    h_prev = h0
    for t in range(T):
        hs[t] = _step(xa[t], h_prev, w["Wh"], activation)  # h_t   (N, H)
        h_prev = hs[t]
    h = np.ascontiguousarray(hs.transpose(1, 0, 2))  # (N, T, H)
    cache = {"cell": "rnn", "x": x, "h0": h0, "h": h, "activation": activation, **w}
    return h, cache


def rnn_backward(dh, cache, truncate: int | None = None):
    """Backpropagation through time for ``rnn_forward``.

    Inputs:
        dh: (N, T, H) upstream gradients ∂L/∂h_t of the loss terms that read h_t directly
            (not through later steps).
        cache: from ``rnn_forward``.
        truncate: None for full BPTT, or k >= 1 for truncated BPTT: the gradient of the loss
            at step t, dh[:, t], flows back through at most k steps, i.e. it reaches the
            weights, inputs and pre-activations of steps s with t - k < s <= t only
            (and h0 only if step 0 is among them). k >= T is full BPTT; k = 1 keeps only the
            direct one-step gradient of each step's loss. Costs O(T k) instead of O(T).
    Returns:
        dx: (N, T, D), dh0: (N, H), dWx: (D, H), dWh: (H, H), db: (H,).
    """
    c = check_cache(cache, "rnn", "rnn_forward")
    truncate = check_truncate(truncate)
    h = c["h"]
    N, T, H = h.shape
    dh = upstream("dh", dh, (N, T, H), "(N, T, H)", h.dtype)
    hs = h.transpose(1, 0, 2)  # (T, N, H)
    dhs = dh.transpose(1, 0, 2)  # (T, N, H)
    Wh, act = c["Wh"], c["activation"]
    da = np.zeros((T, N, H), dtype=h.dtype)  # ∂L/∂a_t for every step
    dh0 = np.zeros((N, H), dtype=h.dtype)

    if truncate is None or truncate >= T:
        dh_next = np.zeros((N, H), dtype=h.dtype)  # ∂L/∂h_t arriving from step t+1
        for t in range(T - 1, -1, -1):
            da[t] = _act_back(dhs[t] + dh_next, hs[t], act)  # da_t
            dh_next = da[t] @ Wh.T  # ∂L/∂h_{t-1}
        dh0 = dh_next
    else:
        for t in range(T):  # each loss term on its own, at most `truncate` steps back
            carry = dhs[t]
            for s in range(t, max(t - truncate, -1), -1):
                da_s = _act_back(carry, hs[s], act)
                da[s] += da_s
                carry = da_s @ Wh.T
                if s == 0:
                    dh0 += carry

    # Shared weights: sum the per-step gradients with one matmul each.
    x = c["x"]
    D = x.shape[2]
    h_prev = np.concatenate([c["h0"][None], hs[:-1]], axis=0)  # h_{t-1}   (T, N, H)
    da2 = da.reshape(T * N, H)  # (T*N, H)
    dWx = x.transpose(1, 0, 2).reshape(T * N, D).T @ da2  # (D, H)
    dWh = h_prev.reshape(T * N, H).T @ da2  # (H, H)
    db = da2.sum(axis=0)  # (H,)
    dx = np.ascontiguousarray((da2 @ c["Wx"].T).reshape(T, N, D).transpose(1, 0, 2))  # (N, T, D)
    return dx, dh0, dWx, dWh, db
