"""Notebook 00's checks: right answers pass, blanks get "Not yet", mistakes are named without
giving the answer away, and nothing raises."""

import pytest

from rnn_helpers.exercises import ex00


def test_architectures(capsys):
    assert ex00.check_architectures(dict(ex00._ANSWERS)) and "Correct" in capsys.readouterr().out
    assert ex00.check_architectures({k: "..." for k in ex00._ANSWERS}) is False
    assert capsys.readouterr().out.startswith("Not yet")
    answers = dict(ex00._ANSWERS, **{"machine translation": "many-to-many (Tx = Ty)"})
    assert ex00.check_architectures(answers) is False
    out = capsys.readouterr().out
    assert "output length must match" in out and "many-to-many (Tx != Ty)" not in out  # no answer given away
    assert ex00.check_architectures({k: v for k, v in ex00._ANSWERS.items() if k != "spam detection"}) is False
    assert "missing: spam detection" in capsys.readouterr().out
    assert ex00.check_architectures(dict(ex00._ANSWERS, **{"summarization": "seq2seq"})) is False
    assert "is not one of" in capsys.readouterr().out
    assert ex00.check_architectures(["sentiment analysis"]) is False
    assert "must be a dict" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("out", "hn", "message"),
    [
        ((5, 2, 8), (1, 2, 8), "batch comes first"),
        ((2, 5, 3), (1, 2, 8), "last size is H"),
        ((2, 8), (1, 2, 8), "every step"),
        ((2, 5, 8), (2, 8), "leading layers"),
        ((2, 5, 8), (2, 1, 8), "batch_first does not apply"),
        ((2, 5, 9), (1, 2, 8), "not what nn.RNN returns"),
        (None, None, "Not yet"),
    ],
)
def test_output_shapes_recognises_mistakes(out, hn, message, capsys):
    assert ex00.check_rnn_output_shapes(2, 5, 3, 8, out, hn) is False
    assert message in capsys.readouterr().out


def test_output_shapes_accepts_torch_answer(capsys):
    assert ex00.check_rnn_output_shapes(2, 5, 3, 8, (2, 5, 8), (1, 2, 8))
    assert "Correct" in capsys.readouterr().out
