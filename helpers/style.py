"""One visual language for every chapter: colours and figure defaults (all chapters).

Colours come from Paul Tol's colour-blind-safe palettes. Nothing here runs at
import time: a notebook calls :func:`use_book_style` once, in its imports cell.
"""

from __future__ import annotations

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
