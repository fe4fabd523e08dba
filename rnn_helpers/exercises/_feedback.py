"""Shared plumbing of the exercise checks: call the learner's function, turn the outcome into one
line of feedback, print it and return True or False. A check never raises: a stub that still
raises ``NotImplementedError`` gets "Not yet: ...", an error inside the learner's code is
reported by name, a wrong result gets "Not quite: ..." naming the mistake when it is recognised.
"""

from __future__ import annotations

import numpy as np

_NOT_IMPLEMENTED = object()


class _Raised:
    def __init__(self, err: Exception):
        self.err = err


def call(fn, *args):
    """fn(*args), or the marker for a stub, or a _Raised wrapping the learner's exception."""
    try:
        return fn(*args)
    except NotImplementedError:
        return _NOT_IMPLEMENTED
    except Exception as err:  # the learner's code raised: report it, don't hide it
        return _Raised(err)


def verdict(ok: bool, message: str) -> bool:
    print(message)
    return ok


def not_yet(what: str) -> bool:
    return verdict(
        False, f"Not yet: {what} still raises NotImplementedError. Write its body, then run this cell again."
    )


def raised(err: Exception, hint: str = "") -> bool:
    return verdict(False, f"Not quite: your function raised {type(err).__name__}: {err}{hint}")


def same(a, b, atol: float = 1e-9) -> bool:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and bool(np.allclose(a, b, atol=atol, rtol=1e-7))


def as_arrays(got, n: int):
    """A tuple of n float arrays, or None when ``got`` is not a tuple/list of n array-likes."""
    if not isinstance(got, (tuple, list)) or len(got) != n:
        return None
    try:
        return [np.asarray(g, dtype=float) for g in got]
    except (TypeError, ValueError):
        return None
