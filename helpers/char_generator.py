"""A character-level text generator: an LSTM learns the next character, and a NumPy loop writes text with it.

:func:`make_vocabulary`, :func:`encode_text` and :func:`decode_ids` turn text into indices and back,
:func:`make_char_windows` cuts it into training windows, :func:`make_char_model` builds the model, and
:func:`sample_text` writes text at a temperature (:func:`apply_temperature`), one character at a time, with the
model's weights in NumPy. :func:`real_word_share` measures how much of a sample is made of real words, and
:func:`make_temperature_widget` shows precomputed samples under a slider that works without a kernel.
:func:`char_states` runs the model's LSTM over a text and returns its hidden and cell states at every step;
:func:`plot_losses` draws training and held-out loss per epoch against a baseline, and :func:`plot_unit_over_text`
colours a text character by character with one unit's activation.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

import ipywidgets as widgets
import keras
import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes

from helpers.cells import lstm_step
from helpers.checks import check_positive_ints
from helpers.style import MID_GREY, SPLIT_COLOURS, text_colour_on
from helpers.widgets import Choice, Switcher, make_toggle_views

# One unit's activation over a text: a diverging, colour-blind-safe colour map (text on it is black or white,
# whichever contrasts more).
UNIT_COLOURMAP = "PuOr"

__all__ = [
    "make_vocabulary",
    "encode_text",
    "decode_ids",
    "make_char_windows",
    "make_char_model",
    "apply_temperature",
    "char_weights",
    "next_char_logits",
    "check_sampling",
    "sample_text",
    "real_word_share",
    "make_temperature_widget",
    "char_states",
    "plot_losses",
    "plot_unit_over_text",
]


def make_vocabulary(text: str) -> list[str]:
    """Return the sorted list of distinct characters of a text, the generator's alphabet."""
    if not isinstance(text, str) or not text:
        raise ValueError(f"text must be a non-empty string; got {text!r}")
    return sorted(set(text))


def encode_text(text: str, vocabulary: Sequence[str]) -> np.ndarray:
    """Turn text into an int32 array of indices into the vocabulary."""
    index = {ch: i for i, ch in enumerate(vocabulary)}
    unknown = sorted(set(text) - set(index))
    if unknown:
        raise ValueError(f"text may only use characters of the vocabulary; got unknown {unknown}")
    return np.array([index[ch] for ch in text], dtype=np.int32)


def decode_ids(ids: Sequence[int], vocabulary: Sequence[str]) -> str:
    """Turn an array of indices back into text."""
    ids = np.asarray(ids)
    if ids.ndim != 1 or (ids.size and (ids.min() < 0 or ids.max() >= len(vocabulary))):
        raise ValueError(f"ids must be a 1-D array of indices in [0, {len(vocabulary)}); got {ids!r}")
    return "".join(vocabulary[i] for i in ids)


def make_char_windows(ids: np.ndarray, length: int) -> tuple[np.ndarray, np.ndarray]:
    """Cut a sequence of indices into non-overlapping windows x and the same windows shifted by one, y.

    Returns ``x`` and ``y`` of shape ``(windows, length)``: ``y[:, t]`` is the character that follows ``x[:, t]``.
    """
    check_positive_ints(length=length)
    ids = np.asarray(ids)
    if ids.ndim != 1:
        raise ValueError(f"ids must be 1-D; got shape {ids.shape}")
    windows = (len(ids) - 1) // length
    if windows < 1:
        raise ValueError(f"ids must hold at least length + 1 = {length + 1} characters; got {len(ids)}")
    x = ids[: windows * length].reshape(windows, length)
    y = ids[1 : windows * length + 1].reshape(windows, length)
    return x, y


def make_char_model(vocabulary_size: int, embedding: int = 16, units: int = 128) -> keras.Model:
    """Build the character model: Embedding, LSTM returning every step, Dense logits per step."""
    check_positive_ints(vocabulary_size=vocabulary_size, embedding=embedding, units=units)
    model = keras.Sequential(
        [
            keras.Input(shape=(None,), dtype="int32"),
            keras.layers.Embedding(vocabulary_size, embedding),
            keras.layers.LSTM(units, return_sequences=True),
            keras.layers.Dense(vocabulary_size),
        ],
        name="char_lstm",
    )
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=0.01),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    return model


def apply_temperature(logits: np.ndarray, temperature: float) -> np.ndarray:
    """Turn logits into probabilities sharpened (temperature < 1) or flattened (> 1)."""
    if not np.isfinite(temperature) or temperature <= 0:
        raise ValueError(f"temperature must be a positive number; got {temperature!r}")
    scaled = np.asarray(logits, dtype=np.float64) / temperature
    scaled = scaled - scaled.max(axis=-1, keepdims=True)
    weights = np.exp(scaled)
    return weights / weights.sum(axis=-1, keepdims=True)


def char_weights(model: keras.Model) -> tuple[np.ndarray, ...]:
    """Return the weights of an Embedding → LSTM → Dense character model as float64 arrays.

    In order: the embedding table, the LSTM's kernel, recurrent kernel and bias, the Dense kernel and bias.
    """
    layers = model.layers
    if (
        len(layers) != 3
        or not isinstance(layers[0], keras.layers.Embedding)
        or not isinstance(layers[1], keras.layers.LSTM)
        or not isinstance(layers[2], keras.layers.Dense)
    ):
        raise ValueError(
            "model must be Embedding → LSTM → Dense as built by make_char_model; got "
            + " → ".join(type(layer).__name__ for layer in layers)
        )
    (table,) = layers[0].get_weights()
    kernel, recurrent, bias = layers[1].get_weights()
    dense_kernel, dense_bias = layers[2].get_weights()
    return tuple(w.astype(np.float64) for w in (table, kernel, recurrent, bias, dense_kernel, dense_bias))


def next_char_logits(model: keras.Model, ids: Sequence[int]) -> np.ndarray:
    """Run the character model over ids in NumPy, one step at a time; return the logits after each step."""
    ids = np.asarray(ids)
    if ids.ndim != 1 or ids.size == 0:
        raise ValueError(f"ids must be a non-empty 1-D sequence of indices; got shape {ids.shape}")
    table, kernel, recurrent, bias, dense_kernel, dense_bias = char_weights(model)
    units = recurrent.shape[0]
    h, c = np.zeros(units), np.zeros(units)
    logits = []
    for i in ids:
        h, c = lstm_step(table[i], h, c, kernel, recurrent, bias)
        logits.append(h @ dense_kernel + dense_bias)
    return np.array(logits)


def char_states(model: keras.Model, ids: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """Run the character model's LSTM over ids in NumPy from a zero state; return its states after each step.

    Returns ``h`` and ``c``, each of shape ``(len(ids), units)``: the hidden state and the cell state after reading
    each character.
    """
    ids = np.asarray(ids)
    if ids.ndim != 1 or ids.size == 0:
        raise ValueError(f"ids must be a non-empty 1-D sequence of indices; got shape {ids.shape}")
    table, kernel, recurrent, bias, _, _ = char_weights(model)
    if ids.min() < 0 or ids.max() >= len(table):
        raise ValueError(f"ids must be indices in [0, {len(table)}); got values from {ids.min()} to {ids.max()}")
    h = c = np.zeros(recurrent.shape[0])
    hs, cs = [], []
    for i in ids:
        h, c = lstm_step(table[i], h, c, kernel, recurrent, bias)
        hs.append(h)
        cs.append(c)
    return np.array(hs), np.array(cs)


def check_sampling(prompt: str, length: int, temperature: float, rng: np.random.Generator) -> None:
    """Refuse arguments sample_text cannot use, with a message that says what it expects."""
    check_positive_ints(length=length)
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng must be a numpy.random.Generator; got {type(rng).__name__}")
    if not prompt:
        raise ValueError("prompt must be a non-empty string; got ''")
    apply_temperature(np.zeros(1), temperature)  # validates the temperature


# sample_text is written on the page of the chapter that teaches it and exported here
# (`#@save` cells; python -m booktools sync).


# >>> exported from notebooks/02_rnn_uses.ipynb by `python -m booktools sync`: edit the page, not these lines
def sample_text(model, vocabulary, prompt, length, temperature, rng):
    """Write `length` characters after `prompt`, one at a time.

    The model reads the prompt; then each character is drawn from its softmax
    at `temperature` and fed back in as the next input (one-to-many). The LSTM
    step runs in NumPy with the model's weights: no Keras call per character.
    """
    check_sampling(prompt, length, temperature, rng)
    table, kernel, recurrent, bias, out_kernel, out_bias = char_weights(model)
    h = c = np.zeros(recurrent.shape[0])
    ids, drawn = list(encode_text(prompt, vocabulary)), []
    for step in range(len(ids) + length - 1):
        current = ids[step] if step < len(ids) else drawn[-1]
        h, c = lstm_step(table[current], h, c, kernel, recurrent, bias)
        if step >= len(ids) - 1:
            p = apply_temperature(h @ out_kernel + out_bias, temperature)
            drawn.append(int(rng.choice(len(p), p=p)))
    return decode_ids(drawn, vocabulary)
# <<< end of the code exported from notebooks/02_rnn_uses.ipynb


def real_word_share(sample: str, text: str) -> float:
    """Return the share of the words of a sample that also occur in a text."""
    if not isinstance(sample, str) or not isinstance(text, str):
        raise ValueError(f"sample and text must be strings; got {type(sample).__name__}, {type(text).__name__}")
    words = re.findall(r"[a-z]+", sample.lower())
    if not words:
        raise ValueError(f"sample must contain at least one word; got {sample!r}")
    known = set(re.findall(r"[a-z]+", text.lower()))
    return float(np.mean([word in known for word in words]))


def make_temperature_widget(samples: dict[float, str], prompt: str = "") -> Switcher:
    """Build a temperature slider over precomputed samples, switched in the browser with no kernel.

    ``samples`` maps each temperature to the text written after ``prompt``; the slider (its accessible name is
    "temperature") selects one HTML view per temperature.
    """
    if not samples:
        raise ValueError("samples must map at least one temperature to its text; got an empty dict")
    temperatures = list(samples)
    for t in temperatures:
        apply_temperature(np.zeros(1), t)
    style = "font-family:monospace;white-space:pre-wrap;line-height:1.4;max-width:46em"

    def view(t: float) -> widgets.HTML:
        return widgets.HTML(f'<div style="{style}"><b>{html.escape(prompt)}</b>{html.escape(samples[t])}</div>')

    return make_toggle_views(
        [Choice("temperature", [(f"{t:g}", t) for t in temperatures], slider=True)],
        view,
        description=f"Temperature slider over {len(temperatures)} precomputed samples: "
        + ", ".join(f"{t:g}" for t in temperatures),
        label_width="initial",  # the word in full (a slider's default label is 80px)
    )


def plot_losses(
    training: Sequence[float], validation: Sequence[float], baseline: float, ax: Axes | None = None
) -> Axes:
    """Draw the training and held-out loss after each epoch, and a baseline's loss as a dashed line."""
    training, validation = np.asarray(training, dtype=float), np.asarray(validation, dtype=float)
    if training.ndim != 1 or training.size == 0 or training.shape != validation.shape:
        raise ValueError(
            "training and validation must be two non-empty lists of one loss per epoch, of the same length; "
            f"got shapes {training.shape} and {validation.shape}"
        )
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.6))
    epochs = np.arange(1, training.size + 1)
    ax.plot(epochs, training, "o-", color=SPLIT_COLOURS["train"], label="training text")
    ax.plot(epochs, validation, "s--", color=SPLIT_COLOURS["validation"], label="held-out verses")
    ax.axhline(baseline, color=MID_GREY, linestyle=":", linewidth=2,
               label="character frequencies only (held out)")  # fmt: skip
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss (nats per character)")
    ax.set_title("The character model's loss, on the text it trains on and on held-out verses")
    ax.set_xticks(epochs)
    ax.legend(loc="upper right")
    return ax


def plot_unit_over_text(
    text: str, values: Sequence[float], ax: Axes | None = None, width: int = 60, title: str | None = None
) -> Axes:
    """Write a text character by character, each on a cell coloured by one unit's activation at that character.

    ``values[i]`` is the activation after reading ``text[i]``; the colour scale is symmetric around 0. Lines wrap
    at ``width`` characters (and at every newline); spaces are shown as a centred dot.
    """
    values = np.asarray(values, dtype=float)
    if not isinstance(text, str) or not text or values.shape != (len(text),):
        raise ValueError(
            f"values must hold one number per character of a non-empty text; got {values.shape} for "
            f"{len(text) if isinstance(text, str) else type(text).__name__} characters"
        )
    check_positive_ints(width=width)
    rows, row, column = [], 0, 0
    for ch in text:
        if column == width:
            row, column = row + 1, 0
        rows.append((row, column))
        row, column = (row + 1, 0) if ch == "\n" else (row, column + 1)
    n_rows = rows[-1][0] + 1
    if ax is None:
        _, ax = plt.subplots(figsize=(0.13 * width + 1.2, 0.32 * n_rows + 0.9))
    limit = float(np.abs(values).max()) or 1.0
    norm = mpl.colors.Normalize(-limit, limit)
    cmap = mpl.colormaps[UNIT_COLOURMAP]
    for ch, value, (r, col) in zip(text, values, rows, strict=True):
        fill = mpl.colors.to_hex(cmap(norm(value)))
        ax.add_patch(plt.Rectangle((col, -r - 1), 1, 1, facecolor=fill, linewidth=0))
        shown = {" ": "·", "\n": "⏎"}.get(ch, ch)
        ax.text(col + 0.5, -r - 0.5, shown, ha="center", va="center", family="monospace", fontsize=9,
                color=text_colour_on(fill))  # fmt: skip
    ax.set_xlim(0, width)
    ax.set_ylim(-n_rows, 0)
    ax.set_aspect("auto")
    ax.axis("off")
    ax.figure.colorbar(mpl.cm.ScalarMappable(norm=norm, cmap=cmap), ax=ax, fraction=0.03, pad=0.01,
                       label="activation")  # fmt: skip
    if title:
        ax.set_title(title)
    return ax
