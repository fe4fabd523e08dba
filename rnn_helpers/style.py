"""The course's look: projector-size fonts, a colour-blind-safe palette, one colour per weight.

Nothing here runs at import. Each notebook's setup cell calls :func:`use_course_style` once;
the constants are used by every drawing in :mod:`rnn_helpers.viz` so that, for example, the
recurrent matrix ``W_h`` has the same colour in the unrolled graph, the cell diagram and the
explorers.

Palette: Okabe & Ito (2008), "Color Universal Design", distinguishable with the common forms
of colour blindness.
"""

from __future__ import annotations

import matplotlib as mpl
from cycler import cycler

__all__ = [
    "OKABE_ITO",
    "COURSE_COLORS",
    "WEIGHT_COLORS",
    "GATE_CMAP",
    "SIGNED_CMAP",
    "HIGHLIGHT_COLOR",
    "use_course_style",
]

# The eight Okabe-Ito colours, by name.
OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

# Line-colour cycle for plots with several series (yellow last: weak on white backgrounds).
COURSE_COLORS: list[str] = [
    OKABE_ITO[name]
    for name in (
        "blue",
        "orange",
        "bluish_green",
        "vermillion",
        "reddish_purple",
        "sky_blue",
        "black",
        "yellow",
    )
]

# One colour per weight matrix, the same in every drawing of the course:
#   h_t = tanh(W_x x_t + W_h h_{t-1} + b),   y_t = W_y h_t + c
WEIGHT_COLORS: dict[str, str] = {
    "W_x": OKABE_ITO["blue"],
    "W_h": OKABE_ITO["vermillion"],
    "W_y": OKABE_ITO["bluish_green"],
}

# Sigmoid outputs (gates, probabilities) on a fixed 0..1 sequential scale.
GATE_CMAP = "viridis"
# tanh quantities (hidden states, candidates, signed gradients) on a fixed -1..1 diverging scale.
SIGNED_CMAP = "RdBu_r"
# Emphasis, like a highlighter pen under a path (a gradient path in an unrolled graph).
HIGHLIGHT_COLOR = OKABE_ITO["yellow"]


def use_course_style(font_size: float = 14.0) -> None:
    """Set matplotlib's rcParams for the course: large fonts, Okabe-Ito colours, tidy axes.

    Call it once in a notebook's setup cell; it changes global state, so the package never
    calls it on import.

    Inputs:
        font_size: base size in points (tick labels use it, titles and axis labels are larger);
            14 reads well on a projector at the default figure width.
    Returns:
        None.
    """
    if not 6 <= font_size <= 40:
        raise ValueError(f"font_size must be between 6 and 40 points, got {font_size}")
    mpl.rcParams.update(
        {
            "figure.figsize": (8.0, 4.5),
            "figure.dpi": 100,
            "savefig.dpi": 100,
            "figure.constrained_layout.use": False,
            "font.size": font_size,
            "axes.titlesize": font_size + 2,
            "axes.labelsize": font_size + 1,
            "xtick.labelsize": font_size - 1,
            "ytick.labelsize": font_size - 1,
            "legend.fontsize": font_size - 1,
            "figure.titlesize": font_size + 3,
            "axes.prop_cycle": cycler(color=COURSE_COLORS),
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "lines.linewidth": 2.2,
            "lines.markersize": 7,
            "image.cmap": GATE_CMAP,
            "legend.frameon": False,
        }
    )
