"""Exercise checks of notebook 07 accept the solution and name each common mistake."""

import numpy as np
import pytest

from rnn_helpers.exercises.ex07 import check_child_gradient, check_compose, check_levels
from rnn_helpers.trees import parse_tree


def test_compose_solution_and_mistakes():
    assert check_compose(lambda c1, c2, W, b: np.tanh(W @ np.concatenate([c1, c2]) + b)).startswith("Correct")
    mistakes = {
        "swapped": lambda c1, c2, W, b: np.tanh(W @ np.concatenate([c2, c1]) + b),
        "tanh is missing": lambda c1, c2, W, b: W @ np.concatenate([c1, c2]) + b,
        "bias b is missing": lambda c1, c2, W, b: np.tanh(W @ np.concatenate([c1, c2])),
        "sigmoid": lambda c1, c2, W, b: 1 / (1 + np.exp(-(W @ np.concatenate([c1, c2]) + b))),
        "shape": lambda c1, c2, W, b: np.tanh(W @ c1 + b),
        "differs": lambda c1, c2, W, b: np.zeros(3),
    }
    for why, fn in mistakes.items():
        with pytest.raises(AssertionError, match=why):
            check_compose(fn)


def test_child_gradient_solution_and_mistakes():
    ok = lambda dp, p, W: (W.T @ (dp * (1 - p**2)))[: W.shape[0]]
    assert check_child_gradient(ok).startswith("Correct")
    H = 3
    mistakes = {
        "right child": lambda dp, p, W: (W.T @ (dp * (1 - p**2)))[H:],
        "derivative is missing": lambda dp, p, W: (W.T @ dp)[:H],
        "not 1 - p": lambda dp, p, W: (W.T @ (dp * (1 - p)))[:H],
        "both children": lambda dp, p, W: W.T @ (dp * (1 - p**2)),
        "raised": lambda dp, p, W: W @ dp,
    }
    for why, fn in mistakes.items():
        with pytest.raises(AssertionError, match=why):
            check_child_gradient(fn)


def test_levels_solution_and_mistakes():
    four = [parse_tree(s) for s in ["(AND 1 0)", "(OR (XOR 1 1) 0)", "1", "(AND (OR 0 (XOR 1 0)) (AND 1 1))"]]
    assert check_levels(3, four).startswith("Correct")
    for answer, why in [(4, "leaves"), (18, "every node"), (7, "internal nodes"), (6, "one after another")]:
        with pytest.raises(AssertionError, match=why):
            check_levels(answer, four)
