"""Tests of the hand-wired RNN programs: exhaustive correctness, torch parity, the stepper."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

from rnn_helpers.explorers import program_stepper_explorer, program_stepper_view
from rnn_helpers.programs import (
    all_strings,
    balanced_prefixes,
    brackets_rnn,
    encode_strings,
    parity_rnn,
    run_program,
    running_parity,
    verify_program,
)


def test_references_on_examples():
    assert running_parity("1101") == [True, False, False, True]
    assert balanced_prefixes("()(") == [False, True, False]
    assert balanced_prefixes(")(") == [False, False]
    assert balanced_prefixes("(())") == [False, False, False, True]


@pytest.mark.parametrize("make", [parity_rnn, brackets_rnn])
def test_programs_are_right_on_every_string_up_to_length_12(make):
    report = verify_program(make(), max_len=12)
    assert report["n_strings"] == 2**13 - 2
    assert report["n_answers"] == sum(L * 2**L for L in range(1, 13))
    assert report["n_wrong"] == 0 and report["first_wrong"] is None
    assert report["margin"] > 0.49


def test_verify_catches_a_program_without_memory():
    prog = parity_rnn()
    prog.Wh = np.zeros_like(prog.Wh)  # forget the previous state
    report = verify_program(prog, max_len=4)
    assert report["n_wrong"] > 0 and report["first_wrong"] is not None


def test_low_gain_parity_is_rejected_and_moderate_gain_still_works():
    with pytest.raises(ValueError, match="gain"):
        parity_rnn(gain=1.0)
    assert verify_program(parity_rnn(gain=4.0), max_len=8)["n_wrong"] == 0


def test_brackets_state_is_an_exact_counter():
    out = run_program(brackets_rnn(), ["((()"])
    np.testing.assert_array_equal(out["h"][0, :, 0], [1, 2, 3, 2])  # open-bracket count
    out = run_program(brackets_rnn(), ["())("])
    np.testing.assert_array_equal(out["h"][0, :, 1], [0, 0, 1, 0])  # underflow at step 3
    np.testing.assert_array_equal(out["h"][0, :, 2], [0, 0, 0, 1])  # error remembered after


@pytest.mark.parametrize("make", [parity_rnn, brackets_rnn])
def test_same_hidden_states_as_torch_rnn(make):
    prog = make()
    strings = all_strings(prog.alphabet, 6)
    x = encode_strings(prog, strings)
    rnn = torch.nn.RNN(x.shape[2], len(prog.b), nonlinearity=prog.activation, batch_first=True)
    rnn = rnn.double()
    with torch.no_grad():
        rnn.weight_ih_l0.copy_(torch.from_numpy(prog.Wx.T))
        rnn.weight_hh_l0.copy_(torch.from_numpy(prog.Wh.T))
        rnn.bias_ih_l0.copy_(torch.from_numpy(prog.b))
        rnn.bias_hh_l0.zero_()
        h0 = torch.from_numpy(np.tile(prog.h0, (len(strings), 1)))[None]
        ht, _ = rnn(torch.from_numpy(x), h0)
    np.testing.assert_allclose(run_program(prog, strings)["h"], ht.numpy(), rtol=1e-12, atol=1e-12)


def test_encoding_and_bad_input():
    assert encode_strings(parity_rnn(), ["0110"]).shape == (1, 4, 1)
    np.testing.assert_array_equal(encode_strings(brackets_rnn(), ["()"])[0], [[1, 0], [0, 1]])
    with pytest.raises(ValueError, match="alphabet"):
        encode_strings(brackets_rnn(), ["(]"])
    with pytest.raises(ValueError, match="same length"):
        encode_strings(brackets_rnn(), ["()", "(())"])
    with pytest.raises(ValueError, match="length"):
        all_strings("01", 0)
    assert len(all_strings("()", 3)) == 8


def test_stepper_view_draws_one_line_per_unit():
    fig, ax = plt.subplots()
    v = program_stepper_view(brackets_rnn(), "(()", 2, ax=ax)
    assert len(ax.lines) == 3 and all(len(line.get_xdata()) == 2 for line in ax.lines)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["(", "(", ")"]
    assert v["answer"] is False and v["expected"] is False
    with pytest.raises(ValueError, match="t must be"):
        program_stepper_view(brackets_rnn(), "()", 3)
    plt.close(fig)


def test_stepper_explorer_follows_the_slider():
    e = program_stepper_explorer(string="(())")
    e.controls["t"].value = 4
    assert e.state["h"].shape == (4, 3) and e.state["answer"] is True
    e.controls["t"].value = 3
    assert e.state["h"].shape == (3, 3) and e.state["answer"] is False
    assert e.state["answer"] == e.state["expected"]
