"""The GRU cell in numpy (torch.nn.GRU's convention): one step, a sequence, BPTT by hand.

One step, for inputs x_t (N, D) and previous hidden state h_{t-1} (N, H). The gate blocks of
W_x (D, 3H), W_h (H, 3H), b_x (3H,), b_h (3H,) are in the order of ``GRU_GATES`` = (r, z, n),
as in torch.nn.GRU. The two biases stay separate because b_hn sits inside the reset gate:

    r_t = σ(x_t W_xr + b_xr + h_{t-1} W_hr + b_hr)          reset gate
    z_t = σ(x_t W_xz + b_xz + h_{t-1} W_hz + b_hz)          update gate
    n_t = tanh(x_t W_xn + b_xn + r_t * (h_{t-1} W_hn + b_hn))   candidate state
    h_t = (1 - z_t) * n_t + z_t * h_{t-1}                   new hidden state

(Some texts swap the roles of z and 1 - z, or apply r before the matmul; this module follows
torch so weights convert directly: W_x = weight_ih_l0.T, W_h = weight_hh_l0.T,
b_x = bias_ih_l0, b_h = bias_hh_l0.)

Arrays are float64 (ints are converted); if every input is float32 the computation stays in
float32 (used only to compare speed with torch). Bad shapes or NaN/inf raise ValueError.

Backward of one step, with dh_t = ∂L/∂h_t the total gradient reaching h_t:

    dn = dh_t * (1 - z_t),   dz = dh_t * (h_{t-1} - n_t)
    da_n = dn * (1 - n_t^2)                       (pre-activation of n)
    da_r = da_n * (h_{t-1} W_hn + b_hn) * r_t (1 - r_t),   da_z = dz * z_t (1 - z_t)
    input side:  dxa = [da_r, da_z, da_n];   hidden side:  dha = [da_r, da_z, da_n * r_t]
    dh_{t-1} = dh_t * z_t + dha W_hᵀ,   dx_t = dxa W_xᵀ
    dW_x += x_tᵀ dxa,  db_x += Σ dxa,  dW_h += h_{t-1}ᵀ dha,  db_h += Σ dha
"""

from __future__ import annotations

import numpy as np

from ._validate import check_cache, check_truncate, seq_inputs, step_inputs, upstream
from .ops import sigmoid_fast

__all__ = [
    "GRU_GATES",
    "gru_step_forward",
    "gru_step_backward",
    "gru_forward",
    "gru_backward",
]

GRU_GATES = ("r", "z", "n")
"""Order of the gate blocks in W_x, W_h, b_x and b_h (columns k*H:(k+1)*H), as in torch.nn.GRU."""


def _step(xa_t, h_prev, Wh, bh, gates):
    """Forward maths of one step. ``xa_t`` = x_t W_x + b_x (N, 3H); writes r, z, n into
    ``gates`` (N, 3H) and returns (h_{t-1} W_hn + b_hn, h_t)."""
    H = h_prev.shape[1]
    ha = h_prev @ Wh + bh  # h_{t-1} W_h + b_h   (N, 3H)
    sigmoid_fast(xa_t[:, : 2 * H] + ha[:, : 2 * H], out=gates[:, : 2 * H])  # r_t, z_t
    r, z = gates[:, :H], gates[:, H : 2 * H]
    hn = ha[:, 2 * H :]  # h_{t-1} W_hn + b_hn   (N, H)
    gates[:, 2 * H :] = np.tanh(xa_t[:, 2 * H :] + r * hn)  # n_t
    n = gates[:, 2 * H :]
    h = (1.0 - z) * n + z * h_prev  # h_t
    return hn, h


def _step_back(dh_t, gates, hn, h_prev, Wh, dxa, dha):
    """Backward maths of one step: writes the input-side and hidden-side pre-activation
    gradients into ``dxa`` and ``dha`` (N, 3H) and returns dh_{t-1}."""
    H = h_prev.shape[1]
    r, z, n = gates[:, :H], gates[:, H : 2 * H], gates[:, 2 * H :]
    dan = dh_t * (1.0 - z) * (1.0 - n * n)  # ∂L/∂(pre-activation of n)
    dxa[:, :H] = dan * hn * r * (1.0 - r)  # ∂L/∂a^r
    dxa[:, H : 2 * H] = dh_t * (h_prev - n) * z * (1.0 - z)  # ∂L/∂a^z
    dxa[:, 2 * H :] = dan  # input side of n
    dha[:, : 2 * H] = dxa[:, : 2 * H]  # r and z: same on both sides
    dha[:, 2 * H :] = dan * r  # hidden side of n goes through r_t *
    return dh_t * z + dha @ Wh.T  # dh_{t-1}


def gru_step_forward(x, h_prev, Wx, Wh, bx, bh):
    """One GRU step (equations in the module docstring: r, z, n, h_t).

    Inputs:
        x: (N, D); h_prev: (N, H); Wx: (D, 3H); Wh: (H, 3H); bx, bh: (3H,).
    Returns:
        h_next: (N, H), cache: dict for ``gru_step_backward`` whose ``cache["gates"]`` maps
        "r", "z", "n" to their (N, H) activations.
    """
    weights = {"Wx": Wx, "Wh": Wh, "bx": bx, "bh": bh}
    x, h_prev, w, _ = step_inputs(x, h_prev, weights, 3)
    N, H = h_prev.shape
    gates = np.empty((N, 3 * H), dtype=x.dtype)  # r, z, n side by side
    hn, h = _step(x @ w["Wx"] + w["bx"], h_prev, w["Wh"], w["bh"], gates)
    cache = {"cell": "gru_step", "x": x, "h_prev": h_prev, "hn": hn, "gate_block": gates}
    cache.update(w)
    cache["gates"] = {k: gates[:, j * H : (j + 1) * H] for j, k in enumerate(GRU_GATES)}
    return h, cache


def gru_step_backward(dh_next, cache):
    """Backward of one GRU step.

    Inputs:
        dh_next: (N, H) ∂L/∂h_t.  cache: from ``gru_step_forward``.
    Returns:
        dx (N, D), dh_prev (N, H), dWx (D, 3H), dWh (H, 3H), dbx (3H,), dbh (3H,).
    """
    c = check_cache(cache, "gru_step", "gru_step_forward")
    h_prev = c["h_prev"]
    dh_next = upstream("dh_next", dh_next, h_prev.shape, "(N, H)", h_prev.dtype)
    N, H = h_prev.shape
    dxa = np.empty((N, 3 * H), dtype=h_prev.dtype)  # (N, 3H)
    dha = np.empty((N, 3 * H), dtype=h_prev.dtype)  # (N, 3H)
    dh_prev = _step_back(dh_next, c["gate_block"], c["hn"], h_prev, c["Wh"], dxa, dha)
    dx = dxa @ c["Wx"].T  # (N, D)
    return dx, dh_prev, c["x"].T @ dxa, h_prev.T @ dha, dxa.sum(axis=0), dha.sum(axis=0)


def gru_forward(x, h0, Wx, Wh, bx, bh):
    """Run the GRU over a sequence (equations in the module docstring), t = 0..T-1.

    Inputs:
        x: (N, T, D); h0: (N, H); Wx: (D, 3H); Wh: (H, 3H); bx, bh: (3H,).
    Returns:
        h: (N, T, H) hidden states,
        cache: dict for ``gru_backward``. ``cache["gates"]`` maps each name of ``GRU_GATES``
        ("r", "z", "n") to its activations at every step, (N, T, H).
    """
    weights = {"Wx": Wx, "Wh": Wh, "bx": bx, "bh": bh}
    x, h0, w, _ = seq_inputs(x, h0, weights, 3)
    N, T, D = x.shape
    H = h0.shape[1]
    # x_t W_x + b_x for every step in one matmul, time-major so each step is contiguous.
    xa = (x.transpose(1, 0, 2).reshape(T * N, D) @ w["Wx"] + w["bx"]).reshape(T, N, 3 * H)
    gates = np.empty((T, N, 3 * H), dtype=x.dtype)  # r, z, n of every step
    hns = np.empty((T, N, H), dtype=x.dtype)  # h_{t-1} W_hn + b_hn
    hs = np.empty((T, N, H), dtype=x.dtype)  # h_t
    h_prev = h0
    for t in range(T):
        hns[t], hs[t] = _step(xa[t], h_prev, w["Wh"], w["bh"], gates[t])
        h_prev = hs[t]
    h = np.ascontiguousarray(hs.transpose(1, 0, 2))  # (N, T, H)
    cache = {"cell": "gru", "x": x, "h0": h0, "h": h, "hn": hns, "gate_block": gates}
    cache.update(w)
    g_nt = gates.transpose(1, 0, 2)  # (N, T, 3H) view
    cache["gates"] = {k: g_nt[:, :, j * H : (j + 1) * H] for j, k in enumerate(GRU_GATES)}
    return h, cache


def gru_backward(dh, cache, truncate: int | None = None):
    """Backpropagation through time for ``gru_forward``.

    Inputs:
        dh: (N, T, H) ∂L/∂h_t of the loss terms that read h_t directly.
        cache: from ``gru_forward``.
        truncate: None for full BPTT, or k >= 1: the gradient of the loss at step t,
            dh[:, t], flows back through at most k steps, reaching only steps s with
            t - k < s <= t (h0 only if step 0 is among them). k >= T is full BPTT;
            k = 1 keeps each step's one-step gradient.
    Returns:
        dx: (N, T, D), dh0: (N, H), dWx: (D, 3H), dWh: (H, 3H), dbx: (3H,), dbh: (3H,).
    """
    ca = check_cache(cache, "gru", "gru_forward")
    truncate = check_truncate(truncate)
    x, Wh = ca["x"], ca["Wh"]
    N, T, D = x.shape
    H = Wh.shape[0]
    dt = x.dtype
    dhs = upstream("dh", dh, (N, T, H), "(N, T, H)", dt).transpose(1, 0, 2)  # (T, N, H)
    gates, hns = ca["gate_block"], ca["hn"]  # (T, N, 3H), (T, N, H)
    hs = ca["h"].transpose(1, 0, 2)  # (T, N, H)
    h_prev = np.concatenate([ca["h0"][None], hs[:-1]], axis=0)  # h_{t-1}   (T, N, H)
    dxa = np.zeros((T, N, 3 * H), dtype=dt)  # input-side pre-activation gradients
    dha = np.zeros((T, N, 3 * H), dtype=dt)  # hidden-side pre-activation gradients

    if truncate is None or truncate >= T:
        dh_next = np.zeros((N, H), dtype=dt)  # ∂L/∂h_t arriving from step t+1
        for t in range(T - 1, -1, -1):
            dh_next = _step_back(dhs[t] + dh_next, gates[t], hns[t], h_prev[t], Wh, dxa[t], dha[t])
        dh0 = dh_next
    else:
        dh0 = np.zeros((N, H), dtype=dt)
        dxa_s = np.empty((N, 3 * H), dtype=dt)
        dha_s = np.empty((N, 3 * H), dtype=dt)
        for t in range(T):  # each loss term on its own, at most `truncate` steps back
            carry = dhs[t]
            for s in range(t, max(t - truncate, -1), -1):
                carry = _step_back(carry, gates[s], hns[s], h_prev[s], Wh, dxa_s, dha_s)
                dxa[s] += dxa_s
                dha[s] += dha_s
                if s == 0:
                    dh0 += carry

    # Shared weights: sum the per-step gradients with one matmul each.
    dxa2 = dxa.reshape(T * N, 3 * H)  # (T*N, 3H)
    dha2 = dha.reshape(T * N, 3 * H)  # (T*N, 3H)
    dWx = x.transpose(1, 0, 2).reshape(T * N, D).T @ dxa2  # (D, 3H)
    dWh = h_prev.reshape(T * N, H).T @ dha2  # (H, 3H)
    dx = np.ascontiguousarray((dxa2 @ ca["Wx"].T).reshape(T, N, D).transpose(1, 0, 2))  # (N, T, D)
    return dx, dh0, dWx, dWh, dxa2.sum(axis=0), dha2.sum(axis=0)
