"""Notebook 05's GRU gate explorer and its bidirectional toy tasks.

Import as ``from rnn_helpers.bidir_tasks import ...`` (not re-exported by the package).

- :func:`gru_gate_view` / :func:`gru_gate_explorer`: a one-unit GRU whose update and reset gates
  are set by hand, in torch's convention

      n_t = tanh(w_x x_t + b_x + r (w_h h_{t-1} + b_h)),     h_t = (1 - z) n_t + z h_{t-1},

  so z = 1 copies the old state forever and z = 0 replaces it by the candidate at every step.
- :func:`shift_task`: y_t = x_{t+k}, an answer that depends on a *later* input.
- :func:`fill_blank_task`: a masked word in a short idiom, decided by the word after it.
- :class:`Tagger`: a GRU (one or both directions) with a linear read-out at every step.

Dimension letters: N batch, T time, V vocabulary (one-hot inputs), H hidden, O classes.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from .widgets import Explorer, _wire, register_explorer

__all__ = [
    "gru_gate_view",
    "gru_gate_explorer",
    "shift_task",
    "shift_ceiling",
    "IDIOMS",
    "FILL_VOCAB",
    "IGNORE",
    "fill_blank_task",
    "Tagger",
    "masked_accuracy",
]

IGNORE = -100  # target id that nn.CrossEntropyLoss leaves out (its default ignore_index)

# --------------------------------------------------------------------------------------------
# GRU gates by hand
# --------------------------------------------------------------------------------------------

_DEFAULT_X = np.array([0, 0, 1, 1, 1, 1, 0, 0, -1, -1, -1, -1, 0, 0, 1, 1, 0, 0, 0, 0], dtype=float)


def gru_gate_view(update: float, reset: float, x=None, h0: float = 0.8, wx: float = 2.0, wh: float = 1.5) -> dict:
    """Run a one-unit GRU with its gates held at ``update`` (z) and ``reset`` (r).

        n_t = tanh(wx x_t + r * wh h_{t-1}),   h_t = (1 - z) n_t + z h_{t-1}

    Inputs:
        update: z in [0, 1]; reset: r in [0, 1]; x: (T,) inputs (default: a pulse pattern of
            T = 20); h0: initial state; wx, wh: the input and recurrent weights.
    Returns:
        dict with "x" (T,), "n" (T,) candidates, "h" (T + 1,) states h_0..h_T, "update",
        "reset", and "carried" = z^T, the share of h_0 still in h_T.
    """
    for name, v in (("update", update), ("reset", reset)):
        if not 0.0 <= float(v) <= 1.0:
            raise ValueError(f"{name} must be in [0, 1], got {v}")
    x = _DEFAULT_X if x is None else np.asarray(x, dtype=float)
    if x.ndim != 1 or x.size == 0:
        raise ValueError(f"x must have shape (T,), got {x.shape}")
    z, r = float(update), float(reset)
    h = np.empty(x.size + 1)
    n = np.empty(x.size)
    h[0] = h0
    for t in range(x.size):
        n[t] = np.tanh(wx * x[t] + r * wh * h[t])  # candidate
        h[t + 1] = (1 - z) * n[t] + z * h[t]  # interpolate old state and candidate
    return {"x": x, "n": n, "h": h, "update": z, "reset": r, "carried": z**x.size}


def gru_gate_explorer(x=None, h0: float = 0.8) -> Explorer:
    """Sliders for the update gate z and the reset gate r of a one-unit GRU; the figure shows
    the input x_t, the candidate n_t and the state h_t over time.

    Returns: an Explorer with controls "update" and "reset"; state is the :func:`gru_gate_view` dict.
    """
    import ipywidgets as W
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from .style import COURSE_COLORS

    first = gru_gate_view(0.5, 1.0, x, h0)
    T = first["x"].size
    fig = Figure(figsize=(8.0, 4.2), dpi=72)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.1, 0.14, 0.86, 0.64))
    t = np.arange(1, T + 1)
    ax.step(t, first["x"], where="mid", color="0.6", label="input $x_t$")
    (line_n,) = ax.plot(t, first["n"], "--", color=COURSE_COLORS[1], label="candidate $n_t$")
    (line_h,) = ax.plot(np.arange(T + 1), first["h"], "-o", color=COURSE_COLORS[0], ms=4, label="state $h_t$")
    ax.axhline(h0, color="0.3", linestyle=":", linewidth=1.2)
    ax.set(xlabel="time step $t$", ylim=(-1.15, 1.15), xlim=(-0.5, T + 0.5))
    ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=3, fontsize=11)  # above the data
    title = fig.text(0.1, 0.92, " ", fontsize=13)
    controls = {
        "update": W.FloatSlider(value=0.5, min=0.0, max=1.0, step=0.05, description="update z"),
        "reset": W.FloatSlider(value=1.0, min=0.0, max=1.0, step=0.05, description="reset r"),
    }

    def update():
        v = gru_gate_view(controls["update"].value, controls["reset"].value, x, h0)
        line_n.set_ydata(v["n"])
        line_h.set_ydata(v["h"])
        title.set_text(
            f"$z$ = {v['update']:.2f}: $h_T$ = {v['h'][-1]:+.2f}; share of $h_0$ kept $z^T$ = {v['carried']:.3f}"
        )
        return v, (line_n, line_h, title)

    # widgets._wire shows the image at its pixel size and redraws only the moving artists.
    return _wire(controls, fig, (line_n, line_h, title), update)


@register_explorer("gru_gates", sweep={"update": [0.0, 0.9, 1.0], "reset": [0.0, 0.5, 1.0]})
def _example_gru_gates() -> Explorer:
    return gru_gate_explorer()


# --------------------------------------------------------------------------------------------
# Tasks where the answer at step t depends on later inputs
# --------------------------------------------------------------------------------------------


def _check_int(name: str, value, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        raise ValueError(f"{name} must be an int >= {low}, got {value!r}")
    return int(value)


def shift_task(n: int, T: int, k: int, rng, n_symbols: int = 10) -> tuple[np.ndarray, np.ndarray]:
    """y_t = x_{t+k}: at every step, name the symbol that arrives k steps later.

    The last k steps have nothing k steps ahead; their target is the extra class
    ``n_symbols`` ("end"), which a model can learn from the position alone.

    Inputs: n: N; T: length; k: look-ahead, 1 <= k < T; rng: numpy Generator or seed;
        n_symbols: alphabet size V.
    Returns: x (N, T, V) float32 one-hot; y (N, T) int64 in 0..V (V = "end").
    """
    n, T, k, n_symbols = (_check_int(a, v, lo) for a, v, lo in (("n", n, 1), ("T", T, 2), ("k", k, 1),
                                                                 ("n_symbols", n_symbols, 2)))  # fmt: skip
    if k >= T:
        raise ValueError(f"k must be < T = {T}, got {k}")
    rng = np.random.default_rng(rng)
    ids = rng.integers(0, n_symbols, size=(n, T))  # (N, T)
    y = np.full((n, T), n_symbols, dtype=np.int64)
    y[:, : T - k] = ids[:, k:]
    return np.eye(n_symbols, dtype=np.float32)[ids], y  # (N, T, V), (N, T)


def shift_ceiling(T: int, k: int, n_symbols: int = 10) -> float:
    """Best expected accuracy of a model that sees only x_1..x_t: chance 1/V on the T - k steps
    whose answer lies ahead, certainty on the k "end" steps: ((T - k) / V + k) / T."""
    return ((T - k) / n_symbols + k) / T


# Four-word idioms. The second word (masked) is "under"/"over" or "in"/"out": the first word
# leaves two choices open, the last word decides ("feeling under the weather", as in the notes).
IDIOMS = (
    ("feeling", "under", "the", "weather"),
    ("feeling", "over", "the", "moon"),
    ("going", "under", "the", "radar"),
    ("going", "over", "the", "top"),
    ("kept", "in", "the", "dark"),
    ("kept", "out", "the", "cold"),
)
_FILLERS = ("we", "were", "all", "so", "today", "and", "then", "you", "it", "is")
FILL_VOCAB = ("<blank>",) + _FILLERS + tuple(sorted({w for idiom in IDIOMS for w in idiom}))


def fill_blank_task(n: int, T: int, rng) -> tuple[np.ndarray, np.ndarray, list[list[str]]]:
    """Sentences of T words with one idiom at a random place; its second word is blanked out.

    Inputs: n: N; T: length (>= 4); rng: numpy Generator or seed.
    Returns:
        x: (N, T, V) float32 one-hot over ``FILL_VOCAB`` (the blank is ``<blank>``);
        y: (N, T) int64: the hidden word's id at the blank, ``IGNORE`` (-100) elsewhere;
        words: the N sentences as word lists, blank shown as "___".
    """
    n, T = _check_int("n", n, 1), _check_int("T", T, 4)
    rng = np.random.default_rng(rng)
    index = {w: i for i, w in enumerate(FILL_VOCAB)}
    ids = rng.integers(1, 1 + len(_FILLERS), size=(n, T))  # (N, T) filler words
    which = rng.integers(0, len(IDIOMS), size=n)
    start = rng.integers(0, T - 3, size=n)
    y = np.full((n, T), IGNORE, dtype=np.int64)
    for k in range(n):
        ids[k, start[k] : start[k] + 4] = [index[w] for w in IDIOMS[which[k]]]
        y[k, start[k] + 1] = ids[k, start[k] + 1]
        ids[k, start[k] + 1] = 0  # <blank>
    words = [[FILL_VOCAB[i] if i else "___" for i in row] for row in ids]
    return np.eye(len(FILL_VOCAB), dtype=np.float32)[ids], y, words


# --------------------------------------------------------------------------------------------
# Model
# --------------------------------------------------------------------------------------------


class Tagger(nn.Module):
    """GRU over the sequence, one or both directions, a linear read-out at every step.

        uni:  h_t = GRU_fw(x_1..x_t)                        (N, T, H)
        bi:   h_t = [h_fw,t ; h_bw,t]  (concat, (N, T, 2H))   or   h_fw,t + h_bw,t  (sum, (N, T, H))
        logits_t = W_y h_t + b_y                            (N, T, O)

    Inputs (constructor): V inputs, H hidden per direction, O classes; bidirectional;
        combine: "concat" or "sum".
    """

    def __init__(self, V: int, H: int, O: int, bidirectional: bool = False, combine: str = "concat"):
        super().__init__()
        if combine not in ("concat", "sum"):
            raise ValueError(f"combine must be 'concat' or 'sum', got {combine!r}")
        self.bidirectional, self.combine, self.H = bidirectional, combine, H
        self.rnn = nn.GRU(V, H, batch_first=True, bidirectional=bidirectional)
        width = 2 * H if bidirectional and combine == "concat" else H
        self.head = nn.Linear(width, O)

    def hidden_states(self, x) -> torch.Tensor:
        x = torch.as_tensor(np.asarray(x, dtype=np.float32)) if not isinstance(x, torch.Tensor) else x
        if x.ndim != 3 or x.shape[2] != self.rnn.input_size:
            raise ValueError(f"x must have shape (N, T, V) with V = {self.rnn.input_size}, got {tuple(x.shape)}")
        h, _ = self.rnn(x)  # (N, T, H) or (N, T, 2H) = [forward, backward]
        if self.bidirectional and self.combine == "sum":
            h = h[..., : self.H] + h[..., self.H :]  # (N, T, H)
        return h

    def forward(self, x) -> torch.Tensor:
        return self.head(self.hidden_states(x))  # (N, T, O)


@torch.no_grad()
def masked_accuracy(model: nn.Module, x, y) -> float:
    """Accuracy of argmax predictions at the steps whose target is not ``IGNORE``.
    Inputs: x (N, T, V); y (N, T) int. Returns: a float in [0, 1]."""
    y = torch.as_tensor(np.asarray(y))
    model.eval()
    pred = model(x).argmax(-1)  # (N, T)
    model.train()
    keep = y != IGNORE
    if not bool(keep.any()):
        raise ValueError("y has no target that is not IGNORE")
    return float((pred[keep] == y[keep]).float().mean())
