"""Linear recurrences: every scan equals the loop, numpy equals torch, gradients agree, the
closed forms fail and hold where they should, bad input is named."""

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from rnn_helpers.linear_recurrence import (
    combine,
    cumprod_scan,
    fft_convolve,
    hillis_steele_scan,
    log_scan,
    log_scan_torch,
    lti_kernel,
    recurrence_loop,
    recurrence_loop_torch,
    scan_depth,
    scan_levels,
    scan_torch,
    scan_tree_view,
    transfer_matrix,
)


def problem(N=2, T=11, H=3, seed=0, positive=False):
    rng = np.random.default_rng(seed)
    a = rng.uniform(0.05, 1.0, (N, T, H)) if positive else rng.uniform(-1.0, 1.0, (N, T, H))
    b = rng.uniform(0.1, 2.0, (N, T, H)) if positive else rng.normal(size=(N, T, H))
    h0 = rng.uniform(0.1, 2.0, (N, H)) if positive else rng.normal(size=(N, H))
    return a, b, h0


def test_loop_is_the_recurrence():
    a, b, h0 = problem()
    h = recurrence_loop(a, b, h0)
    np.testing.assert_allclose(h[:, 0], a[:, 0] * h0 + b[:, 0])
    np.testing.assert_allclose(h[:, 5], a[:, 5] * h[:, 4] + b[:, 5])


def test_combine_is_associative_and_composes_maps():
    rng = np.random.default_rng(1)
    p, q, r = [(rng.normal(size=4), rng.normal(size=4)) for _ in range(3)]
    left = combine(*combine(*p, *q), *r)
    right = combine(*p, *combine(*q, *r))
    np.testing.assert_allclose(left, right)
    h = rng.normal(size=4)
    a, b = combine(*p, *q)
    np.testing.assert_allclose(a * h + b, q[0] * (p[0] * h + p[1]) + q[1])


@settings(max_examples=40, deadline=None)
@given(T=st.integers(1, 70), N=st.integers(1, 3), H=st.integers(1, 4), seed=st.integers(0, 10_000))
def test_scans_equal_the_loop_float64(T, N, H, seed):
    a, b, h0 = problem(N, T, H, seed)
    ref = recurrence_loop(a, b, h0)
    np.testing.assert_allclose(hillis_steele_scan(a, b, h0), ref, rtol=0, atol=1e-10)
    got = scan_torch(torch.tensor(a), torch.tensor(b), torch.tensor(h0)).numpy()
    np.testing.assert_allclose(got, ref, rtol=0, atol=1e-10)
    loop_t = recurrence_loop_torch(torch.tensor(a), torch.tensor(b), torch.tensor(h0)).numpy()
    np.testing.assert_allclose(loop_t, ref, rtol=0, atol=1e-12)


def test_scan_float32_within_tolerance():
    a, b, h0 = problem(4, 1024, 8, seed=3)
    a = np.abs(a)
    ref = recurrence_loop(a, b, h0)
    f32 = [v.astype(np.float32) for v in (a, b, h0)]
    got = scan_torch(*map(torch.from_numpy, f32)).double().numpy()
    assert np.abs(got - ref).max() < 1e-5


def test_h0_matters_and_none_means_zeros():
    a, b, h0 = problem()
    np.testing.assert_allclose(hillis_steele_scan(a, b), recurrence_loop(a, b, np.zeros_like(h0)))
    assert np.abs(hillis_steele_scan(a, b, h0) - hillis_steele_scan(a, b)).max() > 0.1


def test_gradients_of_scan_equal_autograd_of_loop():
    a, b, h0 = problem(2, 19, 3, seed=4)
    grads = []
    for run in (scan_torch, recurrence_loop_torch):
        ta, tb, th = (torch.tensor(v, requires_grad=True) for v in (a, b, h0))
        w = torch.tensor(np.random.default_rng(5).normal(size=(2, 19, 3)))
        (run(ta, tb, th) * w).sum().backward()
        grads.append([ta.grad.numpy(), tb.grad.numpy(), th.grad.numpy()])
    for g_scan, g_loop in zip(*grads):
        np.testing.assert_allclose(g_scan, g_loop, rtol=1e-9, atol=1e-12)


def test_scan_gradcheck():
    a, b, h0 = problem(1, 6, 2, seed=6)
    args = tuple(torch.tensor(v, requires_grad=True) for v in (a, b, h0))
    assert torch.autograd.gradcheck(scan_torch, args)


def test_cumprod_form_is_right_short_and_fails_long():
    a, b, h0 = problem(2, 20, 3, seed=7, positive=True)
    np.testing.assert_allclose(cumprod_scan(a, b, h0), recurrence_loop(a, b, h0), rtol=1e-8)
    T = 2000
    a_long = np.full((1, T, 1), 0.5)
    b_long = np.ones((1, T, 1))
    assert not np.isfinite(cumprod_scan(a_long, b_long)).all()  # 0.5^2000 underflows
    h = log_scan(a_long, b_long)
    assert np.isfinite(h).all()
    np.testing.assert_allclose(h, recurrence_loop(a_long, b_long), rtol=1e-10)


def test_log_scan_numpy_and_torch_equal_loop():
    a, b, h0 = problem(2, 33, 3, seed=8, positive=True)
    ref = recurrence_loop(a, b, h0)
    np.testing.assert_allclose(log_scan(a, b, h0), ref, rtol=1e-10)
    got = log_scan_torch(*(torch.log(torch.tensor(v)) for v in (a, b, h0))).numpy()
    np.testing.assert_allclose(got, ref, rtol=1e-10)
    got0 = log_scan_torch(torch.log(torch.tensor(a)), torch.log(torch.tensor(b))).numpy()
    np.testing.assert_allclose(got0, recurrence_loop(a, b), rtol=1e-10)
    np.testing.assert_allclose(log_scan(a, b), recurrence_loop(a, b), rtol=1e-10)


def test_log_scan_torch_gradients():
    a, b, h0 = problem(1, 7, 2, seed=9, positive=True)
    args = tuple(torch.tensor(np.log(v), requires_grad=True) for v in (a, b, h0))
    assert torch.autograd.gradcheck(log_scan_torch, args)


def test_log_scan_refuses_negative_inputs():
    a, b, h0 = problem(positive=True)
    with pytest.raises(ValueError, match="a must be > 0"):
        log_scan(-a, b, h0)
    with pytest.raises(ValueError, match="b must be > 0"):
        log_scan(a, -b, h0)
    with pytest.raises(ValueError, match="h0 must be >= 0"):
        log_scan(a, b, -h0)


@pytest.mark.parametrize(
    "args, message",
    [
        ((np.ones((2, 3)), np.ones((2, 3))), r"a must be a 3-D array of shape \(N, T, H\), got shape \(2, 3\)"),
        (
            (np.ones((2, 3, 4)), np.ones((2, 4, 4))),
            r"b must have shape \(N, T, H\) = \(2, 3, 4\) like a, got \(2, 4, 4\)",
        ),
        (
            (np.ones((2, 3, 4)), np.ones((2, 3, 4)), np.ones((2, 5))),
            r"h0 must have shape \(N, H\) = \(2, 4\), got \(2, 5\)",
        ),
        ((np.ones((2, 0, 4)), np.ones((2, 0, 4))), "at least one time step"),
        ((np.array([["x"]]), np.ones(1)), "a must be a real numeric array"),
    ],
)
def test_bad_input_names_argument_and_shapes(args, message):
    for fn in (recurrence_loop, hillis_steele_scan, cumprod_scan):
        with pytest.raises(ValueError, match=message):
            fn(*args)


def test_torch_bad_input():
    with pytest.raises(ValueError, match="a must be a torch tensor"):
        scan_torch(np.ones((1, 2, 3)), torch.ones(1, 2, 3))
    with pytest.raises(ValueError, match=r"b must have shape \(N, T, H\) = \(1, 2, 3\)"):
        scan_torch(torch.ones(1, 2, 3), torch.ones(1, 3, 3))
    with pytest.raises(ValueError, match="log_b must be a torch tensor"):
        log_scan_torch(torch.ones(1, 2, 3), torch.ones(2, 3))


@pytest.mark.parametrize("T", [1, 2, 3, 8, 9, 1000, 1024, 1025])
def test_depth_and_levels(T):
    levels = scan_levels(T)
    assert len(levels) == scan_depth(T) == (math.ceil(math.log2(T)) if T > 1 else 0)
    assert sum(len(lv) for lv in levels) == sum(T - 2**k for k in range(len(levels)))
    assert all(dst - src == 2**k for k, lv in enumerate(levels) for src, dst in lv)


def test_tree_view_path_reaches_every_input():
    for T in (5, 8, 13):
        for t in range(1, T + 1):
            v = scan_tree_view(T, t)
            assert v["used"][0] == list(range(t))  # h_t reads inputs 1..t, nothing later
            assert v["used"][-1] == [t - 1]
            assert sum(len(e) for e in v["used_edges"]) == t - 1  # t inputs merged by t - 1 combines
    with pytest.raises(ValueError, match="t must be an int with 1 <= t <= T = 5"):
        scan_tree_view(5, 6)
    with pytest.raises(ValueError, match="T must be an int >= 1"):
        scan_depth(0)


def test_transfer_matrix_toeplitz_only_when_time_invariant():
    M = transfer_matrix(np.full(6, 0.7))
    assert np.allclose(M[3, 1], 0.7**2) and np.allclose(M, np.tril(M))
    assert all(np.ptp(np.diagonal(M, -k)) < 1e-12 for k in range(6))
    M2 = transfer_matrix(np.random.default_rng(0).uniform(0.1, 0.9, 6))
    assert max(np.ptp(np.diagonal(M2, -k)) for k in range(1, 6)) > 0.05
    x = np.random.default_rng(1).normal(size=6)
    a = np.random.default_rng(2).uniform(0.1, 0.9, 6)
    np.testing.assert_allclose(transfer_matrix(a) @ x, recurrence_loop(a[None, :, None], x[None, :, None])[0, :, 0])
    with pytest.raises(ValueError, match=r"a must be a 1-D array of shape \(T,\)"):
        transfer_matrix(np.ones((2, 2)))


def test_fft_convolution_equals_recurrence():
    rng = np.random.default_rng(3)
    u = rng.normal(size=(2, 300, 4))
    a = np.array([0.9, -0.5, 0.99, 0.2])
    got = fft_convolve(u, lti_kernel(a, 300))
    np.testing.assert_allclose(got, recurrence_loop(np.broadcast_to(a, u.shape), u), rtol=0, atol=1e-10)
    with pytest.raises(ValueError, match=r"K must have shape \(T, H\) = \(300, 4\), got \(299, 4\)"):
        fft_convolve(u, lti_kernel(a, 299))
    with pytest.raises(ValueError, match=r"a must be a 1-D array of shape \(H,\)"):
        lti_kernel(np.ones((2, 2)), 5)
