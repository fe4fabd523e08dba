"""Feedback plumbing shared by the exercise checks (``exNN.py``).

A check calls the learner's function through :func:`call`, which never raises: it returns the
result, :data:`NOT_IMPLEMENTED` for a stub that still raises ``NotImplementedError``, or a
:class:`Raised` holding the learner's exception. The check then prints one line through
:func:`verdict` ("Not yet: ..." via :func:`not_yet`, "Not quite: ..." via :func:`raised` or its
own words, "Correct: ...") and returns True or False.

Like every module in ``exercises/``, this one imports nothing from the rest of the package: a
learner's check must not depend on the code it checks. It is the one module the checks share.
"""

from __future__ import annotations

import numpy as np

__all__ = ["NOT_IMPLEMENTED", "Raised", "call", "verdict", "not_yet", "raised", "same", "as_arrays"]

NOT_IMPLEMENTED = object()  # what call() returns for a stub


class Raised:
    """What call() returns when the learner's function raised; ``err`` is the exception."""

    def __init__(self, err: Exception):
        self.err = err


def call(fn, *args):
    """fn(*args), or NOT_IMPLEMENTED for a stub, or a Raised wrapping the learner's exception."""
    try:
        return fn(*args)
    except NotImplementedError:
        return NOT_IMPLEMENTED
    except Exception as err:  # the learner's code raised: report it, don't hide it
        return Raised(err)


def verdict(ok: bool, message: str) -> bool:
    """Print the one line of feedback and return ``ok``."""
    print(message)
    return ok


def not_yet(what: str) -> bool:
    return verdict(
        False, f"Not yet: {what} still raises NotImplementedError. Write its body, then run this cell again."
    )


def raised(err: Exception, hint: str = "") -> bool:
    return verdict(False, f"Not quite: your function raised {type(err).__name__}: {err}{hint}")


def same(a, b, atol: float = 1e-9) -> bool:
    """Same shape and values (float comparison, atol and rtol 1e-7)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and bool(np.allclose(a, b, atol=atol, rtol=1e-7))


def as_arrays(got, n: int):
    """A list of n float arrays, or None when ``got`` is not a tuple/list of n array-likes."""
    if not isinstance(got, (tuple, list)) or len(got) != n:
        return None
    try:
        return [np.asarray(g, dtype=float) for g in got]
    except (TypeError, ValueError):
        return None
