"""The generation explorer follows its sliders: entropy falls with a lower temperature and top-k."""

import numpy as np
import torch

from rnn_helpers.applications import Vocab
from rnn_helpers.charlm import CharRNN
from rnn_helpers.generation_explorer import generation_explorer


def test_explorer_follows_temperature_top_k_and_prefix():
    torch.manual_seed(0)
    vocab = Vocab(list("To be, or not to be: that is the question.\n"))
    explorer = generation_explorer(CharRNN(len(vocab), H=8), vocab, prefix="To be")
    start = explorer.state["entropy"]
    assert explorer.state["kept"] == len(vocab) - 1 and len(explorer.state["sample"]) == 80
    explorer.controls["temperature"].value = 0.2
    assert explorer.state["entropy"] < start
    explorer.controls["temperature"].value = 3.0
    explorer.controls["top_k"].value = 3
    assert explorer.state["kept"] == 3 and explorer.state["entropy"] <= np.log2(3) + 1e-9
    explorer.controls["prefix"].value = "that"
    assert explorer.state["prefix"] == "that"
    explorer.controls["prefix"].value = "§§"  # nothing usable: falls back to the default prefix
    assert explorer.state["prefix"] == "To be"
    assert explorer.widget.children[1].value[:4] == b"\x89PNG"
