"""Explorer of a recursive net (notebook 07): vectors flow up a tree, node by node."""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as widgets
import numpy as np

from ..trees import BOOL_VOCAB, TreeVocab, evaluate_expression, init_tree_params, parse_tree, tree_forward
from ..viz.trees import draw_tree, update_tree_values
from .base import Explorer, agg_figure, register_explorer, wire

__all__ = ["tree_flow_view", "tree_explorer"]


def tree_flow_view(text: str, step: int, params: dict[str, np.ndarray], vocab: TreeVocab) -> dict:
    """What the explorer shows: the tree of ``text`` with the first ``step`` nodes computed.

    Returns a dict: tree, n_nodes (M), step (clipped to 0..M), p_true (M,) the net's
    probability of class 1 at each node (NaN for nodes not computed yet), truth (M,) each
    node's true value (NaN where the labels are not a boolean expression), prediction at the
    root (None until the root is computed), error (message for text that does not parse).
    """
    try:
        tree = parse_tree(text)
        try:
            evaluate_expression(tree)
        except ValueError:
            pass
        h, _ = tree_forward(tree, params, vocab)
    except ValueError as exc:
        return {
            "tree": None,
            "n_nodes": 0,
            "step": 0,
            "p_true": np.zeros(0),
            "truth": np.zeros(0),
            "prediction": None,
            "error": str(exc),
        }
    s = h @ params["Wy"].T + params["by"]  # (M, C)
    p = 1 / (1 + np.exp(-(s[:, 1] - s[:, 0])))  # P(class 1) at each node, (M,)
    M = len(h)
    step = int(np.clip(step, 0, M))
    shown = np.where(np.arange(M) < step, p, np.nan)
    truth = np.array([np.nan if n.y is None else n.y for n in tree.nodes()], dtype=float)
    return {
        "tree": tree,
        "n_nodes": M,
        "step": step,
        "p_true": shown,
        "truth": truth,
        "prediction": int(p[-1] > 0.5) if step == M else None,
        "error": None,
    }


def tree_explorer(
    params: dict[str, np.ndarray] | None = None,
    vocab: TreeVocab = BOOL_VOCAB,
    examples: Sequence[str] = (
        "(XOR (AND 1 1) (OR 0 (XOR 1 1)))",
        "(AND (OR 0 1) (XOR 1 0))",
        "(OR (AND 0 1) (AND (XOR 1 0) 1))",
    ),
) -> Explorer:
    """Pick an example (or type a tree) and slide ``step`` to watch vectors flow up.

    Controls: "example" (Dropdown), "text" (Text, edit to build your own tree), "step"
    (IntSlider over the post-order nodes). The image shows each computed node coloured by the
    net's P(true); ``state`` holds :func:`tree_flow_view`'s last result.
    """

    if params is None:
        params = init_tree_params(vocab, H=8, C=2, rng=np.random.default_rng(0))
    fig = agg_figure((7.0, 3.6))
    ax = fig.add_subplot()
    controls = {
        "example": widgets.Dropdown(options=list(examples), value=examples[0], description="example",
                                    layout=widgets.Layout(width="480px")),
        "text": widgets.Text(value=examples[0], description="tree", continuous_update=False,
                             layout=widgets.Layout(width="480px")),
        "step": widgets.IntSlider(value=0, min=0, max=1, description="step"),
    }  # fmt: skip
    text, step = controls["text"], controls["step"]
    caption = widgets.HTML()
    last = {"text": None, "drawn": None}

    def update():
        view = tree_flow_view(text.value, step.value, params, vocab)
        if view["tree"] is not None and text.value != last["text"]:
            step.max = view["n_nodes"]  # a new tree: show it fully computed
            step.value = view["n_nodes"]
            view = tree_flow_view(text.value, step.value, params, vocab)
        last["text"] = text.value
        draw(view)
        return view, ()

    def draw(view):
        if view["error"]:
            ax.clear()
            ax.set_axis_off()
            ax.text(0.5, 0.5, view["error"], ha="center", va="center", wrap=True)
            caption.value = ""
            last["drawn"] = None
            return
        if last["drawn"] != str(view["tree"]):  # a new tree: draw it; else only recolour
            ax.clear()
            draw_tree(view["tree"], values=view["p_true"], ax=ax, value_label="P(true)")
            last["drawn"] = str(view["tree"])
        else:
            update_tree_values(ax, view["p_true"])
        pred, truth = view["prediction"], view["truth"][-1]
        root = (
            "not computed yet"
            if pred is None
            else (f"predicts {pred}, truth " + ("?" if np.isnan(truth) else str(int(truth))))
        )
        caption.value = f"{view['step']} of {view['n_nodes']} nodes computed; root {root}"

    def pick(change):
        text.value = change["new"]

    controls["example"].observe(pick, names="value")
    return wire(controls, fig, update, stack=True, below=[caption], watch=["text", "step"])


@register_explorer("tree_flow", sweep={"step": [1, 4, 7, 11], "text": ["(AND 1 (OR 0 1))"]})
def _tree_flow_example() -> Explorer:
    return tree_explorer()
