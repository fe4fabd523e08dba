"""Recursive neural networks over binary trees: a tree type, expression trees, and one net three ways.

A recursive net applies the same weights at every internal node of a tree, bottom-up:
the two children's vectors are concatenated and squashed into the parent's vector,

    p = tanh(W_op [c1; c2] + b_op)          (W_op: (H, 2H), b_op: (H,), one pair per operator)

leaves are looked up in an embedding table, ``x = E[leaf]``, and a classifier reads any node,
``s = W_y p + b_y``. This is the plain recursive net of Socher et al. (2011) with one weight
matrix per kind of parent (the "similar children share weights" of the lecture notes).

Three implementations that agree with each other (tested):

- numpy, one tree at a time: :func:`tree_forward` / :func:`tree_backward` (backpropagation
  through structure, BPTS) and :func:`tree_loss`;
- torch, one tree at a time by recursion: :meth:`TreeNet.forward_tree`;
- torch, a whole batch at once, one matrix product per height level: :func:`batch_trees` and
  :meth:`TreeNet.forward_batch` (what the notebook trains with).

Dimension letters: H hidden, C classes, K operators, V leaf vocabulary, M nodes of a tree
(post-order), N trees in a batch.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn

__all__ = [
    "Tree",
    "TreeVocab",
    "BOOL_VOCAB",
    "parse_tree",
    "evaluate_expression",
    "random_expression_tree",
    "expression_dataset",
    "prefix_tokens",
    "init_tree_params",
    "tree_forward",
    "tree_backward",
    "tree_loss",
    "TreeNet",
    "TreeBatch",
    "batch_trees",
]

BOOL_OPS = {"AND": lambda a, b: a & b, "OR": lambda a, b: a | b, "XOR": lambda a, b: a ^ b}


# --------------------------------------------------------------------------------------------
# The tree type
# --------------------------------------------------------------------------------------------


@dataclass
class Tree:
    """A node of a tree: a ``label`` and zero (leaf) or two children; ``y`` an optional class.

    Leaves carry a leaf label (a word, or "0"/"1" in expression trees); internal nodes carry
    an operator label and exactly two children, ``(left, right)``.
    """

    label: str
    children: tuple[Tree, ...] = ()
    y: int | None = None

    def __post_init__(self):
        self.children = tuple(self.children)
        if len(self.children) not in (0, 2):
            raise ValueError(f"a node has 0 or 2 children, got {len(self.children)} under {self.label!r}")

    @property
    def is_leaf(self) -> bool:
        return not self.children

    @property
    def depth(self) -> int:
        """Edges on the longest path to a leaf (a leaf has depth 0)."""
        return 0 if self.is_leaf else 1 + max(c.depth for c in self.children)

    def nodes(self) -> list[Tree]:
        """All nodes in post-order (children before parents; the root is last)."""
        out: list[Tree] = []
        stack: list[tuple[Tree, bool]] = [(self, False)]
        while stack:
            node, expanded = stack.pop()
            if expanded or node.is_leaf:
                out.append(node)
            else:
                stack.append((node, True))
                stack.extend((c, False) for c in reversed(node.children))
        return out

    def __len__(self) -> int:
        return len(self.nodes())

    def __str__(self) -> str:
        if self.is_leaf:
            return self.label
        return f"({self.label} {self.children[0]} {self.children[1]})"


_TOKEN = re.compile(r"\(|\)|[^\s()]+")


def parse_tree(text: str) -> Tree:
    """Parse ``"(AND 1 (XOR 0 1))"`` (operator first, then two subtrees) into a :class:`Tree`.

    Labels are not interpreted; use :func:`evaluate_expression` to fill in ``y``.
    """
    tokens = _TOKEN.findall(text)
    if not tokens:
        raise ValueError("text must hold a tree such as '(AND 1 0)', got an empty string")
    pos = 0

    def parse() -> Tree:
        nonlocal pos
        if pos >= len(tokens):
            raise ValueError(f"text ends too early: {text!r}")
        tok = tokens[pos]
        pos += 1
        if tok == ")":
            raise ValueError(f"unexpected ')' at token {pos} of {text!r}")
        if tok != "(":
            return Tree(tok)
        if pos >= len(tokens) or tokens[pos] in "()":
            raise ValueError(f"'(' must be followed by an operator label in {text!r}")
        label = tokens[pos]
        pos += 1
        left, right = parse(), parse()
        if pos >= len(tokens) or tokens[pos] != ")":
            raise ValueError(f"an operator takes exactly two subtrees; check {text!r}")
        pos += 1
        return Tree(label, (left, right))

    tree = parse()
    if pos != len(tokens):
        raise ValueError(f"extra text after the tree in {text!r}")
    return tree


def evaluate_expression(tree: Tree) -> Tree:
    """Set ``y`` (0 or 1) on every node of a boolean expression tree; return the tree.

    Leaves are "0"/"1"; operators AND, OR, XOR.
    """
    for node in tree.nodes():
        if node.is_leaf:
            if node.label not in ("0", "1"):
                raise ValueError(f"a leaf of a boolean expression is '0' or '1', got {node.label!r}")
            node.y = int(node.label)
        else:
            if node.label not in BOOL_OPS:
                raise ValueError(f"operator must be one of {sorted(BOOL_OPS)}, got {node.label!r}")
            a, b = node.children
            node.y = BOOL_OPS[node.label](a.y, b.y)
    return tree


def random_expression_tree(depth: int, rng: np.random.Generator, ops: Sequence[str] = ("AND", "OR", "XOR")) -> Tree:
    """A random boolean expression tree of exactly ``depth`` (every node's ``y`` filled in).

    One child of each internal node continues the longest path (depth - 1); the other gets a
    uniform depth in 0..depth-1, so shapes vary from chains to full trees.
    """
    if depth < 0:
        raise ValueError(f"depth must be >= 0, got {depth}")

    def grow(d: int) -> Tree:
        if d == 0:
            return Tree(str(int(rng.integers(2))))
        deep, other = grow(d - 1), grow(int(rng.integers(d)))
        kids = (deep, other) if rng.random() < 0.5 else (other, deep)
        return Tree(str(ops[int(rng.integers(len(ops)))]), kids)

    return evaluate_expression(grow(depth))


def expression_dataset(
    n: int, depths: Sequence[int], rng: np.random.Generator, ops: Sequence[str] = ("AND", "OR", "XOR")
) -> list[Tree]:
    """``n`` random expression trees, each depth drawn uniformly from ``depths``."""
    return [random_expression_tree(int(rng.choice(depths)), rng, ops) for _ in range(n)]


def prefix_tokens(tree: Tree) -> list[str]:
    """The tree flattened to prefix (Polish) notation: ``(AND 1 0)`` -> ["AND", "1", "0"]."""
    if tree.is_leaf:
        return [tree.label]
    return [tree.label, *prefix_tokens(tree.children[0]), *prefix_tokens(tree.children[1])]


@dataclass(frozen=True)
class TreeVocab:
    """Leaf labels (rows of E) and operator labels (slices of W, b), in a fixed order."""

    leaves: tuple[str, ...]
    ops: tuple[str, ...]

    def leaf_id(self, label: str) -> int:
        if label not in self.leaves:
            raise ValueError(f"leaf label must be one of {list(self.leaves)}, got {label!r}")
        return self.leaves.index(label)

    def op_id(self, label: str) -> int:
        if label not in self.ops:
            raise ValueError(f"operator label must be one of {list(self.ops)}, got {label!r}")
        return self.ops.index(label)


BOOL_VOCAB = TreeVocab(leaves=("0", "1"), ops=("AND", "OR", "XOR"))


# --------------------------------------------------------------------------------------------
# numpy: forward bottom-up, backpropagation through structure
# --------------------------------------------------------------------------------------------


def init_tree_params(
    vocab: TreeVocab, H: int, C: int, rng: np.random.Generator, scale: float = 0.5
) -> dict[str, np.ndarray]:
    """Random float64 parameters of a recursive net.

    Returns: {"E": (V, H) leaf vectors, "W": (K, H, 2H), "b": (K, H), "Wy": (C, H), "by": (C,)}.
    """
    V, K = len(vocab.leaves), len(vocab.ops)
    return {
        "E": rng.normal(0, scale, (V, H)),
        "W": rng.normal(0, scale / np.sqrt(2 * H), (K, H, 2 * H)) * 2,
        "b": np.zeros((K, H)),
        "Wy": rng.normal(0, 1 / np.sqrt(H), (C, H)),
        "by": np.zeros(C),
    }


def _check_params(params: dict[str, np.ndarray], vocab: TreeVocab) -> int:
    E = params["E"]
    if E.ndim != 2 or E.shape[0] != len(vocab.leaves):
        raise ValueError(f"E must have shape (V, H) with V = {len(vocab.leaves)}, got {E.shape}")
    H, K = E.shape[1], len(vocab.ops)
    if params["W"].shape != (K, H, 2 * H):
        raise ValueError(f"W must have shape (K, H, 2H) = ({K}, {H}, {2 * H}), got {params['W'].shape}")
    if params["b"].shape != (K, H):
        raise ValueError(f"b must have shape (K, H) = ({K}, {H}), got {params['b'].shape}")
    return H


def tree_forward(tree: Tree, params: dict[str, np.ndarray], vocab: TreeVocab):
    """Run the recursive net bottom-up over ``tree``.

        leaf:      h = E[leaf]
        internal:  z = [h_left; h_right]   (2H,)
                   h = tanh(W[op] z + b[op])

    Inputs: tree (M nodes); params from :func:`init_tree_params`; vocab.
    Returns: h (M, H), the node vectors in post-order (root last), and a cache for
        :func:`tree_backward`.
    """
    H = _check_params(params, vocab)
    nodes = tree.nodes()
    index = {id(n): i for i, n in enumerate(nodes)}
    h = np.zeros((len(nodes), H))
    records = []
    for i, node in enumerate(nodes):
        if node.is_leaf:
            k = vocab.leaf_id(node.label)
            h[i] = params["E"][k]
            records.append(("leaf", k, None, None))
        else:
            k = vocab.op_id(node.label)
            left, right = (index[id(c)] for c in node.children)
            z = np.concatenate([h[left], h[right]])  # (2H,)
            h[i] = np.tanh(params["W"][k] @ z + params["b"][k])
            records.append(("op", k, (left, right), z))
    return h, (records, h, params)


def tree_backward(dh: np.ndarray, cache) -> dict[str, np.ndarray]:
    """Backpropagation through structure: gradients of a loss given dL/dh at every node.

    Walks the nodes top-down (reverse post-order); each parent passes
    dz = W[op]^T (dh_total * (1 - h^2)) to its children, split into the left and right halves.

    Inputs: dh (M, H), the loss's direct gradient at each node (zeros where none);
        cache from :func:`tree_forward`.
    Returns: {"E": (V, H), "W": (K, H, 2H), "b": (K, H)} gradients.
    """
    records, h, params = cache
    if dh.shape != h.shape:
        raise ValueError(f"dh must have shape (M, H) = {h.shape}, got {dh.shape}")
    H = h.shape[1]
    grads = {name: np.zeros_like(params[name]) for name in ("E", "W", "b")}
    dtotal = dh.astype(np.float64).copy()  # (M, H), grows as parents send gradients down
    for i in range(len(records) - 1, -1, -1):
        kind, k, kids, z = records[i]
        if kind == "leaf":
            grads["E"][k] += dtotal[i]
            continue
        da = dtotal[i] * (1 - h[i] ** 2)  # through tanh, (H,)
        grads["W"][k] += np.outer(da, z)  # (H, 2H)
        grads["b"][k] += da
        dz = params["W"][k].T @ da  # (2H,)
        dtotal[kids[0]] += dz[:H]
        dtotal[kids[1]] += dz[H:]
    return grads


def tree_loss(
    tree: Tree, params: dict[str, np.ndarray], vocab: TreeVocab, nodes: str = "root"
) -> tuple[float, dict[str, np.ndarray], np.ndarray]:
    """Softmax cross-entropy of the classifier s = Wy h + by at the root (or at every node).

    Inputs: nodes "root" (only the root's ``y``) or "all" (every node with a ``y``, averaged).
    Returns: loss, gradients of all five parameters, probabilities (M, C) at every node.
    """
    if nodes not in ("root", "all"):
        raise ValueError(f"nodes must be 'root' or 'all', got {nodes!r}")
    h, cache = tree_forward(tree, params, vocab)
    s = h @ params["Wy"].T + params["by"]  # (M, C)
    s = s - s.max(axis=1, keepdims=True)
    p = np.exp(s) / np.exp(s).sum(axis=1, keepdims=True)  # (M, C)
    all_nodes = tree.nodes()
    chosen = [len(all_nodes) - 1] if nodes == "root" else [i for i, n in enumerate(all_nodes) if n.y is not None]
    if any(all_nodes[i].y is None for i in chosen) or not chosen:
        raise ValueError("tree_loss needs a class y on the root (and on every node for 'all')")
    ds = np.zeros_like(p)
    loss = 0.0
    for i in chosen:
        loss -= np.log(p[i, all_nodes[i].y]) / len(chosen)
        ds[i] = p[i] / len(chosen)
        ds[i, all_nodes[i].y] -= 1 / len(chosen)
    grads = tree_backward(ds @ params["Wy"], cache)
    grads["Wy"] = ds.T @ h
    grads["by"] = ds.sum(axis=0)
    return float(loss), grads, p


# --------------------------------------------------------------------------------------------
# torch: the same net, one tree by recursion or a batch level by level
# --------------------------------------------------------------------------------------------


@dataclass
class TreeBatch:
    """N trees flattened into arrays, nodes sorted by height (leaves first, roots last).

    leaf_ids (L,) rows of E for the L leaves; levels: one (op_ids, left, right) triple of
    index tensors per height 1, 2, ...; left/right index the concatenation of all lower
    levels' vectors; roots (N,) index of each tree's root; y (N,) root classes (-1 if none);
    node_y (all nodes,) classes in the same order.
    """

    leaf_ids: torch.Tensor
    levels: list[tuple[torch.Tensor, torch.Tensor, torch.Tensor]]
    roots: torch.Tensor
    y: torch.Tensor
    node_y: torch.Tensor = field(default_factory=lambda: torch.zeros(0, dtype=torch.long))


def batch_trees(trees: Sequence[Tree], vocab: TreeVocab) -> TreeBatch:
    """Flatten ``trees`` into a :class:`TreeBatch` (height levels, child indices)."""
    if not trees:
        raise ValueError("trees must hold at least one tree, got an empty sequence")
    by_height: dict[int, list] = {}
    heights: dict[int, int] = {}
    order = []
    for tree in trees:
        for node in tree.nodes():  # post-order: children already have heights
            hgt = 0 if node.is_leaf else 1 + max(heights[id(c)] for c in node.children)
            heights[id(node)] = hgt
            by_height.setdefault(hgt, []).append(node)
        order.append(tree)
    position: dict[int, int] = {}
    flat: list[Tree] = []
    for hgt in sorted(by_height):
        for node in by_height[hgt]:
            position[id(node)] = len(flat)
            flat.append(node)
    leaf_ids = torch.tensor([vocab.leaf_id(n.label) for n in by_height[0]], dtype=torch.long)
    levels = []
    for hgt in sorted(by_height)[1:]:
        nodes = by_height[hgt]
        levels.append(
            (
                torch.tensor([vocab.op_id(n.label) for n in nodes], dtype=torch.long),
                torch.tensor([position[id(n.children[0])] for n in nodes], dtype=torch.long),
                torch.tensor([position[id(n.children[1])] for n in nodes], dtype=torch.long),
            )
        )
    roots = torch.tensor([position[id(t)] for t in order], dtype=torch.long)
    y = torch.tensor([-1 if t.y is None else t.y for t in order], dtype=torch.long)
    node_y = torch.tensor([-1 if n.y is None else n.y for n in flat], dtype=torch.long)
    return TreeBatch(leaf_ids, levels, roots, y, node_y)


class TreeNet(nn.Module):
    """The recursive net in torch: E (V, H), W (K, H, 2H), b (K, H), readout Wy (C, H), by (C,).

    ``forward_tree(tree)`` recurses over one tree (for checking against numpy);
    ``forward_batch(batch)`` computes all trees of a :class:`TreeBatch` at once, one batched
    matrix product per height level, and returns the roots' scores (N, C).
    """

    def __init__(self, vocab: TreeVocab, H: int, C: int = 2, dtype=torch.float32):
        super().__init__()
        self.vocab, self.H = vocab, H
        K, V = len(vocab.ops), len(vocab.leaves)
        self.E = nn.Parameter(torch.randn(V, H, dtype=dtype) * 0.5)
        self.W = nn.Parameter(torch.randn(K, H, 2 * H, dtype=dtype) / np.sqrt(2 * H))
        self.b = nn.Parameter(torch.zeros(K, H, dtype=dtype))
        self.readout = nn.Linear(H, C, dtype=dtype)

    @classmethod
    def from_numpy(cls, params: dict[str, np.ndarray], vocab: TreeVocab) -> TreeNet:
        """A float64 TreeNet holding exactly the numpy ``params``."""
        H, C = params["E"].shape[1], params["Wy"].shape[0]
        net = cls(vocab, H, C, dtype=torch.float64)
        with torch.no_grad():
            for name in ("E", "W", "b"):
                getattr(net, name).copy_(torch.from_numpy(params[name]))
            net.readout.weight.copy_(torch.from_numpy(params["Wy"]))
            net.readout.bias.copy_(torch.from_numpy(params["by"]))
        return net

    def to_numpy(self) -> dict[str, np.ndarray]:
        """The parameters as float64 numpy arrays, keyed like :func:`init_tree_params`."""
        d = {name: getattr(self, name).detach().double().numpy().copy() for name in ("E", "W", "b")}
        d["Wy"] = self.readout.weight.detach().double().numpy().copy()
        d["by"] = self.readout.bias.detach().double().numpy().copy()
        return d

    def forward_tree(self, tree: Tree) -> torch.Tensor:
        """Node vectors of one tree in post-order, (M, H), by plain recursion."""
        out: list[torch.Tensor] = []

        def visit(node: Tree) -> torch.Tensor:
            if node.is_leaf:
                h = self.E[self.vocab.leaf_id(node.label)]
            else:
                k = self.vocab.op_id(node.label)
                z = torch.cat([visit(node.children[0]), visit(node.children[1])])  # (2H,)
                h = torch.tanh(self.W[k] @ z + self.b[k])
            out.append(h)
            return h

        visit(tree)
        return torch.stack(out)

    def node_states(self, batch: TreeBatch) -> torch.Tensor:
        """Vectors of every node of the batch in height order, (all nodes, H)."""
        states = self.E[batch.leaf_ids]  # (L, H)
        for op_ids, left, right in batch.levels:
            z = torch.cat([states[left], states[right]], dim=1)  # (n, 2H)
            a = torch.einsum("nij,nj->ni", self.W[op_ids], z) + self.b[op_ids]  # (n, H)
            states = torch.cat([states, torch.tanh(a)])
        return states

    def forward_batch(self, batch: TreeBatch) -> torch.Tensor:
        """Root scores (N, C) of every tree in the batch."""
        return self.readout(self.node_states(batch)[batch.roots])


# --------------------------------------------------------------------------------------------
# Explorer: pick or type a tree, step through the bottom-up computation
# --------------------------------------------------------------------------------------------
