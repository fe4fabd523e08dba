"""Tests of the course style: explicit, colour-blind-safe, one colour per weight matrix."""

import matplotlib as mpl
import matplotlib.colors as mcolors
import pytest

from rnn_helpers import style, use_course_style
from rnn_helpers.style import COURSE_COLORS, GATE_CMAP, OKABE_ITO, SIGNED_CMAP, WEIGHT_COLORS


def test_import_does_not_change_rcparams():
    import importlib

    before = dict(mpl.rcParams)
    importlib.reload(style)
    assert dict(mpl.rcParams) == before


def test_use_course_style_sets_projector_fonts_and_palette():
    with mpl.rc_context():
        use_course_style()
        assert mpl.rcParams["font.size"] >= 14
        assert mpl.rcParams["axes.titlesize"] >= 16
        cycle = [c["color"] for c in mpl.rcParams["axes.prop_cycle"]]
        assert cycle == COURSE_COLORS
        assert set(cycle) == set(OKABE_ITO.values())


def test_use_course_style_rejects_silly_font_size():
    with pytest.raises(ValueError, match="font_size"):
        use_course_style(font_size=2)


def test_weight_colors_distinct_and_valid():
    assert set(WEIGHT_COLORS) == {"W_x", "W_h", "W_y"}
    rgb = {mcolors.to_hex(c) for c in WEIGHT_COLORS.values()}
    assert len(rgb) == 3


def test_colormaps_exist_and_kind():
    gate = mpl.colormaps[GATE_CMAP]
    signed = mpl.colormaps[SIGNED_CMAP]
    # sequential: luminance increases monotonically; diverging: light in the middle
    lum = lambda c: 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]
    g = [lum(gate(x)) for x in (0.0, 0.5, 1.0)]
    assert g[0] < g[1] < g[2]
    s = [lum(signed(x)) for x in (0.0, 0.5, 1.0)]
    assert s[1] > s[0] and s[1] > s[2]
