"""One visual language for every chapter: colours and figure defaults.

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

TEXT_DARK, TEXT_LIGHT = "#000000", "#FFFFFF"  # also the black edges and white fills of drawings
# Grey text for notes beside a widget's vectors (7.5:1 on white), and the border of a vector's cells.
NOTE_INK, CELL_BORDER = "#555555", "#777777"
MID_GREY = "#808080"  # reference lines and legend stand-ins in plots (matplotlib's "grey")
# Neutral inks and fills for diagrams: lines and labels, boxes, their edges.
INK, INK_SOFT = "#222222", "#333333"
FILL_LIGHT, FILL_LIGHTER, FILL_PALE, EDGE_GREY = "#DDDDDD", "#EEEEEE", "#F5F5F5", "#999999"
# Pale tints of the palette, as fills behind black text, and a cyan dark enough to be text.
PALE_RED, PALE_GREEN, PALE_BLUE, PALE_INDIGO = "#F4B6BF", "#A8D5A2", "#B4CDE6", "#BBCCEE"
DARK_CYAN = "#1F7FA3"
SHAPE_COLOURS = {"input": RED, "hidden": GREEN, "output": BLUE}  # the boxes of the sequence-shape diagrams
MEMORY_COLOURS = {"LSTM, chrono init": PURPLE, "LSTM, forget bias 4": CYAN, "IRNN": RED}
HIGHLIGHT_COLOURS = {1: PALE_INDIGO, 2: BLUE}  # the roommate widget: a vector entry of 1, of 2
# Ten distinguishable colours for the ten digits (Paul Tol's "muted" palette plus grey).
DIGIT_COLOURS = (
    "#332288", "#88CCEE", "#44AA99", "#117733", "#999933",
    "#DDCC77", "#CC6677", "#882255", "#AA4499", "#777777",
)  # fmt: skip
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
