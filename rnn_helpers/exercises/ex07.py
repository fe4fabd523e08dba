"""Exercise checks for notebook 07: a recursive net's forward and backward over a binary tree.

Each ``check_*`` calls the learner's function on a fixed tree and compares it with a reference
written out here (self-contained, as the package layout asks; tests/test_ex07.py checks that it
equals the course's :func:`rnn_helpers.trees.tree_forward` and
:func:`rnn_helpers.trees.tree_backward`; the backward is also checked here against centred finite
differences) and with the common mistakes. It prints one line and returns True (right) or False:
"Not yet: ..." while the stub still raises ``NotImplementedError``, "Not quite: looks like ..."
when it recognises a mistake. It never raises and never prints the answer's values.

The net (as in :mod:`rnn_helpers.trees`): a leaf's vector is h = E[leaf]; a parent with children
c_1 (left) and c_2 (right) computes z = [c_1; c_2] (2H,) and h = tanh(W[op] z + b[op]),
W[op] of shape (H, 2H), one W and b per operator.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np


class _Node:
    """A binary tree node with the interface of :class:`rnn_helpers.trees.Tree` that the exercises use."""

    def __init__(self, label: str, children: tuple = ()):
        self.label, self.children = label, tuple(children)

    @property
    def is_leaf(self) -> bool:
        return not self.children

    @property
    def depth(self) -> int:
        return 0 if self.is_leaf else 1 + max(c.depth for c in self.children)

    def nodes(self) -> list:
        """Post-order: children before parents, root last."""
        return [self] if self.is_leaf else [*self.children[0].nodes(), *self.children[1].nodes(), self]

    def __len__(self) -> int:
        return len(self.nodes())


class _Vocab:
    """Leaf and operator labels, with the interface of :class:`rnn_helpers.trees.TreeVocab`."""

    leaves, ops = ("0", "1"), ("AND", "OR", "XOR")

    def leaf_id(self, label: str) -> int:
        return self.leaves.index(label)

    def op_id(self, label: str) -> int:
        return self.ops.index(label)


BOOL_VOCAB = _Vocab()


def _parse(text: str) -> _Node:
    """``"(AND 1 (XOR 0 1))"`` -> a tree of :class:`_Node`."""
    tokens = text.replace("(", " ( ").replace(")", " ) ").split()

    def parse(i: int) -> tuple[_Node, int]:
        if tokens[i] != "(":
            return _Node(tokens[i]), i + 1
        left, j = parse(i + 2)
        right, j = parse(j)
        return _Node(tokens[i + 1], (left, right)), j + 1  # skip ")"

    return parse(0)[0]


__all__ = ["check_tree_forward", "check_tree_backward", "check_levels"]

# Every operator twice and both leaf labels several times, so that shared weights must accumulate.
_TREE = "(XOR (AND 1 (OR 0 1)) (OR (AND 1 1) (XOR 0 1)))"


def _case(seed: int = 7, H: int = 3):
    rng = np.random.default_rng(seed)
    V, K = len(BOOL_VOCAB.leaves), len(BOOL_VOCAB.ops)
    params = {"E": rng.normal(0, 0.5, (V, H)), "W": rng.normal(0, 1 / np.sqrt(2 * H), (K, H, 2 * H)),
              "b": rng.normal(0, 0.5, (K, H))}  # fmt: skip
    return _parse(_TREE), params


def _forward(tree: _Node, params, vocab=BOOL_VOCAB, mistake: str | None = None) -> np.ndarray:
    """Node vectors in post-order, optionally with one classic mistake (for the check and its tests)."""
    nodes = tree.nodes()
    row = {id(n): i for i, n in enumerate(nodes)}
    H = params["E"].shape[1]
    h = np.zeros((len(nodes), H))
    for i, node in enumerate(nodes):
        if node.is_leaf:
            h[i] = params["E"][vocab.leaf_id(node.label)]
            continue
        left, right = (h[row[id(c)]] for c in node.children)
        z = np.concatenate([right, left] if mistake == "children swapped" else [left, right])  # (2H,)
        k = 0 if mistake == "one W" else vocab.op_id(node.label)
        a = params["W"][k] @ z + (0 if mistake == "no bias" else params["b"][k])
        h[i] = a if mistake == "no tanh" else np.tanh(a)
    return h[::-1] if mistake == "root first" else h


_FORWARD_MISTAKES = {
    "children swapped": "the children are swapped: z = [c_1; c_2] puts the LEFT child first",
    "one W": "one W and b were used for every operator; this net has one W[op], b[op] per operator "
    "(pick it with vocab.op_id(node.label))",
    "no bias": "the bias b[op] is missing",
    "no tanh": "the tanh is missing: h = tanh(W[op] z + b[op])",
    "root first": "the rows are in reverse order; return them in tree.nodes() order (post-order, root last)",
}


def _call(fn, args, what: str):
    try:
        return fn(*args), None
    except NotImplementedError:
        return None, "Not yet: replace `raise NotImplementedError` with your code, then run this cell again."
    except Exception as err:  # the learner's code raised: say what and hint at the usual cause
        hint = ""
        if isinstance(err, ValueError) and ("matmul" in str(err) or "shapes" in str(err)):
            hint = f" W[op] has shape (H, 2H): {what}"
        return None, f"Not quite: your function raised {type(err).__name__}: {err}.{hint}"


def check_tree_forward(fn: Callable) -> bool:
    """Check ``fn(tree, params, vocab) -> h`` (M, H): every node's vector, rows in ``tree.nodes()`` order.

    params: {"E": (V, H), "W": (K, H, 2H), "b": (K, H)}. Compared with
    ``_forward``, equal to :func:`rnn_helpers.trees.tree_forward`. Prints one line; returns True
    when fn is right.
    """
    tree, params = _case()
    M, H = len(tree), params["E"].shape[1]
    got, problem = _call(fn, (tree, {k: v.copy() for k, v in params.items()}, BOOL_VOCAB),
                         "the parent is W[op] @ z with z = np.concatenate([c1, c2]) of shape (2H,).")  # fmt: skip
    if problem is None:
        got = np.asarray(got, dtype=float)
        if got.shape != (M, H):
            problem = f"Not quite: h must have one row per node, shape (M, H) = ({M}, {H}), got {got.shape}."
    if problem is not None:
        print(problem)
        return False
    want = _forward(tree, params)
    if np.allclose(got, want, atol=1e-10):
        print("Correct: every node's vector agrees with the course's tree_forward.")
        return True
    for mistake, words in _FORWARD_MISTAKES.items():
        if np.allclose(got, _forward(tree, params, mistake=mistake), atol=1e-10):
            print(f"Not quite: looks like {words}.")
            return False
    leaves = [i for i, n in enumerate(tree.nodes()) if n.is_leaf]
    if not np.allclose(got[leaves], want[leaves]):
        print("Not quite: the leaves are wrong: a leaf's vector is the row E[vocab.leaf_id(label)].")
    else:
        print("Not quite: the leaves are right but a parent is not: h = tanh(W[op] [c_1; c_2] + b[op]).")
    return False


def _backward(tree: _Node, params, h, dh, vocab=BOOL_VOCAB, mistake: str | None = None) -> dict:
    """BPTS written out, optionally with one classic mistake (for the check and its tests)."""
    nodes = tree.nodes()
    row = {id(n): i for i, n in enumerate(nodes)}
    H = h.shape[1]
    grads = {k: np.zeros_like(params[k]) for k in ("E", "W", "b")}
    dtotal = np.zeros_like(dh) if mistake == "own loss ignored" else dh.copy()
    if mistake == "own loss ignored":
        dtotal[-1] = dh[-1]  # only the root's loss is used
    for i in range(len(nodes) - 1, -1, -1):
        node = nodes[i]
        if node.is_leaf:
            k = vocab.leaf_id(node.label)
            if mistake == "E overwritten":
                grads["E"][k] = dtotal[i]
            else:
                grads["E"][k] += dtotal[i]
            continue
        k = vocab.op_id(node.label)
        left, right = (row[id(c)] for c in node.children)
        z = np.concatenate([h[left], h[right]])  # (2H,)
        if mistake == "no tanh'":
            da = dtotal[i]
        elif mistake == "1 - h":
            da = dtotal[i] * (1 - h[i])
        else:
            da = dtotal[i] * (1 - h[i] ** 2)  # through the tanh, (H,)
        if mistake == "W overwritten":
            grads["W"][k], grads["b"][k] = np.outer(da, z), da
        else:
            grads["W"][k] += np.outer(da, z)  # (H, 2H)
            grads["b"][k] += da
        dz = params["W"][k].T @ da  # (2H,)
        if mistake == "children swapped":
            left, right = right, left
        if mistake != "no carry":
            dtotal[left] += dz[:H]
            dtotal[right] += dz[H:]
    return grads


_BACKWARD_MISTAKES = {
    "no tanh'": "the tanh derivative is missing: da = dh_total * (1 - h^2) before W[op]",
    "1 - h": "the tanh derivative is 1 - h^2, not 1 - h",
    "children swapped": "the children get each other's gradient: the left child receives dz[:H], the right dz[H:]",
    "W overwritten": "dW[op] and db[op] are overwritten (=) at each node; an operator used at several nodes "
    "collects the sum of their terms (+=)",
    "E overwritten": "dE is overwritten (=) at each leaf; a leaf label used at several leaves collects the sum (+=)",
    "own loss ignored": "only the root's gradient is used; every node's total is its own dh plus what its "
    "parent sends down",
    "no carry": "the parents never send dz = W[op]^T da down to their children (nothing is carried)",
}


def _loss(tree, params, dh):
    return float(np.sum(dh * _forward(tree, params)))  # L = sum(dh * h)


def _finite_differences(tree, params, dh, eps: float = 1e-6) -> dict:
    grads = {}
    for name in ("E", "W", "b"):
        g = np.zeros_like(params[name])
        for idx in np.ndindex(g.shape):
            old = params[name][idx]
            params[name][idx] = old + eps
            up = _loss(tree, params, dh)
            params[name][idx] = old - eps
            down = _loss(tree, params, dh)
            params[name][idx] = old
            g[idx] = (up - down) / (2 * eps)
        grads[name] = g
    return grads


def check_tree_backward(fn: Callable) -> bool:
    """Check ``fn(tree, params, vocab, h, dh) -> {"E": dE, "W": dW, "b": db}`` (backpropagation
    through structure).

    h (M, H) are the node vectors of the forward pass (post-order) and dh (M, H) the loss's direct
    gradient at every node. Compared with ``_backward`` (equal to
    :func:`rnn_helpers.trees.tree_backward`) and with centred finite differences of
    L = sum(dh * h). Prints one line; returns True when fn is right.
    """
    tree, params = _case(11)
    h = _forward(tree, params)
    dh = np.random.default_rng(12).normal(size=h.shape)
    hint = "the gradient to z = [c_1; c_2] is W[op].T @ da (2H,), and dW[op] += np.outer(da, z)."
    got, problem = _call(fn, (tree, {k: v.copy() for k, v in params.items()}, BOOL_VOCAB, h.copy(), dh.copy()), hint)
    if problem is None:
        if not isinstance(got, dict) or set(got) != {"E", "W", "b"}:
            problem = 'Not quite: return a dict {"E": dE, "W": dW, "b": db}.'
        else:
            got = {k: np.asarray(v, dtype=float) for k, v in got.items()}
            for k in ("E", "W", "b"):
                if got[k].shape != params[k].shape:
                    problem = f"Not quite: d{k} must have the shape of {k}, {params[k].shape}, got {got[k].shape}."
                    break
    if problem is not None:
        print(problem)
        return False
    want = _backward(tree, params, h, dh)
    numeric = _finite_differences(tree, {k: v.copy() for k, v in params.items()}, dh)
    assert all(np.allclose(want[k], numeric[k], atol=1e-7) for k in want), "reference disagrees with finite differences"
    if all(np.allclose(got[k], want[k], atol=1e-8) for k in want):
        print("Correct: dE, dW and db agree with tree_backward and with centred finite differences.")
        return True
    for mistake, words in _BACKWARD_MISTAKES.items():
        variant = _backward(tree, params, h, dh, mistake=mistake)
        if all(np.allclose(got[k], variant[k], atol=1e-8) for k in variant):
            print(f"Not quite: looks like {words}.")
            return False
    wrong = [f"d{k}" for k in ("E", "W", "b") if not np.allclose(got[k], want[k], atol=1e-8)]
    print(f"Not quite: {', '.join(wrong)} differ from the finite-difference gradient; the others are right.")
    return False


def check_levels(answer, trees: Sequence) -> bool:
    """Check the number of batched products ``forward_batch`` needs for ``trees``: the deepest depth.

    Prints one line (never the number); returns True when right.
    """
    want = max(t.depth for t in trees)
    if answer is None or answer is Ellipsis:
        print("Not yet: replace None with your number, then run this cell again.")
        return False
    if answer == want:
        print("Correct: one product per height; all nodes of one height are computed together, "
              "whatever tree they belong to.")  # fmt: skip
        return True
    mistakes = {
        want + 1: "you counted the leaves (height 0); they need no product, only a lookup in E",
        sum(len(t) for t in trees): "you counted every node; nodes of one height share one product",
        sum(len(t) - sum(n.is_leaf for n in t.nodes()) for t in trees): "you counted internal nodes one by one, "
        "as the recursion does; the batch groups them by height",
        sum(t.depth for t in trees): "the trees were processed one after another; their levels are merged",
    }
    if answer in mistakes:
        print(f"Not quite: looks like {mistakes[answer]}.")
        return False
    print("Not quite: count the distinct heights of internal nodes across the batch.")
    return False
