"""Tests of the one training loop, the accuracy, the gradient measurements and the cliff model."""

import matplotlib

matplotlib.use("Agg")
import warnings

import matplotlib
import numpy as np
import pytest
import torch

from rnn_helpers import rnn_backward, rnn_forward
from rnn_helpers.models import (
    SequenceModel,
    Tagger,
)
from rnn_helpers.tasks import (
    IGNORE,
    adding_problem,
    allergy_task,
    echo_task,
    shift_task,
)
from rnn_helpers.training import (
    accuracy,
    batch_loss,
    evaluate,
    fit,
    init_rnn_regression,
    rnn_regression_predict,
    train_rnn_regression,
)


def test_fit_learns_a_short_lag():
    torch.manual_seed(0)
    model = SequenceModel(11, 8, 2, cell="rnn")
    x, y = allergy_task(200, 3, 99)
    before = evaluate(model, x, y)
    losses = fit(model, batch_loss(model, lambda r: allergy_task(32, 3, r)), 80, seed=0, lr=1e-2, progress=False)
    after = evaluate(model, x, y)
    assert len(losses) == 80 and all(isinstance(v, float) for v in losses)
    assert after["accuracy"] == 1.0 and before["accuracy"] < 0.9
    assert after["loss"] < 0.1 < before["loss"]


def test_fit_is_reproducible_and_clipping_changes_the_updates():
    def run(clip, schedule=None):
        torch.manual_seed(3)
        model = SequenceModel(2, 6, 1, cell="lstm")
        loss_fn = batch_loss(model, lambda r: adding_problem(16, 10, r), "mse")
        return fit(model, loss_fn, 10, seed=1, clip=clip, schedule=schedule, progress=False)

    a, b, c = run(None), run(None), run(1e-3)
    assert a == b and c[0] == a[0]  # same start, same first batch
    assert c[1] != a[1]  # clipping changed the first update
    assert run(None, "one_cycle")[1] != a[1]  # the schedule starts with a small lr


def test_fit_passes_one_generator_through_every_step():
    seen = []
    w = torch.nn.Parameter(torch.zeros(1))

    def loss_fn(rng):
        seen.append(rng.integers(1000))
        return (w - 1.0).pow(2).sum()

    fit(torch.nn.ParameterList([w]), loss_fn, 3, seed=7, progress=False)
    assert seen == list(np.random.default_rng(7).integers(1000, size=3))


def test_many_to_many_classification_trains_and_evaluates():
    torch.manual_seed(0)
    model = SequenceModel(10, 8, 11, cell="gru", many_to_many=True)
    losses = fit(model, batch_loss(model, lambda r: shift_task(8, 6, 2, r)), 3, progress=False)
    result = evaluate(model, *shift_task(10, 6, 2, 1))
    assert len(losses) == 3 and 0 <= result["accuracy"] <= 1


def test_accuracy_with_and_without_mask():
    scores = torch.tensor([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7]])
    assert accuracy(scores, [1, 1, 1]) == pytest.approx(2 / 3)
    assert accuracy(scores.numpy(), np.array([1, 1, 1]), mask=np.array([True, False, True])) == 1.0
    with pytest.raises(ValueError, match=r"scores must have shape \(\*y.shape, C\)"):
        accuracy(scores, [1, 1])


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"steps": 0}, "steps must be a positive int, got 0"),
        ({"clip": 0.0}, "clip must be positive or None, got 0.0"),
        ({"lr": -1.0}, "lr must be positive, got -1.0"),
        ({"schedule": "cosine"}, "schedule must be None or 'one_cycle'"),
    ],
)
def test_fit_bad_arguments(kwargs, message):
    model = SequenceModel(11, 3, 2)
    args = {"steps": 1, "seed": 0, "progress": False, **kwargs}
    with pytest.raises(ValueError, match=message):
        fit(model, batch_loss(model, lambda r: allergy_task(2, 2, r)), **args)


def test_batch_loss_rejects_an_unknown_loss():
    with pytest.raises(ValueError, match="loss must be one of"):
        batch_loss(SequenceModel(11, 3, 2), lambda r: allergy_task(2, 2, r), "l1")


def test_accuracy_with_mask():
    scores = torch.tensor([[[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]]])
    y = torch.tensor([[0, 0, 1]])
    assert accuracy(scores, y) == pytest.approx(1 / 3)
    assert accuracy(scores, y, torch.tensor([[True, False, False]])) == 1.0


def test_accuracy_with_a_mask_counts_only_targets():
    torch.manual_seed(0)
    m = Tagger(4, 3, 5)
    x = torch.randn(2, 3, 4)
    pred = m(x).argmax(-1)
    y = np.full((2, 3), IGNORE)
    y[0, 1] = int(pred[0, 1])
    y[1, 2] = (int(pred[1, 2]) + 1) % 5
    assert accuracy(m(x), y, mask=y != IGNORE) == 0.5
    y = np.full((2, 3), IGNORE)
    with pytest.raises(ValueError, match="mask selects no position"):
        accuracy(m(x), y, mask=y != IGNORE)


def test_rnn_regression_learns_a_short_echo_only_with_a_long_enough_window():
    x, y, mask = echo_task(32, 12, 4, rng=0)
    full = train_rnn_regression(x, y, H=8, steps=200, lr=0.03, mask=mask, rng=1)
    cut = train_rnn_regression(x, y, H=8, steps=200, lr=0.03, mask=mask, truncate=2, rng=1)
    assert full["loss"][-1] < 0.05 < 0.2 < cut["loss"][-1]
    err = (rnn_regression_predict(full["params"], x) - y)[..., 0] * mask
    assert 0.5 * np.sum(err**2) / mask.sum() == pytest.approx(full["loss"][-1], rel=0.2)


def test_rnn_regression_gradient_descent_step_follows_the_update_rule():
    x, y, mask = echo_task(4, 6, 1, rng=0)
    p0 = init_rnn_regression(1, 3, 1, rng=5)
    one = train_rnn_regression(x, y, H=3, steps=1, lr=0.1, optimizer="gd", mask=mask, rng=5)
    h, cache = rnn_forward(x, np.zeros((4, 3)), p0["Wx"], p0["Wh"], p0["b"])
    dy = (h @ p0["Wy"] + p0["by"] - y) * mask[..., None] / mask.sum()
    dWh = rnn_backward(dy @ p0["Wy"].T, cache)[3]
    np.testing.assert_allclose(one["params"]["Wh"], p0["Wh"] - 0.1 * dWh, rtol=1e-12)


def test_rnn_regression_reports_divergence_without_warnings():
    x, y, _ = echo_task(8, 12, 2, rng=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = train_rnn_regression(10 * x, 10 * y, H=8, steps=40, lr=50.0, optimizer="gd", rng=0)
    assert r["diverged"] and np.isnan(r["loss"][-1])


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(x=np.zeros((2, 3)), y=np.zeros((2, 3, 1))), r"x must have shape \(N, T, D\)"),
        (dict(x=np.zeros((2, 3, 1)), y=np.zeros((2, 4, 1))), r"y must have shape"),
        (dict(x=np.zeros((2, 3, 1)), y=np.zeros((2, 3, 1)), mask=np.ones(3)), "mask"),
        (dict(x=np.zeros((2, 3, 1)), y=np.zeros((2, 3, 1)), optimizer="sgd"), "optimizer"),
    ],
)
def test_rnn_regression_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        train_rnn_regression(H=2, steps=1, **kwargs)
