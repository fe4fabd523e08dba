"""n-gram baselines: exact against brute-force counting, normalised, and strict about bad input."""

from collections import Counter

import numpy as np
import pytest

from rnn_helpers.ngram import AddKModel, KneserNey, bits_per_char, ngram_codes

RNG = np.random.default_rng(0)
V = 4
TRAIN = RNG.integers(0, V, 300)
TEST = RNG.integers(0, V, 40)


def _kn_brute(tr, n):
    """Interpolated Kneser-Ney by explicit counting over tuples (slow, obviously right)."""
    s = tuple(tr)
    raw = {m: Counter(s[i : i + m] for i in range(len(s) - m + 1)) for m in range(1, n + 1)}
    counts = {}
    for m in range(1, n + 1):
        if m == n:
            counts[m] = raw[m]
        else:
            counts[m] = Counter(g[1:] for g in raw[m + 1])
    D = {}
    for m, c in counts.items():
        vals = list(c.values())
        n1, n2 = vals.count(1), vals.count(2)
        D[m] = n1 / (n1 + 2 * n2) if n1 + n2 else 0.5

    def P(h, c, m):
        if m == 0:
            return 1 / V
        hh = h[len(h) - (m - 1) :] if m > 1 else ()
        total = sum(v for g, v in counts[m].items() if g[:-1] == hh)
        low = P(h, c, m - 1)
        if total == 0:
            return low
        types = sum(1 for g in counts[m] if g[:-1] == hh)
        return max(counts[m].get(hh + (c,), 0) - D[m], 0) / total + D[m] * types / total * low

    return P


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_kneser_ney_matches_brute_force(n):
    P = _kn_brute(TRAIN, n)
    got = 2 ** KneserNey(TRAIN, V, n).log2probs(TEST)
    want = [P(tuple(TEST[max(0, t - n + 1) : t]), TEST[t], min(t, n - 1) + 1) for t in range(1, len(TEST))]
    np.testing.assert_allclose(got, want, atol=1e-12)


def test_lower_order_view_equals_a_model_fitted_at_that_order():
    big = KneserNey(TRAIN, V, 5)
    for n in range(1, 6):
        np.testing.assert_allclose(big.order(n).log2probs(TEST), KneserNey(TRAIN, V, n).log2probs(TEST), atol=1e-12)
    with pytest.raises(ValueError, match="n must be in 1..5"):
        big.order(6)


@pytest.mark.parametrize("n", [1, 2, 3])
def test_add_k_matches_counting(n):
    k = 0.5
    s = tuple(TRAIN)
    got = 2 ** AddKModel(TRAIN, V, n, k=k).log2probs(TEST)
    for t in range(1, len(TEST)):
        m = min(t, n - 1) + 1
        h = tuple(TEST[t - m + 1 : t])
        c_h = sum(s[i : i + m - 1] == h for i in range(len(s) - m + 1)) if m > 1 else len(s)
        c_hc = sum(s[i : i + m] == h + (TEST[t],) for i in range(len(s) - m + 1))
        assert got[t - 1] == pytest.approx((c_hc + k) / (c_h + k * V), abs=1e-12)


@pytest.mark.parametrize("model", [AddKModel(TRAIN, V, 2), KneserNey(TRAIN, V, 3)])
def test_next_probs_sum_to_one_and_samples_are_seeded(model):
    for context in [[], [1], [2, 3, 0, 1]]:
        p = model.next_probs(context)
        assert p.shape == (V,) and abs(p.sum() - 1) < 1e-12 and p.min() > 0
    a = model.sample([1, 2], 30, np.random.default_rng(5))
    assert a == model.sample([1, 2], 30, np.random.default_rng(5)) and len(a) == 30


def test_longer_context_helps_on_structured_text():
    text = np.tile([0, 1, 2, 3, 1, 2, 0, 3], 60)
    uni, kn = AddKModel(text, V, 1), KneserNey(text, V, 4)
    assert bits_per_char(uni.log2probs(text[:80])) > bits_per_char(kn.log2probs(text[:80])) + 1


def test_codes_and_bad_input():
    np.testing.assert_array_equal(ngram_codes(np.array([1, 2, 3]), 2, 4), [1 * 4 + 2, 2 * 4 + 3])
    with pytest.raises(ValueError, match="ids in 0..V-1"):
        KneserNey(np.array([0, 4]), V, 2)
    with pytest.raises(ValueError, match="1-D integer"):
        AddKModel(np.zeros((2, 2), int), V, 2)
    with pytest.raises(ValueError, match="k must be > 0"):
        AddKModel(TRAIN, V, 2, k=0)
    with pytest.raises(ValueError, match="n must be >= 1"):
        KneserNey(TRAIN, V, 0)
