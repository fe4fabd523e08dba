"""Exercise checks of notebook 08 accept the solution and name each common mistake."""

import pytest
import torch

from rnn_helpers.exercises.ex08 import check_masked_accuracy, check_same_bag, check_temperature, phrase_sentiment


def test_phrase_sentiment_follows_negation_and_but():
    assert phrase_sentiment("the movie was not bad") == 1
    assert phrase_sentiment("the movie was good but boring") == 0
    assert phrase_sentiment("the movie was boring but not bad") == 1
    with pytest.raises(ValueError):
        phrase_sentiment("a fine day")


def test_same_bag_solution_and_mistakes():
    assert check_same_bag("the plot was good but boring", "the plot was boring but good").startswith("Correct")
    assert check_same_bag("the plot was not good but bad", "the plot was good but not bad").startswith("Correct")
    for a, b, why in [
        ("...", "...", "replace"),
        ("the plot was good", "the plot was bad", "bags differ"),
        ("the plot was good but fun", "the plot was fun but good", "both phrases are positive"),
        ("was was good bad", "was good was bad", "one sentiment adjective"),
    ]:
        with pytest.raises(AssertionError, match=why):
            check_same_bag(a, b)


def test_temperature_solution_and_mistakes():
    assert check_temperature(lambda s, t: torch.softmax(s / t, -1)).startswith("Correct")
    for fn, why in [
        (lambda s, t: torch.softmax(s * t, -1), "multiplied"),
        (lambda s, t: s / t, "softmax is missing"),
        (lambda s, t: torch.softmax(s, -1), "tau is ignored"),
        (lambda s, t: torch.softmax(s, -1) / t, "before the softmax"),
        (lambda s, t: None, "returns None"),
        (lambda s, t: torch.zeros(3), "one probability per score"),
    ]:
        with pytest.raises(AssertionError, match=why):
            check_temperature(fn)


def test_masked_accuracy_solution_and_mistakes():
    ok = lambda s, t: (s.argmax(-1) == t)[t > 0].float().mean().item()
    assert check_masked_accuracy(ok).startswith("Correct")
    for fn, why in [
        (lambda s, t: (s.argmax(-1) == t).float().mean().item(), "padding positions were counted"),
        (lambda s, t: (s.argmax(-1) == t)[t > 0].sum().item(), "number of right tokens"),
        (lambda s, t: (s.argmax(1) == t[:, :4]).float().mean().item(), "argmax over the last axis"),
    ]:
        with pytest.raises(AssertionError, match=why):
            check_masked_accuracy(fn)
