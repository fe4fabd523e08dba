"""The notebook 05 check accepts a right GRU step, says "Not yet" for the stub and names each mistake."""

import numpy as np
import pytest
import torch

from rnn_helpers.exercises import ex05
from rnn_helpers.exercises.ex05 import check_gru_step
from rnn_helpers.gru import gru_step_forward


def stub(*args):
    raise NotImplementedError


def test_right_step_passes_without_printing_values(capsys):
    assert check_gru_step(lambda *a: ex05._step(*a)) is True
    assert check_gru_step(lambda *a: gru_step_forward(*a)[0]) is True
    out = capsys.readouterr().out
    assert out.startswith("Correct") and not any(ch.isdigit() for ch in out)


def test_stub_says_not_yet(capsys):
    assert check_gru_step(stub) is False
    assert capsys.readouterr().out.startswith("Not yet")


def test_written_out_step_agrees_with_torch():
    x, h, Wx, Wh, bx, bh = ex05._case()
    gru = torch.nn.GRU(Wx.shape[0], h.shape[1], batch_first=True, dtype=torch.float64)
    with torch.no_grad():
        for name, value in [("weight_ih_l0", Wx.T), ("weight_hh_l0", Wh.T), ("bias_ih_l0", bx), ("bias_hh_l0", bh)]:
            getattr(gru, name).copy_(torch.tensor(value))
        _, h_torch = gru(torch.tensor(x)[:, None], torch.tensor(h)[None])
    np.testing.assert_allclose(ex05._step(x, h, Wx, Wh, bx, bh), h_torch[0].numpy(), atol=1e-12)


@pytest.mark.parametrize("mistake", list(ex05._MISTAKES))
def test_mistakes_are_named(mistake, capsys):
    assert check_gru_step(lambda *a: ex05._step(*a, mistake=mistake)) is False
    out = capsys.readouterr().out
    assert out.startswith("Not quite: looks like") and ex05._MISTAKES[mistake] in out


def test_other_wrong_answers(capsys):
    check_gru_step(lambda x, h, Wx, Wh, bx, bh: ex05._step(x, h, Wx.T, Wh, bx, bh))
    assert "Wx.T does not fit" in capsys.readouterr().out
    check_gru_step(lambda x, h, *r: h[:1])
    assert "shape (N, H)" in capsys.readouterr().out
    check_gru_step(lambda x, h, *r: h * 0)
    assert "differs from torch's GRU step" in capsys.readouterr().out
