"""Unit tests of helpers/style.py: the palette's contrast (WCAG 2) and the book's matplotlib style."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import pytest

from helpers import style


def test_contrast_ratio_matches_wcag():
    assert style.contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert style.contrast_ratio("#777777", "#777777") == pytest.approx(1.0)
    assert style.contrast_ratio("#DDAA33", "#FFFFFF") == pytest.approx(2.13, abs=0.01)  # why sunny is not text
    with pytest.raises(ValueError, match="'#RRGGBB'"):
        style.contrast_ratio("yellow", "#FFFFFF")


@pytest.mark.parametrize(
    "colour",
    [style.BLUE, style.CYAN, style.GREEN, style.YELLOW, style.RED, style.PURPLE, style.GREY]
    + list(style.WEATHER_COLOURS.values()),
)
def test_text_on_every_palette_colour_passes_aa(colour):
    text = style.text_colour_on(colour)
    assert style.contrast_ratio(text, colour) >= style.MIN_TEXT_CONTRAST


def test_relative_luminance_ends_and_channels():
    assert style.relative_luminance("#000000") == 0.0
    assert style.relative_luminance("#FFFFFF") == pytest.approx(1.0)
    # green weighs most in luminance, blue least (WCAG's 0.7152 / 0.0722)
    assert (
        style.relative_luminance("#00FF00") > style.relative_luminance("#FF0000") > style.relative_luminance("#0000FF")
    )
    with pytest.raises(ValueError, match="'#RRGGBB'"):
        style.relative_luminance("#FFF")


def test_text_colour_on_picks_the_stronger_contrast():
    assert style.text_colour_on("#FFFFFF") == style.TEXT_DARK
    assert style.text_colour_on("#000000") == style.TEXT_LIGHT


def test_every_named_palette_colour_is_a_hex_code():
    """The colour tables hold '#RRGGBB' codes only (colours live in style.py and nowhere else)."""
    tables = [
        style.DISH_COLOURS,
        style.WEATHER_COLOURS,
        style.GATE_COLOURS,
        style.SPLIT_COLOURS,
        style.MODEL_COLOURS,
        style.SHAPE_COLOURS,
        style.MEMORY_COLOURS,
        style.HIGHLIGHT_COLOURS,
    ]
    codes = [c for table in tables for c in table.values()] + list(style.DIGIT_COLOURS)
    for code in codes:
        style.relative_luminance(code)  # raises on anything but '#RRGGBB'


def test_use_book_style_sets_the_defaults_and_the_palette():
    with matplotlib.rc_context():
        matplotlib.rcdefaults()
        style.use_book_style()
        for key, value in style.BOOK_RC.items():
            assert matplotlib.rcParams[key] == (list(value) if isinstance(value, tuple) else value), key
        colours = [c["color"] for c in matplotlib.rcParams["axes.prop_cycle"]]
        assert colours[:3] == [style.BLUE, style.RED, style.GREEN]
        fig, ax = plt.subplots()
        (line,) = ax.plot([0, 1])
        assert matplotlib.colors.to_hex(line.get_color()).upper() == style.BLUE.upper()
        plt.close(fig)
