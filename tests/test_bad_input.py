"""Bad input to every public function of the numpy core raises a ValueError that names the
argument, its shape and the shape expected (never silent broadcasting, never NaN)."""

import inspect
import re

import numpy as np
import pytest
import torch
from torch import nn

import rnn_helpers as R

rng = np.random.default_rng(0)
N, T, D, H = 4, 3, 2, 5


def arr(*shape):
    return rng.normal(size=shape)


def with_nan(a):
    a = a.copy()
    a.flat[0] = np.nan
    return a


def with_inf(a):
    a = a.copy()
    a.flat[-1] = np.inf
    return a


x, h0, c0, dh = arr(N, T, D), arr(N, H), arr(N, H), arr(N, T, H)
W = {g: (arr(D, g * H), arr(H, g * H), arr(g * H)) for g in (1, 3, 4)}
_, rnn_cache = R.rnn_forward(x, h0, *W[1])
_, _, lstm_cache = R.lstm_forward(x, h0, c0, *W[4])
_, gru_cache = R.gru_forward(x, h0, W[3][0], W[3][1], W[3][2], W[3][2])
_, rnn_step_cache = R.rnn_step_forward(x[:, 0], h0, *W[1])
_, _, lstm_step_cache = R.lstm_step_forward(x[:, 0], h0, c0, *W[4])
_, gru_step_cache = R.gru_step_forward(x[:, 0], h0, W[3][0], W[3][1], W[3][2], W[3][2])
FW = {"Wx": W[4][0], "Wh": W[4][1], "b": W[4][2]}
_, bi_cache = R.bidirectional_forward(x, FW, FW, cell="lstm")


def rows():
    return R.gradcheck_report(lambda: (float((x**2).sum()), {"x": 2 * x}), {"x": x.copy()})


CASES = {
    # --- ops ---
    "sigmoid nan": (lambda: R.sigmoid(with_nan(arr(3))), r"x must contain only finite values"),
    "tanh inf": (lambda: R.tanh(with_inf(arr(3))), r"x must contain only finite values.*shape \(3,\)"),
    "relu text": (lambda: R.relu(np.array(["a"])), r"x must be a real numeric array"),
    "relu_grad nan": (lambda: R.relu_grad(with_nan(arr(2))), r"x must contain only finite"),
    "sigmoid_grad ragged": (lambda: R.sigmoid_grad([[1.0], [1.0, 2.0]]), r"x must be a numeric array"),
    "tanh_grad complex": (lambda: R.tanh_grad(np.ones(2) * 1j), r"x must be a real numeric array"),
    "leaky_relu alpha": (lambda: R.leaky_relu(arr(3), alpha=-1), r"alpha must be a finite number >= 0"),
    "leaky_relu_grad nan": (lambda: R.leaky_relu_grad(with_nan(arr(3))), r"x must contain only finite"),
    "softmax axis": (lambda: R.softmax(arr(2, 3), axis=2), r"axis must be an int in \[-2, 2\)"),
    "softmax 0-D": (lambda: R.softmax(np.float64(1.0)), r"at least one dimension"),
    "log_softmax nan": (lambda: R.log_softmax(with_nan(arr(2, 3))), r"x must contain only finite"),
    "softmax_grad inf": (lambda: R.softmax_grad(with_inf(arr(2, 3))), r"x must contain only finite"),
    "xent y shape": (
        lambda: R.softmax_cross_entropy(arr(4, 3), np.zeros((1,), int)),
        r"y must have shape scores.shape\[:-1\] = \(4,\), got \(1,\)",
    ),
    "xent y range": (
        lambda: R.softmax_cross_entropy(arr(2, 3), np.array([0, 3])),
        r"y must hold labels in \[0, V\) = \[0, 3\)",
    ),
    "xent y float": (lambda: R.softmax_cross_entropy(arr(2, 3), np.array([0.0, 1.0])), r"y must be an integer"),
    "xent nan": (lambda: R.softmax_cross_entropy(with_nan(arr(2, 3)), np.array([0, 1])), r"scores must contain"),
    "mse broadcast": (
        lambda: R.mse_loss(arr(3, 4), arr(3, 1)),
        r"target must have shape pred.shape = \(3, 4\), got \(3, 1\)",
    ),
    "mse nan": (lambda: R.mse_loss(arr(3), with_nan(arr(3))), r"target must contain only finite"),
    # --- gradcheck ---
    "numgrad float32": (
        lambda: R.numerical_gradient(lambda v: v.sum(), arr(3).astype(np.float32)),
        r"x must be a float64 numpy array",
    ),
    "numgrad list": (lambda: R.numerical_gradient(lambda v: 0.0, [1.0, 2.0]), r"x must be a float64 numpy array"),
    "numgrad f": (lambda: R.numerical_gradient(3, arr(3)), r"f must be callable"),
    "numgrad h": (lambda: R.numerical_gradient(lambda v: v.sum(), arr(3), h=0.0), r"h must be a finite number > 0"),
    "numgrad not scalar": (lambda: R.numerical_gradient(lambda v: v, arr(3)), r"f must return a scalar"),
    "numgrad df shape": (
        lambda: R.numerical_gradient(lambda v: v, arr(3), df=arr(2)),
        r"df must have the shape of f\(x\) = \(3,\), got \(2,\)",
    ),
    "rel_error shapes": (lambda: R.rel_error(arr(3), arr(3, 1)), r"b must have the shape of a = \(3,\), got \(3, 1\)"),
    "rel_error nan": (lambda: R.rel_error(with_nan(arr(3)), arr(3)), r"a must contain only finite"),
    "report f": (lambda: R.gradcheck_report(lambda: 1.0, {"x": arr(2)}), r"f\(\) must return \(loss, grads\)"),
    "report missing": (
        lambda: R.gradcheck_report(lambda: (1.0, {}), {"x": arr(2)}),
        r"no entry for parameter 'x'",
    ),
    "report shape": (
        lambda: R.gradcheck_report(lambda: (1.0, {"x": arr(3)}), {"x": arr(2)}),
        r"grads\['x'\] must have the shape of params\['x'\] = \(2,\), got \(3,\)",
    ),
    "report empty": (lambda: R.gradcheck_report(lambda: (1.0, {}), {}), r"params must be a non-empty dict"),
    "format rows": (lambda: R.format_gradcheck([("x", (2,), 0.0)]), r"rows must be the list of GradcheckRow"),
    # --- rnn ---
    "rnn x 2-D": (
        lambda: R.rnn_forward(x[:, 0], h0, *W[1]),
        r"x must be a 3-D array of shape \(N, T, D\), got a 2-D array of shape \(4, 2\)",
    ),
    "rnn h0 broadcast": (
        lambda: R.rnn_forward(x, h0[:1], *W[1]),
        r"h0 must have shape \(N, H\) = \(4, 5\), got \(1, 5\)",
    ),
    "rnn Wh": (
        lambda: R.rnn_forward(x, h0, W[1][0], arr(H, H + 1), W[1][2]),
        r"Wh must have shape \(H, H\) = \(5, 5\), got \(5, 6\)",
    ),
    "rnn Wx": (
        lambda: R.rnn_forward(x, h0, arr(D + 1, H), W[1][1], W[1][2]),
        r"Wx must have shape \(D, H\) = \(2, 5\), got \(3, 5\)",
    ),
    "rnn b 2-D": (
        lambda: R.rnn_forward(x, h0, W[1][0], W[1][1], W[1][2][None]),
        r"b must have shape \(H,\) = \(5,\), got a 2-D array of shape \(1, 5\)",
    ),
    "rnn x nan": (lambda: R.rnn_forward(with_nan(x), h0, *W[1]), r"x must contain only finite values"),
    "rnn Wh inf": (lambda: R.rnn_forward(x, h0, W[1][0], with_inf(W[1][1]), W[1][2]), r"Wh must contain only finite"),
    "rnn activation": (
        lambda: R.rnn_forward(x, h0, *W[1], activation="sigmoid"),
        r"activation must be 'tanh' or 'relu'",
    ),
    "rnn T=0": (lambda: R.rnn_forward(np.zeros((N, 0, D)), h0, *W[1]), r"x must have at least one time step"),
    "rnn dh shape": (
        lambda: R.rnn_backward(dh[:, :, :2], rnn_cache),
        r"dh must have shape \(N, T, H\) = \(4, 3, 5\), got \(4, 3, 2\)",
    ),
    "rnn dh nan": (lambda: R.rnn_backward(with_nan(dh), rnn_cache), r"dh must contain only finite"),
    "rnn cache": (lambda: R.rnn_backward(dh, lstm_cache), r"cache must be the cache returned by rnn_forward"),
    "rnn truncate 0": (
        lambda: R.rnn_backward(dh, rnn_cache, truncate=0),
        r"truncate must be None or an int >= 1, got 0",
    ),
    "rnn truncate float": (lambda: R.rnn_backward(dh, rnn_cache, truncate=1.5), r"truncate must be None or an int"),
    "rnn truncate bool": (lambda: R.rnn_backward(dh, rnn_cache, truncate=True), r"truncate must be None or an int"),
    "rnn step x": (
        lambda: R.rnn_step_forward(x, h0, *W[1]),
        r"x must be a 2-D array of shape \(N, D\), got a 3-D array of shape \(4, 3, 2\)",
    ),
    "rnn step h_prev": (
        lambda: R.rnn_step_forward(x[:, 0], h0[:1], *W[1]),
        r"h_prev must have shape \(N, H\) = \(4, 5\), got \(1, 5\)",
    ),
    "rnn step dh": (
        lambda: R.rnn_step_backward(h0[:1], rnn_step_cache),
        r"dh_next must have shape \(N, H\) = \(4, 5\), got \(1, 5\)",
    ),
    "rnn step cache": (
        lambda: R.rnn_step_backward(h0, rnn_cache),
        r"cache must be the cache returned by rnn_step_forward",
    ),
    # --- lstm ---
    "lstm Wh": (
        lambda: R.lstm_forward(x, h0, c0, W[4][0], arr(H, 3 * H), W[4][2]),
        r"Wh must have shape \(H, 4H\) = \(5, 20\), got \(5, 15\)",
    ),
    "lstm c0 broadcast": (
        lambda: R.lstm_forward(x, h0, c0[:1], *W[4]),
        r"c0 must have shape \(N, H\) = \(4, 5\), got \(1, 5\)",
    ),
    "lstm b": (
        lambda: R.lstm_forward(x, h0, c0, W[4][0], W[4][1], arr(H)),
        r"b must have shape \(4H,\) = \(20,\), got \(5,\)",
    ),
    "lstm x 4-D": (
        lambda: R.lstm_forward(x[None], h0, c0, *W[4]),
        r"x must be a 3-D array of shape \(N, T, D\), got a 4-D",
    ),
    "lstm c0 nan": (lambda: R.lstm_forward(x, h0, with_nan(c0), *W[4]), r"c0 must contain only finite"),
    "lstm dh": (
        lambda: R.lstm_backward(dh[:1], lstm_cache),
        r"dh must have shape \(N, T, H\) = \(4, 3, 5\), got \(1, 3, 5\)",
    ),
    "lstm dc": (
        lambda: R.lstm_backward(dh, lstm_cache, dc=dh[:, :1]),
        r"dc must have shape \(N, T, H\) = \(4, 3, 5\), got \(4, 1, 5\)",
    ),
    "lstm cache": (lambda: R.lstm_backward(dh, rnn_cache), r"cache must be the cache returned by lstm_forward"),
    "lstm truncate": (lambda: R.lstm_backward(dh, lstm_cache, truncate=-2), r"truncate must be None or an int >= 1"),
    "lstm step c_prev": (
        lambda: R.lstm_step_forward(x[:, 0], h0, c0[:, :2], *W[4]),
        r"c_prev must have shape \(N, H\) = \(4, 5\), got \(4, 2\)",
    ),
    "lstm step dc": (
        lambda: R.lstm_step_backward(h0, c0[:1], lstm_step_cache),
        r"dc_next must have shape \(N, H\) = \(4, 5\), got \(1, 5\)",
    ),
    "lstm step cache": (
        lambda: R.lstm_step_backward(h0, c0, lstm_cache),
        r"cache must be the cache returned by lstm_step",
    ),
    # --- gru ---
    "gru Wx": (
        lambda: R.gru_forward(x, h0, arr(D, 4 * H), W[3][1], W[3][2], W[3][2]),
        r"Wx must have shape \(D, 3H\) = \(2, 15\), got \(2, 20\)",
    ),
    "gru bh": (
        lambda: R.gru_forward(x, h0, W[3][0], W[3][1], W[3][2], arr(3 * H + 1)),
        r"bh must have shape \(3H,\) = \(15,\), got \(16,\)",
    ),
    "gru bx nan": (lambda: R.gru_forward(x, h0, W[3][0], W[3][1], with_nan(W[3][2]), W[3][2]), r"bx must contain only"),
    "gru h0 1-D": (
        lambda: R.gru_forward(x, h0[0], W[3][0], W[3][1], W[3][2], W[3][2]),
        r"h0 must be a 2-D array of shape \(N, H\), got a 1-D array of shape \(5,\)",
    ),
    "gru dh": (lambda: R.gru_backward(dh[..., 0], gru_cache), r"dh must have shape \(N, T, H\) = \(4, 3, 5\)"),
    "gru cache": (lambda: R.gru_backward(dh, {"cell": "gru_step"}), r"cache must be the cache returned by gru_forward"),
    "gru truncate": (lambda: R.gru_backward(dh, gru_cache, truncate="2"), r"truncate must be None or an int"),
    "gru step Wh": (
        lambda: R.gru_step_forward(x[:, 0], h0, W[3][0], W[3][1][:, :5], W[3][2], W[3][2]),
        r"Wh must have shape \(H, 3H\) = \(5, 15\), got \(5, 5\)",
    ),
    "gru step dh": (lambda: R.gru_step_backward(h0.T, gru_step_cache), r"dh_next must have shape \(N, H\) = \(4, 5\)"),
    "gru step cache": (lambda: R.gru_step_backward(h0, None), r"cache must be the cache returned by gru_step_forward"),
    # --- bidirectional ---
    "bi cell": (lambda: R.bidirectional_forward(x, FW, FW, cell="transformer"), r"cell must be one of"),
    "bi missing": (
        lambda: R.bidirectional_forward(x, {"Wx": FW["Wx"], "Wh": FW["Wh"]}, FW),
        r"fw for cell 'lstm' must have keys \['Wx', 'Wh', 'b'\].*missing \['b'\]",
    ),
    "bi unknown": (lambda: R.bidirectional_forward(x, FW, {**FW, "bx": 1}), r"bw .*unknown \['bx'\]"),
    "bi not dict": (lambda: R.bidirectional_forward(x, FW, [1, 2]), r"bw must be a dict of parameters"),
    "bi H differs": (
        lambda: R.bidirectional_forward(x, FW, {"Wx": arr(D, 8), "Wh": arr(2, 8), "b": arr(8)}),
        r"bw\['Wh'\] must have the shape of fw\['Wh'\] = \(5, 20\)",
    ),
    "bi h0": (
        lambda: R.bidirectional_forward(x, FW, {**FW, "h0": h0[:1]}),
        r"in bw: h0 must have shape \(N, H\) = \(4, 5\), got \(1, 5\)",
    ),
    "bi x": (lambda: R.bidirectional_forward(x[0], FW, FW), r"x must be a 3-D array"),
    "bi activation": (lambda: R.bidirectional_forward(x, FW, FW, activation="elu"), r"activation must be"),
    "bi dh": (
        lambda: R.bidirectional_backward(dh, bi_cache),
        r"dh must have shape \(N, T, 2H\) = \(4, 3, 10\), got \(4, 3, 5\)",
    ),
    "bi cache": (
        lambda: R.bidirectional_backward(dh, lstm_cache),
        r"cache must be the cache returned by bidirectional",
    ),
    "bi truncate": (lambda: R.bidirectional_backward(np.zeros((N, T, 2 * H)), bi_cache, truncate=0), r"truncate must"),
    # --- torch_convert ---
    "from_torch type": (lambda: R.params_from_torch(nn.Linear(2, 3)), r"module must be a torch.nn.RNN, LSTM, GRU"),
    "from_torch layer": (lambda: R.params_from_torch(nn.GRU(2, 3), layer=1), r"layer must be in \[0, 1\), got 1"),
    "from_torch direction": (
        lambda: R.params_from_torch(nn.GRU(2, 3), direction="backward"),
        r"direction='backward' needs a module with bidirectional=True",
    ),
    "from_torch direction name": (lambda: R.params_from_torch(nn.GRU(2, 3), direction="left"), r"direction must be"),
    "from_torch proj": (lambda: R.params_from_torch(nn.LSTM(2, 3, proj_size=2)), r"proj_size"),
    "from_torch cell layer": (lambda: R.params_from_torch(nn.GRUCell(2, 3), layer=1), r"a torch cell has one layer"),
    "to_torch keys": (
        lambda: R.params_to_torch({"Wx": arr(2, 9), "Wh": arr(3, 9), "b": arr(9)}, nn.GRU(2, 3)),
        r"params for a GRU must have keys \['Wx', 'Wh', 'bx', 'bh'\]",
    ),
    "to_torch shape": (
        lambda: R.params_to_torch({"Wx": arr(2, 12), "Wh": arr(3, 10), "b": arr(12)}, nn.LSTM(2, 3)),
        r"Wh must have shape \(H, 4H\) = \(3, 12\), got \(3, 10\)",
    ),
    "to_torch nan": (
        lambda: R.params_to_torch({"Wx": arr(2, 3), "Wh": with_nan(arr(3, 3)), "b": arr(3)}, nn.RNN(2, 3)),
        r"Wh must contain only finite",
    ),
    "module cell": (lambda: R.torch_module_from_params("lstmx", FW), r"cell must be one of"),
    "module fw": (lambda: R.torch_module_from_params("lstm", {"Wx": FW["Wx"]}), r"fw must be a dict of parameters"),
    "module activation": (lambda: R.torch_module_from_params("rnn", FW, activation="gelu"), r"activation must be"),
    "module 1-D": (
        lambda: R.torch_module_from_params("lstm", {**FW, "Wx": FW["Wx"][0]}),
        r"fw\['Wx'\] and fw\['Wh'\] must be 2-D",
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_raises_a_value_error_that_says_what_is_wrong(name):
    call, pattern = CASES[name]
    with pytest.raises(ValueError, match=pattern):
        call()


def test_every_public_function_of_the_core_has_a_bad_input_case():
    public = set()
    for mod in (R.ops, R.gradcheck, R.rnn, R.lstm, R.gru, R.bidirectional, R.torch_convert):
        public |= {n for n in mod.__all__ if callable(getattr(mod, n)) and not isinstance(getattr(mod, n), type)}
    covered = {
        n for n in public for _, (call, _) in CASES.items() if re.search(rf"\bR\.{n}\(", inspect.getsource(call))
    }
    assert public - covered == set()


def test_the_issue_example_message_exactly():
    with pytest.raises(ValueError) as err:
        R.lstm_forward(x, h0, c0, W[4][0], arr(5, 15), W[4][2])
    assert str(err.value) == "Wh must have shape (H, 4H) = (5, 20), got (5, 15)"


def test_good_input_still_works_after_validation():
    h, _ = R.rnn_forward(x.tolist(), h0.tolist(), *(w.tolist() for w in W[1]))  # nested lists are fine
    assert h.shape == (N, T, H) and np.isfinite(h).all()
    assert torch.is_tensor(torch.tensor(h))
