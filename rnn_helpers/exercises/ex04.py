"""Checks for the exercises of notebook 04 (LSTM gates).

Each ``check_*`` calls the learner's function on a fixed case and compares it with a reference
written out here (self-contained, as the package layout asks; tests/test_ex04.py checks that it
equals the course's :mod:`rnn_helpers.lstm`, torch and finite differences) and with the common
mistakes. It prints one
line and returns True (right) or False: "Not yet: ..." while the stub still raises
``NotImplementedError``, "Not quite: looks like ..." when it recognises a mistake. It never
raises, so a notebook runs top to bottom whatever the learner wrote, and it never prints the
answer's values.

Notation (row vectors, gate blocks in torch's order i, f, g, o):
    a_t = x_t W_x + h_{t-1} W_h + b                 (N, 4H)
    i_t, f_t, o_t = σ(a_t^i), σ(a_t^f), σ(a_t^o);   C~_t = tanh(a_t^g)
    C_t = f_t * C_{t-1} + i_t * C~_t;               h_t = o_t * tanh(C_t)
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = ["check_lstm_step_forward", "check_lstm_step_backward", "check_lstm_parameter_count", "PARAMETER_QUESTION"]


def _sigmoid(a):
    return 1 / (1 + np.exp(-a))


def _case(seed: int = 4, N: int = 3, D: int = 5, H: int = 2):
    """One step with D != H != 4H, so a transposed weight cannot fit by accident."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(N, D))
    h_prev, c_prev = np.tanh(rng.normal(size=(N, H))), rng.normal(size=(N, H))
    Wx, Wh, b = rng.normal(size=(D, 4 * H)) * 0.7, rng.normal(size=(H, 4 * H)) * 0.7, rng.normal(size=4 * H)
    return x, h_prev, c_prev, Wx, Wh, b


def _step(x, h_prev, c_prev, Wx, Wh, b, mistake: str | None = None):
    """The LSTM step written out, optionally with one classic mistake (for the checks)."""
    H = h_prev.shape[1]
    a = x @ Wx + b + (0 if mistake == "no recurrence" else h_prev @ Wh)  # (N, 4H)
    order = {"if swapped": "figo", "go swapped": "ifog"}.get(mistake, "ifgo")  # names of the four blocks
    block = {name: a[:, j * H : (j + 1) * H] for j, name in enumerate(order)}  # (N, H) each
    i, f, o = _sigmoid(block["i"]), _sigmoid(block["f"]), _sigmoid(block["o"])
    g = _sigmoid(block["g"]) if mistake == "sigmoid candidate" else np.tanh(block["g"])  # C~_t
    if mistake == "no forget":
        c = c_prev + i * g
    elif mistake == "no input gate":
        c = f * c_prev + g
    else:
        c = f * c_prev + i * g  # C_t = f_t * C_{t-1} + i_t * C~_t
    if mistake == "h without tanh":
        h = o * c
    elif mistake == "h from c_prev":
        h = o * np.tanh(c_prev)
    elif mistake == "no output gate":
        h = np.tanh(c)
    else:
        h = o * np.tanh(c)  # h_t = o_t * tanh(C_t)
    return h, c


_FORWARD_MISTAKES = {
    "if swapped": "the input and forget gate blocks are swapped: torch's order is i, f, g, o "
    "(columns 0:H are i_t, H:2H are f_t)",
    "go swapped": "the candidate and output gate blocks are swapped: torch's order is i, f, g, o "
    "(columns 2H:3H are C~_t, 3H:4H are o_t)",
    "sigmoid candidate": "the candidate C~_t went through a sigmoid; it is a tanh layer, so it can be negative",
    "no forget": "the forget gate is missing: C_t = f_t * C_{t-1} + i_t * C~_t",
    "no input gate": "the input gate is missing: the candidate enters as i_t * C~_t",
    "h without tanh": "h_t needs the tanh: h_t = o_t * tanh(C_t), not o_t * C_t",
    "h from c_prev": "h_t uses the old cell state C_{t-1}; it must use the new C_t",
    "no output gate": "the output gate is missing: h_t = o_t * tanh(C_t)",
    "no recurrence": "h_{t-1} W_h is missing from the gate pre-activations: a_t = x_t W_x + h_{t-1} W_h + b",
}


def _call(fn, args):
    """Run the learner's function: (result, None), or (None, message) when it cannot be checked."""
    try:
        return fn(*(np.array(a, copy=True) for a in args)), None
    except NotImplementedError:
        return None, "Not yet: replace `raise NotImplementedError` with your code, then run this cell again."
    except Exception as err:  # the learner's code raised: say what and hint at the usual cause
        hint = ""
        if isinstance(err, ValueError) and "matmul" in str(err):
            hint = (
                " Row vectors multiply weights on the right: x @ Wx with x (N, D) and Wx (D, 4H); "
                "a transposed weight (Wx.T) or Wx @ x does not fit."
            )
        return None, f"Not quite: your function raised {type(err).__name__}: {err}.{hint}"


def check_lstm_step_forward(fn: Callable) -> bool:
    """Check ``fn(x, h_prev, c_prev, Wx, Wh, b) -> (h_next, c_next)``, one LSTM step.

    Inputs of fn: x (N, D), h_prev and c_prev (N, H), Wx (D, 4H), Wh (H, 4H), b (4H,), gate
    blocks in torch's order i, f, g, o. Compared with ``_step``, equal to :func:`rnn_helpers.lstm.lstm_step_forward`.
    Prints one line; returns True when fn is right.
    """
    args = _case()
    N, H = args[1].shape
    out, problem = _call(fn, args)
    if problem is None:
        if not isinstance(out, tuple) or len(out) != 2:
            problem = "Not quite: return a pair (h_next, c_next)."
        else:
            h, c = (np.asarray(v, dtype=float) for v in out)
            if h.shape != (N, H) or c.shape != (N, H):
                problem = (
                    f"Not quite: h_next and c_next must have shape (N, H) = ({N}, {H}), got {h.shape} and {c.shape}."
                )
    if problem is not None:
        print(problem)
        return False
    h_want, c_want = _step(*args)
    if np.allclose(h, h_want, atol=1e-10) and np.allclose(c, c_want, atol=1e-10):
        print("Correct: your step agrees with the course's lstm_step_forward (and so with torch.nn.LSTM).")
        return True
    if np.allclose(h, c_want, atol=1e-10) and np.allclose(c, h_want, atol=1e-10):
        print("Not quite: looks like the outputs are in the wrong order: return (h_next, c_next).")
        return False
    for mistake, words in _FORWARD_MISTAKES.items():
        h_m, c_m = _step(*args, mistake=mistake)
        if np.allclose(h, h_m, atol=1e-10) and np.allclose(c, c_m, atol=1e-10):
            print(f"Not quite: looks like {words}.")
            return False
    if np.allclose(c, c_want, atol=1e-10):
        print("Not quite: C_t is right but h_t is not: h_t = o_t * tanh(C_t).")
    else:
        print(
            "Not quite: C_t differs from f_t * C_{t-1} + i_t * C~_t; print your gates and compare with the equations."
        )
    return False


def _step_backward(dh, dc_next, x, h_prev, c_prev, Wx, Wh, b, mistake: str | None = None):
    """The backward of one LSTM step written out, optionally with one classic mistake."""
    H = h_prev.shape[1]
    a = x @ Wx + h_prev @ Wh + b
    i, f, o = _sigmoid(a[:, :H]), _sigmoid(a[:, H : 2 * H]), _sigmoid(a[:, 3 * H :])
    g = np.tanh(a[:, 2 * H : 3 * H])
    c = f * c_prev + i * g
    tc = np.tanh(c)
    if mistake == "no h path":
        dc = dc_next  # forgets that h_t = o_t tanh(C_t) also reads C_t
    elif mistake == "no tanh' on C":
        dc = dc_next + dh * o
    else:
        dc = dc_next + dh * o * (1 - tc**2)  # dL/dC_t
    di, df, dg, do = dc * g, dc * c_prev, dc * i, dh * tc
    if mistake == "no gate derivatives":
        da = np.concatenate([di, df, dg, do], axis=1)
    elif mistake == "sigmoid' for candidate":
        da = np.concatenate([di * i * (1 - i), df * f * (1 - f), dg * g * (1 - g), do * o * (1 - o)], axis=1)
    else:
        da = np.concatenate([di * i * (1 - i), df * f * (1 - f), dg * (1 - g**2), do * o * (1 - o)], axis=1)
    dc_prev = dc if mistake == "dc_prev without f" else dc * f
    return da @ Wx.T, da @ Wh.T, dc_prev, x.T @ da, h_prev.T @ da, da.sum(axis=0)


_BACKWARD_MISTAKES = {
    "no h path": "dL/dC_t misses the path through h_t: dC_t = dC_next + dh_t * o_t * (1 - tanh(C_t)^2)",
    "no tanh' on C": "the tanh derivative (1 - tanh(C_t)^2) is missing on the path from h_t to C_t",
    "no gate derivatives": "the activations' derivatives are missing: multiply by σ'(a) = s (1 - s) for i, f, o "
    "and by 1 - C~_t^2 for the candidate",
    "sigmoid' for candidate": "the candidate's derivative used the sigmoid's s (1 - s); C~_t is a tanh, "
    "its derivative is 1 - C~_t^2",
    "dc_prev without f": "dC_{t-1} must be multiplied by the forget gate: dC_{t-1} = dC_t * f_t",
}
_GRAD_NAMES = ("dx", "dh_prev", "dc_prev", "dWx", "dWh", "db")


def check_lstm_step_backward(fn: Callable) -> bool:
    """Check ``fn(dh_next, dc_next, x, h_prev, c_prev, Wx, Wh, b) -> (dx, dh_prev, dc_prev, dWx, dWh, db)``.

    The backward of one LSTM step (fn recomputes the forward it needs). Compared with
    ``_step_backward``, equal to :func:`rnn_helpers.lstm.lstm_step_backward` and to finite
    differences (tests/test_ex04.py). Prints one line; returns True when fn is right.
    """
    x, h_prev, c_prev, Wx, Wh, b = _case(5)
    rng = np.random.default_rng(6)
    dh, dc_next = rng.normal(size=h_prev.shape), rng.normal(size=h_prev.shape)
    args = (dh, dc_next, x, h_prev, c_prev, Wx, Wh, b)
    out, problem = _call(fn, args)
    want = _step_backward(*args)
    if problem is None:
        if not isinstance(out, tuple) or len(out) != 6:
            problem = "Not quite: return six arrays (dx, dh_prev, dc_prev, dWx, dWh, db)."
        else:
            got = [np.asarray(v, dtype=float) for v in out]
            for name, g, w in zip(_GRAD_NAMES, got, want):
                if g.shape != w.shape:
                    problem = f"Not quite: {name} must have the shape of its variable, {w.shape}, got {g.shape}."
                    break
    if problem is not None:
        print(problem)
        return False
    wrong = [name for name, g, w in zip(_GRAD_NAMES, got, want) if not np.allclose(g, w, atol=1e-9)]
    if not wrong:
        print("Correct: all six gradients agree with the course's lstm_step_backward (gradient-checked).")
        return True
    for mistake, words in _BACKWARD_MISTAKES.items():
        variant = _step_backward(*args, mistake=mistake)
        if all(np.allclose(g, v, atol=1e-9) for g, v in zip(got, variant)):
            print(f"Not quite: looks like {words}.")
            return False
    print(f"Not quite: {', '.join(wrong)} differ from the reference; the others are right.")
    return False


PARAMETER_QUESTION = {"D": 10, "H": 20}


def check_lstm_parameter_count(answer) -> bool:
    """Check the number of trainable scalars of ``torch.nn.LSTM(input_size=10, hidden_size=20)``.

    Right: 4 blocks (i, f, g, o), each with H x D input weights, H x H recurrent weights and,
    in torch, two bias vectors of H: 4 H (D + H) + 8 H. Prints one line (never the number);
    returns True when right.
    """
    D, H = PARAMETER_QUESTION["D"], PARAMETER_QUESTION["H"]
    right = 4 * H * (D + H) + 8 * H
    mistakes = {
        4 * H * (D + H) + 4 * H: "one bias per gate; torch keeps two bias vectors per gate, b_ih and b_hh",
        4 * H * (D + H): "the biases are missing (torch has b_ih and b_hh)",
        H * (D + H) + 2 * H: "one block; there are four (i, f, g, o)",
        H * (D + H) + H: "one block with one bias; there are four blocks (i, f, g, o), each with two biases",
        4 * H * H + 8 * H: "the input weights W_ih (4H x D) are missing",
        4 * H * D + 8 * H: "the recurrent weights W_hh (4H x H) are missing",
        3 * H * (D + H) + 6 * H: "three blocks (a GRU); the LSTM has four",
    }
    if answer is None or answer is Ellipsis:
        print("Not yet: replace None with your count, then run this cell again.")
        return False
    if isinstance(answer, bool) or not isinstance(answer, (int, np.integer)):
        print(f"Not quite: answer with an int, got {answer!r}.")
        return False
    if answer == right:
        print("Correct: four blocks (i, f, g, o), each with input weights, recurrent weights and two bias vectors.")
        return True
    if answer in mistakes:
        print(f"Not quite: looks like you counted {mistakes[answer]}.")
        return False
    print("Not quite: count 4 blocks, each with H x D input weights, H x H recurrent weights and 2 x H biases.")
    return False
