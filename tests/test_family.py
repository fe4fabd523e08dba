import pytest
import torch

from rnn_helpers.explorers import family_explorer
from rnn_helpers.models import BagOfTokens, TinyRNNClassifier
from rnn_helpers.tasks import order_task
from rnn_helpers.training import accuracy, fit


def test_order_task_labels_every_ordering():
    X, y = order_task(4, first=2, second=0)
    assert X.shape == (24, 4) and len({tuple(r) for r in X}) == 24
    for row, label in zip(X, y):
        assert label == int(list(row).index(2) < list(row).index(0))
    assert y.mean() == 0.5


@pytest.mark.parametrize(("n", "first", "second"), [(1, 0, 1), (9, 0, 1), (4, 1, 1), (4, 0, 4)])
def test_order_task_rejects_bad_arguments(n, first, second):
    with pytest.raises(ValueError, match="n must be|first and second"):
        order_task(n, first, second)


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


def test_family_explorer_redraws_on_each_control():
    e = family_explorer(layout="many-to-one", T=5)
    first = e.widget.children[1].value
    assert e.state == {"layout": "many-to-one", "T": 5, "hidden_nodes": 5}
    e.controls["T"].value = 3
    assert e.state["hidden_nodes"] == 3 and e.widget.children[1].value != first
    e.controls["layout"].value = "one-to-one"
    assert e.state["hidden_nodes"] == 1  # one-to-one ignores T
    assert len(e.widget.children[1].value) > 1000  # a PNG, not an empty image
