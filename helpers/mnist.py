"""MNIST read row by row: models, the row-by-row reader and the chapter's figures.

Each 28x28 image is a sequence of 28 time steps (its rows) of 28 pixels. Nothing here
runs at import time; Keras is imported when a model is built.
"""

from __future__ import annotations

import time
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from helpers.cells import KERAS_CELLS
from helpers.checks import check_int
from helpers.data import check_mnist_best_weights
from helpers.style import BLUE, DIGIT_COLOURS, GREY, RED, SPLIT_COLOURS

ROWS, COLS, CLASSES = 28, 28, 10


def _check_images(images: np.ndarray, name: str = "images") -> np.ndarray:
    images = np.asarray(images)
    if images.ndim != 3 or images.shape[1:] != (ROWS, COLS):
        raise ValueError(f"{name} must have shape (n, {ROWS}, {COLS}); got {images.shape}")
    return images


def _check_labels(labels: np.ndarray, name: str = "labels") -> np.ndarray:
    labels = np.asarray(labels)
    if labels.ndim != 1 or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"{name} must be a 1-D integer array; got {labels.dtype} of shape {labels.shape}")
    if labels.size and (labels.min() < 0 or labels.max() >= CLASSES):
        raise ValueError(f"{name} must lie in 0..{CLASSES - 1}; got {labels.min()}..{labels.max()}")
    return labels


def to_sequences(images: np.ndarray) -> np.ndarray:
    """Scale uint8 images to float32 in [0, 1], one row per time step."""
    images = _check_images(images)
    if images.dtype != np.uint8:
        raise ValueError(f"images must be uint8 pixels 0..255; got {images.dtype}")
    return images.astype("float32") / 255.0


def make_recurrent_model(kind: str = "LSTM", units: int = 30):
    """Build and compile the article's model: one recurrent layer, Dense(10, softmax), rmsprop."""
    import keras

    if kind not in KERAS_CELLS:
        raise ValueError(f"kind must be one of {KERAS_CELLS}; got {kind!r}")
    check_int("units", units)
    model = keras.Sequential(
        [
            keras.Input((ROWS, COLS)),
            getattr(keras.layers, kind)(units, name=kind.lower()),
            keras.layers.Dense(CLASSES, activation="softmax", name="digit"),
        ],
        name=f"{kind}{units}",
    )
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
    return model


def make_best_model(steps: int = 4690, compiled: bool = True):
    """Build the chapter's stronger model: ``make_conv_recurrent_model`` with ``BEST_SETTINGS``.

    ``BEST_SETTINGS`` (filters, units, learning rate) are the best of a small grid scored on the validation
    split (``python scripts/train_mnist_best.py --grid``; ``data/mnist_best_grid.csv``).
    """
    return make_conv_recurrent_model(
        "conv + BiLSTM", steps=steps, **BEST_SETTINGS, compiled=compiled, name="ConvBiLSTM"
    )


VALIDATION_SIZE = 10_000
BASELINE_KINDS = ("MLP", "CNN")
ABLATION_VARIANTS = ("conv only", "BiLSTM only", "conv + LSTM", "conv + BiLSTM")
ABLATION_SIZE = {"filters": 16, "units": 32}  # a smaller model, so that the ablation fits a working session
# chosen on validation from GRID (scripts/train_mnist_best.py --grid; tests/test_mnist.py checks the choice)
BEST_SETTINGS = {"filters": 32, "units": 64, "lr": 2e-3}
GRID = tuple({"filters": f, "units": u, "lr": lr} for f, u in ((16, 32), (32, 64)) for lr in (1e-3, 2e-3, 4e-3))


def split_validation(x: np.ndarray, y: np.ndarray, size: int = VALIDATION_SIZE):
    """Split off the last ``size`` training examples as a validation set: ``(x_fit, y_fit), (x_val, y_val)``."""
    x, y = np.asarray(x), np.asarray(y)
    if len(x) != len(y):
        raise ValueError(f"x and y must have the same length; got {len(x)} and {len(y)}")
    check_int("size", size, 1, len(x) - 1)
    return (x[:-size], y[:-size]), (x[-size:], y[-size:])


def make_baseline(kind: str = "MLP"):
    """Build and compile a non-recurrent baseline of about 7,000 parameters, with the article's rmsprop.

    ``"MLP"``: the 784 pixels, one hidden layer of 9 ReLU units, Dense(10, softmax) (7,165 parameters).
    ``"CNN"``: two 3x3 convolutions (10 and 20 filters), each followed by 2x2 max pooling, then
    Dense(10, softmax) (6,930 parameters).
    """
    import keras

    layers = keras.layers
    if kind == "MLP":
        body = [layers.Flatten(), layers.Dense(9, activation="relu", name="hidden")]
    elif kind == "CNN":
        body = [
            layers.Reshape((ROWS, COLS, 1)),
            layers.Conv2D(10, 3, activation="relu"),
            layers.MaxPooling2D(2),
            layers.Conv2D(20, 3, activation="relu"),
            layers.MaxPooling2D(2),
            layers.Flatten(),
        ]
    else:
        raise ValueError(f"kind must be one of {BASELINE_KINDS}; got {kind!r}")
    model = keras.Sequential(
        [keras.Input((ROWS, COLS)), *body, layers.Dense(CLASSES, activation="softmax", name="digit")],
        name=kind,
    )
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
    return model


def make_conv_recurrent_model(
    variant: str = "conv + BiLSTM",
    steps: int = 4690,
    filters: int = 16,
    units: int = 32,
    lr: float = 2e-3,
    dropout: float = 0.25,
    compiled: bool = True,
    name: str | None = None,
):
    """Build one part or the whole of a convolution + recurrent model, with Adam and a cosine-decaying rate.

    ``variant`` is one of ``ABLATION_VARIANTS``: the convolutional front end alone (a 3x3 convolution with
    ``filters`` filters, batch normalisation, 2x2 max pooling, then flattened into the softmax layer), the
    bidirectional LSTM (``units`` per direction) alone on the raw rows, the front end with a one-directional
    LSTM, or the full model, whose LSTM reads the 14 pooled rows. Dropout ``dropout`` sits before
    ``Dense(10, softmax)``. ``steps`` is the number of training steps over which the learning rate decays
    (cosine) from ``lr`` to 1% of it; ``compiled=False`` gives a bare model, e.g. to save or load weights.
    """
    import keras

    if variant not in ABLATION_VARIANTS:
        raise ValueError(f"variant must be one of {ABLATION_VARIANTS}; got {variant!r}")
    check_int("steps", steps)
    check_int("filters", filters)
    check_int("units", units)
    if not lr > 0:
        raise ValueError(f"lr must be positive; got {lr!r}")
    if not 0 <= dropout < 1:
        raise ValueError(f"dropout must lie in [0, 1); got {dropout!r}")
    layers = keras.layers
    front = [
        layers.Reshape((ROWS, COLS, 1)),
        layers.Conv2D(filters, 3, padding="same", activation="relu"),
        layers.BatchNormalization(),
        layers.MaxPooling2D(2),
        layers.Reshape((ROWS // 2, COLS // 2 * filters)),
    ]
    # every variant's layers are constructed (layer constructors draw from Keras' seeded generator), so that a
    # seed gives the same model as the runs recorded in data/; only the chosen variant is used
    core = {
        "conv only": front + [layers.Flatten()],
        "BiLSTM only": [layers.Bidirectional(layers.LSTM(units))],
        "conv + LSTM": front + [layers.LSTM(units)],
        "conv + BiLSTM": front + [layers.Bidirectional(layers.LSTM(units))],
    }[variant]
    model = keras.Sequential(
        [keras.Input((ROWS, COLS)), *core, layers.Dropout(dropout), layers.Dense(CLASSES, activation="softmax")],
        name=name or variant.replace(" + ", "_").replace(" ", "_"),
    )
    if not compiled:
        return model
    schedule = keras.optimizers.schedules.CosineDecay(lr, decay_steps=steps, alpha=0.01)
    model.compile(optimizer=keras.optimizers.Adam(schedule), loss="categorical_crossentropy", metrics=["accuracy"])
    return model


def make_ablation_model(variant: str, steps: int):
    """Build one part or the whole of the ablation's smaller model (16 filters, 32 units per direction)."""
    return make_conv_recurrent_model(variant, steps=steps, **ABLATION_SIZE)


def plot_seed_dots(table, value: str = "test_accuracy", ax=None):
    """Draw one dot per seed and a bar at the mean for each model (rows of ``table``, column ``value``)."""
    if value not in table.columns or "model" not in table.columns:
        raise ValueError(f"table needs the columns 'model' and {value!r}; got {list(table.columns)}")
    if ax is None:
        _, ax = plt.subplots(figsize=(7.0, 0.45 * table["model"].nunique() + 1.2), layout="constrained")
    order = table.groupby("model", sort=False)[value].mean().sort_values().index
    for y, name in enumerate(order):
        values = table.loc[table["model"] == name, value].to_numpy()
        ax.plot(values, np.full(values.size, y), "o", color=BLUE, alpha=0.7, ms=6)
        ax.plot([values.mean()] * 2, [y - 0.3, y + 0.3], color=RED, lw=2)
    ax.set_yticks(range(len(order)), order)
    ax.set(xlabel=value.replace("_", " "), ylim=(-0.7, len(order) - 0.3))
    return ax


def load_best_model(path: str | Path | None = None, expected_sha256: str | None = None):
    """Build the stronger model and load its shipped weights, checked by ``helpers.data.check_mnist_best_weights``."""
    path = check_mnist_best_weights(path, expected_sha256)
    model = make_best_model(compiled=False)
    model.load_weights(path)
    model.compile(loss="categorical_crossentropy", metrics=["accuracy"])
    return model


def make_row_reader(model):
    """Return a copy of a one-layer recurrent model that outputs class probabilities after every row."""
    import keras

    core = model.layers[0]
    if type(core).__name__ not in KERAS_CELLS or len(model.layers) != 2:
        raise ValueError(f"model must be a recurrent layer followed by a Dense layer; got {model.name!r}")
    reader = keras.Sequential(
        [
            keras.Input((None, COLS)),
            type(core)(core.units, return_sequences=True),
            keras.layers.Dense(CLASSES, activation="softmax"),
        ]
    )
    reader.set_weights(model.get_weights())
    return reader


def read_row_by_row(reader, image: np.ndarray) -> np.ndarray:
    """Return the (28, 10) class probabilities after each row of one uint8 image."""
    image = np.asarray(image)
    if image.shape != (ROWS, COLS):
        raise ValueError(f"image must have shape ({ROWS}, {COLS}); got {image.shape}")
    return reader.predict(to_sequences(image[None]), verbose=0)[0]


def decision_row(probs: np.ndarray, threshold: float = 0.9) -> int:
    """Return how many rows the model needs before its final answer leads with p >= threshold to the end.

    If the final probability itself is below ``threshold``, the final probability is the bar instead.
    """
    probs = np.asarray(probs)
    if probs.ndim != 2 or probs.shape[1] != CLASSES:
        raise ValueError(f"probs must have shape (rows, {CLASSES}); got {probs.shape}")
    if not 0 < threshold < 1:
        raise ValueError(f"threshold must lie strictly between 0 and 1; got {threshold}")
    final = probs[-1].argmax()
    level = min(threshold, probs[-1, final])
    settled = (probs.argmax(axis=1) == final) & (probs[:, final] >= level)
    unsettled = np.flatnonzero(~settled)
    return int(unsettled[-1] + 2) if unsettled.size else 1


def confident_mistakes(probs: np.ndarray, y_true: np.ndarray, n: int = 8) -> np.ndarray:
    """Return the indices of the ``n`` wrong predictions made with the highest probability."""
    probs, y_true = np.asarray(probs), _check_labels(y_true, "y_true")
    if probs.shape != (y_true.size, CLASSES):
        raise ValueError(f"probs must have shape ({y_true.size}, {CLASSES}); got {probs.shape}")
    check_int("n", n)
    wrong = np.flatnonzero(probs.argmax(axis=1) != y_true)
    order = np.argsort(-probs[wrong].max(axis=1), kind="stable")
    return wrong[order[:n]]


def make_epoch_timer():
    """Return a Keras callback whose ``seconds`` list holds the wall-clock time of each epoch."""
    import keras

    class _EpochTimer(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.seconds: list[float] = []

        def on_epoch_begin(self, epoch, logs=None):
            self._start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            self.seconds.append(time.perf_counter() - self._start)

    return _EpochTimer()


def _bare_image_axes(ax) -> None:
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)


def plot_training_curves(history: dict, axes=None):
    """Plot loss and accuracy per epoch, train and validation, side by side; return the two axes."""
    needed = ("loss", "accuracy", "val_loss", "val_accuracy")
    missing = [key for key in needed if key not in history]
    if missing:
        raise ValueError(f"history must hold {needed}; missing {missing}")
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(7.0, 3.0), layout="constrained")
    if len(axes) != 2:
        raise ValueError(f"axes must be a pair of axes; got {len(axes)}")
    epochs = np.arange(1, len(history["loss"]) + 1)
    for ax, metric, title in zip(axes, ("loss", "accuracy"), ("Cross-entropy loss", "Accuracy"), strict=True):
        ax.plot(epochs, history[metric], "o-", color=SPLIT_COLOURS["train"], label="train", ms=4)
        ax.plot(epochs, history[f"val_{metric}"], "s--", color=SPLIT_COLOURS["test"], label="test", ms=4)
        ax.set(title=title, xlabel="epoch", ylabel=metric, xticks=epochs[:: max(1, len(epochs) // 5)])
        ax.legend()
    return axes


def plot_reading(image: np.ndarray, probs: np.ndarray, rows_read: int = ROWS, axes=None):
    """Show an image with its first ``rows_read`` rows lit and the class probabilities after each row."""
    image = np.asarray(image)
    if image.shape != (ROWS, COLS):
        raise ValueError(f"image must have shape ({ROWS}, {COLS}); got {image.shape}")
    probs = np.asarray(probs)
    if probs.shape != (ROWS, CLASSES):
        raise ValueError(f"probs must have shape ({ROWS}, {CLASSES}); got {probs.shape}")
    check_int("rows_read", rows_read, 1, ROWS)
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(7.0, 2.9), width_ratios=(1, 2.4), layout="constrained")
    ax_img, ax_p = axes
    shown = image.astype(float) / 255.0
    shown[rows_read:] *= 0.25
    ax_img.imshow(shown, cmap="gray_r", vmin=0, vmax=1)
    ax_img.add_patch(plt.Rectangle((-0.5, -0.5), COLS, rows_read, fill=False, edgecolor=BLUE, lw=2))
    ax_img.set(title=f"{rows_read} of {ROWS} rows read", xticks=[], ylabel="row")
    ax_img.set_yticks([0, 6, 13, 20, 27], labels=["1", "7", "14", "21", "28"])
    _bare_image_axes(ax_img)
    steps = np.arange(1, ROWS + 1)
    top = np.argsort(-probs[rows_read - 1])[:3]
    for digit in range(CLASSES):
        strong = digit in top or probs[:, digit].max() > 0.3
        ax_p.plot(steps, probs[:, digit], color=DIGIT_COLOURS[digit], lw=2 if strong else 1, alpha=1 if strong else 0.5)
        if strong:
            peak = int(probs[:, digit].argmax())
            ax_p.annotate(
                str(digit), (peak + 1, probs[peak, digit]), xytext=(0, 3), textcoords="offset points",
                color=DIGIT_COLOURS[digit], ha="center", va="bottom", fontweight="bold",
            )  # fmt: skip
    ax_p.axvspan(rows_read + 0.5, ROWS + 0.5, color=GREY, alpha=0.25, lw=0)
    guess = int(probs[rows_read - 1].argmax())
    ax_p.set(
        title=f"After row {rows_read}: '{guess}' with p = {probs[rows_read - 1, guess]:.2f}",
        xlabel="rows read", ylabel="probability", xlim=(0.5, ROWS + 0.5), ylim=(-0.02, 1.12),
    )  # fmt: skip
    return axes


def plot_mistakes(images: np.ndarray, y_true: np.ndarray, probs: np.ndarray, axes=None):
    """Show test digits with their true label, predicted label and its probability."""
    images = _check_images(images)
    y_true = _check_labels(y_true, "y_true")
    probs = np.asarray(probs)
    if y_true.size != len(images) or probs.shape != (len(images), CLASSES):
        raise ValueError(
            f"need one label and one row of {CLASSES} probabilities per image ({len(images)}); "
            f"got {y_true.size} labels and probs of shape {probs.shape}"
        )
    if axes is None:
        _, axes = plt.subplots(1, len(images), figsize=(7.0, 1.9), layout="constrained", squeeze=False)
        axes = axes[0]
    if len(axes) != len(images):
        raise ValueError(f"need one axis per image ({len(images)}); got {len(axes)}")
    for ax, image, truth, p in zip(axes, images, y_true, probs, strict=True):
        guess = int(p.argmax())
        ax.imshow(image, cmap="gray_r")
        ax.set_title(f"true {truth}\nsaid {guess} ({p[guess]:.2f})", fontsize=9, color=RED if guess != truth else BLUE)
        ax.set(xticks=[], yticks=[])
        _bare_image_axes(ax)
    return axes
