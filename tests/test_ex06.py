"""Exercise checks of notebook 06 accept the solution and name each common mistake."""

import re

import numpy as np
import torch
import torch.nn.functional as F

from rnn_helpers.exercises.ex06 import attention_reference, check_attention, check_masked_loss
from rnn_helpers.seq2seq import Translator


def _softmax(x, axis):
    with np.errstate(invalid="ignore"):  # a column of -inf (the wrong-axis mistake) gives NaN, as it would
        z = np.exp(x - x.max(axis=axis, keepdims=True))
        return z / z.sum(axis=axis, keepdims=True)


def _attention(mistake=None):
    """An attention function with one deliberate mistake (None: right)."""

    def fn(d, h, W_a, pad):
        e = d @ (W_a.T if mistake == "W_a.T" else W_a) @ h.transpose(0, 2, 1)  # (N, T_y, T_x)
        m = pad[:, None, :]
        if mistake == "inverted":
            m = ~m
        if mistake == "transposed":
            return e.transpose(0, 2, 1), None, None
        if mistake == "zero":
            e = np.where(m, 0.0, e)
        elif mistake not in ("none", "after"):
            e = np.where(m, -np.inf, e)
        alpha = _softmax(e, 1 if mistake == "axis" else 2)
        if mistake == "after":
            alpha = alpha * ~m
        return e, alpha, alpha @ h

    return fn


def _run(capsys, fn):
    ok = check_attention(fn)
    return ok, capsys.readouterr().out


def test_attention_solution_is_correct_and_prints_no_values(capsys):
    ok, out = _run(capsys, _attention())
    assert ok and out.startswith("Correct")
    assert not re.search(r"\d\.\d", out)  # no values of the answer


def test_attention_names_each_mistake(capsys):
    names = {
        "inverted": "mask is inverted",
        "axis": "softmax runs over the output steps",
        "after": "mask is applied after the softmax",
        "none": "there is no mask",
        "zero": "set to 0 instead of -inf",
        "W_a.T": "W_a is transposed",
        "transposed": "scores are transposed",
    }
    for mistake, words in names.items():
        ok, out = _run(capsys, _attention(mistake))
        assert not ok and out.startswith("Not quite") and words in out, (mistake, out)


def test_attention_stub_and_crash_do_not_raise(capsys):
    def stub(d, h, W_a, pad):
        raise NotImplementedError

    ok, out = _run(capsys, stub)
    assert not ok and out.startswith("Not yet")
    ok, out = _run(capsys, lambda d, h, W_a, pad: (d @ h, None, None))
    assert not ok and "raised" in out


def test_attention_reference_matches_the_torch_model():
    torch.manual_seed(0)
    model = Translator(10, 10, emb=4, hidden=6).double()
    d, h = torch.randn(2, 3, 6, dtype=torch.float64), torch.randn(2, 5, 6, dtype=torch.float64)
    pad = torch.tensor([[False, False, True, True, True], [False] * 5])
    c, alpha = model.attend(d, h, pad)
    W_a = model.W_a.weight.detach().T.numpy()  # torch stores (out, in): d W_a = d @ weight.T
    e, alpha_np, c_np = attention_reference(d.numpy(), h.numpy(), W_a, pad.numpy())
    assert np.allclose(alpha_np, alpha.detach().numpy()) and np.allclose(c_np, c.detach().numpy())
    assert np.all(alpha_np[0, :, 2:] == 0) and np.allclose(alpha_np.sum(2), 1)


def _flat(logits, targets):
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1), reduction="none")


def test_masked_loss_solution_and_mistakes(capsys):
    ok = lambda lo, y: F.cross_entropy(lo.reshape(-1, lo.shape[-1]), y.reshape(-1), ignore_index=0)
    assert check_masked_loss(ok) and capsys.readouterr().out.startswith("Correct")
    mask = lambda y: (y != 0).reshape(-1)
    mistakes = {
        "pads are counted": lambda lo, y: _flat(lo, y).mean(),
        "summed": lambda lo, y: _flat(lo, y)[mask(y)].sum(),
        "divided by all": lambda lo, y: _flat(lo, y)[mask(y)].sum() / y.numel(),
        "<eos> tokens were masked": lambda lo, y: _flat(lo, y)[((y != 0) & (y != 2)).reshape(-1)].mean(),
        "inverted": lambda lo, y: _flat(lo, y)[~mask(y)].mean(),
        "Flatten first": lambda lo, y: F.cross_entropy(lo, y),
        "differs": lambda lo, y: torch.tensor(0.0),
    }
    for why, fn in mistakes.items():
        assert not check_masked_loss(fn)
        assert why in capsys.readouterr().out, why

    def stub(lo, y):
        raise NotImplementedError

    assert not check_masked_loss(stub) and capsys.readouterr().out.startswith("Not yet")
