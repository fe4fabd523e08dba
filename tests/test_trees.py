"""Tree type, expression trees, numpy recursive net with BPTS, torch parity, batching, explorer."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from rnn_helpers import gradcheck_report
from rnn_helpers.explorers import tree_explorer, tree_flow_view
from rnn_helpers.trees import (
    BOOL_VOCAB,
    Tree,
    TreeNet,
    batch_trees,
    evaluate_expression,
    expression_dataset,
    init_tree_params,
    parse_tree,
    prefix_tokens,
    random_expression_tree,
    tree_backward,
    tree_forward,
    tree_loss,
)


def test_parse_print_roundtrip_and_post_order():
    text = "(XOR (AND 1 1) (OR 0 (XOR 1 1)))"
    t = parse_tree(text)
    assert str(t) == text
    assert [n.label for n in t.nodes()] == "1 1 AND 0 1 1 XOR OR XOR".split()
    assert t.depth == 3 and len(t) == 9
    assert prefix_tokens(t) == "XOR AND 1 1 OR 0 XOR 1 1".split()


@pytest.mark.parametrize("bad", ["", "(AND 1)", "(AND 1 0", "(AND 1 0) 1", ")", "(1 0)x("])
def test_parse_rejects_bad_text(bad):
    with pytest.raises(ValueError):
        parse_tree(bad)


def test_node_with_one_child_rejected():
    with pytest.raises(ValueError, match="0 or 2 children"):
        Tree("AND", (Tree("1"),))


def test_evaluate_expression_truth_tables():
    for a in (0, 1):
        for b in (0, 1):
            assert evaluate_expression(parse_tree(f"(AND {a} {b})")).y == (a and b)
            assert evaluate_expression(parse_tree(f"(OR {a} {b})")).y == (a or b)
            assert evaluate_expression(parse_tree(f"(XOR {a} {b})")).y == (a ^ b)
    with pytest.raises(ValueError, match="operator"):
        evaluate_expression(parse_tree("(NAND 1 0)"))


@given(st.integers(0, 7), st.integers(0, 10_000))
@settings(max_examples=40, deadline=None)
def test_random_tree_has_exact_depth_and_consistent_values(depth, seed):
    t = random_expression_tree(depth, np.random.default_rng(seed))
    assert t.depth == depth
    again = evaluate_expression(parse_tree(str(t)))
    assert [n.y for n in again.nodes()] == [n.y for n in t.nodes()]


def _setup(H=3, seed=0, depth=3):
    rng = np.random.default_rng(seed)
    return random_expression_tree(depth, rng), init_tree_params(BOOL_VOCAB, H, 2, rng)


@pytest.mark.parametrize("nodes", ["root", "all"])
@pytest.mark.parametrize("seed", [0, 1])
def test_bpts_matches_finite_differences(nodes, seed):
    tree, params = _setup(seed=seed)
    rows = gradcheck_report(lambda: tree_loss(tree, params, BOOL_VOCAB, nodes)[:2], params)
    assert max(r.rel_error for r in rows) < 1e-7, rows


def test_tree_backward_with_gradient_on_one_inner_node():
    tree, params = _setup(H=2, depth=2)
    h, cache = tree_forward(tree, params, BOOL_VOCAB)
    dh = np.zeros_like(h)
    dh[-2] = [1.0, -2.0]  # loss = h[-2] . (1, -2); a node below the root
    grads = tree_backward(dh, cache)
    eps, k = 1e-6, (0, 0, 1)
    for name in ("E", "W"):
        idx = k[: params[name].ndim]
        old = params[name][idx]
        params[name][idx] = old + eps
        plus = tree_forward(tree, params, BOOL_VOCAB)[0][-2] @ [1.0, -2.0]
        params[name][idx] = old - eps
        minus = tree_forward(tree, params, BOOL_VOCAB)[0][-2] @ [1.0, -2.0]
        params[name][idx] = old
        assert grads[name][idx] == pytest.approx((plus - minus) / (2 * eps), rel=1e-6, abs=1e-9)


def test_bad_shapes_name_the_argument():
    tree, params = _setup()
    params["W"] = params["W"][:, :, :-1]
    with pytest.raises(ValueError, match=r"W must have shape \(K, H, 2H\) = \(3, 3, 6\)"):
        tree_forward(tree, params, BOOL_VOCAB)
    tree, params = _setup()
    h, cache = tree_forward(tree, params, BOOL_VOCAB)
    with pytest.raises(ValueError, match="dh must have shape"):
        tree_backward(h[:-1], cache)
    with pytest.raises(ValueError, match="leaf label"):
        tree_forward(parse_tree("(AND 1 2)"), params, BOOL_VOCAB)


@given(st.integers(1, 5), st.integers(1, 5), st.integers(0, 1000))
@settings(max_examples=20, deadline=None)
def test_torch_forward_and_gradients_match_numpy(depth, H, seed):
    tree, params = _setup(H=H, seed=seed, depth=depth)
    net = TreeNet.from_numpy(params, BOOL_VOCAB)
    h_t = net.forward_tree(tree)
    h, _ = tree_forward(tree, params, BOOL_VOCAB)
    np.testing.assert_allclose(h_t.detach().numpy(), h, rtol=1e-12, atol=1e-14)
    loss_np, grads, _ = tree_loss(tree, params, BOOL_VOCAB, "all")
    y = torch.tensor([n.y for n in tree.nodes()])
    loss = torch.nn.functional.cross_entropy(net.readout(h_t), y)
    loss.backward()
    assert loss.item() == pytest.approx(loss_np, rel=1e-12)
    for name in ("E", "W", "b"):
        np.testing.assert_allclose(getattr(net, name).grad.numpy(), grads[name], atol=1e-12)
    np.testing.assert_allclose(net.readout.weight.grad.numpy(), grads["Wy"], atol=1e-12)


def test_batched_forward_equals_one_by_one_and_round_trips():
    rng = np.random.default_rng(3)
    params = init_tree_params(BOOL_VOCAB, 4, 2, rng)
    trees = expression_dataset(20, [0, 1, 2, 5], rng)
    net = TreeNet.from_numpy(params, BOOL_VOCAB)
    batch = batch_trees(trees, BOOL_VOCAB)
    assert len(batch.levels) == max(t.depth for t in trees)
    assert batch.y.tolist() == [t.y for t in trees]
    scores = net.forward_batch(batch).detach().numpy()
    ref = [tree_forward(t, params, BOOL_VOCAB)[0][-1] @ params["Wy"].T + params["by"] for t in trees]
    np.testing.assert_allclose(scores, np.array(ref), atol=1e-12)
    for name, value in net.to_numpy().items():
        np.testing.assert_array_equal(value, params[name])
    with pytest.raises(ValueError, match="at least one tree"):
        batch_trees([], BOOL_VOCAB)


def test_tree_net_learns_shallow_expressions_and_generalises_one_level_deeper():
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    train = expression_dataset(500, [1, 2, 3], rng)
    batches = [batch_trees(train[i : i + 50], BOOL_VOCAB) for i in range(0, 500, 50)]
    net = TreeNet(BOOL_VOCAB, H=16)
    opt = torch.optim.Adam(net.parameters(), lr=0.02)
    for step in range(150):
        b = batches[step % len(batches)]
        loss = torch.nn.functional.cross_entropy(net.forward_batch(b), b.y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    test = batch_trees(expression_dataset(200, [4], rng), BOOL_VOCAB)
    acc = (net.forward_batch(test).argmax(1) == test.y).float().mean()
    assert acc > 0.9


def test_flow_view_hides_nodes_not_yet_computed():
    params = init_tree_params(BOOL_VOCAB, 3, 2, np.random.default_rng(0))
    v = tree_flow_view("(AND 1 (OR 0 1))", 2, params, BOOL_VOCAB)
    assert v["n_nodes"] == 5 and v["step"] == 2
    assert np.isfinite(v["p_true"][:2]).all() and np.isnan(v["p_true"][2:]).all()
    assert v["prediction"] is None and v["truth"].tolist() == [1, 0, 1, 1, 1]
    full = tree_flow_view("(AND 1 (OR 0 1))", 99, params, BOOL_VOCAB)
    assert full["step"] == 5 and full["prediction"] in (0, 1)
    bad = tree_flow_view("(AND 1", 3, params, BOOL_VOCAB)
    assert bad["tree"] is None and "ends too early" in bad["error"]


def test_explorer_controls_change_state():
    e = tree_explorer()
    first = e.state["n_nodes"]
    assert e.state["step"] == first  # a new tree starts fully computed
    e.controls["step"].value = 1
    assert e.state["step"] == 1 and np.isnan(e.state["p_true"][1:]).all()
    e.controls["text"].value = "(OR 1 0)"
    assert e.state["n_nodes"] == 3 and e.state["step"] == 3 and e.controls["step"].max == 3
    e.controls["example"].value = e.controls["example"].options[1]
    assert e.state["tree"] is not None and str(e.state["tree"]) == e.controls["example"].value
    e.controls["text"].value = "(OR 1"
    assert e.state["error"] and e.state["tree"] is None
