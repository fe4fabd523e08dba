"""Explorer of the RNN family (notebook 00): one layout of the unrolled graph at a time."""

from __future__ import annotations

import ipywidgets as W

from ..viz.graphs import LAYOUTS, draw_unrolled
from .base import Explorer, agg_figure, register_explorer, wire

__all__ = ["family_view", "family_explorer"]


_APPLICATIONS = {
    "one-to-one": "image classification (no sequence)",
    "one-to-many": "music generation, image captioning",
    "many-to-one": "sentiment, spam, handwriting recognition",
    "many-to-many": "NER, POS tagging, forecasting ($T_x = T_y$)",
    "encoder-decoder": "translation, summarization,\nvideo captioning, speech recognition ($T_x \\neq T_y$)",
    "bidirectional": "tagging with context from both sides",
    "stacked": "deeper features per step",
}


def family_view(layout: str, T: int, ax=None):
    """Draw one member of the RNN family with T steps and its typical applications as title."""
    T = 1 if layout == "one-to-one" else T
    ax = draw_unrolled(T, layout=layout, ax=ax, edge_labels="first")
    ax.set_title(f"{layout}: {_APPLICATIONS[layout]}", fontsize=13)
    return ax


def family_explorer(layout: str = "many-to-many", T: int = 4, cache: bool = True) -> Explorer:
    """Dropdown over the layouts and a slider for T; redraws the unrolled graph.

    With ``cache`` each (layout, T) is drawn once and shown again instantly when revisited.
    """

    controls = {
        "layout": W.Dropdown(options=list(LAYOUTS), value=layout, description="layout"),
        "T": W.IntSlider(value=T, min=2, max=7, description="T"),
    }
    fig = agg_figure((8, 4), dpi=90)
    ax = fig.add_subplot()

    def key():
        return controls["layout"].value, controls["T"].value

    def update():
        ax.clear()
        family_view(*key(), ax=ax)
        hidden = sum(1 for p in ax.patches if (p.get_gid() or "").startswith("h"))
        return {"layout": key()[0], "T": key()[1], "hidden_nodes": hidden}, ()

    # a new graph is drawn once; going back to it is instant
    return wire(controls, fig, update, cache_key=key if cache else None)


@register_explorer(
    "family (layout, T), every update drawn",
    sweep={"layout": ["many-to-one", "encoder-decoder", "many-to-many"], "T": [3, 5, 4]},
)
def _example_family() -> Explorer:
    return family_explorer(cache=False)  # time the drawing itself, not the cache
