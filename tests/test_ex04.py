"""The notebook 04 checks accept right answers, say "Not yet" for the stub and name each common mistake."""

import numpy as np
import pytest
import torch

from rnn_helpers.exercises import ex04
from rnn_helpers.exercises.ex04 import (
    PARAMETER_QUESTION,
    check_lstm_parameter_count,
    check_lstm_step_backward,
    check_lstm_step_forward,
)
from rnn_helpers.lstm import lstm_step_backward, lstm_step_forward


def _sig(a):
    return 1 / (1 + np.exp(-a))


def right_step(x, h_prev, c_prev, Wx, Wh, b):
    H = h_prev.shape[1]
    a = x @ Wx + h_prev @ Wh + b
    i, f, g, o = _sig(a[:, :H]), _sig(a[:, H : 2 * H]), np.tanh(a[:, 2 * H : 3 * H]), _sig(a[:, 3 * H :])
    c = f * c_prev + i * g
    return o * np.tanh(c), c


def stub(*args):
    raise NotImplementedError


def test_right_step_passes_without_printing_values(capsys):
    assert check_lstm_step_forward(right_step) is True
    out = capsys.readouterr().out
    assert out.startswith("Correct") and not any(ch.isdigit() for ch in out)


def test_reference_itself_passes():
    assert check_lstm_step_forward(lambda *a: lstm_step_forward(*a)[:2])


def test_stub_says_not_yet(capsys):
    assert check_lstm_step_forward(stub) is False
    assert capsys.readouterr().out.startswith("Not yet")


@pytest.mark.parametrize("mistake", list(ex04._FORWARD_MISTAKES))
def test_forward_mistakes_are_named(mistake, capsys):
    assert check_lstm_step_forward(lambda *a: ex04._step(*a, mistake=mistake)) is False
    out = capsys.readouterr().out
    assert out.startswith("Not quite: looks like") and ex04._FORWARD_MISTAKES[mistake] in out


def test_forward_shape_order_and_transpose_mistakes(capsys):
    check_lstm_step_forward(lambda *a: right_step(*a)[::-1])
    assert "wrong order" in capsys.readouterr().out
    check_lstm_step_forward(lambda x, h, c, Wx, Wh, b: right_step(x, h, c, Wx.T, Wh, b))
    assert "transposed weight" in capsys.readouterr().out
    check_lstm_step_forward(lambda *a: right_step(*a)[0])
    assert "pair" in capsys.readouterr().out
    check_lstm_step_forward(lambda *a: tuple(v[:1] for v in right_step(*a)))
    assert "shape (N, H)" in capsys.readouterr().out
    check_lstm_step_forward(lambda *a: (right_step(*a)[0] + 1, right_step(*a)[1]))
    assert "C_t is right but h_t is not" in capsys.readouterr().out
    check_lstm_step_forward(lambda *a: (right_step(*a)[0], right_step(*a)[1] + 1))
    assert "C_t differs" in capsys.readouterr().out


def test_forward_agrees_with_torch():
    """The reference the check uses agrees with torch.nn.LSTM (gate order i, f, g, o)."""
    x, h0, c0, Wx, Wh, b = ex04._case()
    D, H = Wx.shape[0], h0.shape[1]
    lstm = torch.nn.LSTM(D, H, batch_first=True, dtype=torch.float64)
    with torch.no_grad():
        lstm.weight_ih_l0.copy_(torch.tensor(Wx.T))
        lstm.weight_hh_l0.copy_(torch.tensor(Wh.T))
        lstm.bias_ih_l0.copy_(torch.tensor(b))
        lstm.bias_hh_l0.zero_()
        _, (h, c) = lstm(torch.tensor(x)[:, None], (torch.tensor(h0)[None], torch.tensor(c0)[None]))
    h_want, c_want = right_step(x, h0, c0, Wx, Wh, b)
    np.testing.assert_allclose(h[0].numpy(), h_want, atol=1e-12)
    np.testing.assert_allclose(c[0].numpy(), c_want, atol=1e-12)


def right_backward(dh, dc, x, h_prev, c_prev, Wx, Wh, b):
    return lstm_step_backward(dh, dc, lstm_step_forward(x, h_prev, c_prev, Wx, Wh, b)[2])


def test_right_backward_passes(capsys):
    assert check_lstm_step_backward(lambda *a: ex04._step_backward(*a)) is True
    assert check_lstm_step_backward(right_backward) is True
    assert check_lstm_step_backward(stub) is False
    assert "Not yet" in capsys.readouterr().out


def test_written_out_backward_matches_finite_differences():
    """The mistake generator with mistake=None is the true gradient of L = sum(dh*h) + sum(dc*c)."""
    x, h0, c0, Wx, Wh, b = ex04._case(5, N=2, D=3, H=2)
    rng = np.random.default_rng(1)
    dh, dc = rng.normal(size=h0.shape), rng.normal(size=h0.shape)

    def loss(x=x, h0=h0, c0=c0, Wx=Wx, Wh=Wh, b=b):
        h, c = right_step(x, h0, c0, Wx, Wh, b)
        return np.sum(dh * h) + np.sum(dc * c)

    grads = ex04._step_backward(dh, dc, x, h0, c0, Wx, Wh, b)
    for name, arr, g in [("x", x, grads[0]), ("h0", h0, grads[1]), ("c0", c0, grads[2]), ("Wx", Wx, grads[3])]:
        num = np.zeros_like(arr)
        for idx in np.ndindex(arr.shape):
            old = arr[idx]
            arr[idx] = old + 1e-6
            up = loss()
            arr[idx] = old - 1e-6
            down = loss()
            arr[idx] = old
            num[idx] = (up - down) / 2e-6
        np.testing.assert_allclose(g, num, atol=1e-7, err_msg=name)


@pytest.mark.parametrize("mistake", list(ex04._BACKWARD_MISTAKES))
def test_backward_mistakes_are_named(mistake, capsys):
    assert check_lstm_step_backward(lambda *a: ex04._step_backward(*a, mistake=mistake)) is False
    out = capsys.readouterr().out
    assert out.startswith("Not quite: looks like") and ex04._BACKWARD_MISTAKES[mistake] in out


def test_backward_other_wrong_answers(capsys):
    check_lstm_step_backward(lambda *a: right_backward(*a)[:5])
    assert "six arrays" in capsys.readouterr().out
    check_lstm_step_backward(lambda *a: (*right_backward(*a)[:3], right_backward(*a)[3].T, *right_backward(*a)[4:]))
    assert "dWx must have the shape" in capsys.readouterr().out
    check_lstm_step_backward(lambda *a: (*right_backward(*a)[:5], 2 * right_backward(*a)[5]))
    assert "db differ" in capsys.readouterr().out


def test_parameter_count(capsys):
    D, H = PARAMETER_QUESTION["D"], PARAMETER_QUESTION["H"]
    n = sum(p.numel() for p in torch.nn.LSTM(D, H).parameters())
    assert check_lstm_parameter_count(n) is True
    out = capsys.readouterr().out
    assert out.startswith("Correct") and str(n) not in out
    assert check_lstm_parameter_count(None) is False
    assert capsys.readouterr().out.startswith("Not yet")


@pytest.mark.parametrize(
    "answer, words",
    [
        (2480, "two bias vectors"),
        (2400, "biases are missing"),
        (640, "there are four"),
        (1760, "input weights"),
        (960, "recurrent weights"),
        (1920, "GRU"),
        (1234, "count 4 blocks"),
        (2560.0, "an int"),
    ],
)
def test_parameter_count_mistakes_are_named(answer, words, capsys):
    assert check_lstm_parameter_count(answer) is False
    assert words in capsys.readouterr().out
