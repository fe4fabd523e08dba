"""Exercise checks for notebook 00: sequences and the RNN family.

Each ``check_*`` returns a short message and raises ``AssertionError`` with specific feedback
when the answer is wrong, naming the mistake it recognises.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = ["ARCHITECTURES", "check_architectures", "check_rnn_output_shapes", "check_hidden_update"]

ARCHITECTURES = ("one-to-one", "one-to-many", "many-to-one", "many-to-many (Tx = Ty)", "many-to-many (Tx != Ty)")

_ANSWERS = {
    "sentiment analysis": "many-to-one",
    "spam detection": "many-to-one",
    "music generation": "one-to-many",
    "image captioning": "one-to-many",
    "named-entity recognition": "many-to-many (Tx = Ty)",
    "part-of-speech tagging": "many-to-many (Tx = Ty)",
    "machine translation": "many-to-many (Tx != Ty)",
    "video captioning": "many-to-many (Tx != Ty)",
    "summarization": "many-to-many (Tx != Ty)",
}

_WHY = {
    "many-to-one": "a whole sequence goes in and one label comes out",
    "one-to-many": "one input (a seed or an image) starts a whole output sequence",
    "many-to-many (Tx = Ty)": "there is one output per input token, aligned in time",
    "many-to-many (Tx != Ty)": "the output length differs from the input length",
}


def check_architectures(answers: dict[str, str]) -> str:
    """Check a mapping application -> architecture name (one of ``ARCHITECTURES``)."""
    if not isinstance(answers, dict):
        raise ValueError(f"answers must be a dict application -> architecture, got {type(answers).__name__}")
    missing = sorted(set(_ANSWERS) - set(answers))
    if missing:
        raise AssertionError(f"Give an architecture for every application; missing: {', '.join(missing)}")
    problems = []
    for app, expected in _ANSWERS.items():
        given = str(answers[app]).strip()
        if given not in ARCHITECTURES:
            problems.append(f"{app}: {given!r} is not one of {ARCHITECTURES}")
        elif given != expected:
            hint = _WHY[expected]
            if {given, expected} == {"many-to-many (Tx = Ty)", "many-to-many (Tx != Ty)"}:
                hint += " (both are many-to-many: ask whether the lengths must match)"
            problems.append(f"{app}: not {given}, it is {expected}: {hint}")
    if problems:
        raise AssertionError("Not quite:\n  " + "\n  ".join(problems))
    return "Correct: every application sits on the right diagram."


def check_rnn_output_shapes(N: int, T: int, D: int, H: int, output_shape: tuple, h_n_shape: tuple) -> str:
    """Check the shapes returned by ``torch.nn.RNN(D, H, batch_first=True)`` on input (N, T, D)."""
    output_shape, h_n_shape = tuple(output_shape), tuple(h_n_shape)
    if output_shape != (N, T, H):
        if output_shape == (T, N, H):
            raise AssertionError("output: with batch_first=True the batch comes first: (N, T, H)")
        if output_shape == (N, T, D):
            raise AssertionError("output: the RNN outputs hidden states, so the last size is H, not D")
        if output_shape == (N, H):
            raise AssertionError("output: that is one state per sequence; `output` holds every step: (N, T, H)")
        raise AssertionError(f"output shape should be (N, T, H) = {(N, T, H)}, got {output_shape}")
    if h_n_shape != (1, N, H):
        if h_n_shape == (N, H):
            raise AssertionError("h_n: torch keeps a leading layers*directions axis: (1, N, H), even with batch_first")
        if h_n_shape == (N, 1, H):
            raise AssertionError("h_n: batch_first does not apply to h_n; it is (layers, N, H) = (1, N, H)")
        raise AssertionError(f"h_n shape should be (1, N, H) = {(1, N, H)}, got {h_n_shape}")
    return "Correct: output has every step's state; h_n only the last one."


def check_hidden_update(step: Callable[..., np.ndarray]) -> str:
    """Check ``step(x, h_prev, Wx, Wh, b)`` computing h = tanh(x @ Wx + h_prev @ Wh + b).

    Shapes: x (N, D), h_prev (N, H), Wx (D, H), Wh (H, H), b (H,); returns (N, H).
    """
    rng = np.random.default_rng(7)
    N, D, H = 3, 4, 5
    x, h = rng.normal(size=(N, D)), rng.normal(size=(N, H))
    Wx, Wh, b = rng.normal(size=(D, H)) * 0.5, rng.normal(size=(H, H)) * 0.5, rng.normal(size=H)
    got = np.asarray(step(x, h, Wx, Wh, b), dtype=float)
    want = np.tanh(x @ Wx + h @ Wh + b)
    if got.shape != want.shape:
        raise AssertionError(f"step must return shape (N, H) = {want.shape}, got {got.shape}")
    if np.allclose(got, want):
        return "Correct: the new state mixes the input and the previous state, then squashes with tanh."
    if np.allclose(got, np.tanh(x @ Wx + b)):
        raise AssertionError("The previous state h_prev is ignored: without h_prev @ Wh there is no memory.")
    if np.allclose(got, x @ Wx + h @ Wh + b):
        raise AssertionError("The activation is missing: apply tanh to the sum.")
    if np.allclose(got, 1 / (1 + np.exp(-(x @ Wx + h @ Wh + b)))):
        raise AssertionError("That is a sigmoid; the hidden state uses tanh (range -1..1, centred on 0).")
    if np.allclose(got, np.tanh(x @ Wx + h @ Wh.T + b)):
        raise AssertionError("Wh is transposed: with row vectors the update is h_prev @ Wh.")
    if np.allclose(got, np.tanh(x @ Wx + h @ Wh)):
        raise AssertionError("The bias b is missing.")
    raise AssertionError("The result differs from tanh(x @ Wx + h_prev @ Wh + b).")
