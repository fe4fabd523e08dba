"""Explorer: a handwritten digit read point by point (pen path so far, probabilities after it)."""

from __future__ import annotations

import io

import numpy as np

from .handwriting import draw_pen_path, pen_reader_view

__all__ = ["pen_reader_explorer"]


def pen_reader_explorer(points, probs, labels=None):
    """Sliders for the test digit and the number of pen points read; shows the path drawn so far
    (the rest faint) and the probability of every digit after those points (the guess in vermillion)."""
    import ipywidgets as W
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from .widgets import Explorer

    N, T, _ = np.asarray(points).shape
    C = np.asarray(probs).shape[2]
    controls = {
        "digit": W.IntSlider(value=0, min=0, max=N - 1, description="digit"),
        "steps": W.IntSlider(value=T // 2, min=1, max=T, description="points read"),
    }
    fig = Figure(figsize=(7.5, 3.0), dpi=96)
    FigureCanvasAgg(fig)
    ax_pen, ax_p = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 2.2]})
    bars = ax_p.bar(range(C), np.zeros(C), color="#0072B2")
    ax_p.set(ylim=(0, 1), xticks=range(C), xlabel="digit", ylabel="probability")
    fig.subplots_adjust(left=0.02, right=0.98, bottom=0.2, top=0.85, wspace=0.25)
    image = W.Image(format="png", layout=W.Layout(width=f"{int(fig.get_figwidth() * fig.dpi)}px", max_width="100%"))
    explorer = Explorer(controls, W.VBox([W.HBox(list(controls.values())), image]))

    def update(_=None):
        view = pen_reader_view(points, probs, controls["digit"].value, controls["steps"].value)
        ax_pen.clear()
        draw_pen_path(view["points"], view["steps"], ax=ax_pen)
        for k, (bar, value) in enumerate(zip(bars, view["p"])):
            bar.set_height(value)
            bar.set_color("#D55E00" if k == view["guess"] else "#0072B2")
        truth = "" if labels is None else f" (label {labels[controls['digit'].value]})"
        ax_p.set_title(f"after {view['steps']} of {T} points: guess {view['guess']}{truth}", fontsize=12)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", pil_kwargs={"compress_level": 1})
        image.value = buf.getvalue()
        explorer.state = dict(view)

    for control in controls.values():
        control.observe(update, names="value")
    update()
    return explorer


def _example_pen_reader():
    rng = np.random.default_rng(0)
    probs = rng.dirichlet(np.ones(10), size=(20, 8))  # (N, T, C)
    return pen_reader_explorer(rng.random((20, 8, 2)), probs)


def _register() -> None:
    from .widgets import register_explorer

    register_explorer("pen_reader", sweep={"steps": [2, 5, 8], "digit": [4, 7]})(_example_pen_reader)


_register()
