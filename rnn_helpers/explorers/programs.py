"""Explorer of a hand-wired RNN program read one character at a time (notebook 01)."""

from __future__ import annotations

import ipywidgets as W
import numpy as np

from ..programs import HandWiredRNN, brackets_rnn, run_program
from ..style import COURSE_COLORS
from .base import agg_figure, register_explorer, wire

__all__ = ["program_stepper_view", "program_stepper_explorer"]


def program_stepper_view(prog: HandWiredRNN, string: str, t: int, ax=None) -> dict:
    """The program after reading the first ``t`` characters of ``string``.

    Inputs: prog, string, t in 1..len(string); ax to draw each unit's h over steps 1..t into.
    Returns: dict with "h" (t, H) states so far, "y" (t,) read-outs, "answer" (bool after step
        t), "expected" (the reference's answer) and "ax".
    """
    if not 1 <= t <= len(string):
        raise ValueError(f"t must be in 1..{len(string)}, got {t}")
    out = run_program(prog, [string[:t]])
    h, y = out["h"][0], out["y"][0]
    if ax is not None:
        for j, name in enumerate(prog.unit_names):
            ax.plot(np.arange(1, t + 1), h[:, j], marker="o", label=name)
        ax.set_xticks(np.arange(1, len(string) + 1), list(string))
        ax.set(xlim=(0.5, len(string) + 0.5), xlabel="input", ylabel="$h_t$")
    return {
        "h": h,
        "y": y,
        "answer": bool(y[-1] > 0.5),
        "expected": prog.reference(string[:t])[-1],
        "ax": ax,
    }


def program_stepper_explorer(prog: HandWiredRNN | None = None, string: str = "(()())(()"):
    """Step through a string one character at a time and watch the hidden units change.

    Returns: an :class:`~rnn_helpers.widgets.Explorer` with control "t"; ``state`` holds the last
        :func:`program_stepper_view` result (without the axes).
    """

    prog = brackets_rnn() if prog is None else prog
    full = run_program(prog, [string])
    T, H = full["h"].shape[1:]
    controls = {"t": W.IntSlider(value=1, min=1, max=T, description="step t")}
    fig = agg_figure((7.0, 3.4))
    ax = fig.add_subplot()
    lines = [ax.plot([], [], marker="o", color=COURSE_COLORS[j], label=prog.unit_names[j])[0] for j in range(H)]
    lo, hi = float(full["h"].min()), float(full["h"].max())
    pad = 0.1 * max(hi - lo, 1.0)
    ax.set(xlim=(0.5, T + 0.5), ylim=(lo - pad, hi + pad), xlabel="input", ylabel="$h_t$")
    ax.set_xticks(np.arange(1, T + 1), list(string))
    ax.legend(loc="upper left", fontsize=11)
    title = ax.set_title(" ", fontsize=13)
    fig.tight_layout()

    def update():
        t = controls["t"].value
        v = program_stepper_view(prog, string, t)
        for j, line in enumerate(lines):
            line.set_data(np.arange(1, t + 1), v["h"][:, j])
        title.set_text(f"after {string[:t]!r}: answer {v['answer']} (reference {v['expected']})")
        return {k: v[k] for k in ("h", "y", "answer", "expected")}, [*lines, title]

    return wire(controls, fig, update, [*lines, title], stack=True)


@register_explorer("program_stepper", sweep={"t": [2, 6, 8, 9]})
def _example_program_stepper():
    return program_stepper_explorer()
