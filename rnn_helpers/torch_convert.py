"""Weights to and from ``torch.nn.RNN/LSTM/GRU`` (and their ``*Cell`` versions).

torch stores each layer's weights transposed with respect to this course's x W convention,
and splits the bias in two. The mapping, for layer k (suffix ``_lk``, plus ``_reverse`` for
the backward direction of a bidirectional module):

| numpy | torch |
|---|---|
| W_x (D, G*H) | ``weight_ih_lk.T`` (torch: (G*H, D)) |
| W_h (H, G*H) | ``weight_hh_lk.T`` |
| b (G*H,) for RNN, LSTM | ``bias_ih_lk + bias_hh_lk`` (only the sum matters) |
| b_x, b_h (3H,) for GRU | ``bias_ih_lk``, ``bias_hh_lk`` (apart: b_hn is inside r_t * (...)) |

Gate blocks are in the same order on both sides (``LSTM_GATES``, ``GRU_GATES``), so no
reordering is needed. Going to torch, an RNN/LSTM bias is written as bias_ih = b, bias_hh = 0.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from ._validate import as_float, check_shape

__all__ = ["params_from_torch", "params_to_torch", "torch_module_from_params"]

_KINDS = {
    nn.RNN: "rnn",
    nn.LSTM: "lstm",
    nn.GRU: "gru",
    nn.RNNCell: "rnn",
    nn.LSTMCell: "lstm",
    nn.GRUCell: "gru",
}
_GATES = {"rnn": 1, "lstm": 4, "gru": 3}


def _kind(module) -> tuple[str, bool]:
    """('rnn' | 'lstm' | 'gru', is_cell)."""
    for cls, kind in _KINDS.items():
        if isinstance(module, cls):
            return kind, cls in (nn.RNNCell, nn.LSTMCell, nn.GRUCell)
    raise ValueError(
        f"module must be a torch.nn.RNN, LSTM, GRU, RNNCell, LSTMCell or GRUCell, got {type(module).__name__}"
    )


def _suffix(module, is_cell: bool, layer, direction) -> str:
    if direction not in ("forward", "backward"):
        raise ValueError(f"direction must be 'forward' or 'backward', got {direction!r}")
    if isinstance(layer, bool) or not isinstance(layer, (int, np.integer)):
        raise ValueError(f"layer must be an int, got {layer!r}")
    if is_cell:
        if layer != 0 or direction != "forward":
            raise ValueError("a torch cell has one layer and one direction: use layer=0, 'forward'")
        return ""
    if getattr(module, "proj_size", 0):
        raise ValueError("LSTM with proj_size > 0 is not supported")
    if not 0 <= layer < module.num_layers:
        raise ValueError(f"layer must be in [0, {module.num_layers}), got {layer}")
    if direction == "backward" and not module.bidirectional:
        raise ValueError("direction='backward' needs a module with bidirectional=True")
    return f"_l{layer}" + ("_reverse" if direction == "backward" else "")


def params_from_torch(module, layer: int = 0, direction: str = "forward") -> dict:
    """Copy one layer/direction of a torch recurrent module into numpy float64 arrays.

    Inputs:
        module: torch.nn.RNN, LSTM or GRU (any settings but LSTM proj_size), or a *Cell.
        layer: which layer (0 = the one reading x).
        direction: "forward", or "backward" for the ``_reverse`` weights of a bidirectional
            module.
    Returns:
        RNN, LSTM: {"Wx": (D, G*H), "Wh": (H, G*H), "b": (G*H,)} (b = bias_ih + bias_hh);
        GRU: {"Wx", "Wh", "bx", "bh"}. G = 1, 4, 3. Zeros for biases of a bias=False module.
    """
    kind, is_cell = _kind(module)
    sfx = _suffix(module, is_cell, layer, direction)

    def get(name):
        t = getattr(module, name + sfx, None)
        return None if t is None else t.detach().cpu().to(torch.float64).numpy().copy()

    Wx, Wh = get("weight_ih").T, get("weight_hh").T  # (D, G*H), (H, G*H)
    zeros = np.zeros(Wh.shape[1])
    bih, bhh = get("bias_ih"), get("bias_hh")
    bih = zeros.copy() if bih is None else bih
    bhh = zeros.copy() if bhh is None else bhh
    Wx, Wh = np.ascontiguousarray(Wx), np.ascontiguousarray(Wh)
    if kind == "gru":
        return {"Wx": Wx, "Wh": Wh, "bx": bih, "bh": bhh}
    return {"Wx": Wx, "Wh": Wh, "b": bih + bhh}


def params_to_torch(params: dict, module, layer: int = 0, direction: str = "forward"):
    """Write numpy parameters into one layer/direction of a torch module, in place.

    Inputs:
        params: as returned by ``params_from_torch`` (RNN/LSTM: Wx, Wh, b; GRU: Wx, Wh, bx,
            bh), shapes checked against the module.
        module, layer, direction: as in ``params_from_torch``.
    Returns:
        the module (its parameters keep their dtype and device; no autograd history).
    """
    kind, is_cell = _kind(module)
    sfx = _suffix(module, is_cell, layer, direction)
    names = ("Wx", "Wh", "bx", "bh") if kind == "gru" else ("Wx", "Wh", "b")
    if not isinstance(params, dict) or sorted(params) != sorted(names):
        got = sorted(params) if isinstance(params, dict) else type(params).__name__
        raise ValueError(f"params for a {kind.upper()} must have keys {list(names)}, got {got}")
    w_ih, w_hh = getattr(module, "weight_ih" + sfx), getattr(module, "weight_hh" + sfx)
    GH, D = w_ih.shape
    H = w_hh.shape[1]
    gh = "H" if GH == H else f"{GH // H}H"
    p = {k: as_float(k, v) for k, v in params.items()}
    check_shape("Wx", p["Wx"], (D, GH), f"(D, {gh})")
    check_shape("Wh", p["Wh"], (H, GH), f"(H, {gh})")
    for k in names[2:]:
        check_shape(k, p[k], (GH,), f"({gh},)")
    has_bias = getattr(module, "bias_ih" + sfx, None) is not None
    if kind == "gru":
        bih, bhh = p["bx"], p["bh"]
    else:
        bih, bhh = p["b"], np.zeros_like(p["b"])
    if not has_bias and (np.any(bih != 0) or np.any(bhh != 0)):
        raise ValueError("the module has bias=False, so the biases must be zero")

    def put(name, value):
        t = getattr(module, name + sfx)
        t.copy_(torch.as_tensor(value, dtype=t.dtype, device=t.device))

    with torch.no_grad():
        put("weight_ih", p["Wx"].T)
        put("weight_hh", p["Wh"].T)
        if has_bias:
            put("bias_ih", bih)
            put("bias_hh", bhh)
    return module


def torch_module_from_params(
    cell: str, fw: dict, bw: dict | None = None, activation: str = "tanh", dtype=torch.float64
):
    """A one-layer ``torch.nn.RNN/LSTM/GRU`` (``batch_first=True``) holding these weights.

    Inputs:
        cell: "rnn", "lstm" or "gru".
        fw: parameters of the (forward) direction, as for ``params_to_torch``.
        bw: parameters of the backward direction for a bidirectional module, else None.
        activation: "tanh" or "relu" (nn.RNN's ``nonlinearity``; only for cell="rnn").
        dtype: torch dtype of the module (float64 for parity checks).
    Returns:
        the module; feed it x of shape (N, T, D) and initial states of shape
        (num_directions, N, H).
    """
    if cell not in _GATES:
        raise ValueError(f"cell must be one of {list(_GATES)}, got {cell!r}")
    if activation not in ("tanh", "relu"):
        raise ValueError(f"activation must be 'tanh' or 'relu', got {activation!r}")
    if not isinstance(fw, dict) or "Wx" not in fw or "Wh" not in fw:
        raise ValueError("fw must be a dict of parameters with at least 'Wx' and 'Wh'")
    Wx = as_float("fw['Wx']", fw["Wx"])
    Wh = as_float("fw['Wh']", fw["Wh"])
    if Wx.ndim != 2 or Wh.ndim != 2:
        raise ValueError(
            f"fw['Wx'] and fw['Wh'] must be 2-D of shapes (D, G*H), (H, G*H), got {Wx.shape} and {Wh.shape}"
        )
    D, H = Wx.shape[0], Wh.shape[0]
    kwargs = {"batch_first": True, "bidirectional": bw is not None, "dtype": dtype}
    if cell == "rnn":
        module = nn.RNN(D, H, nonlinearity=activation, **kwargs)
    else:
        module = (nn.LSTM if cell == "lstm" else nn.GRU)(D, H, **kwargs)
    params_to_torch(fw, module)
    if bw is not None:
        params_to_torch(bw, module, direction="backward")
    return module
