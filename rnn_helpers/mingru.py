"""The minimal GRU (Feng et al. 2024, "Were RNNs All We Needed?") in numpy and torch, and a GRU
cell stepped by a python loop to compare it with.

The course writes gates in torch's GRU convention, where z_t is the share of the OLD state kept
(notebook 05: h_t = (1 - z_t) * n_t + z_t * h_{t-1}). The minGRU drops h_{t-1} from the gate
and from the candidate, and drops the candidate's tanh and the reset gate::

    z_t  = sigmoid(x_t W_z + b_z)                 update gate, (N, H)
    h~_t = x_t W_h + b_h                          candidate, (N, H)
    h_t  = z_t * h_{t-1} + (1 - z_t) * h~_t       = a_t * h_{t-1} + b_t

a linear recurrence with a_t = z_t and b_t = (1 - z_t) * h~_t, both computable for all t at
once. Feng et al. write h_t = (1 - z_t) * h_{t-1} + z_t * h~_t: their z is our 1 - z (the
same model with the sign of W_z, b_z flipped).

* :func:`mingru_step_forward`, :func:`mingru_forward`: numpy, by the loop or the scan.
* :class:`MinGRU`: the torch layer, ``mode="scan"`` (Hillis-Steele) or ``"loop"``; with
  ``a_range="(-1, 1)"`` the multiplier is a_t = 2 z_t - 1, which may be negative (Grazzi et al.
  2025), everything else unchanged.
* :class:`GRUCellLoop`: ``nn.GRUCell`` stepped by a python loop (what a hand-written GRU costs).

The models notebook 12 trains around these layers (``RecurrentModel``) and the timer of training
steps (``training_step_times``) are in :mod:`rnn_helpers.models`; the parity task in
:mod:`rnn_helpers.tasks`.

Dimension letters: N batch, T time, D input features, H hidden units, O outputs.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from .linear_recurrence import hillis_steele_scan, log_scan_torch, recurrence_loop, recurrence_loop_torch, scan_torch

__all__ = ["mingru_step_forward", "mingru_forward", "MinGRU", "GRUCellLoop"]


def _sigmoid(v: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * v))  # stable sigmoid


def _check_weights(D: int, H: int, Wz, bz, Wh, bh) -> tuple[np.ndarray, ...]:
    out = []
    for name, w, shape, sym in (("Wz", Wz, (D, H), "(D, H)"), ("bz", bz, (H,), "(H,)"),
                                ("Wh", Wh, (D, H), "(D, H)"), ("bh", bh, (H,), "(H,)")):  # fmt: skip
        w = np.asarray(w, dtype=float)
        if w.shape != shape:
            raise ValueError(f"{name} must have shape {sym} = {shape}, got {w.shape}")
        out.append(w)
    return tuple(out)


def mingru_step_forward(x, h_prev, Wz, bz, Wh, bh) -> np.ndarray:
    """One minGRU step (numpy), torch's convention (z_t keeps the old state).

    Inputs:
        x: (N, D) input x_t; h_prev: (N, H) state h_{t-1};
        Wz, Wh: (D, H); bz, bh: (H,).
    Returns:
        h: (N, H) state h_t.
    """
    x, h_prev = np.asarray(x, dtype=float), np.asarray(h_prev, dtype=float)
    if x.ndim != 2:
        raise ValueError(f"x must be a 2-D array of shape (N, D), got shape {x.shape}")
    if h_prev.ndim != 2 or h_prev.shape[0] != x.shape[0]:
        raise ValueError(f"h_prev must have shape (N, H) with N = {x.shape[0]}, got {h_prev.shape}")
    Wz, bz, Wh, bh = _check_weights(x.shape[1], h_prev.shape[1], Wz, bz, Wh, bh)
    z = _sigmoid(x @ Wz + bz)  # z_t = sigma(x_t W_z + b_z)
    cand = x @ Wh + bh  # h~_t = x_t W_h + b_h
    return z * h_prev + (1 - z) * cand  # h_t = z_t * h_{t-1} + (1 - z_t) * h~_t


def mingru_forward(x, h0, Wz, bz, Wh, bh, method: str = "scan") -> np.ndarray:
    """A minGRU over a sequence (numpy): the gates of all steps at once, then the recurrence
    h_t = a_t * h_{t-1} + b_t by ``method`` "scan" (Hillis-Steele) or "loop".

    Inputs:
        x: (N, T, D); h0: (N, H); Wz, Wh: (D, H); bz, bh: (H,).
    Returns:
        h: (N, T, H).
    """
    x, h0 = np.asarray(x, dtype=float), np.asarray(h0, dtype=float)
    if x.ndim != 3:
        raise ValueError(f"x must be a 3-D array of shape (N, T, D), got shape {x.shape}")
    if h0.ndim != 2 or h0.shape[0] != x.shape[0]:
        raise ValueError(f"h0 must have shape (N, H) with N = {x.shape[0]}, got {h0.shape}")
    if method not in ("scan", "loop"):
        raise ValueError(f"method must be 'scan' or 'loop', got {method!r}")
    Wz, bz, Wh, bh = _check_weights(x.shape[2], h0.shape[1], Wz, bz, Wh, bh)
    z = _sigmoid(x @ Wz + bz)  # (N, T, H), every step at once: no h_{t-1} inside
    b = (1 - z) * (x @ Wh + bh)  # b_t = (1 - z_t) * h~_t, (N, T, H)
    run = hillis_steele_scan if method == "scan" else recurrence_loop
    return run(z, b, h0)  # a_t = z_t


class MinGRU(nn.Module):
    """A minGRU layer (torch): z_t = sigmoid(x_t W_z + b_z), h~_t = x_t W_h + b_h,
    h_t = a_t * h_{t-1} + (1 - z_t) * h~_t with a_t = z_t (``a_range="(0, 1)"``) or
    a_t = 2 z_t - 1 (``a_range="(-1, 1)"``, a multiplier that can flip the sign of the state).

    Inputs (constructor):
        input_size: D; hidden_size: H; mode: "scan" (Hillis-Steele, log2 T rounds), "loop"
        (T python steps) or "log" (the log-space scan: cumsum and logcumsumexp; the candidate
        then passes through g(v) = v + 1/2 for v >= 0, sigmoid(v) for v < 0, which keeps it
        positive, as in Feng et al.'s log-space minGRU: a slightly different model);
        a_range: "(0, 1)" or "(-1, 1)".
    Forward:
        x: (N, T, D); h0: (N, H) or None (zeros). Returns all states (N, T, H).
    """

    def __init__(self, input_size: int, hidden_size: int, mode: str = "scan", a_range: str = "(0, 1)"):
        super().__init__()
        if mode not in ("scan", "loop", "log"):
            raise ValueError(f"mode must be 'scan', 'loop' or 'log', got {mode!r}")
        if mode == "log" and a_range != "(0, 1)":
            raise ValueError(f"mode='log' needs a_range='(0, 1)' (logs of positive a_t), got {a_range!r}")
        if a_range not in ("(0, 1)", "(-1, 1)"):
            raise ValueError(f"a_range must be '(0, 1)' or '(-1, 1)', got {a_range!r}")
        self.input_size, self.hidden_size, self.mode, self.a_range = input_size, hidden_size, mode, a_range
        self.linear = nn.Linear(input_size, 2 * hidden_size)  # [W_z | W_h], biases [b_z | b_h]

    def coefficients(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(a, b) of every step at once: x (N, T, D) -> a, b (N, T, H)."""
        if x.ndim != 3 or x.shape[2] != self.input_size:
            raise ValueError(f"x must have shape (N, T, D) with D = {self.input_size}, got {tuple(x.shape)}")
        gate, cand = self.linear(x).chunk(2, dim=-1)  # (N, T, H) each: x W_z + b_z, h~_t
        z = torch.sigmoid(gate)  # z_t
        a = z if self.a_range == "(0, 1)" else 2 * z - 1  # a_t
        return a, (1 - z) * cand  # b_t = (1 - z_t) * h~_t

    def forward(self, x: torch.Tensor, h0: torch.Tensor | None = None) -> torch.Tensor:
        if self.mode == "log":
            if x.ndim != 3 or x.shape[2] != self.input_size:
                raise ValueError(f"x must have shape (N, T, D) with D = {self.input_size}, got {tuple(x.shape)}")
            gate, cand = self.linear(x).chunk(2, dim=-1)  # (N, T, H) each
            log_g = torch.where(cand >= 0, torch.log(torch.relu(cand) + 0.5), -F.softplus(-cand))  # log g(h~_t)
            log_b = F.logsigmoid(-gate) + log_g  # log b_t = log(1 - z_t) + log g(h~_t)
            if h0 is not None and bool((h0 < 0).any()):
                raise ValueError(f"h0 must be >= 0 in mode='log' (its log is taken), got shape {tuple(h0.shape)} "
                                 "with negative entries")  # fmt: skip
            log_h0 = None if h0 is None else torch.log(h0)
            return log_scan_torch(F.logsigmoid(gate), log_b, log_h0)  # log a_t = log z_t
        a, b = self.coefficients(x)
        run = scan_torch if self.mode == "scan" else recurrence_loop_torch
        return run(a, b, h0)  # (N, T, H)


class GRUCellLoop(nn.Module):
    """``nn.GRUCell`` stepped over time by a python loop: x (N, T, D) -> states (N, T, H)."""

    def __init__(self, input_size: int, hidden_size: int):
        super().__init__()
        self.cell = nn.GRUCell(input_size, hidden_size)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = x.new_zeros(x.shape[0], self.cell.hidden_size)  # h_0, (N, H)
        out = []
        for x_t in x.unbind(1):  # one (N, D) view per step
            h = self.cell(x_t, h)  # h_t = GRU(x_t, h_{t-1})
            out.append(h)
        return torch.stack(out, dim=1)  # (N, T, H)
