"""Small torch models the notebooks train: a recurrent layer read by a linear (+ softmax) head.

Dimension letters: N batch, T time, D input features, H hidden units, O outputs (classes or
regression targets).

``SequenceModel`` wraps ``torch.nn.RNN`` (tanh or ReLU), ``nn.LSTM`` or ``nn.GRU`` with
``batch_first=True``::

    h_1..h_T = cell(x_1..x_T)                 (N, T, H)
    many-to-one:  logits = W_y h_T + b_y      (N, O)
    many-to-many: logits_t = W_y h_t + b_y    (N, T, O)

The forward returns logits (or regression outputs); ``predict_proba`` applies the softmax
(the dense + softmax read-out of the notes). Train classifiers with ``nn.CrossEntropyLoss`` on
the logits, which contains the softmax.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

__all__ = ["SequenceModel", "count_parameters", "CELL_TYPES"]

CELL_TYPES: dict[str, type[nn.Module]] = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}


class SequenceModel(nn.Module):
    """A recurrent layer (``nn.RNN``/``nn.LSTM``/``nn.GRU``) with a linear read-out.

    Inputs (constructor):
        input_size: D, features per step.
        hidden_size: H, recurrent units.
        output_size: O, classes (use logits with cross-entropy) or regression outputs.
        cell: "rnn", "lstm" or "gru".
        many_to_many: False reads only h_T (output (N, O)); True reads every h_t (output (N, T, O)).
        nonlinearity: "tanh" or "relu", only for cell="rnn".
        num_layers: stacked recurrent layers.
        forget_bias: for cell="lstm", initial value of the forget-gate bias b_f (torch keeps two
            biases; b_ih's forget slice gets this value and b_hh's forget slice 0). None keeps
            torch's default initialisation. A positive value makes f_t start near 1, so the cell
            state is carried forward from the start.
    Forward:
        x: (N, T, D) float tensor (or numpy array).
        returns (N, O) for many-to-one or (N, T, O) for many-to-many.
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        output_size: int,
        cell: str = "lstm",
        many_to_many: bool = False,
        nonlinearity: str = "tanh",
        num_layers: int = 1,
        forget_bias: float | None = None,
    ):
        super().__init__()
        for name, value in (
            ("input_size", input_size),
            ("hidden_size", hidden_size),
            ("output_size", output_size),
            ("num_layers", num_layers),
        ):
            if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < 1:
                raise ValueError(f"{name} must be a positive int, got {value!r}")
        if cell not in CELL_TYPES:
            raise ValueError(f"cell must be one of {sorted(CELL_TYPES)}, got {cell!r}")
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"nonlinearity must be 'tanh' or 'relu', got {nonlinearity!r}")
        if cell != "rnn" and nonlinearity != "tanh":
            raise ValueError(f"nonlinearity applies only to cell='rnn', got cell={cell!r}")
        if forget_bias is not None and cell != "lstm":
            raise ValueError(f"forget_bias applies only to cell='lstm', got cell={cell!r}")
        kwargs = {"nonlinearity": nonlinearity} if cell == "rnn" else {}
        self.cell = cell
        self.many_to_many = many_to_many
        self.input_size, self.hidden_size, self.output_size = input_size, hidden_size, output_size
        self.rnn = CELL_TYPES[cell](input_size, hidden_size, num_layers, batch_first=True, **kwargs)
        self.head = nn.Linear(hidden_size, output_size)
        if forget_bias is not None:
            H = hidden_size
            with torch.no_grad():
                for layer in range(num_layers):
                    getattr(self.rnn, f"bias_ih_l{layer}")[H : 2 * H] = forget_bias  # f slice of i,f,g,o
                    getattr(self.rnn, f"bias_hh_l{layer}")[H : 2 * H] = 0.0

    def _check_x(self, x) -> torch.Tensor:
        if isinstance(x, np.ndarray):
            x = torch.from_numpy(x)
        if not isinstance(x, torch.Tensor):
            raise ValueError(f"x must be a tensor or numpy array, got {type(x).__name__}")
        if x.ndim != 3 or x.shape[2] != self.input_size:
            raise ValueError(f"x must have shape (N, T, D) with D = {self.input_size}, got {tuple(x.shape)}")
        return x.to(self.head.weight.dtype)

    def hidden_states(self, x) -> torch.Tensor:
        """All hidden states h_1..h_T of the last layer: x (N, T, D) -> (N, T, H)."""
        out, _ = self.rnn(self._check_x(x))  # (N, T, H)
        return out

    def forward(self, x) -> torch.Tensor:
        h = self.hidden_states(x)  # (N, T, H)
        if self.many_to_many:
            return self.head(h)  # (N, T, O)
        return self.head(h[:, -1])  # (N, O)

    @torch.no_grad()
    def predict_proba(self, x) -> torch.Tensor:
        """Softmax of the logits over the last axis: (N, O) or (N, T, O), rows sum to 1."""
        return torch.softmax(self(x), dim=-1)


def count_parameters(model: nn.Module) -> int:
    """Number of trainable scalars in ``model``.

    For one ``nn.LSTM`` layer: 4H(D + H) + 8H (torch keeps two bias vectors, b_ih and b_hh).
    """
    return sum(p.numel() for p in model.parameters() if p.requires_grad)
