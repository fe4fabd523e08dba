"""Checks for the exercises of notebook 04 (LSTM gates).

Each ``check_*`` runs the learner's answer on test cases, compares it with the right answer and
with the common mistakes, prints a success message or raises ``AssertionError`` naming the
mistake it recognised.
"""

from __future__ import annotations

import numpy as np

__all__ = ["check_cell_update", "check_lstm_parameter_count", "PARAMETER_QUESTION"]


def _update_variants(f, i, g, o, c_prev) -> dict[str | None, tuple[np.ndarray, np.ndarray]]:
    c = f * c_prev + i * g
    return {
        None: (c, o * np.tanh(c)),
        "the forget gate is missing: C_t = f_t * C_{t-1} + i_t * C~_t, not C_{t-1} + i_t * C~_t": (
            c_prev + i * g,
            o * np.tanh(c_prev + i * g),
        ),
        "the input and forget gates are swapped: f_t multiplies the old state C_{t-1}, i_t the candidate": (
            i * c_prev + f * g,
            o * np.tanh(i * c_prev + f * g),
        ),
        "the input gate is missing: the candidate is added as i_t * C~_t, not C~_t": (
            f * c_prev + g,
            o * np.tanh(f * c_prev + g),
        ),
        "h_t needs the tanh: h_t = o_t * tanh(C_t), not o_t * C_t": (c, o * c),
        "the output gate is missing: h_t = o_t * tanh(C_t), not tanh(C_t)": (c, np.tanh(c)),
        "h_t must use the new cell state C_t, not C_{t-1}": (c, o * np.tanh(c_prev)),
    }


def check_cell_update(fn) -> None:
    """Check ``fn(f, i, g, o, c_prev) -> (c, h)``: C_t = f*C_{t-1} + i*C~_t, h_t = o*tanh(C_t).

    Inputs: fn taking the gates f, i, o, the candidate g (= C~_t) and c_prev, arrays (N, H).
    Prints a success message; raises AssertionError naming the mistake when fn is wrong.
    """
    rng = np.random.default_rng(4)
    for shape in [(2, 3), (1, 5)]:
        f, i, o = (rng.uniform(0.05, 0.95, shape) for _ in range(3))
        g = rng.uniform(-1, 1, shape)
        c_prev = rng.uniform(-2, 2, shape)
        try:
            out = fn(f.copy(), i.copy(), g.copy(), o.copy(), c_prev.copy())
            c, h = (np.asarray(v, dtype=float) for v in out)
        except Exception as err:  # the learner's code raised: report it, don't hide it
            raise AssertionError(f"your function raised {type(err).__name__}: {err}") from err
        variants = _update_variants(f, i, g, o, c_prev)
        for mistake, (c_want, h_want) in variants.items():
            if c.shape == shape and h.shape == shape and np.allclose(c, c_want) and np.allclose(h, h_want):
                if mistake is None:
                    break
                raise AssertionError(f"Not yet: {mistake}.")
        else:
            if c.shape != shape or h.shape != shape:
                raise AssertionError(f"c and h must have the gates' shape {shape}, got {c.shape} and {h.shape}")
            c_ok = np.allclose(c, variants[None][0])
            raise AssertionError(
                "Not yet: C_t is right but h_t is not (h_t = o_t * tanh(C_t))."
                if c_ok
                else "Not yet: C_t should be f_t * C_{t-1} + i_t * C~_t."
            )
    print("Correct: C_t = f_t * C_{t-1} + i_t * C~_t and h_t = o_t * tanh(C_t).")


PARAMETER_QUESTION = {"D": 10, "H": 20}


def check_lstm_parameter_count(answer) -> None:
    """Check the number of trainable scalars of ``torch.nn.LSTM(input_size=10, hidden_size=20)``.

    Right: 4 blocks (i, f, g, o), each with H x D input weights, H x H recurrent weights and,
    in torch, two bias vectors of H: 4 H (D + H) + 8 H = 2560.
    Prints a success message; raises AssertionError naming the mistake.
    """
    D, H = PARAMETER_QUESTION["D"], PARAMETER_QUESTION["H"]
    right = 4 * H * (D + H) + 8 * H
    mistakes = {
        4 * H * (D + H) + 4 * H: "torch keeps two bias vectors per gate, b_ih and b_hh (8H biases, not 4H)",
        4 * H * (D + H): "the biases are missing (torch has b_ih and b_hh: 8H numbers)",
        H * (D + H) + 2 * H: "there are four blocks (i, f, g, o): multiply by 4",
        H * (D + H) + H: "there are four blocks (i, f, g, o), each with its weights and two biases",
        4 * H * H + 8 * H: "the input weights W_ih (4H x D) are missing",
        4 * H * D + 8 * H: "the recurrent weights W_hh (4H x H) are missing",
        3 * H * (D + H) + 6 * H: "that is a GRU's count (three blocks); the LSTM has four",
    }
    if isinstance(answer, bool) or not isinstance(answer, (int, np.integer)):
        raise AssertionError(f"answer with an int, got {answer!r}")
    if answer == right:
        print(f"Correct: 4 H (D + H) + 8 H = 4*{H}*({D}+{H}) + 8*{H} = {right}.")
        return
    if answer in mistakes:
        raise AssertionError(f"Not yet: {mistakes[answer]}.")
    raise AssertionError(
        "Not yet: count 4 blocks, each with H x D input weights, H x H recurrent weights, 2 x H biases."
    )
