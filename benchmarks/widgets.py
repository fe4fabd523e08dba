"""Median update time of every registered explorer: set a control's value, redraw.

    .venv/bin/python benchmarks/widgets.py            # a table
    python3 course.py bench -- --only widgets         # the same through benchmarks/run.py

Every topic module of ``rnn_helpers.explorers`` registers a cheap example with
``register_explorer(name, sweep)``; importing the subpackage registers them all. For each one
this builds the example (not timed), then, ``repeats`` times, sets every sweep value of every
control in turn and times the assignment, which runs the explorer's update and renders its
image synchronously. Assignments that would not change the value (and so would
not redraw) are skipped. Budget: 100 ms per update on a 2-core machine, aim 50 ms.

An explorer that fails to build or update is reported on stderr and left out of the result.
"""

from __future__ import annotations

import statistics
import sys
import time
import traceback


def _time_explorer(factory, sweep: dict, repeats: int) -> float:
    explorer = factory()
    times = []
    for _ in range(repeats):
        for name, values in sweep.items():
            control = explorer.controls[name]
            for value in values:
                if control.value == value:
                    continue  # no change, no redraw: not an update
                start = time.perf_counter()
                control.value = value
                times.append(time.perf_counter() - start)
    if not times:
        raise ValueError("the sweep never changes a control's value")
    return 1e3 * statistics.median(times)


def run(repeats: int = 5) -> dict[str, float]:
    """Median milliseconds per update for every explorer in ``rnn_helpers.explorers.EXPLORERS``.

    Returns: dict explorer name -> median update time in ms (rounded to 0.1 ms).
    """
    import matplotlib

    matplotlib.use("Agg")
    from rnn_helpers import use_course_style
    from rnn_helpers.explorers import EXPLORERS  # importing the subpackage registers every explorer

    with matplotlib.rc_context():
        use_course_style()  # time what the notebooks show
        out = {}
        for name, (factory, sweep) in EXPLORERS.items():
            try:
                out[name] = round(_time_explorer(factory, sweep, repeats), 1)
            except Exception:  # one broken explorer must not hide the others' timings
                print(f"explorer {name!r} failed:\n{traceback.format_exc()}", file=sys.stderr)
                continue
            print(f"  {name}: {out[name]:.1f} ms", file=sys.stderr, flush=True)
    return out


def main() -> int:
    result = run()
    width = max((len(n) for n in result), default=10) + 2
    print(f"{'explorer':<{width}} {'median ms':>10}")
    for name, ms in result.items():
        flag = "" if ms <= 100 else "   OVER BUDGET (100 ms)"
        print(f"{name:<{width}} {ms:>10.1f}{flag}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
