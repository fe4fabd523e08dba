"""Tests of the toy translation task, the encoder-decoders, masking, decoding and the explorer."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from rnn_helpers.datasets import Vocab
from rnn_helpers.explorers import EXPLORERS, attention_explorer, attention_view
from rnn_helpers.seq2seq import (
    EOS,
    PAD,
    SOS,
    SOURCE_VOCAB,
    SPECIALS,
    TARGET_VOCAB,
    AttentionSeq2Seq,
    Seq2Seq,
    accuracy_by_length,
    aligned_source_positions,
    attention_alignment,
    greedy_decode,
    make_translation_batch,
    masked_cross_entropy,
    parse_digits,
    token_accuracy,
    translate_base_five,
    translation_batch,
    translation_loss,
)
from rnn_helpers.training import fit

V_SRC, V_TGT = len(SOURCE_VOCAB), len(TARGET_VOCAB)


def test_translation_rule_and_lengths():
    assert translate_base_five("7 3 9") == ["five", "two", "three", "five", "four"]
    assert translate_base_five(["0", "5", "6"]) == ["zero", "five", "five", "one"]
    assert aligned_source_positions("7 3") == [0, 0, 1]
    with pytest.raises(ValueError, match="digits"):
        translate_base_five("7a")


def test_vocab_specials_encode_decode():
    assert SOURCE_VOCAB.tokens[:3] == ("<pad>", "<sos>", "<eos>") and (PAD, SOS, EOS) == (0, 1, 2)
    ids = TARGET_VOCAB.encode(["five", "two"])
    assert TARGET_VOCAB.decode([SOS, *ids, EOS, 3, PAD]) == ["five", "two"]  # stops at <eos>
    with pytest.raises(ValueError, match="not in the vocabulary"):
        TARGET_VOCAB.encode(["six"])
    assert Vocab(["b", "a", "b"], specials=SPECIALS, sort=False).itos == [*SPECIALS, "b", "a"]


@settings(max_examples=25, deadline=None)
@given(n=st.integers(1, 6), length=st.integers(1, 9), seed=st.integers(0, 100))
def test_batch_shapes_sos_eos_pad(n, length, seed):
    src, tgt_in, tgt_out = make_translation_batch(n, length, np.random.default_rng(seed))
    assert src.shape == (n, length) and tgt_in.shape == tgt_out.shape
    assert (tgt_in[:, 0] == SOS).all()
    for k in range(n):
        words = translate_base_five(SOURCE_VOCAB.decode(src[k]))
        assert TARGET_VOCAB.decode(tgt_out[k]) == words
        m = len(words)
        assert tgt_out[k, m] == EOS and (tgt_out[k, m + 1 :] == PAD).all()
        assert (tgt_in[k, 1 : m + 1] == tgt_out[k, :m]).all() and (tgt_in[k, m + 1 :] == PAD).all()
    assert (tgt_out == EOS).sum(1).eq(1).all()  # exactly one <eos> per row, and the longest row has no pad
    assert ((tgt_out != PAD).sum(1) == tgt_out.shape[1]).any()


def test_translation_batch_from_given_sources():
    src, tgt_in, tgt_out = translation_batch(["8 6 5", "2 3 0"])
    assert SOURCE_VOCAB.decode(src[1]) == ["2", "3", "0"]
    assert TARGET_VOCAB.decode(tgt_out[0]) == ["five", "three", "five", "one", "five"]
    assert (tgt_out[1] == PAD).sum() == 2 and tgt_in[0, 0] == SOS
    with pytest.raises(ValueError, match="one length"):
        translation_batch(["1 2", "3"])


def test_reverse_flips_source_only():
    a = make_translation_batch(4, 5, np.random.default_rng(0))
    b = make_translation_batch(4, 5, np.random.default_rng(0), reverse=True)
    assert torch.equal(a[0].flip(1), b[0]) and torch.equal(a[2], b[2])


def test_masked_loss_ignores_pads_exactly():
    torch.manual_seed(0)
    _, _, tgt_out = make_translation_batch(5, 4, np.random.default_rng(1))
    logits = torch.randn(*tgt_out.shape, V_TGT, dtype=torch.float64)
    real = tgt_out != PAD
    manual = -(torch.log_softmax(logits, 2).gather(2, tgt_out[..., None])[..., 0][real]).mean()
    assert torch.allclose(masked_cross_entropy(logits, tgt_out), manual)
    noisy = logits.clone()
    noisy[~real] = 100 * torch.randn_like(noisy[~real])  # what the model says at pads is irrelevant
    assert torch.allclose(masked_cross_entropy(noisy, tgt_out), manual)
    assert not torch.allclose(F.cross_entropy(logits.reshape(-1, V_TGT), tgt_out.reshape(-1)), manual)
    with pytest.raises(ValueError, match=r"logits must have shape \(N, T_y, V\)"):
        masked_cross_entropy(logits[:, :-1], tgt_out)
    with pytest.raises(ValueError, match="targets must be a long tensor"):
        masked_cross_entropy(logits, tgt_out.float())


@pytest.mark.parametrize("cls", [Seq2Seq, AttentionSeq2Seq])
def test_forward_equals_stepwise_decoding(cls):
    torch.manual_seed(0)
    model = cls(V_SRC, V_TGT, hidden=8).double()
    src, tgt_in, _ = make_translation_batch(3, 4, np.random.default_rng(2))
    logits, att = model(src, tgt_in)
    assert logits.shape == (*tgt_in.shape, V_TGT)
    state = model.start(src)
    for i in range(tgt_in.shape[1]):
        lo, a, state = model.step(tgt_in[:, i], state)
        assert torch.allclose(lo, logits[:, i], atol=1e-12)
        if cls is AttentionSeq2Seq:
            assert torch.allclose(a, att[:, i], atol=1e-12)
    if cls is AttentionSeq2Seq:
        assert att.shape == (*tgt_in.shape, src.shape[1])
        assert torch.allclose(att.sum(2), torch.ones(att.shape[:2], dtype=att.dtype))
    else:
        assert att is None


def test_plain_decoder_sees_the_source_only_through_the_context():
    torch.manual_seed(0)
    model = Seq2Seq(V_SRC, V_TGT, hidden=8)
    src, tgt_in, _ = make_translation_batch(2, 6, np.random.default_rng(3))
    ctx = model.encode(src)
    with torch.no_grad():
        s, _ = model.decoder(model.tgt_emb(tgt_in), ctx)
        assert torch.allclose(model.out(s), model(src, tgt_in)[0])


def test_greedy_decode_pads_after_eos_and_stops():
    torch.manual_seed(0)
    model = AttentionSeq2Seq(V_SRC, V_TGT, hidden=8)
    with torch.no_grad():
        model.out.bias.zero_()
        model.out.bias[EOS] = 50.0  # always says <eos>
    src, _, _ = make_translation_batch(3, 4, np.random.default_rng(0))
    ids, att = greedy_decode(model, src, max_len=6)
    assert ids.shape == (3, 6) and (ids[:, 0] == EOS).all() and (ids[:, 1:] == PAD).all()
    assert att.shape == (3, 6, 4) and np.allclose(att[:, 0].sum(1), 1) and np.all(att[:, 1:] == 0)
    with pytest.raises(ValueError, match="src must be a long tensor"):
        greedy_decode(model, src.float(), 3)


def test_token_accuracy_counts_eos_not_pads():
    tgt = torch.tensor([[4, 5, EOS, PAD], [3, EOS, PAD, PAD]])
    assert token_accuracy(tgt, tgt) == 1.0
    assert token_accuracy(torch.tensor([[4, 5, EOS, 7], [3, 4, 9, 9]]), tgt) == pytest.approx(4 / 5)
    assert token_accuracy(torch.tensor([[4], [3]]), tgt) == pytest.approx(2 / 5)  # short predictions count as wrong
    with pytest.raises(ValueError, match="rows"):
        token_accuracy(tgt[:1], tgt)


def test_training_lowers_the_loss_and_accuracy_is_in_range():
    torch.manual_seed(0)
    model = AttentionSeq2Seq(V_SRC, V_TGT, hidden=16)
    losses = fit(model, translation_loss(model, (2, 4), batch=32), 60, lr=0.02, schedule="one_cycle", progress=False)
    assert len(losses) == 60 and np.mean(losses[-10:]) < 0.6 * np.mean(losses[:5])
    acc = accuracy_by_length(model, [2, 4], n=20)
    assert set(acc) == {2, 4} and all(0 <= a <= 1 for a in acc.values())
    assert 0 <= attention_alignment(model, n=10, length=4) <= 1
    with pytest.raises(ValueError, match="lengths"):
        translation_loss(model, lengths=(5, 3))


def test_parse_digits_and_attention_view():
    assert parse_digits("3 1 4") == parse_digits("314") == ["3", "1", "4"]
    for bad, why in [("3a", "only the digits"), ("", "1 to 20"), ("1" * 21, "1 to 20")]:
        with pytest.raises(ValueError, match=why):
            parse_digits(bad)
    torch.manual_seed(0)
    view = attention_view(AttentionSeq2Seq(V_SRC, V_TGT, hidden=8), "7 3 9")
    assert view["reference"] == translate_base_five("739") and view["source"] == ["7", "3", "9"]
    assert view["attention"].shape == (len(view["rows"]), 3)
    assert [w for w in view["rows"] if not w.startswith("<")] == view["output"]
    assert view["correct"] == (view["output"] == view["reference"])
    assert attention_view(Seq2Seq(V_SRC, V_TGT, hidden=8), "12")["attention"] is None


def test_explorer_updates_state_and_reports_bad_input():
    torch.manual_seed(0)
    ex = attention_explorer(AttentionSeq2Seq(V_SRC, V_TGT, hidden=8), source="1 2")
    first = ex.widget.children[1].value
    assert ex.state["source"] == ["1", "2"]
    ex.controls["source"].value = "9 8 7 6"
    assert ex.state["source"] == ["9", "8", "7", "6"] and ex.state["attention"].shape[1] == 4
    assert ex.widget.children[1].value != first
    assert ex.widget.children[1].layout.width == "460px"  # shown at its pixel size, not stretched
    ex.controls["source"].value = "9x"
    assert "error" in ex.state and "digits" in ex.state["error"]
    assert "attention" in EXPLORERS


def test_registered_example_runs_even_untrained():
    factory, sweep = EXPLORERS["attention"]
    ex = factory()
    for value in sweep["source"]:
        ex.controls["source"].value = value
        assert ex.state["attention"].shape == (len(ex.state["rows"]), len(parse_digits(value)))
