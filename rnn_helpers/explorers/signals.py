"""Explorer of a digit read row by row (notebook 09): the partly read image and the
classifier's probabilities after those rows.
"""

from __future__ import annotations

import ipywidgets as W
import numpy as np

from .base import agg_figure, register_explorer, wire

__all__ = ["row_reader_view", "row_reader_explorer"]


def row_reader_view(images: np.ndarray, probs: np.ndarray, index: int, rows: int) -> dict:
    """A digit read row by row: the image with only the first ``rows`` rows shown, and the
    classifier's probabilities after reading them.

    Inputs: images (N, T, D) in 0..1; probs (N, T, C), the softmax after each row; index < N;
    1 <= rows <= T. Returns dict with "image" (T, D; unread rows set to NaN), "p" (C,),
    "guess" (argmax of p) and "rows".
    """
    images, probs = np.asarray(images), np.asarray(probs)
    if images.ndim != 3 or probs.ndim != 3 or probs.shape[:2] != images.shape[:2]:
        raise ValueError(
            f"images must be (N, T, D) and probs (N, T, C) with the same N, T; got {images.shape} and {probs.shape}"
        )
    N, T, _ = images.shape
    if not 0 <= index < N or not 1 <= rows <= T:
        raise ValueError(f"index must be in 0..{N - 1} and rows in 1..{T}, got {index} and {rows}")
    shown = images[index].astype(float).copy()
    shown[rows:] = np.nan  # rows not read yet
    p = probs[index, rows - 1]
    return {"image": shown, "p": p, "guess": int(np.argmax(p)), "rows": rows}


def row_reader_explorer(images: np.ndarray, probs: np.ndarray, labels: np.ndarray | None = None):
    """Sliders for the test image and the number of rows read; shows the partly read image and
    the probability of every digit after those rows."""

    N, T, _ = np.asarray(images).shape
    C = np.asarray(probs).shape[2]
    controls = {
        "image": W.IntSlider(value=0, min=0, max=N - 1, description="image"),
        "rows": W.IntSlider(value=T // 2, min=1, max=T, description="rows read"),
    }
    fig = agg_figure((7.5, 3.0))
    ax_img, ax_p = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 2.2]})
    shown = ax_img.imshow(np.zeros(np.asarray(images).shape[1:]), cmap="gray_r", vmin=0, vmax=1)
    ax_img.set_axis_off()
    bars = ax_p.bar(range(C), np.zeros(C), color="#0072B2")
    ax_p.set(ylim=(0, 1), xticks=range(C), xlabel="digit", ylabel="probability")
    fig.subplots_adjust(left=0.02, right=0.98, bottom=0.2, top=0.85, wspace=0.25)

    def update():
        view = row_reader_view(images, probs, controls["image"].value, controls["rows"].value)
        shown.set_data(np.ma.masked_invalid(view["image"]))
        for k, (bar, value) in enumerate(zip(bars, view["p"])):
            bar.set_height(value)
            bar.set_color("#D55E00" if k == view["guess"] else "#0072B2")
        truth = "" if labels is None else f" (label {labels[controls['image'].value]})"
        ax_p.set_title(f"after {view['rows']} of {T} rows: guess {view['guess']}{truth}", fontsize=12)
        return dict(view), ()

    return wire(controls, fig, update)


@register_explorer("row_reader", sweep={"rows": [3, 9, 12], "image": [4, 7]})
def _example_row_reader():
    rng = np.random.default_rng(0)
    probs = rng.dirichlet(np.ones(10), size=(20, 12))  # (N, T, C)
    return row_reader_explorer(rng.random((20, 12, 12)), probs)
