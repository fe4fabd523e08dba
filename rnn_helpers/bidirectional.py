"""Bidirectional runner for any of the numpy cells (RNN, LSTM, GRU), with its backward.

Two independent cells read the same sequence, one left to right and one right to left; at
each position t their hidden states are concatenated, so the output sees the whole sequence:

    h→_t = cell_fw(x_t, h→_{t-1})              (t = 0, ..., T-1)
    h←_t = cell_bw(x_t, h←_{t+1})              (t = T-1, ..., 0)
    h_t  = [h→_t, h←_t]                        (N, 2H)

The backward direction is simply the cell run on the time-reversed input x[:, ::-1], with its
outputs reversed back. This matches ``torch.nn.RNN/LSTM/GRU(bidirectional=True)``, whose
output is [forward, backward] along the last axis and whose "_reverse" weights are the
backward direction's.

Parameters of each direction are passed as a dict with the names of the cell's forward:

    "rnn":  {"Wx", "Wh", "b"}          optional initial state "h0"
    "lstm": {"Wx", "Wh", "b"}          optional "h0", "c0"
    "gru":  {"Wx", "Wh", "bx", "bh"}   optional "h0"

Missing initial states are zeros. ``bidirectional_backward`` returns the gradients as dicts
with the same keys (plus "h0", "c0"), so ``grads_fw[k]`` is ∂L/∂fw[k].
"""

from __future__ import annotations

import numpy as np

from ._validate import as_float, check_activation, check_cache, check_ndim, upstream
from .gru import gru_backward, gru_forward
from .lstm import lstm_backward, lstm_forward
from .rnn import rnn_backward, rnn_forward

__all__ = ["BIDIRECTIONAL_CELLS", "bidirectional_forward", "bidirectional_backward"]

# cell -> (initial states, weights) in the order the cell's forward takes them
BIDIRECTIONAL_CELLS = {
    "rnn": (("h0",), ("Wx", "Wh", "b")),
    "lstm": (("h0", "c0"), ("Wx", "Wh", "b")),
    "gru": (("h0",), ("Wx", "Wh", "bx", "bh")),
}


def _check_direction(name: str, params, cell: str, N: int) -> dict:
    states, weights = BIDIRECTIONAL_CELLS[cell]
    if not isinstance(params, dict):
        raise ValueError(f"{name} must be a dict of parameters, got {type(params).__name__}")
    allowed = set(states) | set(weights)
    unknown = sorted(set(params) - allowed)
    missing = [k for k in weights if k not in params]
    if unknown or missing:
        raise ValueError(
            f"{name} for cell {cell!r} must have keys {list(weights)} (and optionally "
            f"{list(states)}); missing {missing}, unknown {unknown}"
        )
    Wh = as_float(f"{name}['Wh']", params["Wh"])
    check_ndim(f"{name}['Wh']", Wh, 2, "(H, G*H)")
    out = dict(params)
    for s in states:  # zeros for missing initial states
        if s not in out:
            out[s] = np.zeros((N, Wh.shape[0]))
    return out


def _run(cell: str, x, p: dict, activation: str):
    """Forward of one direction; returns (h, cache)."""
    if cell == "rnn":
        return rnn_forward(x, p["h0"], p["Wx"], p["Wh"], p["b"], activation=activation)
    if cell == "lstm":
        h, _, cache = lstm_forward(x, p["h0"], p["c0"], p["Wx"], p["Wh"], p["b"])
        return h, cache
    return gru_forward(x, p["h0"], p["Wx"], p["Wh"], p["bx"], p["bh"])


def _run_back(cell: str, dh, cache, truncate):
    """Backward of one direction; returns (dx, grads dict keyed like the parameters)."""
    states, weights = BIDIRECTIONAL_CELLS[cell]
    back = {"rnn": rnn_backward, "lstm": lstm_backward, "gru": gru_backward}[cell]
    dx, *rest = back(dh, cache, truncate=truncate)
    return dx, dict(zip(states + weights, rest, strict=True))


def bidirectional_forward(x, fw: dict, bw: dict, cell: str = "lstm", activation: str = "tanh"):
    """Run ``cell`` over ``x`` in both directions and concatenate the hidden states.

    Inputs:
        x: (N, T, D) input sequence.
        fw, bw: parameter dicts of the forward and backward direction (keys in the module
            docstring), each with Wx (D, G*H), Wh (H, G*H), biases (G*H,), both of the same H.
        cell: "rnn", "lstm" or "gru".
        activation: "tanh" or "relu" (only for cell="rnn").
    Returns:
        h: (N, T, 2H); h[:, t, :H] is the forward state after reading x_0..x_t and
           h[:, t, H:] the backward state after reading x_{T-1}..x_t.
        cache: dict for ``bidirectional_backward``; ``cache["fw"]`` and ``cache["bw"]`` are
           the two cells' caches (gate activations under ``["gates"]``). The backward cache
           runs over the reversed sequence: its step index t is position T-1-t.
    """
    if cell not in BIDIRECTIONAL_CELLS:
        raise ValueError(f"cell must be one of {list(BIDIRECTIONAL_CELLS)}, got {cell!r}")
    activation = check_activation(activation)
    x = as_float("x", x)
    check_ndim("x", x, 3, "(N, T, D)")
    N = x.shape[0]
    fw = _check_direction("fw", fw, cell, N)
    bw = _check_direction("bw", bw, cell, N)
    if np.shape(fw["Wh"]) != np.shape(bw["Wh"]):
        raise ValueError(
            f"bw['Wh'] must have the shape of fw['Wh'] = {np.shape(fw['Wh'])} "
            f"(both directions share H), got {np.shape(bw['Wh'])}"
        )
    caches = {}
    outs = []
    for name, p, xs in (("fw", fw, x), ("bw", bw, x[:, ::-1])):
        try:
            h, caches[name] = _run(cell, xs, p, activation)
        except ValueError as err:  # say which direction the bad argument belongs to
            raise ValueError(f"in {name}: {err}") from None
        outs.append(h)
    h = np.concatenate([outs[0], outs[1][:, ::-1]], axis=2)  # (N, T, 2H)
    cache = {"cell": "bidirectional", "kind": cell, "fw": caches["fw"], "bw": caches["bw"]}
    return h, cache


def bidirectional_backward(dh, cache, truncate: int | None = None):
    """Backward of ``bidirectional_forward``: BPTT through each direction.

    Inputs:
        dh: (N, T, 2H) ∂L/∂h_t for the concatenated states.
        cache: from ``bidirectional_forward``.
        truncate: as in ``rnn_backward`` (at most k steps back, each in its own direction of
            time: the backward cell's gradients flow towards later positions).
    Returns:
        dx: (N, T, D) (sum of both directions),
        grads_fw, grads_bw: dicts with the gradient of every parameter and initial state of
        each direction, keyed like the parameters ("h0", ["c0",] "Wx", "Wh", biases).
    """
    c = check_cache(cache, "bidirectional", "bidirectional_forward")
    h_fw = c["fw"]["h"]
    N, T, H = h_fw.shape
    dh = upstream("dh", dh, (N, T, 2 * H), "(N, T, 2H)", h_fw.dtype)
    dx_fw, grads_fw = _run_back(c["kind"], dh[:, :, :H], c["fw"], truncate)
    dx_bw, grads_bw = _run_back(c["kind"], dh[:, ::-1, H:], c["bw"], truncate)
    return dx_fw + dx_bw[:, ::-1], grads_fw, grads_bw
