"""Tests of the torch sequence models: shapes, the read-out, the forget-bias option, errors."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from rnn_helpers.datasets import bag_of_words, make_windows, pad_sequences
from rnn_helpers.models import (
    BagOfTokens,
    Forecaster,
    SequenceClassifier,
    SequenceModel,
    SequenceTagger,
    Tagger,
    TinyRNNClassifier,
    count_parameters,
)
from rnn_helpers.tasks import order_task
from rnn_helpers.training import accuracy, fit


@settings(max_examples=12, deadline=None)
@given(
    cell=st.sampled_from(["rnn", "lstm", "gru"]),
    N=st.integers(1, 4),
    T=st.integers(1, 6),
    D=st.integers(1, 5),
    H=st.integers(1, 6),
    O=st.integers(1, 4),
    many=st.booleans(),
)
def test_output_shapes(cell, N, T, D, H, O, many):
    torch.manual_seed(0)
    model = SequenceModel(D, H, O, cell=cell, many_to_many=many)
    out = model(torch.randn(N, T, D))
    assert out.shape == ((N, T, O) if many else (N, O))
    assert model.hidden_states(np.zeros((N, T, D), dtype=np.float32)).shape == (N, T, H)


def test_many_to_one_reads_the_last_hidden_state_through_the_head():
    torch.manual_seed(0)
    model = SequenceModel(3, 5, 2, cell="gru")
    x = torch.randn(4, 7, 3)
    h, _ = model.rnn(x)  # (N, T, H)
    torch.testing.assert_close(model(x), h[:, -1] @ model.head.weight.T + model.head.bias)
    many = SequenceModel(3, 5, 2, cell="gru", many_to_many=True)
    many.load_state_dict(model.state_dict())
    many.many_to_many = True
    torch.testing.assert_close(many(x)[:, -1], model(x))


def test_predict_proba_is_the_softmax_of_the_logits():
    torch.manual_seed(1)
    model = SequenceModel(2, 4, 3, cell="rnn", nonlinearity="relu")
    x = torch.randn(5, 6, 2)
    p = model.predict_proba(x)
    torch.testing.assert_close(p.sum(dim=-1), torch.ones(5))
    torch.testing.assert_close(p, torch.softmax(model(x), dim=-1).detach())
    assert not p.requires_grad


def test_forget_bias_opens_the_forget_gate():
    torch.manual_seed(0)
    H = 4
    model = SequenceModel(3, H, 2, cell="lstm", forget_bias=5.0)
    b_ih, b_hh = model.rnn.bias_ih_l0.detach(), model.rnn.bias_hh_l0.detach()
    np.testing.assert_array_equal((b_ih + b_hh)[H : 2 * H].numpy(), 5.0)  # f slice of (i, f, g, o)
    # with zero input and state the forget gate is sigmoid(5) = 0.9933 and i, g, o are untouched
    torch.manual_seed(0)
    default = SequenceModel(3, H, 2, cell="lstm")
    torch.testing.assert_close(b_ih[:H], default.rnn.bias_ih_l0.detach()[:H])  # i slice untouched
    f = torch.sigmoid((b_ih + b_hh)[H : 2 * H])
    assert float(f.min()) == pytest.approx(1 / (1 + np.exp(-5.0)))


def test_count_parameters_matches_the_lstm_formula():
    D, H, O = 7, 5, 3
    model = SequenceModel(D, H, O, cell="lstm")
    assert count_parameters(model) == 4 * H * (D + H) + 8 * H + H * O + O
    model.head.weight.requires_grad_(False)
    assert count_parameters(model) == 4 * H * (D + H) + 8 * H + O


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"cell": "lstmx"}, "cell must be one of"),
        ({"hidden_size": 0}, "hidden_size must be a positive int, got 0"),
        ({"cell": "lstm", "nonlinearity": "relu"}, "nonlinearity applies only to cell='rnn'"),
        ({"cell": "rnn", "nonlinearity": "sigmoid"}, "nonlinearity must be 'tanh' or 'relu'"),
        ({"cell": "gru", "forget_bias": 1.0}, "forget_bias applies only to cell='lstm'"),
    ],
)
def test_bad_constructor_arguments(kwargs, message):
    args = {"input_size": 3, "hidden_size": 4, "output_size": 2, **kwargs}
    with pytest.raises(ValueError, match=message):
        SequenceModel(**args)


def test_bad_input_shape_names_the_expected_shape():
    model = SequenceModel(3, 4, 2)
    with pytest.raises(ValueError, match=r"x must have shape \(N, T, D\) with D = 3, got \(2, 5, 4\)"):
        model(torch.zeros(2, 5, 4))
    with pytest.raises(ValueError, match=r"got \(5, 3\)"):
        model(torch.zeros(5, 3))


def test_classifier_reads_the_last_real_step_not_the_padding():
    torch.manual_seed(0)
    m = SequenceClassifier(V=5, H=4, C=3)
    ids, lengths = pad_sequences([[1, 2], [3, 4, 1, 2]])
    out = m(ids, lengths)
    alone = m(torch.tensor([[1, 2]]), torch.tensor([2]))
    assert out.shape == (2, 3)
    torch.testing.assert_close(out[0], alone[0])


def test_tagger_char_model_and_forecaster_shapes():
    assert SequenceTagger(6, 4, 3)(torch.ones(2, 5, dtype=torch.long)).shape == (2, 5, 3)
    assert Forecaster(4)(torch.zeros(3, 6, 1)).shape == (3,)


def test_bag_of_words_ignores_order():
    a, b = bag_of_words([[1, 2, 2], [2, 1, 2]], 4)
    assert torch.equal(a, b) and a.tolist() == [0, 1, 2, 0]


def test_windows_and_direct_multi_step_forecaster():
    x, y = make_windows(np.arange(10.0), 3)
    assert x.shape == (7, 3) and x[0].tolist() == [0, 1, 2] and y[0] == 3 and y[-1] == 9
    x, y = make_windows(np.arange(10.0), 3, horizon=4)
    assert x.shape == (4, 3) and y.shape == (4, 4) and y[0].tolist() == [3, 4, 5, 6] and y[-1, -1] == 9
    with pytest.raises(ValueError, match="at least T \\+ horizon = 5"):
        make_windows(np.arange(4.0), 3, horizon=2)
    assert Forecaster(4, horizon=5)(torch.zeros(2, 6, 1)).shape == (2, 5)
    with pytest.raises(ValueError, match=r"x must have shape \(N, T, 1\)"):
        Forecaster(4)(torch.zeros(2, 6))


def test_tagger_shapes_combine_and_direction():
    torch.manual_seed(0)
    x = torch.randn(2, 5, 4)
    for bi, combine, width in [(False, "concat", 3), (True, "concat", 6), (True, "sum", 3)]:
        m = Tagger(4, 3, 7, bidirectional=bi, combine=combine)
        assert m.hidden_states(x).shape == (2, 5, width) and m(x).shape == (2, 5, 7)
    uni = Tagger(4, 3, 7)
    x2 = x.clone()
    x2[:, -1] += 1.0  # changing the last input cannot change earlier outputs of a forward-only model
    assert torch.allclose(uni(x)[:, :-1], uni(x2)[:, :-1]) and not torch.allclose(uni(x)[:, -1], uni(x2)[:, -1])
    bi = Tagger(4, 3, 7, bidirectional=True)
    assert not torch.allclose(bi(x)[:, 0], bi(x2)[:, 0])  # ... but a bidirectional one's can
    with pytest.raises(ValueError, match="combine"):
        Tagger(4, 3, 7, combine="mean")
    with pytest.raises(ValueError, match=r"x must have shape \(N, T, V\) with V = 4"):
        uni(torch.randn(2, 5, 3))


def test_bag_of_tokens_cannot_see_order():
    torch.manual_seed(0)
    bag = BagOfTokens(V=5)
    X, _ = order_task(5)
    with torch.no_grad():
        scores = bag(torch.as_tensor(X))
    assert torch.allclose(scores, scores[:1].expand_as(scores), atol=1e-6)


def test_rnn_sees_order_and_learns_the_task():
    torch.manual_seed(0)
    X, y = order_task(4)
    rnn = TinyRNNClassifier(V=4)
    Xt, yt = torch.as_tensor(X), torch.as_tensor(y)
    losses = fit(rnn, lambda rng: torch.nn.functional.cross_entropy(rnn(Xt), yt), 150, lr=0.03, clip=None,
                 progress=False)  # fmt: skip
    assert losses[-1] < 0.1 * losses[0]
    assert accuracy(rnn(Xt), y) == 1.0
