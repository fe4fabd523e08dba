"""Image captioning (one-to-many from an image) on a synthetic scene set.

The scenes are synthetic on purpose: a real caption corpus with a redistributable license small
enough to ship was not available, and a controlled set lets the notebook ask precise questions
(does the caption name the right colour, shape and relation?). Each image is 24 x 24 RGB with one
or two coloured shapes; its caption is generated from what was drawn:

    "a red circle"                         (one shape)
    "a blue square left of a green circle" (two shapes side by side)
    "a yellow triangle above a red square" (two shapes one above the other)

The model is the show-and-tell recipe at toy scale: a small CNN encodes the image into the
decoder GRU's initial state h_0, and the GRU writes the caption one word at a time
(``<sos>`` in, ``<eos>`` out), trained with teacher forcing; greedy and beam-search decoding.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

__all__ = [
    "COLOURS",
    "SHAPES",
    "CAPTION_VOCAB",
    "make_scenes",
    "encode_captions",
    "decode_words",
    "CaptionModel",
    "greedy_captions",
    "beam_captions",
    "nearest_neighbour_captions",
    "corpus_bleu",
    "teacher_forcing_inputs",
    "caption_loss",
]

SIZE = 24
COLOURS = {"red": (0.85, 0.15, 0.1), "green": (0.1, 0.65, 0.2), "blue": (0.1, 0.3, 0.9), "yellow": (0.95, 0.85, 0.1)}
SHAPES = ("circle", "square", "triangle")
RELATIONS = ("left of", "above")
SPECIALS = ["<pad>", "<sos>", "<eos>"]
WORDS = ["a", *COLOURS, *SHAPES, "left", "of", "above"]
CAPTION_VOCAB = {w: i for i, w in enumerate(SPECIALS + WORDS)}
PAD, SOS, EOS = 0, 1, 2
MAX_LEN = 9  # "a c s left of a c s" is 8 words, + <eos>


def _shape_mask(shape: str, size: int) -> np.ndarray:
    yy, xx = np.mgrid[:size, :size] + 0.5
    c = size / 2
    if shape == "circle":
        return (yy - c) ** 2 + (xx - c) ** 2 <= (size / 2) ** 2
    if shape == "square":
        return np.ones((size, size), bool)
    return np.abs(xx - c) <= yy / 2  # triangle: apex at the top, base along the bottom row


def make_scenes(n: int, rng: np.random.Generator, noise: float = 0.05) -> tuple[np.ndarray, list[str]]:
    """``n`` synthetic scenes and their captions.

    Returns:
        images: (n, 3, 24, 24) float32 in [0, 1]
        captions: list of n strings
    """
    if n < 1:
        raise ValueError(f"n must be a positive count of scenes, got {n}")
    images = np.ones((n, 3, SIZE, SIZE), np.float32)
    captions = []
    colours = list(COLOURS)
    for k in range(n):
        count = 1 if rng.random() < 0.3 else 2
        objs = [(colours[rng.integers(len(colours))], SHAPES[rng.integers(len(SHAPES))]) for _ in range(count)]
        if count == 2 and objs[0] == objs[1]:
            objs[1] = (objs[1][0], SHAPES[(SHAPES.index(objs[1][1]) + 1) % len(SHAPES)])
        size = 9
        if count == 1:
            spots = [(int(rng.integers(4, SIZE - size - 3)), int(rng.integers(4, SIZE - size - 3)))]
            caption = f"a {objs[0][0]} {objs[0][1]}"
        else:
            relation = RELATIONS[rng.integers(len(RELATIONS))]
            a, b = int(rng.integers(0, 3)), int(rng.integers(SIZE - size - 3, SIZE - size + 1))
            across = int(rng.integers(2, SIZE - size - 1))
            spots = [(across, a), (across, b)] if relation == "left of" else [(a, across), (b, across)]
            caption = f"a {objs[0][0]} {objs[0][1]} {relation} a {objs[1][0]} {objs[1][1]}"
        for (colour, shape), (top, left) in zip(objs, spots):
            mask = _shape_mask(shape, size)
            for ch, value in enumerate(COLOURS[colour]):
                patch = images[k, ch, top : top + size, left : left + size]
                patch[mask] = value
        captions.append(caption)
    images += noise * rng.standard_normal(images.shape).astype(np.float32)
    return np.clip(images, 0, 1), captions


def encode_captions(captions: list[str]) -> torch.Tensor:
    """Captions as word ids, ``<eos>``-terminated and padded: (N, MAX_LEN) long."""
    out = torch.full((len(captions), MAX_LEN), PAD, dtype=torch.long)
    for i, caption in enumerate(captions):
        ids = [CAPTION_VOCAB[w] for w in caption.split()] + [EOS]
        if len(ids) > MAX_LEN:
            raise ValueError(f"caption {caption!r} has {len(ids)} tokens, at most {MAX_LEN} fit")
        out[i, : len(ids)] = torch.tensor(ids)
    return out


_WORD_OF = {i: w for w, i in CAPTION_VOCAB.items()}


def decode_words(ids) -> str:
    """Word ids up to the first ``<eos>`` as a caption string."""
    words = []
    for i in list(ids):
        if int(i) == EOS:
            break
        if int(i) not in (PAD, SOS):
            words.append(_WORD_OF[int(i)])
    return " ".join(words)


class CaptionModel(nn.Module):
    """CNN encoder -> h_0 of a GRU decoder over caption words.

    Shapes: images (N, 3, 24, 24); words in (N, L) -> logits (N, L, V).
    """

    def __init__(self, hidden: int = 64, embed: int = 16, channels: int = 16):
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Conv2d(3, channels, 3, padding=1), nn.BatchNorm2d(channels), nn.ReLU(), nn.MaxPool2d(2),  # (N,C,12,12)
            nn.Conv2d(channels, 2 * channels, 3, padding=1), nn.BatchNorm2d(2 * channels), nn.ReLU(),
            nn.MaxPool2d(2),                                                             # (N, 2C, 6, 6)
            nn.Flatten(), nn.Linear(2 * channels * 36, hidden), nn.Tanh(),               # (N, H)
        )  # fmt: skip
        self.embed = nn.Embedding(len(CAPTION_VOCAB), embed, padding_idx=PAD)
        self.gru = nn.GRU(embed, hidden, batch_first=True)
        self.out = nn.Linear(hidden, len(CAPTION_VOCAB))

    def encode(self, images: torch.Tensor) -> torch.Tensor:
        if images.dim() != 4 or tuple(images.shape[1:]) != (3, SIZE, SIZE):
            raise ValueError(f"images must have shape (N, 3, {SIZE}, {SIZE}), got {tuple(images.shape)}")
        return self.encoder(images - 0.5).unsqueeze(0)  # h_0: (1, N, H); pixels centred on 0

    def step(self, words: torch.Tensor, h: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """One or more decoder steps: words (N, L) -> logits (N, L, V), new state (1, N, H)."""
        out, h = self.gru(self.embed(words), h)
        return self.out(out), h

    def forward(self, images: torch.Tensor, words_in: torch.Tensor) -> torch.Tensor:
        logits, _ = self.step(words_in, self.encode(images))
        return logits


def teacher_forcing_inputs(targets: torch.Tensor) -> torch.Tensor:
    """Decoder inputs for teacher forcing: ``<sos>`` then the targets shifted right by one."""
    return torch.cat([torch.full_like(targets[:, :1], SOS), targets[:, :-1]], dim=1)


def caption_loss(model: CaptionModel, images: np.ndarray, captions: list[str], batch: int = 64):
    """The loss function for ``training.fit``: cross-entropy of the next word under teacher forcing,
    on a batch of ``batch`` scenes drawn with the Generator that ``fit`` passes in."""
    x = torch.from_numpy(images)
    targets = encode_captions(captions)
    words_in = teacher_forcing_inputs(targets)

    def loss_fn(rng: np.random.Generator) -> torch.Tensor:
        idx = torch.from_numpy(rng.integers(0, len(x), batch))
        model.train()
        logits = model(x[idx], words_in[idx])  # (B, L, V)
        return nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets[idx].reshape(-1),
                                           ignore_index=PAD)  # fmt: skip

    return loss_fn


@torch.no_grad()
def greedy_captions(model: CaptionModel, images: torch.Tensor, max_len: int = MAX_LEN) -> list[str]:
    """The most probable word at every step, fed back in."""
    model.eval()
    h = model.encode(images)
    word = torch.full((images.shape[0], 1), SOS, dtype=torch.long)
    out = []
    for _ in range(max_len):
        logits, h = model.step(word, h)
        word = logits[:, -1].argmax(-1, keepdim=True)  # (N, 1)
        out.append(word)
    return [decode_words(row) for row in torch.cat(out, 1)]


@torch.no_grad()
def beam_captions(model: CaptionModel, images: torch.Tensor, beam: int = 3, max_len: int = MAX_LEN) -> list[str]:
    """Beam search: keep the ``beam`` most probable partial captions (sum of log-probabilities)."""
    if beam < 1:
        raise ValueError(f"beam must be >= 1, got {beam}")
    captions = []
    model.eval()
    h0 = model.encode(images)
    for n in range(images.shape[0]):
        beams = [(0.0, [SOS], h0[:, n : n + 1])]  # (log p, words, state)
        done = []
        for _ in range(max_len):
            candidates = []
            for logp, words, h in beams:
                logits, h_new = model.step(torch.tensor([[words[-1]]]), h)
                logprobs = torch.log_softmax(logits[0, -1], -1)
                top = torch.topk(logprobs, beam)
                for lp, w in zip(top.values.tolist(), top.indices.tolist()):
                    candidates.append((logp + lp, [*words, w], h_new))
            candidates.sort(key=lambda c: -c[0])
            beams = []
            for cand in candidates[:beam]:
                (done if cand[1][-1] == EOS else beams).append(cand)
            if not beams:
                break
        best = max(done or beams, key=lambda c: c[0])
        captions.append(decode_words(best[1][1:]))
    return captions


def nearest_neighbour_captions(train_images: np.ndarray, train_captions: list[str], images: np.ndarray) -> list[str]:
    """Baseline with no recurrence: the caption of the closest training image (pixel distance)."""
    a = train_images.reshape(len(train_images), -1)
    b = images.reshape(len(images), -1)
    dist = (b**2).sum(1)[:, None] - 2 * b @ a.T + (a**2).sum(1)[None, :]  # (M, N)
    return [train_captions[i] for i in dist.argmin(1)]


def corpus_bleu(predicted: list[str], references: list[str]) -> float:
    """Corpus BLEU (0-100) with sacrebleu, the standard implementation; one reference per image."""
    import sacrebleu

    if len(predicted) != len(references):
        raise ValueError(f"predicted has {len(predicted)} captions, references has {len(references)}")
    return float(sacrebleu.corpus_bleu(predicted, [references]).score)
