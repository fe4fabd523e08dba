"""Tests of the seeded synthetic tasks: shapes, the rule that defines each target, seeding."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rnn_helpers.tasks import ADDING_BASELINE_MSE, ALLERGY_VOCAB, adding_problem, allergy_task, decode_tokens


@settings(max_examples=25, deadline=None)
@given(n=st.integers(1, 9), lag=st.integers(1, 30), seed=st.integers(0, 2**31))
def test_allergy_shapes_and_rule(n, lag, seed):
    x, y = allergy_task(n, lag, seed)
    V = len(ALLERGY_VOCAB)
    assert x.shape == (n, lag + 1, V) and x.dtype == np.float32
    assert y.shape == (n,) and y.dtype == np.int64
    np.testing.assert_array_equal(x.sum(axis=2), 1.0)  # one-hot
    ids = x.argmax(axis=2)  # (N, T)
    # the cue alone decides the label: "allergic" (id 0) -> 1 "can't eat", "fine" (id 1) -> 0
    np.testing.assert_array_equal(ids[:, 0], np.where(y == 1, 0, 1))
    if lag >= 1:
        np.testing.assert_array_equal(ids[:, -1], 2)  # query
    assert (ids[:, 1:-1] >= 3).all()  # only distractors between


def test_allergy_is_seeded_and_balanced():
    x1, y1 = allergy_task(2000, 10, 5)
    x2, y2 = allergy_task(2000, 10, np.random.default_rng(5))
    np.testing.assert_array_equal(x1, x2)
    np.testing.assert_array_equal(y1, y2)
    assert abs(y1.mean() - 0.5) < 0.05
    x3, _ = allergy_task(2000, 10, 6)
    assert not np.array_equal(x1, x3)


def test_allergy_decodes_to_words():
    x, y = allergy_task(1, 4, 0)
    words = decode_tokens(x[0], ALLERGY_VOCAB)
    assert len(words) == 5 and words[-1] == "peanut?"
    assert words[0] == ("allergic" if y[0] == 1 else "fine")


@settings(max_examples=25, deadline=None)
@given(n=st.integers(1, 9), T=st.integers(2, 40), seed=st.integers(0, 2**31))
def test_adding_shapes_and_rule(n, T, seed):
    x, y = adding_problem(n, T, seed)
    assert x.shape == (n, T, 2) and x.dtype == np.float32
    assert y.shape == (n, 1) and y.dtype == np.float32
    m = x[:, :, 1]
    np.testing.assert_array_equal(m.sum(axis=1), 2.0)  # two markers
    np.testing.assert_array_equal(m[:, : T // 2].sum(axis=1), 1.0)  # one in each half
    np.testing.assert_allclose(y[:, 0], (x[:, :, 0] * m).sum(axis=1), rtol=1e-6)
    assert ((x[:, :, 0] >= 0) & (x[:, :, 0] < 1)).all()


def test_adding_constant_prediction_has_mse_one_sixth():
    _, y = adding_problem(200_000, 20, 0)
    assert ADDING_BASELINE_MSE == pytest.approx(1 / 6)
    assert np.mean((y - 1.0) ** 2) == pytest.approx(1 / 6, abs=3e-3)
    assert np.mean(y) == pytest.approx(1.0, abs=3e-3)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: allergy_task(0, 5, 0), "n must be an int >= 1, got 0"),
        (lambda: allergy_task(4, 0, 0), "lag must be an int >= 1, got 0"),
        (lambda: allergy_task(4, 2.5, 0), "lag must be an int >= 1, got 2.5"),
        (lambda: allergy_task(4, 5, "seed"), "rng must be a numpy Generator or an int seed"),
        (lambda: adding_problem(4, 1, 0), "T must be an int >= 2, got 1"),
        (lambda: decode_tokens(np.zeros((3, 4)), ALLERGY_VOCAB), r"shape \(T, V\) with V = len\(vocab\) = 11"),
    ],
)
def test_bad_input_raises(call, message):
    with pytest.raises(ValueError, match=message):
        call()
