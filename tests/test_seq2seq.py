"""Encoder-decoder translation: data checks, batching, masking, decoding, BLEU, the script, the explorer."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from rnn_helpers.datasets import DATA_DIR, load_spa_eng
from rnn_helpers.explorers import attention_explorer, attention_view
from rnn_helpers.seq2seq import (
    EOS,
    PAD,
    UNK,
    BahdanauTranslator,
    Translator,
    beam_search,
    build_vocab,
    corpus_bleu,
    detokenize,
    encode_words,
    greedy_decode,
    load_translator,
    masked_loss,
    pad_batch,
    split_pairs,
    tokenize,
)

ROOT = Path(__file__).resolve().parents[1]


def test_tokenize_and_detokenize():
    assert tokenize("¿Qué hora es?") == ["¿", "qué", "hora", "es", "?"]
    assert tokenize("I don't know.") == ["i", "don't", "know", "."]
    assert detokenize(["¿", "qué", "hora", "es", "?"]) == "¿qué hora es?"
    assert detokenize(["¡", "te", "amo", "!"]) == "¡te amo!"


def test_vocab_orders_by_frequency_and_maps_unknown_words():
    v = build_vocab([["b", "a", "a"]])
    assert v.tokens[:6] == ("<pad>", "<sos>", "<eos>", "<unk>", "a", "b")
    assert encode_words(v, ["b", "zzz"]) == [5, UNK]
    assert v.decode([4, 5, EOS, 4]) == ["a", "b"]


def test_data_checksum_and_split(tmp_path):
    pairs = load_spa_eng()
    assert len(pairs) == 23580 and all(len(p) == 2 for p in pairs)
    split = split_pairs(pairs)
    held = {en for en, _ in split["test"] + split["valid"]}
    assert len(split["test"]) == 1000 and len(split["valid"]) == 500
    assert not held & {en for en, _ in split["train"]}
    assert split["test"][0][0] == "I love you."
    assert sum(len(r) for _, r in split["test"] + split["valid"]) + len(split["train"]) == len(pairs)
    shutil.copy(DATA_DIR / "spa_eng_short.tsv", tmp_path / "spa_eng_short.tsv")
    with open(tmp_path / "spa_eng_short.tsv", "ab") as f:
        f.write(b"x\ty\n")
    with pytest.raises(ValueError, match="altered"):
        load_spa_eng(tmp_path)
    with pytest.raises(FileNotFoundError):
        load_spa_eng(tmp_path / "nowhere")


def test_pad_batch_frames_and_pads():
    b = pad_batch([[5, 6, 7], [8]], add_sos=True)
    assert b.tolist() == [[1, 5, 6, 7], [1, 8, PAD, PAD]]
    assert pad_batch([[5], [6, 7]], add_eos=True).tolist() == [[5, EOS, PAD], [6, 7, EOS]]


@pytest.mark.parametrize("design", ["plain", "attention", "bahdanau"])
def test_padded_batch_with_mask_equals_each_sentence_alone(design):
    torch.manual_seed(0)
    if design == "bahdanau":
        model = BahdanauTranslator(12, 9, emb=6, hidden=8)
    else:
        model = Translator(12, 9, emb=6, hidden=8, attention=design == "attention")
    model = model.eval().requires_grad_(False)
    attention = design != "plain"
    sents = [[4, 5, 6, 7, 8], [9, 10], [11, 4, 5]]
    src = pad_batch(sents)
    tgt_in = torch.tensor([[1, 4, 5], [1, 6, 7], [1, 8, 4]])
    batched, alpha = model(src, tgt_in)
    for k, s in enumerate(sents):
        alone, _ = model(pad_batch([s]), tgt_in[k : k + 1])
        assert torch.allclose(batched[k], alone[0], atol=1e-6)
    if attention:
        assert float(alpha[1, :, 2:].abs().max()) == 0.0  # no weight on the pads of sentence 2
        unmasked, alpha_u = model(src, tgt_in, mask=False)
        assert float(alpha_u[1, :, 2:].sum()) > 0.01 and not torch.allclose(unmasked[1], batched[1])


def test_bad_input_names_the_argument():
    model = Translator(12, 9, emb=6, hidden=8)
    with pytest.raises(ValueError, match="src must be a long tensor"):
        model(torch.zeros(2, 3), torch.zeros(2, 3, dtype=torch.long))
    with pytest.raises(ValueError, match="at least one real"):
        model.encode(torch.zeros(1, 3, dtype=torch.long))
    with pytest.raises(ValueError, match="logits must have shape"):
        masked_loss(torch.zeros(2, 3, 9), torch.zeros(2, 4, dtype=torch.long))
    with pytest.raises(ValueError, match="references must have one list"):
        corpus_bleu(["a"], [])
    with pytest.raises(ValueError, match="hidden must be even"):
        BahdanauTranslator(12, 9, emb=6, hidden=7)
    with pytest.raises(ValueError, match="at least one real"):
        BahdanauTranslator(12, 9, emb=6, hidden=8).encode(torch.tensor([[4, 5], [0, 0]]))


def test_bahdanau_step_follows_its_equations():
    """Encoder states of a padded batch equal each sentence run alone through the bidirectional
    GRU, and one decoder step equals the module docstring's equations written out."""
    torch.manual_seed(0)
    model = BahdanauTranslator(12, 9, emb=6, hidden=8).double().eval().requires_grad_(False)
    src = pad_batch([[4, 5, 6, 7], [8, 9]])
    state = model.encode(src)
    for k, n in enumerate([4, 2]):
        alone, h_n = model.encoder(model.src_emb(src[k : k + 1, :n]))  # no padding at all
        assert torch.allclose(state["h"][k, :n], alone[0]) and float(state["h"][k, n:].abs().sum()) == 0
        assert torch.allclose(state["d"][0, k], torch.cat([h_n[0, 0], h_n[1, 0]]))  # d_0 = [->h_{T_x}, <-h_1]
    y_prev = torch.tensor([1, 1])  # <sos>
    logp, alpha, new = model.step(y_prev, state)
    d_prev, h, E = state["d"][0], state["h"], model.tgt_emb(y_prev)
    e = torch.tanh(d_prev[:, None] @ model.W_a.weight.T + h @ model.U_a.weight.T + model.U_a.bias) @ model.v_a.weight.T
    e = e[..., 0].masked_fill(src == PAD, float("-inf"))
    a = torch.softmax(e, 1)
    c = torch.einsum("ns,nsh->nh", a, h)
    _, d = model.decoder(torch.cat([E, c], 1)[:, None], state["d"])
    y_hat = torch.tanh(torch.cat([d[0], c, E], 1) @ model.W_c.weight.T + model.W_c.bias) @ model.W_y.weight.T
    assert torch.allclose(alpha, a) and torch.allclose(new["d"], d)
    assert torch.allclose(logp, torch.log_softmax(y_hat + model.W_y.bias, 1))


def test_beam_of_one_is_greedy_and_beam_finds_no_worse_mean_log_prob():
    torch.manual_seed(1)
    model = Translator(12, 9, emb=6, hidden=8).eval()
    src = pad_batch([[4, 5, 6], [7, 8], [9, 10, 11, 4]])
    greedy = greedy_decode(model, src, max_len=6)[0]
    assert torch.equal(beam_search(model, src, k=1, max_len=6), greedy)
    out = beam_search(model, src, k=4, max_len=6)
    assert out.shape == (3, 6)
    other = BahdanauTranslator(12, 9, emb=6, hidden=8).eval()
    assert torch.equal(beam_search(other, src, k=1, max_len=6), greedy_decode(other, src, max_len=6)[0])
    assert beam_search(other, src, k=3, max_len=6).shape == (3, 6)


def test_masked_loss_ignores_pads():
    logits = torch.randn(2, 3, 5)
    y = torch.tensor([[4, EOS, PAD], [3, 4, EOS]])
    manual = -torch.log_softmax(logits, 2).gather(2, y[..., None])[..., 0][y != PAD].mean()
    assert torch.allclose(masked_loss(logits, y), manual)


def test_corpus_bleu_with_several_references():
    assert corpus_bleu(["te amo mucho hoy ."], [["te amo mucho hoy ."]]) == pytest.approx(100.0)
    one = corpus_bleu(["el coche rojo es mío ."], [["el auto rojo es mío ."]])
    two = corpus_bleu(["el coche rojo es mío ."], [["el auto rojo es mío .", "el coche rojo es mío ."]])
    assert two == pytest.approx(100.0) and one < 100


def test_shipped_weights_are_small_and_carry_provenance():
    for name in ["plain", "attention", "plain_big", "bahdanau"]:
        path = DATA_DIR / "weights" / f"translation_{name}.pt"
        assert path.stat().st_size < 2_000_000
        model, src_vocab, tgt_vocab, info = load_translator(name)
        assert info["script"] == "scripts/train_translation.py" and info["bleu_greedy"] > 10
        assert model.attention == (name in ("attention", "bahdanau"))
        assert isinstance(model, BahdanauTranslator) == (name == "bahdanau")


def test_training_script_runs_on_a_tiny_setting(tmp_path):
    subprocess.run([sys.executable, str(ROOT / "scripts" / "train_translation.py"), "--tiny", "--out", str(tmp_path)],
                   check=True, capture_output=True, timeout=300)  # fmt: skip
    model, src_vocab, tgt_vocab, info = load_translator(tmp_path / "translation_attention.pt")
    assert model.W_c.out_features == 8 and len(info["history"]["valid"]) == 1
    model, *_ = load_translator(tmp_path / "translation_bahdanau.pt")
    assert isinstance(model, BahdanauTranslator) and model.encoder.bidirectional


def test_attention_view_and_explorer():
    torch.manual_seed(0)
    src_vocab, tgt_vocab = build_vocab([["i", "love", "you", "."]]), build_vocab([["te", "amo", "."]])
    model = Translator(len(src_vocab), len(tgt_vocab), emb=4, hidden=6)
    view = attention_view(model, src_vocab, tgt_vocab, "I love my cat.")
    assert view["source"] == ["i", "love", "my", "cat", "."] and view["unknown"] == ["my", "cat"]
    assert view["attention"].shape == (len(view["rows"]), 5)
    ex = attention_explorer(model, src_vocab, tgt_vocab, "I love you.")
    assert ex.state["source"] == ["i", "love", "you", "."]
    ex.controls["sentence"].value = "you ."
    assert ex.state["source"] == ["you", "."]
    ex.controls["sentence"].value = "   "
    assert "error" in ex.state
