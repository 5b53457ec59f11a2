"""A small attention model for sequence tasks: a learned position table, one dot-product attention read, and
its training on given data.

Attention compares a query with every position and averages the positions by the resulting weights; it does not
know the order of the positions, so :class:`PositionEmbedding` adds a learned vector per position first. The
model's inputs are sequences of one-hot symbols (steps x symbols) and its output a softmax over the symbols;
:func:`train_attention` fits it on arrays the caller makes (the delayed-recall task's, for instance). Nothing
here runs at import time.
"""

from __future__ import annotations

import keras
import numpy as np

from helpers.checks import check_int
from helpers.training import StopAtAccuracy, compile_classifier


class PositionEmbedding(keras.layers.Layer):
    """Add a learned vector to each position of a (steps, features) sequence."""

    def __init__(self, steps: int, **kwargs):
        super().__init__(**kwargs)
        self.steps = check_int("steps", steps)

    def build(self, input_shape):
        if input_shape[1] != self.steps:
            raise ValueError(f"inputs must have {self.steps} steps; got shape {tuple(input_shape)}")
        self.table = self.add_weight(
            shape=(self.steps, input_shape[-1]),
            initializer=keras.initializers.RandomNormal(stddev=0.1),
            name="table",
        )

    def call(self, x):
        return x + self.table

    def get_config(self):
        return {**super().get_config(), "steps": self.steps}


# >>> exported from notebooks/08_what_we_measured.ipynb by `python -m booktools sync`: edit the page, not these lines
def make_attention_recall_model(
    delay: int,
    dishes: int = 3,
    units: int = 32,
    lr: float = 0.01,
    clipnorm: float | None = 1.0,
):
    """Build and compile a one-read attention model for the recall task."""
    check_int("delay", delay)
    check_int("dishes", dishes, 2)
    check_int("units", units)
    inputs = keras.Input((delay, dishes))
    days = keras.layers.Dense(units, name="dish")(inputs)
    days = PositionEmbedding(delay, name="position")(days)
    query = keras.layers.Dense(units, name="query")(days[:, -1:, :])
    keys = keras.layers.Dense(units, name="key")(days)
    read = keras.layers.Attention(name="attention")([query, days, keys])
    answer = keras.layers.Flatten()(read)
    outputs = keras.layers.Dense(dishes, activation="softmax", name="answer")(
        answer
    )
    model = keras.Model(inputs, outputs)
    # Adam with clipping and cross-entropy, as chapter 5's recurrent networks
    return compile_classifier(model, lr, clipnorm)
# <<< end of the code exported from notebooks/08_what_we_measured.ipynb


def train_attention(
    data: dict,
    seed: int = 1,
    lr: float = 0.01,
    clipnorm: float | None = 1.0,
    max_epochs: int = 20,
    target: float = 0.99,
    callbacks=None,
) -> dict:
    """Train :func:`make_attention_recall_model` on ``data`` (``train``, ``validation``, ``test``: (x, y) pairs).

    Seeded with ``keras.utils.set_random_seed(seed)``; batches of 128; training stops once validation accuracy
    reaches ``target``. Returns the test accuracy, the epochs run, the validation accuracy per epoch and the model.
    """
    missing = {"train", "validation", "test"} - set(data)
    if missing:
        raise ValueError(f"data must have 'train', 'validation' and 'test'; missing {sorted(missing)}")
    x, y = data["train"]
    if np.ndim(x) != 3 or len(x) != len(y):
        raise ValueError(f"x must have shape (sequences, steps, symbols) and one target each; got {np.shape(x)}")
    check_int("seed", seed, 0)
    check_int("max_epochs", max_epochs)
    keras.utils.set_random_seed(seed)
    model = make_attention_recall_model(x.shape[1], x.shape[2], lr=lr, clipnorm=clipnorm)
    history = model.fit(
        x,
        y,
        batch_size=128,
        epochs=max_epochs,
        validation_data=data["validation"],
        verbose=0,
        callbacks=[StopAtAccuracy(target), *(callbacks or [])],
    )
    accuracy = float(model.evaluate(*data["test"], verbose=0, batch_size=500)[1])
    val = [float(v) for v in history.history["val_accuracy"]]
    return {"accuracy": accuracy, "epochs": len(val), "val_accuracy": val, "model": model}
