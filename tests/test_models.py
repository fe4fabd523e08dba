"""Tests of the torch sequence models: shapes, the read-out, the forget-bias option, errors."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from rnn_helpers.models import SequenceModel, count_parameters


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
