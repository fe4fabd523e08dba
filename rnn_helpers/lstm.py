"""The LSTM cell in numpy: one step, a whole sequence, and BPTT by hand.

One step, for inputs x_t (N, D), previous hidden state h_{t-1} (N, H) and cell state
c_{t-1} (N, H). The four gates come from one matmul, a_t = x_t W_x + h_{t-1} W_h + b of
shape (N, 4H), split in the order of ``LSTM_GATES`` = (i, f, g, o) (the same as torch.nn.LSTM):

    i_t = σ(a_t^i)                       input gate: how much new content to write
    f_t = σ(a_t^f)                       forget gate: how much old cell state to keep
    g_t = tanh(a_t^g)                    candidate content (C̃_t in the notes)
    o_t = σ(a_t^o)                       output gate: how much of the cell to show
    c_t = f_t * c_{t-1} + i_t * g_t      cell state: the additive memory path
    h_t = o_t * tanh(c_t)                hidden state / output

Shapes: W_x (D, 4H), W_h (H, 4H), b (4H,); gate k uses columns k*H:(k+1)*H.
Matches ``torch.nn.LSTM`` with W_x = weight_ih_l0.T, W_h = weight_hh_l0.T,
b = bias_ih_l0 + bias_hh_l0.

Arrays are float64 (ints are converted); if every input is float32 the computation stays in
float32 (used only to compare speed with torch). Bad shapes or NaN/inf raise ValueError.

Backward of one step, given dh_t = ∂L/∂h_t and dc_t = ∂L/∂c_t arriving from later steps:

    do_t  = dh_t * tanh(c_t)
    dc_t += dh_t * o_t * (1 - tanh(c_t)^2)          (through h_t = o_t tanh(c_t))
    di_t  = dc_t * g_t,  dg_t = dc_t * i_t,  df_t = dc_t * c_{t-1}
    dc_{t-1} = dc_t * f_t                            (the cell path: only a product of f's)
    da_t  = [di σ'(·), df σ'(·), dg (1 - g^2), do σ'(·)]     with σ' = s (1 - s)
    dh_{t-1} = da_t W_hᵀ,  dx_t = da_t W_xᵀ,  dW_x += x_tᵀ da_t,  dW_h += h_{t-1}ᵀ da_t
"""

from __future__ import annotations

import numpy as np

from ._validate import check_cache, check_truncate, seq_inputs, step_inputs, upstream
from .ops import sigmoid_fast

__all__ = [
    "LSTM_GATES",
    "lstm_step_forward",
    "lstm_step_backward",
    "lstm_forward",
    "lstm_backward",
]

LSTM_GATES = ("i", "f", "g", "o")
"""Order of the gate blocks in W_x, W_h and b (columns k*H:(k+1)*H), as in torch.nn.LSTM."""


def _step(xa_t, h_prev, c_prev, Wh, gates, c, tc, h):
    """Forward maths of one step, writing into preallocated arrays.

    ``xa_t`` = x_t W_x + b (N, 4H). Writes the activated gates into ``gates`` (N, 4H) and
    c_t, tanh(c_t), h_t into ``c``, ``tc``, ``h`` (N, H each).
    """
    H = h_prev.shape[1]
    a = h_prev @ Wh  # (N, 4H)
    a += xa_t  # a_t = x_t W_x + b + h_{t-1} W_h
    sigmoid_fast(a, out=gates)  # i_t, f_t, o_t = σ(a) = (1 + tanh(a/2)) / 2 (g block overwritten next)
    np.tanh(a[:, 2 * H : 3 * H], out=gates[:, 2 * H : 3 * H])  # g_t
    i, f, g, o = gates[:, :H], gates[:, H : 2 * H], gates[:, 2 * H : 3 * H], gates[:, 3 * H :]
    np.multiply(f, c_prev, out=c)
    c += i * g  # c_t = f_t * c_{t-1} + i_t * g_t
    np.tanh(c, out=tc)  # tanh(c_t)
    np.multiply(o, tc, out=h)  # h_t = o_t * tanh(c_t)


def _step_back(dh_t, dc_t, gates, c_prev, tc, Wh_T, da):
    """Backward maths of one step: writes ∂L/∂a_t into ``da`` (N, 4H) and returns
    (dh_{t-1}, dc_{t-1}). ``dh_t``, ``dc_t`` are the total gradients reaching h_t and c_t;
    ``Wh_T`` is W_hᵀ (4H, H)."""
    H = c_prev.shape[1]
    i, f, g, o = gates[:, :H], gates[:, H : 2 * H], gates[:, 2 * H : 3 * H], gates[:, 3 * H :]
    dc = dh_t * o * (1.0 - tc * tc) + dc_t  # ∂L/∂c_t, including the path through h_t
    np.multiply(dc, g, out=da[:, :H])  # ∂L/∂i_t
    np.multiply(dc, c_prev, out=da[:, H : 2 * H])  # ∂L/∂f_t
    np.multiply(dc, i, out=da[:, 2 * H : 3 * H])  # ∂L/∂g_t
    np.multiply(dh_t, tc, out=da[:, 3 * H :])  # ∂L/∂o_t
    act_grad = gates * (1.0 - gates)  # σ'(a) = s (1 - s) for i, f, o ...
    act_grad[:, 2 * H : 3 * H] = 1.0 - g * g  # ... and tanh'(a) = 1 - g^2 for g
    da *= act_grad  # ∂L/∂a_t: back through the activations
    return da @ Wh_T, dc * f  # dh_{t-1}, dc_{t-1}


def lstm_step_forward(x, h_prev, c_prev, Wx, Wh, b):
    """One LSTM step (equations in the module docstring: i, f, g, o, c_t, h_t).

    Inputs:
        x: (N, D); h_prev, c_prev: (N, H); Wx: (D, 4H); Wh: (H, 4H); b: (4H,).
    Returns:
        h_next: (N, H), c_next: (N, H), cache: dict for ``lstm_step_backward`` whose
        ``cache["gates"]`` maps "i", "f", "g", "o" to the (N, H) gate activations.
    """
    x, h_prev, w, c_prev = step_inputs(x, h_prev, {"Wx": Wx, "Wh": Wh, "b": b}, 4, c_prev=c_prev)
    N, H = h_prev.shape
    gates = np.empty((N, 4 * H), dtype=x.dtype)  # i, f, g, o side by side
    c, tc, h = (np.empty((N, H), dtype=x.dtype) for _ in range(3))
    _step(x @ w["Wx"] + w["b"], h_prev, c_prev, w["Wh"], gates, c, tc, h)
    cache = {"cell": "lstm_step", "x": x, "h_prev": h_prev, "c_prev": c_prev, "c_next": c}
    cache.update(w, tanh_c=tc, gate_block=gates)
    cache["gates"] = {k: gates[:, j * H : (j + 1) * H] for j, k in enumerate(LSTM_GATES)}
    return h, c, cache


def lstm_step_backward(dh_next, dc_next, cache):
    """Backward of one LSTM step.

    Inputs:
        dh_next: (N, H) ∂L/∂h_t.  dc_next: (N, H) ∂L/∂c_t from later steps (zeros if none).
        cache: from ``lstm_step_forward``.
    Returns:
        dx (N, D), dh_prev (N, H), dc_prev (N, H), dWx (D, 4H), dWh (H, 4H), db (4H,).
    """
    c = check_cache(cache, "lstm_step", "lstm_step_forward")
    shape, dt = c["c_prev"].shape, c["c_prev"].dtype
    dh_next = upstream("dh_next", dh_next, shape, "(N, H)", dt)
    dc_next = upstream("dc_next", dc_next, shape, "(N, H)", dt)
    da = np.empty((shape[0], 4 * shape[1]), dtype=dt)  # (N, 4H)
    dh_prev, dc_prev = _step_back(dh_next, dc_next, c["gate_block"], c["c_prev"], c["tanh_c"], c["Wh"].T, da)
    return da @ c["Wx"].T, dh_prev, dc_prev, c["x"].T @ da, c["h_prev"].T @ da, da.sum(axis=0)


def lstm_forward(x, h0, c0, Wx, Wh, b):
    """Run the LSTM over a sequence (equations in the module docstring), t = 0..T-1.

    Inputs:
        x: (N, T, D); h0, c0: (N, H) initial states; Wx: (D, 4H); Wh: (H, 4H); b: (4H,).
    Returns:
        h: (N, T, H) hidden states, c: (N, T, H) cell states,
        cache: dict for ``lstm_backward``. ``cache["gates"]`` maps each name of
        ``LSTM_GATES`` ("i", "f", "g", "o") to its activations at every step, (N, T, H),
        e.g. ``cache["gates"]["f"][n, t]`` is the forget gate of sequence n at step t.
    """
    x, h0, w, c0 = seq_inputs(x, h0, {"Wx": Wx, "Wh": Wh, "b": b}, 4, c0=c0)
    N, T, D = x.shape
    H = h0.shape[1]
    # x_t W_x + b for every step in one matmul, time-major so each step is contiguous.
    x_steps = np.ascontiguousarray(x.transpose(1, 0, 2))  # (T, N, D)
    xa = (x_steps.reshape(T * N, D) @ w["Wx"] + w["b"]).reshape(T, N, 4 * H)  # (T, N, 4H)
    gates = np.empty((T, N, 4 * H), dtype=x.dtype)  # activated i, f, g, o of every step
    cs = np.empty((T, N, H), dtype=x.dtype)  # c_t
    tcs = np.empty((T, N, H), dtype=x.dtype)  # tanh(c_t)
    hs = np.empty((T, N, H), dtype=x.dtype)  # h_t
    h_prev, c_prev = h0, c0
    for t in range(T):
        _step(xa[t], h_prev, c_prev, w["Wh"], gates[t], cs[t], tcs[t], hs[t])
        h_prev, c_prev = hs[t], cs[t]
    h = np.ascontiguousarray(hs.transpose(1, 0, 2))  # (N, T, H)
    c = np.ascontiguousarray(cs.transpose(1, 0, 2))  # (N, T, H)
    cache = {"cell": "lstm", "x": x, "h0": h0, "c0": c0, "h": h, "c": c}
    # time-major copies for the backward: each step's slice is contiguous
    cache.update(w, x_steps=x_steps, h_steps=hs, c_steps=cs, tanh_c=tcs, gate_block=gates)
    g_nt = gates.transpose(1, 0, 2)  # (N, T, 4H) view
    cache["gates"] = {k: g_nt[:, :, j * H : (j + 1) * H] for j, k in enumerate(LSTM_GATES)}
    return h, c, cache


def lstm_backward(dh, cache, truncate: int | None = None, dc=None):
    """Backpropagation through time for ``lstm_forward``.

    Inputs:
        dh: (N, T, H) ∂L/∂h_t of the loss terms that read h_t directly.
        cache: from ``lstm_forward``.
        truncate: None for full BPTT, or k >= 1: the gradient of the loss at step t
            (dh[:, t], and dc[:, t] if given) flows back through at most k steps, through
            both h and c, reaching only steps s with t - k < s <= t (h0/c0 only if step 0 is
            among them). k >= T is full BPTT; k = 1 keeps each step's one-step gradient.
        dc: optional (N, T, H) ∂L/∂c_t of loss terms that read c_t directly (e.g. a final
            cell state passed on to a decoder); zeros if None.
    Returns:
        dx: (N, T, D), dh0: (N, H), dc0: (N, H), dWx: (D, 4H), dWh: (H, 4H), db: (4H,).
    """
    ca = check_cache(cache, "lstm", "lstm_forward")
    truncate = check_truncate(truncate)
    x, Wh = ca["x"], ca["Wh"]
    Wh_T = np.ascontiguousarray(Wh.T)  # (4H, H), contiguous: faster in the per-step matmul
    N, T, D = x.shape
    H = Wh.shape[0]
    dt = x.dtype
    dh = upstream("dh", dh, (N, T, H), "(N, T, H)", dt)
    dhs = np.ascontiguousarray(dh.transpose(1, 0, 2))  # (T, N, H)
    dcs = None
    if dc is not None:
        dc = upstream("dc", dc, (N, T, H), "(N, T, H)", dt)
        dcs = np.ascontiguousarray(dc.transpose(1, 0, 2))  # (T, N, H)
    gates, tcs = ca["gate_block"], ca["tanh_c"]  # (T, N, 4H), (T, N, H)
    c_prevs = [ca["c0"], *ca["c_steps"][:-1]]  # c_{t-1} for every t
    da = np.zeros((T, N, 4 * H), dtype=dt)  # ∂L/∂a_t for every step

    if truncate is None or truncate >= T:
        dh_next = np.zeros((N, H), dtype=dt)  # ∂L/∂h_t arriving from step t+1
        dc_next = np.zeros((N, H), dtype=dt)  # ∂L/∂c_t arriving from step t+1
        for t in range(T - 1, -1, -1):
            dc_t = dc_next if dcs is None else dc_next + dcs[t]
            dh_next, dc_next = _step_back(dhs[t] + dh_next, dc_t, gates[t], c_prevs[t], tcs[t], Wh_T, da[t])
        dh0, dc0 = dh_next, dc_next
    else:
        dh0 = np.zeros((N, H), dtype=dt)
        dc0 = np.zeros((N, H), dtype=dt)
        da_s = np.empty((N, 4 * H), dtype=dt)
        for t in range(T):  # each loss term on its own, at most `truncate` steps back
            dh_carry = dhs[t]
            dc_carry = np.zeros((N, H), dtype=dt) if dcs is None else dcs[t]
            for s in range(t, max(t - truncate, -1), -1):
                dh_carry, dc_carry = _step_back(dh_carry, dc_carry, gates[s], c_prevs[s], tcs[s], Wh_T, da_s)
                da[s] += da_s
                if s == 0:
                    dh0 += dh_carry
                    dc0 += dc_carry

    # Shared weights: sum the per-step gradients with one matmul each.
    h_prev = np.concatenate([ca["h0"][None], ca["h_steps"][:-1]], axis=0)  # h_{t-1}   (T, N, H)
    da2 = da.reshape(T * N, 4 * H)  # (T*N, 4H)
    dWx = ca["x_steps"].reshape(T * N, D).T @ da2  # (D, 4H)
    dWh = h_prev.reshape(T * N, H).T @ da2  # (H, 4H)
    db = da2.sum(axis=0)  # (4H,)
    dx = np.ascontiguousarray((da2 @ ca["Wx"].T).reshape(T, N, D).transpose(1, 0, 2))  # (N, T, D)
    return dx, dh0, dc0, dWx, dWh, db
