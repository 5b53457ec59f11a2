"""One visual language for every chapter: colours and figure defaults (all chapters).

Colours come from Paul Tol's colour-blind-safe palettes. Nothing here runs at
import time: a notebook calls :func:`use_book_style` once, in its imports cell.

Text on the page meets WCAG 2's 4.5:1 contrast for normal text: the palette colours are
used as fills (chips, cells, lines), and text drawn on a fill takes the colour that
:func:`text_colour_on` picks for it, black or white. None of the palette colours is dark
enough to be text on white by itself (yellow #DDAA33 is 2.1:1).
"""

from __future__ import annotations

import re

import matplotlib as mpl

# Paul Tol's "bright" and "muted" qualitative palettes (colour-blind safe).
BLUE, CYAN, GREEN, YELLOW = "#4477AA", "#66CCEE", "#228833", "#CCBB44"
RED, PURPLE, GREY = "#EE6677", "#AA3377", "#BBBBBB"

DISH_COLOURS = {"apple pie": GREEN, "burger": RED, "chicken": YELLOW}
WEATHER_COLOURS = {"sunny": "#DDAA33", "rainy": BLUE}
GATE_COLOURS = {
    "cell state": GREY,
    "forget gate": RED,
    "input gate": GREEN,
    "candidate": CYAN,
    "output gate": PURPLE,
}
SPLIT_COLOURS = {"train": BLUE, "validation": RED, "test": RED}
MODEL_COLOURS = {"SimpleRNN": YELLOW, "LSTM": BLUE, "GRU": GREEN, "baseline": GREY, "chance": GREY}

TEXT_DARK, TEXT_LIGHT = "#000000", "#FFFFFF"
MIN_TEXT_CONTRAST = 4.5  # WCAG 2, success criterion 1.4.3 (level AA), normal-size text


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    """Return the WCAG 2 relative luminance of a ``#RRGGBB`` colour (0 for black, 1 for white)."""
    if not isinstance(colour, str) or not re.fullmatch(r"#[0-9a-fA-F]{6}", colour):
        raise ValueError(f"colour must be a '#RRGGBB' hex string; got {colour!r}")
    r, g, b = (_channel(int(colour[i : i + 2], 16)) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(foreground: str, background: str) -> float:
    """Return the WCAG 2 contrast ratio of two ``#RRGGBB`` colours, from 1 (none) to 21 (black on white)."""
    high, low = sorted((relative_luminance(foreground), relative_luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_colour_on(background: str) -> str:
    """Return black or white, whichever contrasts more with ``background`` (for text on a coloured fill)."""
    dark, light = contrast_ratio(TEXT_DARK, background), contrast_ratio(TEXT_LIGHT, background)
    return TEXT_DARK if dark >= light else TEXT_LIGHT


BOOK_RC = {
    "figure.figsize": (7.0, 3.6),
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "legend.frameon": False,
    "font.size": 11,
}


def use_book_style() -> None:
    """Apply the book's figure defaults to matplotlib (call once per notebook)."""
    mpl.rcParams.update(BOOK_RC)
    mpl.rcParams["axes.prop_cycle"] = mpl.cycler(color=[BLUE, RED, GREEN, YELLOW, CYAN, PURPLE, GREY])
