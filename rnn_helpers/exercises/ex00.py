"""Exercise checks for notebook 00: sequences and the RNN family.

Each ``check_*`` prints one line and returns True or False; it never raises. An answer still
left blank gets "Not yet: ...", a wrong one "Not quite: ..." naming the mistake it recognises.
"""

from __future__ import annotations

from .feedback import verdict

__all__ = ["ARCHITECTURES", "check_architectures", "check_rnn_output_shapes"]


ARCHITECTURES = ("one-to-one", "one-to-many", "many-to-one", "many-to-many (Tx = Ty)", "many-to-many (Tx != Ty)")

_ANSWERS = {
    "sentiment analysis": "many-to-one",
    "spam detection": "many-to-one",
    "music generation": "one-to-many",
    "image captioning": "one-to-many",
    "named-entity recognition": "many-to-many (Tx = Ty)",
    "part-of-speech tagging": "many-to-many (Tx = Ty)",
    "machine translation": "many-to-many (Tx != Ty)",
    "video captioning": "many-to-many (Tx != Ty)",
    "summarization": "many-to-many (Tx != Ty)",
}

_WHY = {
    "many-to-one": "a whole sequence goes in and one label comes out",
    "one-to-many": "one input (a seed or an image) starts a whole output sequence",
    "many-to-many (Tx = Ty)": "there is one output per input token, aligned in time",
    "many-to-many (Tx != Ty)": "the output length differs from the input length",
}


def check_architectures(answers: dict[str, str]) -> bool:
    """Check a mapping application -> architecture name (one of ``ARCHITECTURES``)."""
    if not isinstance(answers, dict):
        return verdict(
            False, f"Not quite: answers must be a dict application -> architecture, got {type(answers).__name__}."
        )
    missing = sorted(set(_ANSWERS) - set(answers))
    if missing:
        return verdict(False, f"Not quite: give an architecture for every application; missing: {', '.join(missing)}.")
    blank = [app for app in _ANSWERS if str(answers[app]).strip() in ("", "...")]
    if len(blank) == len(_ANSWERS):
        return verdict(False, "Not yet: replace each '...' with a name from ARCHITECTURES, then run this cell again.")
    problems = []
    for app, expected in _ANSWERS.items():
        given = str(answers[app]).strip()
        if given not in ARCHITECTURES:
            problems.append(f"{app}: {given!r} is not one of the names in ARCHITECTURES")
        elif given != expected:
            hint = _WHY[expected]
            if {given, expected} == {"many-to-many (Tx = Ty)", "many-to-many (Tx != Ty)"}:
                hint = "both are many-to-many: ask whether the output length must match the input length"
            problems.append(f"{app}: not {given}; think again: {hint}")
    if problems:
        return verdict(False, "Not quite:\n  " + "\n  ".join(problems))
    return verdict(True, "Correct: every application sits on the right diagram.")


def check_rnn_output_shapes(N: int, T: int, D: int, H: int, output_shape, h_n_shape) -> bool:
    """Check the shapes returned by ``torch.nn.RNN(D, H, batch_first=True)`` on input (N, T, D)."""
    if output_shape is None or h_n_shape is None:
        return verdict(False, "Not yet: replace None with your predicted shapes (tuples), then run this cell again.")
    output_shape, h_n_shape = tuple(output_shape), tuple(h_n_shape)
    if output_shape != (N, T, H):
        if output_shape == (T, N, H):
            return verdict(False, "Not quite: output: with batch_first=True the batch comes first.")
        if output_shape == (N, T, D):
            return verdict(False, "Not quite: output: the RNN outputs hidden states, so the last size is H, not D.")
        if output_shape == (N, H):
            return verdict(False, "Not quite: output: that is one state per sequence; `output` holds every step.")
        return verdict(False, f"Not quite: output: {output_shape} is not what nn.RNN returns; which axes does it have?")
    if h_n_shape != (1, N, H):
        if h_n_shape == (N, H):
            return verdict(
                False, "Not quite: h_n: torch keeps a leading layers*directions axis, even with batch_first."
            )
        if h_n_shape == (N, 1, H):
            return verdict(False, "Not quite: h_n: batch_first does not apply to h_n; it is (layers, N, H).")
        return verdict(False, f"Not quite: h_n: {h_n_shape} is not what nn.RNN returns for the last state.")
    return verdict(True, "Correct: output has every step's state; h_n only the last one.")
