import numpy as np
import pytest

from rnn_helpers.exercises import ex00


def test_architectures_accepts_the_right_answers():
    assert "Correct" in ex00.check_architectures(dict(ex00._ANSWERS))


def test_architectures_names_the_confusion_between_many_to_many_kinds():
    answers = dict(ex00._ANSWERS, **{"machine translation": "many-to-many (Tx = Ty)"})
    with pytest.raises(AssertionError, match="lengths must match"):
        ex00.check_architectures(answers)


def test_architectures_reports_missing_and_unknown():
    with pytest.raises(AssertionError, match="missing: spam detection"):
        ex00.check_architectures({k: v for k, v in ex00._ANSWERS.items() if k != "spam detection"})
    with pytest.raises(AssertionError, match="is not one of"):
        ex00.check_architectures(dict(ex00._ANSWERS, **{"summarization": "seq2seq"}))
    with pytest.raises(ValueError, match="answers must be a dict"):
        ex00.check_architectures(["sentiment analysis"])


@pytest.mark.parametrize(
    ("out", "hn", "message"),
    [
        ((5, 2, 8), (1, 2, 8), "batch comes first"),
        ((2, 5, 3), (1, 2, 8), "last size is H"),
        ((2, 8), (1, 2, 8), "every step"),
        ((2, 5, 8), (2, 8), "leading layers"),
        ((2, 5, 8), (2, 1, 8), "batch_first does not apply"),
    ],
)
def test_output_shapes_recognises_mistakes(out, hn, message):
    with pytest.raises(AssertionError, match=message):
        ex00.check_rnn_output_shapes(2, 5, 3, 8, out, hn)


def test_output_shapes_accepts_torch_answer():
    assert "Correct" in ex00.check_rnn_output_shapes(2, 5, 3, 8, (2, 5, 8), (1, 2, 8))


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


@pytest.mark.parametrize(
    ("step", "message"),
    [
        (lambda x, h, Wx, Wh, b: np.tanh(x @ Wx + b), "h_prev is ignored"),
        (lambda x, h, Wx, Wh, b: x @ Wx + h @ Wh + b, "activation is missing"),
        (lambda x, h, Wx, Wh, b: sigmoid(x @ Wx + h @ Wh + b), "sigmoid"),
        (lambda x, h, Wx, Wh, b: np.tanh(x @ Wx + h @ Wh.T + b), "transposed"),
        (lambda x, h, Wx, Wh, b: np.tanh(x @ Wx + h @ Wh), "bias"),
        (lambda x, h, Wx, Wh, b: np.tanh(x @ Wx + h @ Wh + b)[:, :2], "shape"),
        (lambda x, h, Wx, Wh, b: np.tanh(x @ Wx + 2 * h @ Wh + b), "differs"),
    ],
)
def test_hidden_update_recognises_mistakes(step, message):
    with pytest.raises(AssertionError, match=message):
        ex00.check_hidden_update(step)


def test_hidden_update_accepts_correct_step():
    assert "Correct" in ex00.check_hidden_update(lambda x, h, Wx, Wh, b: np.tanh(x @ Wx + h @ Wh + b))
