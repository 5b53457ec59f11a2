"""The delayed-recall task: its data, the networks that learn it, their training, and how far back they feel.

The task: the roommate's dinners over ``delay`` days, one-hot over ``dishes`` dishes; at the end the network must
say what was served on day 1. Guessing gives ``1 / dishes`` (chance). Here are the task's data, the named network
set-ups (``MODEL_SPECS``: a Keras cell or the IRNN, and the LSTM's forget-gate initialisation), the training
recipes, :func:`train_recall`, and two measures of memory: the gradient reaching each day and the LSTM's
forget-gate product. Nothing here runs at import time. The adding problem reuses these networks
(``helpers/adding_problem.py``); the plots and the delay widget are in ``helpers/recall_plots.py``.
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf

from helpers import cells
from helpers.checks import check_int
from helpers.training import StopAtAccuracy, compile_classifier

# The cells the recall networks take: Keras' three (cells.KERAS_CELLS) and the IRNN, a SimpleRNN with ReLU and
# identity recurrent weights (Le, Jaitly & Hinton 2015).
RECALL_CELLS = (*cells.KERAS_CELLS, "IRNN")
# Named set-ups: (cell, LSTM forget-gate bias: None = Keras' default 1.0 (unit_forget_bias), a number, or "chrono").
MODEL_SPECS = {
    "SimpleRNN": ("SimpleRNN", None),
    "IRNN": ("IRNN", None),
    "LSTM": ("LSTM", None),
    "GRU": ("GRU", None),
    "LSTM, chrono init": ("LSTM", "chrono"),
    "LSTM, forget bias 4": ("LSTM", 4.0),
}
# The four set-ups of the first sweep (data/memory_sweep.csv; scripts/sweep_memory.py original).
FIRST_SWEEP_MODELS = ("SimpleRNN", "LSTM", "GRU", "LSTM, chrono init")
SEED_MODELS = ("SimpleRNN", "IRNN", "GRU", "LSTM", "LSTM, forget bias 4", "LSTM, chrono init")
# Set-ups of the conditions experiment that change the training, not the network:
# label -> (key of MODEL_SPECS, keyword arguments for train_recall).
BUDGET_EPOCHS = 60  # 3x the main set-up's 20
TRAINING_SETUPS = {
    "SimpleRNN, no clipping": ("SimpleRNN", {"clipnorm": None}),
    "LSTM, no clipping": ("LSTM", {"clipnorm": None}),
    "SimpleRNN, 60 epochs": ("SimpleRNN", {"max_epochs": BUDGET_EPOCHS}),
    "LSTM, 60 epochs": ("LSTM", {"max_epochs": BUDGET_EPOCHS}),
}
# Training recipes, keyed as data/memory_seeds.csv spells them: recipe A is Keras' defaults (Adam's default learning
# rate, no clipping), recipe B a ten times larger learning rate with clipping, and recipe B with one change.
RECIPES = {
    "keras": {"lr": 0.001, "clipnorm": None},
    "chapter": {"lr": 0.01, "clipnorm": 1.0},
    "chapter, no clipping": {"lr": 0.01, "clipnorm": None},  # one change to recipe B
}
# The names the pages use for the recipes (the CSV keys above are kept as written by the sweeps).
RECIPE_NAMES = {"keras": "recipe A", "chapter": "recipe B", "chapter, no clipping": "recipe B, no clipping"}
SOLVED = 0.95  # a run "solved" the task if its held-out recall is at least this
FILLERS = ("random", "empty")


def chance_level(dishes: int = 3) -> float:
    """Return the accuracy of guessing day 1's dish at random."""
    check_int("dishes", dishes, 2)
    return 1.0 / dishes


def make_recall_data(
    num_sequences: int, delay: int, dishes: int = 3, filler: str = "random", seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Make ``delay``-day dinner sequences and the dish of day 1 as the target.

    Parameters
    ----------
    num_sequences : how many sequences.
    delay : days per sequence; the network reads all of them, then recalls day 1.
    dishes : size of the menu (the article's "60 courses" is ``dishes=60``).
    filler : ``"random"`` (random dinners after day 1) or ``"empty"`` (all-zero days).
    seed : seed of the NumPy generator (the data are reproducible).

    Returns
    -------
    x : float32 array (num_sequences, delay, dishes), one-hot dinners.
    y : int array (num_sequences,), the dish of day 1.
    """
    check_int("num_sequences", num_sequences)
    check_int("delay", delay)
    check_int("dishes", dishes, 2)
    if filler not in FILLERS:
        raise ValueError(f"filler must be one of {FILLERS}; got {filler!r}")
    rng = np.random.default_rng(seed)
    meals = rng.integers(0, dishes, size=(num_sequences, delay))
    x = np.eye(dishes, dtype="float32")[meals]
    if filler == "empty":
        x[:, 1:, :] = 0.0
    return x, meals[:, 0].copy()


def chrono_forget_bias(units: int, max_delay: int, seed: int = 0) -> np.ndarray:
    """Draw chrono forget-gate biases log(U(1, max_delay - 1)) (Tallec & Ollivier 2018)."""
    check_int("units", units)
    check_int("max_delay", max_delay, 3)
    rng = np.random.default_rng(seed)
    return np.log(rng.uniform(1.0, max_delay - 1.0, size=units)).astype("float32")


def set_lstm_forget_bias(layer, forget_bias, input_bias=0.0) -> np.ndarray:
    """Set an LSTM layer's forget-gate and input-gate biases (numbers or one per unit).

    Keras orders the LSTM bias as [input, forget, candidate, output] gates; the
    candidate and output biases become 0. Returns the new bias vector.
    """
    if type(layer).__name__ != "LSTM":
        raise ValueError(f"layer must be a keras LSTM layer; got {type(layer).__name__}")
    units = layer.cell.units
    bias = np.zeros(4 * units, dtype="float32")
    for name, value, start in (("forget_bias", forget_bias, units), ("input_bias", input_bias, 0)):
        value = np.asarray(value, dtype="float32")
        if value.shape not in ((), (units,)):
            raise ValueError(f"{name} must be a number or have shape ({units},); got shape {value.shape}")
        bias[start : start + units] = value
    layer.cell.bias.assign(bias)
    return bias


def make_recurrent_layer(cell: str, units: int = 32):
    """Build one Keras recurrent layer: SimpleRNN, LSTM, GRU as Keras makes them, or an IRNN.

    The IRNN (Le, Jaitly & Hinton 2015) is a SimpleRNN with ReLU activation,
    identity recurrent weights, zero biases and input weights drawn from N(0, 0.001²).
    """
    if cell not in RECALL_CELLS:
        raise ValueError(f"cell must be one of {RECALL_CELLS}; got {cell!r}")
    check_int("units", units)
    if cell == "IRNN":
        return keras.layers.SimpleRNN(
            units,
            activation="relu",
            recurrent_initializer=keras.initializers.Identity(),
            kernel_initializer=keras.initializers.RandomNormal(stddev=0.001),
            name="irnn",
        )
    return getattr(keras.layers, cell)(units, name=cell.lower())


def initialise_forget_gate(layer, forget_bias, delay: int) -> None:
    """Set a built LSTM layer's forget-gate bias: None keeps Keras' default (1.0), a number sets every unit's,
    ``"chrono"`` draws chrono biases for ``delay`` steps (and the input-gate biases to minus them)."""
    if forget_bias is None:
        return
    if isinstance(forget_bias, str):
        if forget_bias != "chrono":
            raise ValueError(f"forget_bias must be None, a number or 'chrono'; got {forget_bias!r}")
        chrono = chrono_forget_bias(layer.cell.units, max(delay, 3))
        set_lstm_forget_bias(layer, chrono, -chrono)
    else:
        set_lstm_forget_bias(layer, forget_bias)


def make_network(
    cell: str, steps: int, features: int, outputs: int, activation: str | None = None, units: int = 32, forget_bias=None
):
    """Build ``cell``(units) over sequences of ``steps`` x ``features``, then Dense(outputs, activation); not compiled.

    The recall and the adding networks are both this. ``forget_bias`` (LSTM only): None keeps Keras' default (1.0),
    a number sets every unit's forget-gate bias, ``"chrono"`` draws chrono biases for ``steps``.
    """
    if cell not in RECALL_CELLS:
        raise ValueError(f"cell must be one of {RECALL_CELLS}; got {cell!r}")
    check_int("steps", steps)
    check_int("features", features)
    check_int("outputs", outputs)
    check_int("units", units)
    if forget_bias is not None and cell != "LSTM":
        raise ValueError(f"forget_bias applies to LSTM only; got cell={cell!r}")
    layer = make_recurrent_layer(cell, units)  # made before the Dense layer: each takes its seeds in this order
    head = keras.layers.Dense(outputs, activation=activation)
    model = keras.Sequential([keras.Input((steps, features)), layer, head])
    initialise_forget_gate(layer, forget_bias, steps)
    return model


def make_recall_model(
    cell: str, delay: int, dishes: int = 3, units: int = 32, lr: float = 0.01, forget_bias=None, clipnorm: float = 1.0
):
    """Build and compile ``cell``(units) + Dense(dishes, softmax) for the recall task.

    ``forget_bias`` (LSTM only): None keeps Keras' default (1.0), a number sets every
    unit's forget-gate bias, ``"chrono"`` draws chrono biases for ``delay``.
    """
    check_int("delay", delay)
    check_int("dishes", dishes, 2)
    model = make_network(cell, delay, dishes, dishes, "softmax", units=units, forget_bias=forget_bias)
    return compile_classifier(model, lr, clipnorm)


# >>> exported from notebooks/05_long_memory.ipynb by `python -m booktools sync`: edit the page, not these lines
def train_recall(
    model: str,
    delay: int,
    dishes: int = 3,
    lr: float = 0.01,
    num_train: int = 3000,
    seed: int = 1,
    max_epochs: int = 20,
    target: float = 0.99,
    filler: str = "random",
    callbacks=None,
    clipnorm: float | None = 1.0,
) -> dict:
    """Train a set-up named in ``MODEL_SPECS`` on the recall task, seeded.

    Training, validation (1,000) and test (2,000) sequences are drawn with
    different seeds; training stops once validation recall reaches ``target``;
    ``clipnorm=None`` trains without clipping. Returns the test recall
    (``accuracy``), the epochs run, the validation recall per epoch and the
    trained ``model``.
    """
    cell, forget_bias = recall_setup(model, num_train, max_epochs, seed, target)
    x, y = make_recall_data(num_train, delay, dishes, filler, seed=seed)
    x_val, y_val = make_recall_data(
        1000, delay, dishes, filler, seed=10_000 + seed
    )
    x_test, y_test = make_recall_data(2000, delay, dishes, filler, seed=20_000)
    keras.utils.set_random_seed(seed)
    net = make_recall_model(
        cell, delay, dishes, lr=lr, forget_bias=forget_bias, clipnorm=clipnorm
    )
    history = net.fit(
        x,
        y,
        batch_size=128,
        epochs=max_epochs,
        validation_data=(x_val, y_val),
        verbose=0,
        callbacks=[StopAtAccuracy(target), *(callbacks or [])],
    )
    accuracy = float(net.evaluate(x_test, y_test, verbose=0, batch_size=500)[1])
    val = [float(v) for v in history.history["val_accuracy"]]
    return {
        "accuracy": accuracy,
        "epochs": len(val),
        "val_accuracy": val,
        "model": net,
    }


def gradient_by_distance(model, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Return the mean ‖∂L/∂x_t‖ over sequences, by distance from the last day.

    Element 0 is the last day, element ``delay - 1`` is day 1 (the one to
    recall). The loss is summed over sequences, so each sequence's gradient
    is its own.
    """
    x = tf.constant(np.asarray(x, dtype="float32"))
    if x.ndim != 3 or len(y) != len(x):
        raise ValueError(
            "x must have shape (sequences, delay, dishes) and y one target per "
            f"sequence; got x of shape {tuple(x.shape)} and {len(y)} targets"
        )
    loss_fn = keras.losses.SparseCategoricalCrossentropy(reduction="sum")
    with tf.GradientTape() as tape:
        tape.watch(x)
        loss = loss_fn(np.asarray(y), model(x, training=False))
    grads = tape.gradient(loss, x).numpy()  # (sequences, delay, dishes)
    norms = np.linalg.norm(grads, axis=2).mean(axis=0)  # one per day
    return norms[::-1]
# <<< end of the code exported from notebooks/05_long_memory.ipynb


def forget_gate_product(model, x: np.ndarray) -> np.ndarray:
    """Return the mean over sequences and units of ∏ f_s from each day to the end, by distance.

    Element k is the product of the forget gates of the last k days (element 0 is 1):
    how much of what the cell state held k days before the end is still there.
    """
    layer = model.layers[0]
    if type(layer).__name__ != "LSTM":
        raise ValueError(f"model's first layer must be an LSTM; got {type(layer).__name__}")
    x = np.asarray(x, dtype="float32")
    if x.ndim != 3:
        raise ValueError(f"x must have shape (sequences, delay, dishes); got shape {x.shape}")
    cell = layer.cell
    units = cell.units
    kernel, recurrent, bias = (w.numpy() for w in (cell.kernel, cell.recurrent_kernel, cell.bias))
    # chapter 3's NumPy pass gives every h_t; the forget gate of step t reads x_t and h_{t-1}
    hidden = cells.lstm_forward(x, kernel, recurrent, bias)
    h_prev = np.concatenate([np.zeros_like(hidden[:, :1]), hidden[:, :-1]], axis=1)
    gate = slice(units, 2 * units)  # Keras orders the gates i, f, c, o
    f = cells.sigmoid(x @ kernel[:, gate] + h_prev @ recurrent[:, gate] + bias[gate])[:, ::-1]
    logprod = np.concatenate([np.zeros((len(x), 1, units)), np.cumsum(np.log(f), axis=1)], axis=1)
    return np.exp(logprod).mean(axis=(0, 2))[: x.shape[1]]


def recall_setup(model: str, num_train: int, max_epochs: int, seed: int, target: float) -> tuple:
    """Check :func:`train_recall`'s arguments; return the set-up's (cell, forget_bias) from ``MODEL_SPECS``."""
    if model not in MODEL_SPECS:
        raise ValueError(f"model must be one of {tuple(MODEL_SPECS)}; got {model!r}")
    check_int("num_train", num_train)
    check_int("max_epochs", max_epochs)
    check_int("seed", seed, 0)
    if not 0 < target <= 1:
        raise ValueError(f"target must be in (0, 1]; got {target!r}")
    return MODEL_SPECS[model]


