"""The shapes of sequence problems: where the inputs and outputs sit in time, drawn and tabulated.

Five shapes (``SHAPE_NAMES``): one-to-one, one-to-many, many-to-one, many-to-many aligned and many-to-many
encoder-decoder. Every ``plot_*`` function takes ``ax=None``, draws on it (or on a new figure) and returns it;
:func:`make_layer_table` and :func:`make_shapes_table` show what a Keras model does to the shape of its input, and
:func:`make_uses_table` places uses of recurrent networks on the five shapes.
"""

from __future__ import annotations

import keras
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from helpers.style import SHAPE_COLOURS, TEXT_DARK, TEXT_LIGHT

__all__ = [
    "SHAPE_LAYOUTS",
    "SHAPE_NAMES",
    "plot_shape",
    "plot_one_to_one",
    "plot_one_to_many",
    "plot_many_to_one",
    "plot_many_to_many_aligned",
    "plot_encoder_decoder",
    "plot_sequence_shapes",
    "make_layer_table",
    "make_shapes_table",
    "make_uses_table",
]

# --- the diagrams ------------------------------------------------------------------------------------

# For each shape: the number of time steps drawn, the steps that receive an input, the steps that emit an output.
SHAPE_LAYOUTS: dict[str, tuple[int, tuple[int, ...], tuple[int, ...]]] = {
    "one-to-one": (1, (0,), (0,)),
    "one-to-many": (4, (0,), (0, 1, 2, 3)),
    "many-to-one": (4, (0, 1, 2, 3), (3,)),
    "many-to-many (aligned)": (4, (0, 1, 2, 3), (0, 1, 2, 3)),
    "many-to-many (encoder-decoder)": (5, (0, 1, 2), (3, 4)),
}

SHAPE_NAMES: tuple[str, ...] = tuple(SHAPE_LAYOUTS)

_SHAPE_BOX_W, _SHAPE_BOX_H = 0.66, 0.5


def _shape_box(ax: Axes, x: float, y: float, role: str, label: str, fontsize: float) -> None:
    ax.add_patch(
        plt.Rectangle(
            (x - _SHAPE_BOX_W / 2, y - _SHAPE_BOX_H / 2),
            _SHAPE_BOX_W,
            _SHAPE_BOX_H,
            facecolor=SHAPE_COLOURS[role],
            edgecolor=TEXT_DARK,
            linewidth=1.0,
        )
    )
    ax.text(x, y, label, ha="center", va="center", color=TEXT_LIGHT, fontsize=fontsize, fontweight="bold")


def _shape_arrow(ax: Axes, start: tuple[float, float], end: tuple[float, float]) -> None:
    ax.annotate("", xy=end, xytext=start, arrowprops={"arrowstyle": "-|>", "color": TEXT_DARK, "lw": 1.2})


def plot_shape(shape: str, ax: Axes | None = None, labels: bool = True, fontsize: float = 10) -> Axes:
    """Draw one shape of sequence problem: inputs at the bottom, hidden states, outputs on top."""
    if shape not in SHAPE_LAYOUTS:
        raise ValueError(f"shape must be one of {', '.join(map(repr, SHAPE_LAYOUTS))}; got {shape!r}")
    if fontsize <= 0:
        raise ValueError(f"fontsize must be positive; got {fontsize!r}")
    if ax is None:
        _, ax = plt.subplots(figsize=(1.0 + 1.1 * SHAPE_LAYOUTS[shape][0], 2.8))
    steps, inputs, outputs = SHAPE_LAYOUTS[shape]
    half = _SHAPE_BOX_H / 2
    for t in range(steps):
        _shape_box(ax, t, 1.0, "hidden", f"$h_{t + 1}$" if labels else "", fontsize)
        if t in inputs:
            _shape_box(ax, t, 0.0, "input", f"$x_{inputs.index(t) + 1}$" if labels else "", fontsize)
            _shape_arrow(ax, (t, half), (t, 1.0 - half))
        if t in outputs:
            _shape_box(ax, t, 2.0, "output", f"$y_{outputs.index(t) + 1}$" if labels else "", fontsize)
            _shape_arrow(ax, (t, 1.0 + half), (t, 2.0 - half))
        if t + 1 < steps:
            _shape_arrow(ax, (t + _SHAPE_BOX_W / 2, 1.0), (t + 1 - _SHAPE_BOX_W / 2, 1.0))
    ax.set_xlim(-0.55, steps - 0.45)
    ax.set_ylim(-0.4, 2.4)
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.set_title(shape.replace(" (", "\n("), fontsize=fontsize + 1)
    return ax


def plot_one_to_one(ax: Axes | None = None) -> Axes:
    """Draw the one-to-one shape: one input, one output, no recurrence."""
    return plot_shape("one-to-one", ax)


def plot_one_to_many(ax: Axes | None = None) -> Axes:
    """Draw the one-to-many shape: one input, an output at every step."""
    return plot_shape("one-to-many", ax)


def plot_many_to_one(ax: Axes | None = None) -> Axes:
    """Draw the many-to-one shape: an input at every step, one output at the end."""
    return plot_shape("many-to-one", ax)


def plot_many_to_many_aligned(ax: Axes | None = None) -> Axes:
    """Draw the aligned many-to-many shape: an output for every input, step by step."""
    return plot_shape("many-to-many (aligned)", ax)


def plot_encoder_decoder(ax: Axes | None = None) -> Axes:
    """Draw the encoder-decoder shape: read all the inputs, then emit outputs of another length."""
    return plot_shape("many-to-many (encoder-decoder)", ax)


def _two_row_shape_axes(names: list[str], unit: float = 0.8, gap: float = 0.5) -> list[Axes]:
    """Axes for the shapes, three on the top row and two below, all at one scale (``unit`` inches per step)."""
    width, title, height = 8.5, 0.55, 2.8 * unit
    fig = plt.figure(figsize=(width, 2 * (height + title)), layout="none")
    axes = []
    for row, row_names in enumerate((names[:3], names[3:])):
        spans = [(SHAPE_LAYOUTS[name][0] + 0.1) * unit for name in row_names]
        left = (width - sum(spans) - gap * unit * (len(spans) - 1)) / 2
        bottom = (1 - row) * (height + title)
        for span in spans:
            axes.append(
                fig.add_axes((left / width, bottom / fig.get_figheight(), span / width, height / fig.get_figheight()))
            )
            left += span + gap * unit
    return axes


def plot_sequence_shapes(axes: np.ndarray | None = None) -> np.ndarray:
    """Draw the five shapes in two rows, in the manner of Karpathy's well-known figure.

    Without ``axes``, a full-width figure holds three shapes on the top row and two below, each drawn at the
    same scale, so that the labels stay readable on the page.
    """
    names = list(SHAPE_LAYOUTS)
    if axes is None:
        axes = _two_row_shape_axes(names)
    axes = np.asarray(axes).ravel()
    if axes.size != len(names):
        raise ValueError(f"axes must hold {len(names)} axes, one per shape; got {axes.size}")
    for ax, name in zip(axes, names, strict=True):
        plot_shape(name, ax, labels=True, fontsize=12)
    return axes


# --- the tables --------------------------------------------------------------------------------------


def _shape_text(shape) -> str:
    names = ["batch" if s is None and i == 0 else "steps" if s is None else str(s) for i, s in enumerate(shape)]
    return "(" + ", ".join(names) + ")"


def _layer_text(layer: keras.layers.Layer) -> str:
    name = type(layer).__name__
    if isinstance(layer, keras.layers.TimeDistributed):
        return f"TimeDistributed({_layer_text(layer.layer)})"
    if isinstance(layer, keras.layers.Bidirectional):
        return f"Bidirectional({_layer_text(layer.forward_layer)})"
    if isinstance(layer, keras.layers.RepeatVector):
        return f"RepeatVector({layer.n})"
    if isinstance(layer, keras.layers.Dense):
        return f"Dense({layer.units})"
    if isinstance(layer, keras.layers.RNN) or hasattr(layer, "return_sequences"):
        flag = ", return_sequences=True" if layer.return_sequences else ""
        return f"{name}({layer.units}{flag})"
    return name


def make_shapes_table(models: dict[str, keras.Model]) -> pd.DataFrame:
    """Tabulate the input shape, output shape, layers and parameter count of each model."""
    if not models:
        raise ValueError("models must be a non-empty dict of name -> keras.Model; got an empty one")
    rows = []
    for name, model in models.items():
        if not isinstance(model, keras.Model):
            raise ValueError(f"models[{name!r}] must be a keras.Model; got {type(model).__name__}")
        rows.append(
            {
                "shape": name,
                "input": _shape_text(model.input_shape),
                "output": _shape_text(model.output_shape),
                "layers": " → ".join(_layer_text(layer) for layer in model.layers),
                "parameters": model.count_params(),
            }
        )
    return pd.DataFrame(rows).set_index("shape").rename_axis(None)


def make_layer_table(model: keras.Model) -> pd.DataFrame:
    """Tabulate each layer of a model with the shape it outputs and its parameter count."""
    if not isinstance(model, keras.Model):
        raise ValueError(f"model must be a keras.Model; got {type(model).__name__}")
    rows = [{"layer": "Input", "output shape": _shape_text(model.input_shape), "parameters": 0}]
    for layer in model.layers:
        shape = _shape_text(layer.output.shape)
        rows.append({"layer": _layer_text(layer), "output shape": shape, "parameters": layer.count_params()})
    return pd.DataFrame(rows).set_index("layer").rename_axis(None)


_USES = (
    ("stock market forecast", "prices of the past days", "tomorrow's price", "many-to-one", "article"),
    ("text suggestion on a phone", "the letters typed so far", "the next letter at every step",
     "many-to-many (aligned)", "article"),
    ("sequence and text generation", "a first character (or a prompt)", "a stream of characters", "one-to-many",
     "article; this chapter"),
    ("voice recognition", "audio frames", "words (fewer than the frames)", "many-to-many (encoder-decoder)",
     "article"),
    ("image classification (no memory)", "one image", "one label", "one-to-one", "article (CNNs)"),
    ("the roommate", "the weather, day by day", "the dish, day by day", "many-to-many (aligned)", "chapter 1"),
    ("MNIST digits", "28 rows of 28 pixels", "one digit", "many-to-one", "chapter 6"),
    ("airline passengers", "the last months' totals", "next month's total", "many-to-one", "chapter 7"),
)


def make_uses_table() -> pd.DataFrame:
    """Place the article's uses of RNNs and the book's experiments on the map of shapes."""
    frame = pd.DataFrame(_USES, columns=["use", "input sequence", "output", "shape", "where"])
    return frame.set_index("use").rename_axis(None)
