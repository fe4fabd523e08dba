"""The checks of notebook 11 accept the reference, say "Not yet" for a stub, and name each mistake."""

from __future__ import annotations

import numpy as np
import pytest

from rnn_helpers.exercises import ex11


def _stub(*args):
    raise NotImplementedError


def test_note_nll_reference_and_stub(capsys):
    def good(probs, roll):
        return float(-(roll * np.log(probs) + (1 - roll) * np.log(1 - probs)).sum(1).mean())

    assert ex11.check_note_nll(good) is True
    assert "Correct" in capsys.readouterr().out
    assert ex11.check_note_nll(_stub) is False
    assert "Not yet" in capsys.readouterr().out


@pytest.mark.parametrize("name", [k for k in ex11._nll_variants(np.full((2, 2), 0.5), np.eye(2)) if k != "ok"])
def test_note_nll_names_each_mistake(name, capsys):
    def wrong(probs, roll):
        return ex11._nll_variants(probs, roll)[name]

    assert ex11.check_note_nll(wrong) is False
    assert name in capsys.readouterr().out


def test_beam_step_reference_and_stub(capsys):
    def good(scores, logits, beam):
        logp = logits - np.log(np.exp(logits).sum(1, keepdims=True))
        total = scores[:, None] + logp
        order = np.argsort(-total, axis=None, kind="stable")[:beam]
        return [np.unravel_index(i, total.shape) for i in order]

    assert ex11.check_beam_step(good) is True
    assert "Correct" in capsys.readouterr().out
    assert ex11.check_beam_step(_stub) is False
    assert "Not yet" in capsys.readouterr().out


@pytest.mark.parametrize("name", [k for k in ex11._beam_variants(np.zeros(3), np.eye(3, 7), 3) if k != "ok"])
def test_beam_step_names_each_mistake(name, capsys):
    def wrong(scores, logits, beam):
        return ex11._beam_variants(scores, logits, beam)[name]

    # the check's own example must tell this mistake apart from the right answer
    rng = np.random.default_rng(5)
    variants = ex11._beam_variants(np.array([-0.2, -1.5, -0.9]), rng.normal(size=(3, 7)) * 2, 3)
    assert variants[name] != variants["ok"]

    assert ex11.check_beam_step(wrong) is False
    assert name in capsys.readouterr().out
