"""The feedback plumbing the exercise checks share: a stub or a learner's exception becomes a value
(never a crash), and each verdict prints exactly one line."""

import numpy as np

from rnn_helpers.exercises.feedback import NOT_IMPLEMENTED, Raised, as_arrays, call, not_yet, raised, same, verdict


def stub(*args):
    raise NotImplementedError


def test_call_returns_the_result_the_marker_or_the_wrapped_exception():
    assert call(lambda a, b: a + b, 2, 3) == 5
    assert call(stub, 1) is NOT_IMPLEMENTED
    out = call(lambda: 1 / 0)
    assert isinstance(out, Raised) and isinstance(out.err, ZeroDivisionError)


def test_verdicts_print_one_line_and_return_the_verdict(capsys):
    assert verdict(True, "Correct: fine.") is True
    assert capsys.readouterr().out == "Correct: fine.\n"
    assert not_yet("f") is False
    assert capsys.readouterr().out == (
        "Not yet: f still raises NotImplementedError. Write its body, then run this cell again.\n"
    )
    assert raised(ValueError("bad"), " (a hint)") is False
    assert capsys.readouterr().out == "Not quite: your function raised ValueError: bad (a hint)\n"


def test_same_and_as_arrays():
    assert same([1.0, 2.0], np.array([1.0, 2.0 + 1e-12])) and not same([1.0, 2.0], [[1.0, 2.0]])
    assert not same([0.0], [1e-6]) and same([0.0], [1e-6], atol=1e-5)
    assert [a.shape for a in as_arrays(([1, 2], 3.0), 2)] == [(2,), ()]
    assert as_arrays([1, 2, 3], 2) is None and as_arrays(np.zeros(2), 2) is None and as_arrays(("x", 1), 2) is None
