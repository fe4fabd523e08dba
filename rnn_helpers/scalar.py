"""The lecture notes' scalar recurrence, its BPTT terms one by one, and a tiny trainer.

The notes write a recurrent network with one input weight ``w`` and one recurrent weight ``w'``
(here ``w_prime``) for a four-step input ``x_1 = <x_11, x_12, x_13, x_14>``:

    O_t = f(x_t w + O_{t-1} w'),   t = 1..T,   O_0 given (0 by default)

and a loss on the last output only (many-to-one): ``y_hat = O_T``, ``L = (y_hat - y)^2 / 2``.
By the chain rule dL/dw' (and likewise dL/dw) is a sum of T products, one per path from the
loss back through O_T, O_{T-1}, ..., O_k to the weight's use at step k:

    dL/dw' = sum_k  dL/dy_hat * dy_hat/dO_T * prod_{j=k+1..T} dO_j/dO_{j-1} * d+O_k/dw'

with dO_j/dO_{j-1} = f'(a_j) w', d+O_k/dw' = f'(a_k) O_{k-1} and d+O_k/dw = f'(a_k) x_k
(a_k = x_k w + O_{k-1} w' is the pre-activation; d+ is the "direct" derivative with O_{k-1} held
fixed). :func:`scalar_bptt_terms` returns every term with its factors so a notebook can print
them; :func:`scalar_grad` computes the same sums with the usual backward recursion.

Shapes: a single sequence x is (T,); a batch is (N, T) with targets y (N,).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np

from .widgets import register_explorer

__all__ = [
    "SCALAR_ACTIVATIONS",
    "scalar_forward",
    "scalar_loss",
    "scalar_grad",
    "BPTTTerm",
    "scalar_bptt_terms",
    "bptt_terms_table",
    "train_scalar",
    "scalar_loss_grid",
    "scalar_memory_view",
    "scalar_memory_explorer",
    "scalar_lr_view",
    "scalar_lr_explorer",
    "scalar_teacher_data",
    "init_rnn_regression",
    "train_rnn_regression",
    "rnn_regression_predict",
    "echo_task",
]


def _sigmoid(a):
    return 0.5 * (1.0 + np.tanh(0.5 * a))  # stable for any |a|


# name -> (f(a), f'(a) written with a and f(a))
SCALAR_ACTIVATIONS = {
    "tanh": (np.tanh, lambda a, o: 1.0 - o**2),
    "sigmoid": (_sigmoid, lambda a, o: o * (1.0 - o)),
    "relu": (lambda a: np.maximum(a, 0.0), lambda a, o: (a > 0).astype(float)),
    "linear": (lambda a: a, lambda a, o: np.ones_like(a)),
}


def _check_activation(activation: str) -> None:
    if activation not in SCALAR_ACTIVATIONS:
        raise ValueError(f"activation must be one of {sorted(SCALAR_ACTIVATIONS)}, got {activation!r}")


def _check_scalar(name: str, v) -> float:
    arr = np.asarray(v, dtype=float)
    if arr.shape != ():
        raise ValueError(f"{name} must be a scalar (shape ()), got shape {arr.shape}")
    if not np.isfinite(arr):
        raise ValueError(f"{name} must be finite, got {float(arr)}")
    return float(arr)


def _as_batch(x) -> tuple[np.ndarray, bool]:
    """x (T,) or (N, T) -> float64 (N, T) and whether the input was a single sequence."""
    x = np.asarray(x, dtype=float)
    if x.ndim not in (1, 2):
        raise ValueError(f"x must have shape (T,) or (N, T), got shape {x.shape}")
    if x.shape[-1] < 1:
        raise ValueError(f"x must have at least one time step, got shape {x.shape}")
    if not np.isfinite(x).all():
        raise ValueError("x must contain only finite values")
    return (x[None, :], True) if x.ndim == 1 else (x, False)


def _targets(y, N: int, single: bool) -> np.ndarray:
    y = np.asarray(y, dtype=float)
    expected = () if single else (N,)
    if y.shape != expected and not (single and y.shape == (1,)):
        raise ValueError(f"y must have shape {'()' if single else '(N,)'} = {expected}, got {y.shape}")
    return y.reshape(N)


def scalar_forward(x, w, w_prime, O0=0.0, activation: str = "tanh"):
    """Run O_t = f(x_t w + O_{t-1} w') over a sequence (or a batch of sequences).

    Inputs:
        x: inputs, shape (T,) for one sequence or (N, T) for a batch.
        w, w_prime: the input weight w and the recurrent weight w' (scalars).
        O0: initial output O_0 (scalar).
        activation: f, one of "tanh", "sigmoid", "relu", "linear".
    Returns:
        O: outputs O_1..O_T, same shape as x.
        cache: dict with x (N, T), pre-activations a (N, T), O (N, T), O_prev (N, T) holding
            O_0..O_{T-1}, the weights and the activation, for the backward pass.
    """
    _check_activation(activation)
    w, w_prime, O0 = (_check_scalar(n, v) for n, v in (("w", w), ("w_prime", w_prime), ("O0", O0)))
    xb, single = _as_batch(x)
    f = SCALAR_ACTIVATIONS[activation][0]
    N, T = xb.shape
    a = np.empty((N, T))
    O = np.empty((N, T))
    prev = np.full(N, O0)
    with np.errstate(over="ignore", invalid="ignore"):  # a diverging linear run may overflow
        for t in range(T):
            a[:, t] = xb[:, t] * w + prev * w_prime  # a_t = x_t w + O_{t-1} w'
            O[:, t] = f(a[:, t])  # O_t = f(a_t)
            prev = O[:, t]
    O_prev = np.concatenate([np.full((N, 1), O0), O[:, :-1]], axis=1)  # (N, T): O_0..O_{T-1}
    cache = dict(x=xb, a=a, O=O, O_prev=O_prev, w=w, w_prime=w_prime, activation=activation)
    return (O[0] if single else O), cache


def scalar_loss(x, w, w_prime, y, O0=0.0, activation: str = "tanh") -> float:
    """Many-to-one squared error: y_hat = O_T, L = mean over the batch of (y_hat - y)^2 / 2.

    Inputs: as :func:`scalar_forward`, plus targets y, shape () for one sequence or (N,).
    Returns: L (float).
    """
    O, cache = scalar_forward(x, w, w_prime, O0, activation)
    N = cache["x"].shape[0]
    y = _targets(y, N, np.ndim(x) == 1)
    return float(np.mean(0.5 * (cache["O"][:, -1] - y) ** 2))


def scalar_grad(x, w, w_prime, y, O0=0.0, activation: str = "tanh", truncate: int | None = None):
    """Loss and gradient of the many-to-one loss by backpropagation through time.

    The recursion carries delta_t = dL/dO_t backwards: delta_T = dL/dy_hat,
    delta_{t-1} = delta_t f'(a_t) w'; each step adds its direct part to the shared weights:
    dL/dw += delta_t f'(a_t) x_t and dL/dw' += delta_t f'(a_t) O_{t-1}.

    Inputs: as :func:`scalar_loss`; ``truncate=k`` keeps only the k steps nearest the loss
        (the terms with paths through at most k outputs), None keeps all T.
    Returns:
        (L, dw, dw_prime) as floats (means over the batch).
    """
    if truncate is not None and (isinstance(truncate, bool) or int(truncate) != truncate or truncate < 1):
        raise ValueError(f"truncate must be None or an int >= 1, got {truncate!r}")
    _, cache = scalar_forward(x, w, w_prime, O0, activation)
    xb, a, O, O_prev = cache["x"], cache["a"], cache["O"], cache["O_prev"]
    N, T = xb.shape
    y = _targets(y, N, np.ndim(x) == 1)
    fprime = SCALAR_ACTIVATIONS[activation][1](a, O)  # (N, T)
    delta = (O[:, -1] - y) / N  # dL/dO_T for the mean loss, (N,)
    dw = dwp = 0.0
    first = 0 if truncate is None else max(0, T - int(truncate))
    for t in range(T - 1, first - 1, -1):
        da = delta * fprime[:, t]  # dL/da_t
        dw += float(np.sum(da * xb[:, t]))
        dwp += float(np.sum(da * O_prev[:, t]))
        delta = da * w_prime  # dL/dO_{t-1}: the carry into the previous step
    L = float(np.mean(0.5 * (O[:, -1] - y) ** 2))
    return L, dw, dwp


@dataclass
class BPTTTerm:
    """One term of the BPTT sum: the path from the loss back to a weight's use at step k."""

    param: str  # "w" or "w'"
    index: int  # 1..T, numbered as in the notes (1 = the shortest path, through O_T only)
    step: int  # k: the step whose use of the weight this path reaches
    path: str  # e.g. "L -> y_hat -> O4 -> O3 -> w'"
    factors: list[tuple[str, float]]  # (symbol, value) of every chain factor, in order
    value: float  # product of the factors


def scalar_bptt_terms(x, w, w_prime, y, O0=0.0, activation: str = "tanh") -> list[BPTTTerm]:
    """Every term of dL/dw' and dL/dw for one sequence, each as the product of its chain factors.

    Inputs: x (T,) one sequence, weights, target y (scalar), O0, activation.
    Returns: 2T :class:`BPTTTerm` s: first the T terms of dL/dw' (index 1..T), then those of dL/dw.
        Term i reaches step k = T - i + 1:
        dL/dy_hat * dy_hat/dO_T * dO_T/dO_{T-1} * ... * dO_{k+1}/dO_k * d+O_k/dparam.
    """
    if np.ndim(x) != 1:
        raise ValueError(f"x must be one sequence of shape (T,), got shape {np.shape(x)}")
    _, cache = scalar_forward(x, w, w_prime, O0, activation)
    y = _check_scalar("y", y)
    a, O, O_prev, xs = cache["a"][0], cache["O"][0], cache["O_prev"][0], cache["x"][0]
    T = len(xs)
    fprime = SCALAR_ACTIVATIONS[activation][1](a, O)
    terms = []
    for param in ("w'", "w"):
        for i in range(1, T + 1):
            k = T - i + 1
            factors = [("dL/dy_hat", float(O[-1] - y)), (f"dy_hat/dO{T}", 1.0)]
            for j in range(T, k, -1):
                factors.append((f"dO{j}/dO{j - 1}", float(fprime[j - 1] * w_prime)))
            local = O_prev[k - 1] if param == "w'" else xs[k - 1]
            factors.append((f"d+O{k}/d{param}", float(fprime[k - 1] * local)))
            path = " -> ".join(["L", "y_hat"] + [f"O{j}" for j in range(T, k - 1, -1)] + [param])
            value = float(np.prod([v for _, v in factors]))
            terms.append(BPTTTerm(param, i, k, path, factors, value))
    return terms


def bptt_terms_table(terms: list[BPTTTerm], digits: int = 4) -> str:
    """The terms as a plain-text table (term, path, factor values, value) plus a sum per weight.

    The factor column starts with dL/dO_T = dL/dy_hat * dy_hat/dO_T, shared by every term.

    Inputs: terms from :func:`scalar_bptt_terms`; digits: significant digits printed.
    Returns: the table as one string.
    """
    fmt = lambda v: f"{v:+.{digits - 1}e}" if v != 0 and abs(v) < 1e-3 else f"{v:+.{digits}g}"
    T = max(t.index for t in terms)
    rows = [("term", "path", f"dL/dO{T} * chain factors", "value")]
    for p in dict.fromkeys(t.param for t in terms):
        mine = [t for t in terms if t.param == p]
        for t in mine:
            head = t.factors[0][1] * t.factors[1][1]  # dL/dO_T = dL/dy_hat * dy_hat/dO_T
            chain = " * ".join(fmt(v) for v in [head] + [v for _, v in t.factors[2:]])
            rows.append((f"dL/d{p} #{t.index}", t.path, chain, fmt(t.value)))
        rows.append((f"dL/d{p}", "sum of the terms above", "", fmt(sum(t.value for t in mine))))
    widths = [max(len(r[c]) for r in rows) for c in range(4)]
    lines = ["  ".join(cell.ljust(wd) for cell, wd in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines)


def train_scalar(
    x,
    y,
    w,
    w_prime,
    lr: float,
    steps: int,
    O0=0.0,
    activation: str = "tanh",
    truncate: int | None = None,
) -> dict:
    """Plain gradient descent on (w, w'): p <- p - lr * dL/dp, for ``steps`` updates.

    Stops early (``diverged=True``) once a weight or the loss stops being finite or exceeds 1e6.

    Inputs: x (N, T) or (T,), y (N,) or (), initial w and w', learning rate, number of steps.
    Returns: dict with arrays "w", "w_prime", "loss" (one entry per visited point, so up to
        steps + 1), "dw", "dw_prime" (gradients at those points) and "diverged" (bool).
    """
    lr = _check_scalar("lr", lr)
    if lr < 0:
        raise ValueError(f"lr must be >= 0, got {lr}")
    if int(steps) != steps or steps < 0:
        raise ValueError(f"steps must be an int >= 0, got {steps!r}")
    hist = {k: [] for k in ("w", "w_prime", "loss", "dw", "dw_prime")}
    diverged = False
    for step in range(int(steps) + 1):
        with np.errstate(over="ignore", invalid="ignore"):
            L, dw, dwp = scalar_grad(x, w, w_prime, y, O0, activation, truncate)
        if not all(np.isfinite(v) and abs(v) < 1e6 for v in (L, dw, dwp)):
            diverged = True
            break
        for k, v in zip(hist, (w, w_prime, L, dw, dwp), strict=True):
            hist[k].append(v)
        if step < steps:
            w, w_prime = w - lr * dw, w_prime - lr * dwp  # the update rule
            if not (abs(w) < 1e6 and abs(w_prime) < 1e6):
                diverged = True
                break
    out = {k: np.array(v) for k, v in hist.items()}
    out["diverged"] = diverged
    return out


def scalar_loss_grid(x, y, w_values, w_prime_values, O0=0.0, activation: str = "tanh") -> np.ndarray:
    """The loss on a grid of weights (for contour plots), vectorised over the grid.

    Inputs: x (N, T), y (N,), w_values (A,), w_prime_values (B,).
    Returns: loss, shape (B, A): row j is w' = w_prime_values[j], column i is w = w_values[i].
    """
    _check_activation(activation)
    xb, single = _as_batch(x)
    N, T = xb.shape
    y = _targets(y, N, single)
    W, WP = np.meshgrid(np.asarray(w_values, float), np.asarray(w_prime_values, float))  # (B, A)
    f = SCALAR_ACTIVATIONS[activation][0]
    O = np.full(W.shape + (N,), float(O0))  # (B, A, N)
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(T):
            O = f(xb[:, t] * W[..., None] + O * WP[..., None])
        return np.mean(0.5 * (O - y) ** 2, axis=-1)


# ---------------------------------------------------------------- explorers (notebooks 01, 02)


class _Blitted:
    """An Agg figure whose static part is drawn once; each frame redraws only ``animated``.

    Axes limits, ticks and labels must stay fixed between frames (they live in the cached
    background). ``png()`` returns the current frame as PNG bytes.
    """

    def __init__(self, fig, animated):
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        FigureCanvasAgg(fig)
        self.fig, self.animated = fig, list(animated)
        for artist in self.animated:
            artist.set_animated(True)  # left out of the background
        fig.canvas.draw()
        self.background = fig.canvas.copy_from_bbox(fig.bbox)

    def png(self) -> bytes:
        from PIL import Image

        canvas = self.fig.canvas
        canvas.restore_region(self.background)
        for artist in self.animated:
            self.fig.draw_artist(artist)
        buf = io.BytesIO()
        Image.fromarray(np.asarray(canvas.buffer_rgba())).save(buf, format="png", compress_level=1)
        return buf.getvalue()


def scalar_memory_view(w: float, w_prime: float, activation: str = "linear", T: int = 20, ax=None):
    """How long the scalar recurrence remembers one input: O_t after an impulse x = (1, 0, 0, ...).

    With f linear, O_t = w w'^(t-1): memory fades for |w'| < 1 and blows up for |w'| > 1 (a
    preview of vanishing and exploding gradients); tanh keeps O_t within (-1, 1).

    Inputs: w, w_prime, activation, T (number of steps); ax to draw into (or None for no plot).
    Returns: dict with "t" (T,), "O" (T,), "regime" ("fades" if |O_T| < |O_1|/4, "blows up" if
        |O_T| > 4 |O_1|, otherwise "persists"), and "ax".
    """
    x = np.zeros(T)
    x[0] = 1.0
    O, _ = scalar_forward(x, w, w_prime, 0.0, activation)
    first, last = abs(O[0]), abs(O[-1])
    if not np.isfinite(last) or last > 4 * max(first, 1e-12):
        regime = "blows up"
    elif last < 0.25 * first:
        regime = "fades"
    else:
        regime = "persists"
    t = np.arange(1, T + 1)
    if ax is not None:
        ax.plot(t, np.clip(O, -1e3, 1e3), marker="o")
        ax.set(xlabel="step t", ylabel="$O_t$")
    return {"t": t, "O": O, "regime": regime, "ax": ax}


def scalar_memory_explorer(activation: str = "linear", T: int = 20):
    """Sliders for w and w' (and the activation) over :func:`scalar_memory_view`.

    Returns: an :class:`~rnn_helpers.widgets.Explorer`; ``state`` holds the last view's result.
    """
    import ipywidgets as W
    from matplotlib.figure import Figure

    from .widgets import Explorer

    controls = {
        "w": W.FloatSlider(value=1.0, min=-2.0, max=2.0, step=0.05, description="w"),
        "w_prime": W.FloatSlider(value=0.8, min=-1.5, max=1.5, step=0.05, description="w'"),
        "activation": W.ToggleButtons(options=["linear", "tanh"], value=activation, description="f"),
    }
    fig = Figure(figsize=(6.4, 3.4), dpi=96)
    ax = fig.add_subplot()
    t = np.arange(1, T + 1)
    (line,) = ax.plot(t, np.zeros(T), marker="o", color="#0072B2")
    ax.axhline(0, color="0.5", lw=1)
    # symlog: linear near 0 (fading memories stay visible), logarithmic beyond 1 (blow-ups fit)
    ax.set_yscale("symlog", linthresh=1.0)
    ax.set(xlabel="step t", ylabel="$O_t$ after $x_1 = 1$", xlim=(0.5, T + 0.5), ylim=(-1e3, 1e3))
    title = ax.set_title(" ", fontsize=14)
    fig.tight_layout()
    frames = _Blitted(fig, [line, title])
    image = W.Image(format="png", layout=W.Layout(width=f"{int(fig.get_figwidth() * fig.dpi)}px", max_width="100%"))
    explorer = Explorer(controls, W.VBox([*controls.values(), image]), {})

    def update(_=None):
        v = scalar_memory_view(controls["w"].value, controls["w_prime"].value, controls["activation"].value, T)
        line.set_ydata(np.clip(v["O"], -1e3, 1e3))
        title.set_text(f"w = {controls['w'].value:.2f}, w' = {controls['w_prime'].value:.2f}: memory {v['regime']}")
        image.value = frames.png()
        explorer.state.clear()
        explorer.state.update({k: v[k] for k in ("t", "O", "regime")})

    for c in controls.values():
        c.observe(update, names="value")
    update()
    return explorer


def scalar_lr_view(x, y, w0: float, w_prime0: float, lr: float, steps: int = 30, activation: str = "linear") -> dict:
    """Gradient descent from (w0, w'0) with one learning rate: the path and the loss per step.

    Inputs: x (N, T), y (N,), start weights, lr, steps, activation.
    Returns: dict with the :func:`train_scalar` history and "verdict": "converges" (the loss fell
        below 1% of its start), "diverges" (stopped early or the loss ended above its start) or
        "too slow" (in between).
    """
    hist = train_scalar(x, y, w0, w_prime0, lr, steps, activation=activation)
    L = hist["loss"]
    if hist["diverged"] or L[-1] > L[0]:
        verdict = "diverges"
    elif L[-1] > 0.01 * L[0]:
        verdict = "too slow"
    else:
        verdict = "converges"
    return {**hist, "verdict": verdict, "lr": lr}


def scalar_lr_explorer(
    x,
    y,
    w0: float = -0.5,
    w_prime0: float = -0.5,
    steps: int = 30,
    activation: str = "linear",
    w_range=(-1.5, 2.5),
    w_prime_range=(-1.5, 1.5),
    lr_values=(0.01, 0.03, 0.1, 0.3, 1.0, 2.0, 3.0),
):
    """A learning-rate selector over :func:`scalar_lr_view`: the descent path on the loss contours
    of (w, w') and the loss per step.

    Inputs: x (N, T), y (N,), start weights, steps, activation, grid ranges, lr choices.
    Returns: an :class:`~rnn_helpers.widgets.Explorer` with control "lr"; ``state`` holds the last
        view's result (history and verdict).
    """
    import ipywidgets as W
    from matplotlib.figure import Figure

    from .widgets import Explorer

    ws = np.linspace(*w_range, 61)
    wps = np.linspace(*w_prime_range, 61)
    grid = scalar_loss_grid(x, y, ws, wps, activation=activation)
    controls = {
        "lr": W.SelectionSlider(options=list(lr_values), value=lr_values[len(lr_values) // 2], description="lr")
    }
    fig = Figure(figsize=(9.0, 3.6), dpi=96)
    ax_c, ax_l = fig.subplots(1, 2)
    ax_c.imshow(
        np.log10(grid + 1e-6),
        origin="lower",
        aspect="auto",
        cmap="viridis",
        extent=(*w_range, *w_prime_range),
    )
    ax_c.grid(False)
    (path,) = ax_c.plot([], [], marker="o", ms=3, color="#E69F00", lw=1.5)
    ax_c.set(xlabel="w", ylabel="w'", xlim=w_range, ylim=w_prime_range, title="loss surface (log)")
    (curve,) = ax_l.plot([], [], color="#0072B2")
    ax_l.set(xlabel="update", ylabel="$\\log_{10}$ loss", xlim=(0, steps), ylim=(-8, 6))
    title = ax_l.set_title(" ", fontsize=14)
    fig.tight_layout()
    frames = _Blitted(fig, [path, curve, title])
    image = W.Image(format="png", layout=W.Layout(width=f"{int(fig.get_figwidth() * fig.dpi)}px", max_width="100%"))
    explorer = Explorer(controls, W.VBox([*controls.values(), image]), {})

    def update(_=None):
        v = scalar_lr_view(x, y, w0, w_prime0, controls["lr"].value, steps, activation)
        path.set_data(v["w"], v["w_prime"])
        curve.set_data(np.arange(len(v["loss"])), np.log10(np.maximum(v["loss"], 1e-12)))
        title.set_text(f"lr = {v['lr']:g}: {v['verdict']}")
        image.value = frames.png()
        explorer.state.clear()
        explorer.state.update(v)

    controls["lr"].observe(update, names="value")
    update()
    return explorer


def scalar_teacher_data(
    n: int, T: int, w: float = 1.0, w_prime: float = 0.5, activation: str = "tanh", rng=0
) -> tuple[np.ndarray, np.ndarray]:
    """A toy regression set made by a "teacher" scalar RNN with known weights.

    Inputs: n sequences of T steps, x ~ N(0, 1); the teacher's w, w', activation; rng: a numpy
        Generator or an int seed.
    Returns: x (n, T) and y (n,) = the teacher's O_T, so gradient descent can recover (w, w').
    """
    rng = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(int(rng))
    x = rng.standard_normal((n, T))
    O, _ = scalar_forward(x, w, w_prime, 0.0, activation)
    return x, O[:, -1].copy()


@register_explorer("scalar_memory", sweep={"w_prime": [0.5, 0.9, 1.1, 1.3], "activation": ["tanh", "linear"]})
def _example_memory_explorer():
    return scalar_memory_explorer()


@register_explorer("scalar_learning_rate", sweep={"lr": [0.01, 0.3, 1.0, 3.0]})
def _example_lr_explorer():
    x, y = scalar_teacher_data(32, 4, activation="linear", rng=0)
    return scalar_lr_explorer(x, y)


# ------------------------------------------------ a numpy vector RNN trained by BPTT (notebook 02)


def init_rnn_regression(D: int, H: int, O: int, rng=0) -> dict:
    """Initial weights for :func:`train_rnn_regression`: Wx (D, H) ~ N(0, 1/D),
    Wh (H, H) ~ 0.9 N(0, 1/H), Wy (H, O) ~ N(0, 1/H), zero biases b (H,) and by (O,)."""
    rng = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(int(rng))
    return {
        "Wx": rng.standard_normal((D, H)) / np.sqrt(D),
        "Wh": rng.standard_normal((H, H)) / np.sqrt(H) * 0.9,
        "b": np.zeros(H),
        "Wy": rng.standard_normal((H, O)) / np.sqrt(H),
        "by": np.zeros(O),
    }


def train_rnn_regression(
    x,
    y,
    H: int,
    steps: int,
    lr: float = 0.05,
    truncate: int | None = None,
    mask=None,
    optimizer: str = "adam",
    rng=0,
    progress: bool = False,
) -> dict:
    """Fit a tanh RNN with a linear read-out to targets at every step, with the numpy BPTT.

    Model: h = rnn_forward(x, 0, W_x, W_h, b), y_hat_t = h_t W_y + b_y; loss
    L = sum over (n, t, o) of mask * (y_hat - y)^2 / 2, divided by the number of masked steps.
    The gradient comes from ``rnn_backward(dh, cache, truncate)``; the update is plain gradient
    descent p <- p - lr * dL/dp (``optimizer="gd"``) or Adam (``"adam"``, the default).

    Inputs:
        x: (N, T, D) inputs; y: (N, T, O) targets; H: hidden size; steps: updates.
        lr: learning rate; truncate: None (full BPTT) or k (gradients flow back k steps).
        mask: (N, T) of 0/1 marking the steps whose loss counts (default all).
        rng: numpy Generator or int seed for the initial weights; progress: show tqdm.
    Returns:
        dict with "params" (Wx (D, H), Wh (H, H), b (H,), Wy (H, O), by (O,)), "loss" (steps,)
        the loss before each update, "grad_norm" (steps,) the norm of dL/dW_h, and "diverged":
        True if the loss or a weight stopped being finite (or the loss passed 1e6); training
        then stops and the remaining entries of "loss" and "grad_norm" are NaN.
    """
    from tqdm.auto import tqdm

    from .rnn import rnn_backward, rnn_forward

    x, y = np.asarray(x, float), np.asarray(y, float)
    if x.ndim != 3:
        raise ValueError(f"x must have shape (N, T, D), got shape {x.shape}")
    N, T, D = x.shape
    if y.ndim != 3 or y.shape[:2] != (N, T):
        raise ValueError(f"y must have shape (N, T, O) = ({N}, {T}, O), got shape {y.shape}")
    if optimizer not in ("gd", "adam"):
        raise ValueError(f"optimizer must be 'gd' or 'adam', got {optimizer!r}")
    mask = np.ones((N, T)) if mask is None else np.asarray(mask, float)
    if mask.shape != (N, T):
        raise ValueError(f"mask must have shape (N, T) = ({N}, {T}), got {mask.shape}")
    O = y.shape[2]
    p = init_rnn_regression(D, H, O, rng)
    m = {k: np.zeros_like(v) for k, v in p.items()}
    v2 = {k: np.zeros_like(v) for k, v in p.items()}
    count = mask.sum() or 1.0
    losses, norms = np.full(steps, np.nan), np.full(steps, np.nan)
    diverged = False
    for i in tqdm(range(steps), disable=not progress, desc="BPTT training"):
        h, cache = rnn_forward(x, np.zeros((N, H)), p["Wx"], p["Wh"], p["b"])
        with np.errstate(over="ignore", invalid="ignore"):
            err = (h @ p["Wy"] + p["by"] - y) * mask[..., None]  # (N, T, O)
            loss = 0.5 * np.sum(err**2) / count
        if not np.isfinite(loss) or loss > 1e6 or not np.isfinite(err).all():
            diverged = True  # stop: the remaining losses stay NaN
            break
        losses[i] = loss
        dy = err / count  # dL/dy_hat   (N, T, O)
        g = {"Wy": h.reshape(N * T, H).T @ dy.reshape(N * T, O), "by": dy.sum(axis=(0, 1))}
        _, _, g["Wx"], g["Wh"], g["b"] = rnn_backward(dy @ p["Wy"].T, cache, truncate=truncate)
        norms[i] = np.linalg.norm(g["Wh"])
        for k in p:
            if optimizer == "gd":
                p[k] -= lr * g[k]  # the update rule
            else:
                m[k] = 0.9 * m[k] + 0.1 * g[k]
                v2[k] = 0.999 * v2[k] + 0.001 * g[k] ** 2
                mhat, vhat = m[k] / (1 - 0.9 ** (i + 1)), v2[k] / (1 - 0.999 ** (i + 1))
                p[k] -= lr * mhat / (np.sqrt(vhat) + 1e-8)
        if not all(np.isfinite(v).all() for v in p.values()):
            diverged = True
            break
    return {"params": p, "loss": losses, "grad_norm": norms, "diverged": diverged}


def rnn_regression_predict(params: dict, x) -> np.ndarray:
    """Read-outs y_hat (N, T, O) of a model from :func:`train_rnn_regression` on inputs x (N, T, D)."""
    from .rnn import rnn_forward

    x = np.asarray(x, float)
    H = params["Wh"].shape[0]
    h, _ = rnn_forward(x, np.zeros((x.shape[0], H)), params["Wx"], params["Wh"], params["b"])
    return h @ params["Wy"] + params["by"]  # (N, T, O)


def echo_task(n: int, T: int, lag: int, rng=0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Delayed echo: random bits x_t in {-1, +1}; the target at step t is x_{t - lag}.

    Returns: x (n, T, 1), y (n, T, 1) and mask (n, T), 0 for the first ``lag`` steps (nothing
        to echo yet). Predicting 0 everywhere gives the loss 1/2.
    """
    if not 1 <= lag < T:
        raise ValueError(f"lag must be in 1..T-1 = 1..{T - 1}, got {lag}")
    rng = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(int(rng))
    x = rng.choice([-1.0, 1.0], size=(n, T, 1))
    y = np.zeros_like(x)
    y[:, lag:] = x[:, :-lag]
    mask = np.ones((n, T))
    mask[:, :lag] = 0.0
    return x, y, mask
