"""Hand-wired RNNs: weights set by reasoning, not training, that run a small program.

Each program is an ordinary RNN, h_t = f(x_t W_x + h_{t-1} W_h + b), run by
:func:`rnn_helpers.rnn_forward`, with a linear read-out y_t = h_t w_y + b_y thresholded at 1/2.

* :func:`parity_rnn` (tanh, H = 2): is the number of 1s seen so far odd? The next parity is
  p_t = x_t XOR p_{t-1}, and XOR is not one threshold unit, so the state holds the two cases that
  make the parity odd: u_t = [x_t = 1 and p_{t-1} = 0], v_t = [x_t = 0 and p_{t-1} = 1], each a
  tanh unit (+1 true, -1 false), and p_t = (u_t + v_t)/2 + 1 is linear in the state.
* :func:`brackets_rnn` (ReLU, H = 3): is the prefix read so far balanced? A counter
  c_t = relu(c_{t-1} + [x_t = "("] - [x_t = ")"]) of open brackets, an "underflow now" unit
  d_t = relu([x_t = ")"] - c_{t-1}) and a sticky error unit e_t = relu(e_{t-1} + d_{t-1}).
  The prefix is balanced iff c_t + d_t + e_t = 0, so the read-out is y_t = 1 - (c_t + d_t + e_t).
  All values are small integers, so the arithmetic is exact.

:func:`verify_program` runs a program on every string over its alphabet up to a length (all
2 + 4 + ... + 4096 = 8190 strings up to length 12) and compares every prefix's answer with a
plain Python reference.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .rnn import rnn_forward

__all__ = [
    "HandWiredRNN",
    "parity_rnn",
    "brackets_rnn",
    "running_parity",
    "balanced_prefixes",
    "all_strings",
    "encode_strings",
    "run_program",
    "verify_program",
]


@dataclass
class HandWiredRNN:
    """An RNN with hand-set weights: h_t = f(x_t Wx + h_{t-1} Wh + b), y_t = h_t wy + by.

    Fields: name; alphabet (one character per one-hot input, D = len(alphabet), except for a
    binary alphabet "01" read as one input x_t in {0, 1}); Wx (D, H); Wh (H, H); b (H,);
    wy (H,); by; activation ("tanh" or "relu"); h0 (H,); unit_names (H,);
    reference: the Python function giving the correct answer after every prefix.
    The answer after step t is y_t > 1/2.
    """

    name: str
    alphabet: str
    Wx: np.ndarray
    Wh: np.ndarray
    b: np.ndarray
    wy: np.ndarray
    by: float
    activation: str
    h0: np.ndarray
    unit_names: list[str]
    reference: Callable[[str], list[bool]] = field(repr=False)


def running_parity(s: str) -> list[bool]:
    """Reference: after each character of a "01" string, is the number of 1s so far odd?"""
    out, odd = [], False
    for ch in s:
        odd ^= ch == "1"
        out.append(odd)
    return out


def balanced_prefixes(s: str) -> list[bool]:
    """Reference: after each character of a "()" string, is the prefix balanced?"""
    out, depth, broken = [], 0, False
    for ch in s:
        depth += 1 if ch == "(" else -1
        broken |= depth < 0
        out.append(depth == 0 and not broken)
    return out


def parity_rnn(gain: float = 10.0) -> HandWiredRNN:
    """The running-parity program (tanh, two units); ``gain`` scales every pre-activation.

    u_t = tanh(g (x_t - p_{t-1} - 1/2)),  v_t = tanh(g (p_{t-1} - x_t - 1/2)),
    with p_{t-1} = (u_{t-1} + v_{t-1})/2 + 1; each pre-activation is at least g/2 away from 0.
    """
    if not gain >= 2.0:
        raise ValueError(f"gain must be >= 2 for the tanh units to act as switches, got {gain}")
    g = float(gain)
    Wx = np.array([[g, -g]])  # (D=1, H=2): +x into u, -x into v
    Wh = np.array([[-g / 2, g / 2], [-g / 2, g / 2]])  # (H, H): -p into u, +p into v
    b = np.array([-1.5 * g, 0.5 * g])  # (H,): the constants of p = (u+v)/2 + 1 and the -1/2
    return HandWiredRNN(
        name="running parity",
        alphabet="01",
        Wx=Wx,
        Wh=Wh,
        b=b,
        wy=np.array([0.5, 0.5]),
        by=1.0,
        activation="tanh",
        h0=np.array([-1.0, -1.0]),
        unit_names=["u: 1 after even", "v: 0 after odd"],
        reference=running_parity,
    )


def brackets_rnn() -> HandWiredRNN:
    """The balanced-brackets program (ReLU, three units: counter c, underflow d, error e)."""
    Wx = np.array([[1.0, 0.0, 0.0], [-1.0, 1.0, 0.0]])  # (D=2, H=3): rows "(", ")"
    Wh = np.array([[1.0, -1.0, 0.0], [0.0, 0.0, 1.0], [0.0, 0.0, 1.0]])  # (H, H): rows c, d, e
    return HandWiredRNN(
        name="balanced brackets",
        alphabet="()",
        Wx=Wx,
        Wh=Wh,
        b=np.zeros(3),
        wy=np.array([-1.0, -1.0, -1.0]),
        by=1.0,
        activation="relu",
        h0=np.zeros(3),
        unit_names=["c: open count", "d: underflow now", "e: error seen"],
        reference=balanced_prefixes,
    )


def all_strings(alphabet: str, length: int) -> list[str]:
    """Every string of exactly ``length`` characters over ``alphabet`` (len(alphabet)**length)."""
    if int(length) != length or length < 1:
        raise ValueError(f"length must be an int >= 1, got {length!r}")
    return ["".join(p) for p in itertools.product(alphabet, repeat=int(length))]


def encode_strings(prog: HandWiredRNN, strings: list[str]) -> np.ndarray:
    """Inputs for ``prog``: x (N, T, D), one-hot per character (a single 0/1 input for "01").

    All strings must have the same length T >= 1 and use only the program's alphabet.
    """
    if len(strings) == 0:
        raise ValueError("strings must hold at least one string")
    T = len(strings[0])
    if T == 0 or any(len(s) != T for s in strings):
        raise ValueError(f"strings must all have the same length >= 1, got lengths {sorted({len(s) for s in strings})}")
    index = {ch: i for i, ch in enumerate(prog.alphabet)}
    bad = {ch for s in strings for ch in s} - set(index)
    if bad:
        raise ValueError(f"characters {sorted(bad)} are not in the alphabet {prog.alphabet!r}")
    ids = np.array([[index[ch] for ch in s] for s in strings])  # (N, T)
    if prog.alphabet == "01":
        return ids[..., None].astype(float)  # (N, T, 1)
    return np.eye(len(prog.alphabet))[ids]  # (N, T, D)


def run_program(prog: HandWiredRNN, strings: list[str]) -> dict:
    """Run the hand-wired RNN on strings of equal length.

    Returns: dict with h (N, T, H) hidden states, y (N, T) read-outs and answer (N, T) bools
        (y_t > 1/2).
    """
    x = encode_strings(prog, strings)
    N = x.shape[0]
    h0 = np.tile(prog.h0, (N, 1))  # (N, H)
    h, _ = rnn_forward(x, h0, prog.Wx, prog.Wh, prog.b, activation=prog.activation)
    y = h @ prog.wy + prog.by  # (N, T)
    return {"h": h, "y": y, "answer": y > 0.5}


def verify_program(prog: HandWiredRNN, max_len: int = 12) -> dict:
    """Compare the program's answer after every prefix with ``prog.reference``, exhaustively.

    Inputs: prog; max_len: every string of length 1..max_len is run.
    Returns: dict with n_strings, n_answers (prefix answers checked), n_wrong, margin (the
        smallest |y_t - 1/2| seen: how far the read-out stays from the threshold) and
        first_wrong (a failing string, or None).
    """
    n_strings = n_answers = n_wrong = 0
    margin, first_wrong = np.inf, None
    for length in range(1, int(max_len) + 1):
        strings = all_strings(prog.alphabet, length)
        out = run_program(prog, strings)
        expected = np.array([prog.reference(s) for s in strings])  # (N, T)
        wrong = out["answer"] != expected
        n_strings += len(strings)
        n_answers += expected.size
        n_wrong += int(wrong.sum())
        margin = min(margin, float(np.min(np.abs(out["y"] - 0.5))))
        if first_wrong is None and wrong.any():
            first_wrong = strings[int(np.argmax(wrong.any(axis=1)))]
    return dict(
        n_strings=n_strings,
        n_answers=n_answers,
        n_wrong=n_wrong,
        margin=margin,
        first_wrong=first_wrong,
    )
