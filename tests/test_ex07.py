"""The notebook 07 checks accept a right tree forward/backward, say "Not yet" for the stub and name each mistake."""

import numpy as np
import pytest

from rnn_helpers.exercises import ex07
from rnn_helpers.exercises.ex07 import check_levels, check_tree_backward, check_tree_forward
from rnn_helpers.trees import BOOL_VOCAB, parse_tree, tree_backward, tree_forward


def stub(*args):
    raise NotImplementedError


def right_backward(tree, params, vocab, h, dh):
    return tree_backward(dh, tree_forward(tree, params, vocab)[1])


def test_right_answers_pass_without_printing_values(capsys):
    assert check_tree_forward(lambda t, p, v: tree_forward(t, p, v)[0]) is True
    assert check_tree_forward(lambda t, p, v: ex07._forward(t, p, v)) is True
    assert check_tree_backward(right_backward) is True
    assert check_tree_backward(lambda t, p, v, h, dh: ex07._backward(t, p, h, dh, v)) is True
    out = capsys.readouterr().out
    assert out.count("Correct") == 4 and not any(ch.isdigit() for ch in out)


def test_stubs_say_not_yet(capsys):
    assert check_tree_forward(stub) is False
    assert check_tree_backward(stub) is False
    assert check_levels(None, [parse_tree("(AND 1 0)")]) is False
    out = capsys.readouterr().out
    assert out.count("Not yet") == 3


def test_the_case_uses_every_operator_and_leaf_more_than_once():
    tree, _ = ex07._case()
    labels = [n.label for n in tree.nodes()]
    assert all(labels.count(op) >= 2 for op in BOOL_VOCAB.ops) and all(labels.count(x) >= 2 for x in "01")


@pytest.mark.parametrize("mistake", list(ex07._FORWARD_MISTAKES))
def test_forward_mistakes_are_named(mistake, capsys):
    assert check_tree_forward(lambda t, p, v: ex07._forward(t, p, v, mistake=mistake)) is False
    out = capsys.readouterr().out
    assert out.startswith("Not quite: looks like") and ex07._FORWARD_MISTAKES[mistake] in out


def test_forward_other_wrong_answers(capsys):
    def transposed(t, p, v):
        return ex07._forward(t, {**p, "W": p["W"].transpose(0, 2, 1)}, v)

    check_tree_forward(transposed)
    assert "W[op] has shape (H, 2H)" in capsys.readouterr().out
    check_tree_forward(lambda t, p, v: ex07._forward(t, p, v)[:-1])
    assert "one row per node" in capsys.readouterr().out
    check_tree_forward(lambda t, p, v: ex07._forward(t, {**p, "E": p["E"][::-1]}, v))
    assert "the leaves are wrong" in capsys.readouterr().out
    check_tree_forward(lambda t, p, v: ex07._forward(t, {**p, "b": 2 * p["b"]}, v))
    assert "the leaves are right but a parent is not" in capsys.readouterr().out


def test_reference_backward_matches_finite_differences():
    tree, params = ex07._case(11)
    h, cache = tree_forward(tree, params, BOOL_VOCAB)
    dh = np.random.default_rng(0).normal(size=h.shape)
    numeric = ex07._finite_differences(tree, {k: v.copy() for k, v in params.items()}, dh)
    for k, g in tree_backward(dh, cache).items():
        np.testing.assert_allclose(g, numeric[k], atol=1e-7)


@pytest.mark.parametrize("mistake", list(ex07._BACKWARD_MISTAKES))
def test_backward_mistakes_are_named(mistake, capsys):
    assert check_tree_backward(lambda t, p, v, h, dh: ex07._backward(t, p, h, dh, v, mistake=mistake)) is False
    out = capsys.readouterr().out
    assert out.startswith("Not quite: looks like") and ex07._BACKWARD_MISTAKES[mistake] in out


def test_backward_other_wrong_answers(capsys):
    def untransposed(t, p, v, h, dh):
        return ex07._backward(t, {**p, "W": p["W"].transpose(0, 2, 1)}, h, dh, v)

    check_tree_backward(untransposed)
    assert "W[op].T @ da" in capsys.readouterr().out
    check_tree_backward(lambda *a: right_backward(*a)["W"])
    assert "return a dict" in capsys.readouterr().out
    check_tree_backward(lambda *a: {**right_backward(*a), "W": right_backward(*a)["W"].transpose(0, 2, 1)})
    assert "dW must have the shape" in capsys.readouterr().out
    check_tree_backward(lambda *a: {**right_backward(*a), "b": 0 * right_backward(*a)["b"]})
    assert "db differ" in capsys.readouterr().out


def test_levels(capsys):
    four = [parse_tree(s) for s in ["(AND 1 0)", "(OR (XOR 1 1) 0)", "1", "(AND (OR 0 (XOR 1 0)) (AND 1 1))"]]
    assert check_levels(3, four) is True
    out = capsys.readouterr().out
    assert out.startswith("Correct") and "3" not in out
    for answer, words in [(4, "leaves"), (18, "every node"), (7, "internal nodes one by one"), (6, "one after another"),
                          (2, "distinct heights")]:  # fmt: skip
        assert check_levels(answer, four) is False
        assert words in capsys.readouterr().out
