"""Exercise checks for notebook 07: recursive neural networks over trees.

Each ``check_*`` returns a short message when the answer is right and raises
``AssertionError`` naming the mistake it recognises when it is wrong.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

__all__ = ["check_compose", "check_child_gradient", "check_levels"]


def _case(seed: int = 7, H: int = 3):
    rng = np.random.default_rng(seed)
    return rng.normal(size=H), rng.normal(size=H), rng.normal(size=(H, 2 * H)), rng.normal(size=H)


def check_compose(compose: Callable) -> str:
    """Check ``compose(c1, c2, W, b)`` -> the parent vector p = tanh(W [c1; c2] + b), (H,)."""
    c1, c2, W, b = _case()
    try:
        got = np.asarray(compose(c1, c2, W, b), dtype=float)
    except (ValueError, TypeError) as exc:
        raise AssertionError(
            f"compose raised {type(exc).__name__}: {exc}. W has shape (H, 2H) = {W.shape}: "
            "multiply it by the stacked children np.concatenate([c1, c2]) of shape (2H,)"
        ) from exc
    want = np.tanh(W @ np.concatenate([c1, c2]) + b)
    if got.shape != want.shape:
        raise AssertionError(f"the parent must have shape (H,) = {want.shape}, got {got.shape}")
    if np.allclose(got, want):
        return "Correct: p = tanh(W [c1; c2] + b)."
    mistakes = {
        "the children are swapped: stack [c1; c2], left child first": np.tanh(W @ np.concatenate([c2, c1]) + b),
        "tanh is missing: p = tanh(W [c1; c2] + b), not the affine part alone": W @ np.concatenate([c1, c2]) + b,
        "the bias b is missing": np.tanh(W @ np.concatenate([c1, c2])),
        "the children were added, not stacked: use np.concatenate([c1, c2])": np.tanh(W[:, : len(c1)] @ (c1 + c2) + b),
        "sigmoid instead of tanh": 1 / (1 + np.exp(-(W @ np.concatenate([c1, c2]) + b))),
    }
    for why, wrong in mistakes.items():
        if np.allclose(got, wrong):
            raise AssertionError(f"Not yet: {why}.")
    raise AssertionError("Not yet: the parent differs from tanh(W [c1; c2] + b).")


def check_child_gradient(child_gradient: Callable) -> str:
    """Check ``child_gradient(dp, p, W)`` -> dL/dc1, the gradient the parent sends to its left child.

    With a = W [c1; c2] + b and p = tanh(a): dz = W^T (dp * (1 - p^2)) and dL/dc1 = dz[:H].
    """
    _, _, W, _ = _case(8)
    rng = np.random.default_rng(9)
    H = W.shape[0]
    p = np.tanh(rng.normal(size=H))
    dp = rng.normal(size=H)
    try:
        got = np.asarray(child_gradient(dp, p, W), dtype=float)
    except (ValueError, TypeError) as exc:
        raise AssertionError(
            f"child_gradient raised {type(exc).__name__}: {exc}. W is (H, 2H) = {W.shape}; W.T @ da has shape (2H,)"
        ) from exc
    da = dp * (1 - p**2)
    want = (W.T @ da)[:H]
    if got.shape == (2 * H,):
        raise AssertionError(f"that is dz for both children, shape (2H,); return the left half dz[:H] = dz[:{H}]")
    if got.shape != want.shape:
        raise AssertionError(f"dL/dc1 must have shape (H,) = ({H},), got {got.shape}")
    if np.allclose(got, want):
        return "Correct: the left child receives the first H entries of W^T (dp * (1 - p^2))."
    mistakes = {
        "that is the right child's half; the left child gets dz[:H]": (W.T @ da)[H:],
        "the tanh derivative is missing: multiply dp by (1 - p^2) first": (W.T @ dp)[:H],
        "tanh'(a) = 1 - p^2, not 1 - p": (W.T @ (dp * (1 - p)))[:H],
        "that multiplies by tanh(p) or p, not by 1 - p^2": (W.T @ (dp * p))[:H],
    }
    for why, wrong in mistakes.items():
        if np.allclose(got, wrong):
            raise AssertionError(f"Not yet: {why}.")
    raise AssertionError("Not yet: expected (W.T @ (dp * (1 - p**2)))[:H].")


def check_levels(answer: int, trees: Sequence) -> str:
    """Check the number of batched products ``forward_batch`` needs for ``trees``: the deepest depth."""
    want = max(t.depth for t in trees)
    if answer == want:
        return (
            f"Correct: {want} levels, one per height 1..{want}; all nodes of one height are "
            "computed together, whatever tree they belong to."
        )
    if answer == want + 1:
        raise AssertionError("Not yet: the leaves (height 0) need no product, only a lookup in E.")
    if answer == sum(len(t) for t in trees):
        raise AssertionError("Not yet: that counts every node; nodes of one height share one product.")
    if answer == sum(len(t) - sum(n.is_leaf for n in t.nodes()) for t in trees):
        raise AssertionError(
            "Not yet: that counts internal nodes one by one, as the recursion does; the batch groups them by height."
        )
    if answer == sum(t.depth for t in trees):
        raise AssertionError("Not yet: trees are not processed one after another; their levels are merged.")
    raise AssertionError("Not yet: count the distinct heights of internal nodes across the batch.")
