"""Tests of loss curves: static plots and the live curve that ends as a static figure."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest

from rnn_helpers.viz import curves
from rnn_helpers.viz.curves import LiveLossCurve, plot_loss_curves, train_with_live_curve


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def curve_lines(ax):
    return [ln for ln in ax.lines if (ln.get_gid() or "").startswith("curve:")]


def test_several_runs_one_line_each():
    ax = plot_loss_curves({"a": [3.0, 2.0, 1.0], "b": {"loss": [2.0, 1.0], "grad_norm": [5, 5]}})
    lines = curve_lines(ax)
    assert [ln.get_label() for ln in lines] == ["a", "b"]
    np.testing.assert_allclose(lines[1].get_ydata(), [2.0, 1.0])
    np.testing.assert_allclose(lines[0].get_xdata(), [1, 2, 3])


def test_single_history_dict_draws_its_key():
    ax = plot_loss_curves({"loss": [3.0, 2.0], "grad_norm": [9.0, 9.0]}, key="grad_norm", logy=True)
    (line,) = curve_lines(ax)
    np.testing.assert_allclose(line.get_ydata(), [9.0, 9.0])
    assert ax.get_yscale() == "log"
    assert ax.get_legend() is None


def test_smoothing_is_a_running_mean_over_a_faint_raw_line():
    v = np.arange(10.0)
    ax = plot_loss_curves({"run": v}, smooth=4, baseline=2.0)
    (line,) = curve_lines(ax)
    np.testing.assert_allclose(line.get_ydata(), np.convolve(v, np.ones(4) / 4, mode="valid"))
    np.testing.assert_allclose(line.get_xdata(), np.arange(4, 11))
    assert [ln.get_gid() for ln in ax.lines].count("raw:run") == 1
    assert any(ln.get_gid() == "baseline" for ln in ax.lines)


def test_bad_histories():
    with pytest.raises(ValueError, match="no 'loss'"):
        plot_loss_curves({"a": {"acc": [1.0]}})
    with pytest.raises(ValueError, match="non-empty"):
        plot_loss_curves({"a": []})


def test_live_curve_redraws_every_n_and_closes_static():
    live = LiveLossCurve(every=5, display=False, title="t")
    for i in range(23):
        live.update(loss=1.0 / (i + 1), val_loss=2.0 / (i + 1))
    assert live.renders == 4
    fig = live.close()
    assert live.renders == 5 and live.closed
    lines = curve_lines(fig.axes[0])
    assert [ln.get_label() for ln in lines] == ["loss", "val_loss"]
    assert len(lines[0].get_xdata()) == 23
    assert live.png()[:8] == b"\x89PNG\r\n\x1a\n"
    assert fig.axes[0].get_title() == "t"
    with pytest.raises(ValueError, match="closed"):
        live.update(loss=1.0)


def test_live_curve_updates_one_display_slot(monkeypatch):
    shown = []

    class Handle:
        def update(self, obj):
            shown.append(("update", obj))

    def fake_display(obj, display_id=None):
        shown.append(("display", obj))
        return Handle()

    import IPython.display

    monkeypatch.setattr(IPython.display, "display", fake_display)
    live = LiveLossCurve(every=2, display=True)
    for i in range(6):
        live.update(loss=float(i))
    live.close()
    assert [kind for kind, _ in shown] == ["display", "update", "update", "update"]
    assert all(obj.format == "png" for _, obj in shown)


def test_train_with_live_curve_returns_history_and_figure():
    calls = []

    def step(i):
        calls.append(i)
        return 10.0 - i

    history, fig = train_with_live_curve(step, 30, display=False, progress=False)
    assert calls == list(range(30))
    assert history["loss"] == [10.0 - i for i in range(30)]
    (line,) = curve_lines(fig.axes[0])
    np.testing.assert_allclose(line.get_ydata(), history["loss"])
    with pytest.raises(ValueError, match="steps"):
        train_with_live_curve(step, 0)


def test_not_in_notebook_by_default():
    assert curves._in_notebook() is False
    with pytest.raises(ValueError, match="every"):
        LiveLossCurve(every=0)
    with pytest.raises(ValueError, match="never called"):
        LiveLossCurve(display=False).close()
