"""What recurrent networks are used for: the shapes of sequence problems and a character generator.

Two families of functions:

* ``make_*_model`` build the smallest Keras model of each shape of sequence problem
  (one-to-one, one-to-many, many-to-one, many-to-many aligned, many-to-many encoder-decoder);
  :func:`make_shapes_table` and :func:`make_layer_table` print their shapes.
* The character-level generator: :func:`load_verses` reads the public-domain text in ``data/``,
  :func:`make_char_windows` cuts it into training windows, :func:`make_char_model` builds the model,
  and :func:`sample_text` generates text with a temperature, one character at a time, in NumPy.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from pathlib import Path

import ipywidgets as widgets
import keras
import numpy as np
import pandas as pd

from helpers.cells import lstm_step
from helpers.checks import check_positive_ints
from helpers.data import DataError, sha256_of

__all__ = [
    "SHAPE_NAMES",
    "VERSES_SHA256",
    "make_one_to_one_model",
    "make_one_to_many_model",
    "make_many_to_one_model",
    "make_aligned_model",
    "make_encoder_decoder_model",
    "make_shape_model",
    "make_shapes_table",
    "make_layer_table",
    "make_uses_table",
    "load_verses",
    "make_vocabulary",
    "encode_text",
    "decode_ids",
    "make_char_windows",
    "make_char_model",
    "apply_temperature",
    "next_char_logits",
    "char_weights",
    "check_sampling",
    "sample_text",
    "real_word_share",
    "make_temperature_widget",
]

SHAPE_NAMES: tuple[str, ...] = (
    "one-to-one",
    "one-to-many",
    "many-to-one",
    "many-to-many (aligned)",
    "many-to-many (encoder-decoder)",
)

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
VERSES_FILE = "dhammapada-muller.txt"
VERSES_SHA256 = "2164175c6f8f1e075d06e7f8a06a285d20b442143779c36c56ea3d8bde1ced7c"
VERSES_REBUILD = (
    "restore it with `git checkout -- data/dhammapada-muller.txt`, or rebuild it from Debian's "
    "display-dhammapada package as data/README.md explains"
)


# --- the five shapes ---------------------------------------------------------------------------------


def make_one_to_one_model(features: int = 3, outputs: int = 2) -> keras.Model:
    """Build a one-to-one model: one vector in, one vector out, no recurrence."""
    check_positive_ints(features=features, outputs=outputs)
    return keras.Sequential(
        [keras.Input(shape=(features,)), keras.layers.Dense(outputs)],
        name="one_to_one",
    )


def make_one_to_many_model(
    features: int = 3, steps_out: int = 4, units: int = 4, outputs: int = 2
) -> keras.Model:
    """Build a one-to-many model: one vector, repeated, drives a sequence of outputs."""
    check_positive_ints(features=features, steps_out=steps_out, units=units, outputs=outputs)
    return keras.Sequential(
        [
            keras.Input(shape=(features,)),
            keras.layers.RepeatVector(steps_out),
            keras.layers.SimpleRNN(units, return_sequences=True),
            keras.layers.TimeDistributed(keras.layers.Dense(outputs)),
        ],
        name="one_to_many",
    )


def make_many_to_one_model(steps_in: int = 5, features: int = 3, units: int = 4, outputs: int = 2) -> keras.Model:
    """Build a many-to-one model: a sequence in, one vector out from the last hidden state."""
    check_positive_ints(steps_in=steps_in, features=features, units=units, outputs=outputs)
    return keras.Sequential(
        [
            keras.Input(shape=(steps_in, features)),
            keras.layers.SimpleRNN(units),
            keras.layers.Dense(outputs),
        ],
        name="many_to_one",
    )


def make_aligned_model(steps_in: int = 5, features: int = 3, units: int = 4, outputs: int = 2) -> keras.Model:
    """Build an aligned many-to-many model: one output for every input step."""
    check_positive_ints(steps_in=steps_in, features=features, units=units, outputs=outputs)
    return keras.Sequential(
        [
            keras.Input(shape=(steps_in, features)),
            keras.layers.SimpleRNN(units, return_sequences=True),
            keras.layers.TimeDistributed(keras.layers.Dense(outputs)),
        ],
        name="many_to_many_aligned",
    )


def make_encoder_decoder_model(
    steps_in: int = 5, features: int = 3, steps_out: int = 4, units: int = 4, outputs: int = 2
) -> keras.Model:
    """Build an encoder-decoder model: read the whole input, then write an output of another length."""
    check_positive_ints(steps_in=steps_in, features=features, steps_out=steps_out, units=units, outputs=outputs)
    return keras.Sequential(
        [
            keras.Input(shape=(steps_in, features)),
            keras.layers.SimpleRNN(units),
            keras.layers.RepeatVector(steps_out),
            keras.layers.SimpleRNN(units, return_sequences=True),
            keras.layers.TimeDistributed(keras.layers.Dense(outputs)),
        ],
        name="many_to_many_encoder_decoder",
    )


_MAKERS: dict[str, Callable[..., keras.Model]] = dict(
    zip(
        SHAPE_NAMES,
        (
            make_one_to_one_model,
            make_one_to_many_model,
            make_many_to_one_model,
            make_aligned_model,
            make_encoder_decoder_model,
        ),
        strict=True,
    )
)


def make_shape_model(shape: str, **sizes: int) -> keras.Model:
    """Build the smallest Keras model of one of the five shapes named in SHAPE_NAMES."""
    if shape not in _MAKERS:
        raise ValueError(f"shape must be one of {', '.join(map(repr, SHAPE_NAMES))}; got {shape!r}")
    return _MAKERS[shape](**sizes)


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


# --- the character-level generator -------------------------------------------------------------------


def load_verses(path: str | Path | None = None, chapters: int | None = None) -> str:
    """Return the verses of Müller's Dhammapada as lower-case text, one verse a line.

    Parameters
    ----------
    path : file to read instead of ``data/dhammapada-muller.txt`` (its SHA-256 is checked).
    chapters : keep only the first ``chapters`` of the 26 chapters (all when None).
    """
    if chapters is not None:
        check_positive_ints(chapters=chapters)
        if chapters > 26:
            raise ValueError(f"chapters must be between 1 and 26; got {chapters}")
    path = Path(path) if path is not None else DATA_DIR / VERSES_FILE
    if not path.is_file():
        raise DataError(f"data file {path} is missing; {VERSES_REBUILD}.")
    raw = path.read_bytes()
    if sha256_of(raw) != VERSES_SHA256:
        raise DataError(f"data file {path} does not match its SHA-256 digest {VERSES_SHA256}; {VERSES_REBUILD}.")
    body = raw.decode("ascii").split("-" * 71 + "\nThe Dhammapada\n", 1)[1]
    parts = re.split(r"^\d+\. [^\n]*\n", body, flags=re.MULTILINE)[1:]
    if chapters is not None:
        parts = parts[:chapters]
    verses = []
    for part in parts:
        for block in re.split(r"\n\s*\n", part):
            text = re.sub(r"\s+", " ", block).strip()
            text = re.sub(r"\s*\d+$", "", text)
            if text:
                verses.append(text.lower())
    return "\n".join(verses) + "\n"


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


def check_sampling(prompt: str, length: int, temperature: float, rng: np.random.Generator) -> None:
    """Refuse arguments sample_text cannot use, with a message that says what it expects."""
    check_positive_ints(length=length)
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng must be a numpy.random.Generator; got {type(rng).__name__}")
    if not prompt:
        raise ValueError("prompt must be a non-empty string; got ''")
    apply_temperature(np.zeros(1), temperature)  # validates the temperature


# sample_text is also defined, identically, on the page of the chapter that teaches it
# (tests/test_page_code.py keeps the two copies the same).


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


def real_word_share(sample: str, text: str) -> float:
    """Return the share of the words of a sample that also occur in a text."""
    if not isinstance(sample, str) or not isinstance(text, str):
        raise ValueError(f"sample and text must be strings; got {type(sample).__name__}, {type(text).__name__}")
    words = re.findall(r"[a-z]+", sample.lower())
    if not words:
        raise ValueError(f"sample must contain at least one word; got {sample!r}")
    known = set(re.findall(r"[a-z]+", text.lower()))
    return float(np.mean([word in known for word in words]))


def make_temperature_widget(samples: dict[float, str], prompt: str = ""):
    """Build a slider over precomputed samples, switched in the browser with no kernel.

    A ``SelectionSlider`` picks the temperature; ``jslink`` ties its index to a ``Stack`` holding one
    HTML view per temperature, so the static book switches views in JavaScript.
    """
    if not samples:
        raise ValueError("samples must map at least one temperature to its text; got an empty dict")
    temperatures = list(samples)
    for t in temperatures:
        apply_temperature(np.zeros(1), t)
    style = "font-family:monospace;white-space:pre-wrap;line-height:1.4;max-width:46em"
    views = [
        widgets.HTML(
            f'<div style="{style}"><b>{html.escape(prompt)}</b>{html.escape(samples[t])}</div>'
        )
        for t in temperatures
    ]
    stack = widgets.Stack(views, selected_index=0)
    slider = widgets.SelectionSlider(
        options=[(f"{t:g}", t) for t in temperatures],
        index=0,
        description="temperature",
        continuous_update=True,
        style={"description_width": "initial"},
    )
    link = widgets.jslink((slider, "index"), (stack, "selected_index"))

    class TemperatureWidget(widgets.VBox):
        def __repr__(self) -> str:
            return f"Temperature slider over {len(temperatures)} precomputed samples: " + ", ".join(
                f"{t:g}" for t in temperatures
            )

    box = TemperatureWidget([slider, stack])
    box.link = link
    return box
