"""Long memory: the delayed-recall task, its models, gradients and plots.

The task: the roommate's dinners over ``delay`` days, one-hot over ``dishes``
dishes; at the end the network must say what was served on day 1. Guessing
gives ``1 / dishes`` (chance). Nothing here runs at import time.
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf

from helpers import cells
from helpers.checks import check_int
from helpers.data import DATA_DIR, load_results
from helpers.style import MEMORY_COLOURS
from helpers.training import StopAtAccuracy

SEEDS_PATH = DATA_DIR / "memory_seeds.csv"
SEEDS_COLUMNS = (
    "recipe",
    "model",
    "delay",
    "dishes",
    "lr",
    "clipnorm",
    "num_train",
    "max_epochs",
    "seed",
    "epochs",
    "accuracy",
    "seconds",
)
CONDITIONS_PATH = DATA_DIR / "memory_conditions.csv"
CONDITIONS_COLUMNS = ("task", "condition", *SEEDS_COLUMNS)
CLIPPING_PATH = DATA_DIR / "memory_clipping.csv"
CLIPPING_COLUMNS = ("clipnorm", "seed", "epoch", "batch", "grad_norm", "update_norm", "val_accuracy")
# "IRNN": a SimpleRNN with ReLU and identity recurrent weights (Le, Jaitly & Hinton 2015).
CELL_TYPES = (*cells.KERAS_CELLS, "IRNN")  # the Keras cells, and the IRNN: a SimpleRNN initialised as Le et al.
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
# Training recipes: Keras' defaults (Adam's default learning rate, no clipping) and the chapter's.
RECIPES = {
    "keras": {"lr": 0.001, "clipnorm": None},
    "chapter": {"lr": 0.01, "clipnorm": 1.0},
    "chapter, no clipping": {"lr": 0.01, "clipnorm": None},  # one change to the chapter's recipe
}
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
    if cell not in CELL_TYPES:
        raise ValueError(f"cell must be one of {CELL_TYPES}; got {cell!r}")
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


def make_recall_model(
    cell: str, delay: int, dishes: int = 3, units: int = 32, lr: float = 0.01, forget_bias=None, clipnorm: float = 1.0
):
    """Build and compile ``cell``(units) + Dense(dishes, softmax) for the recall task.

    ``forget_bias`` (LSTM only): None keeps Keras' default (1.0), a number sets every
    unit's forget-gate bias, ``"chrono"`` draws chrono biases for ``delay``.
    """
    if cell not in CELL_TYPES:
        raise ValueError(f"cell must be one of {CELL_TYPES}; got {cell!r}")
    check_int("delay", delay)
    check_int("dishes", dishes, 2)
    check_int("units", units)
    if not lr > 0:
        raise ValueError(f"lr must be > 0; got {lr!r}")
    if forget_bias is not None and cell != "LSTM":
        raise ValueError(f"forget_bias applies to LSTM only; got cell={cell!r}")
    layer = make_recurrent_layer(cell, units)
    model = keras.Sequential([keras.Input((delay, dishes)), layer, keras.layers.Dense(dishes, activation="softmax")])
    initialise_forget_gate(layer, forget_bias, delay)
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=lr, clipnorm=clipnorm),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


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


# The precomputed results chapter 5 reads: file, its columns, and the command that rebuilds it.
RESULTS = {
    "seeds": (SEEDS_PATH, SEEDS_COLUMNS, "python scripts/sweep_memory.py seeds"),
    "conditions": (CONDITIONS_PATH, CONDITIONS_COLUMNS, "python scripts/sweep_memory.py conditions"),
    "clipping": (CLIPPING_PATH, CLIPPING_COLUMNS, "python scripts/memory_clipping.py"),
}


def _load(name: str, path=None):
    default, columns, command = RESULTS[name]
    return load_results(default if path is None else path, columns, f"rebuild it with `{command}`")


def load_seeds_sweep(path=None):
    """Read the five-seed recall sweep (data/memory_seeds.csv)."""
    return _load("seeds", path)


def load_conditions_sweep(path=None):
    """Read the five-seed conditions sweep at 60 days (data/memory_conditions.csv)."""
    return _load("conditions", path)


def load_clipping_log(path=None):
    """Read the per-batch gradient and update norms of the clipping runs (data/memory_clipping.csv)."""
    return _load("clipping", path)


def plot_seeds_at_delay(sweep, delay: int, dishes: int = 3, ax=None):
    """Plot every seed's held-out recall at one delay as a dot, per network and recipe, with medians.

    ``sweep`` has columns recipe, model, delay, seed, accuracy (data/memory_seeds.csv).
    """
    from helpers.style import MODEL_COLOURS

    needed = {"recipe", "model", "delay", "seed", "accuracy"}
    if not needed <= set(sweep.columns):
        raise ValueError(f"sweep must have columns {sorted(needed)}; got {sorted(sweep.columns)}")
    rows = sweep[sweep["delay"] == delay]
    if rows.empty:
        raise ValueError(f"delay must be one of {sorted(sweep['delay'].unique())}; got {delay!r}")
    ax = _get_ax(ax)
    names = [m for m in SEED_MODELS if m in set(rows["model"])]
    recipes = [r for r in RECIPES if r in set(rows["recipe"])]
    markers = {"keras": ("o", -0.17), "chapter": ("s", 0.17), "chapter, no clipping": ("^", 0.0)}
    colours = {**MODEL_COLOURS, **MEMORY_COLOURS}
    for recipe in recipes:
        marker, shift = markers[recipe]
        for i, name in enumerate(names):
            acc = rows.loc[(rows["model"] == name) & (rows["recipe"] == recipe), "accuracy"].to_numpy(dtype=float)
            if acc.size == 0:
                continue
            spread = np.linspace(-0.06, 0.06, acc.size) if acc.size > 1 else np.zeros(1)
            ax.scatter(
                i + shift + spread,
                acc,
                marker=marker,
                s=30,
                color=colours.get(name),
                edgecolor="black",
                linewidth=0.6,
                zorder=3,
            )
            ax.plot([i + shift - 0.12, i + shift + 0.12], [np.median(acc)] * 2, color="black", lw=2)
    for recipe in recipes:
        marker, _ = markers[recipe]
        label = {
            "keras": "Keras' defaults (Adam 1e-3)",
            "chapter": "chapter's recipe (Adam 1e-2, clipnorm 1)",
            "chapter, no clipping": "Adam 1e-2, no clipping",
        }
        ax.scatter([], [], marker=marker, color="grey", edgecolor="black", label=label[recipe])
    ax.plot([], [], color="black", lw=2, label="median of seeds")
    ax.axhline(chance_level(dishes), color=MODEL_COLOURS["chance"], ls="--", lw=1.5, label="chance")
    ax.axhline(SOLVED, color="grey", ls=":", lw=1.5, label=f"solved (≥ {SOLVED})")
    short = {"LSTM, forget bias 4": "LSTM,\nbias 4", "LSTM, chrono init": "LSTM,\nchrono"}
    ax.set_xticks(range(len(names)), labels=[short.get(n, n) for n in names])
    ax.set_ylim(0, 1.08)
    ax.set_ylabel("held-out recall accuracy")
    ax.set_title(f"Recall of day 1 after {delay - 1} later dinners: every seed a dot")
    ax.legend(fontsize=8, loc="center left", bbox_to_anchor=(1.0, 0.5))
    return ax


def _get_ax(ax):
    import matplotlib.pyplot as plt

    return plt.gca() if ax is None else ax


def plot_recall_vs_delay(sweep, dishes: int = 3, ax=None):
    """Plot held-out recall against delay: every seed a dot, a line through each network's medians.

    ``sweep`` is a DataFrame with columns model, delay, seed, accuracy (one training recipe).
    """
    from helpers.style import MODEL_COLOURS

    needed = {"model", "delay", "seed", "accuracy"}
    if not needed <= set(sweep.columns):
        raise ValueError(f"sweep must have columns {sorted(needed)}; got {sorted(sweep.columns)}")
    ax = _get_ax(ax)
    colours = {**MODEL_COLOURS, **MEMORY_COLOURS}
    names = [m for m in SEED_MODELS if m in set(sweep["model"])]
    names += [m for m in sweep["model"].unique() if m not in names]
    # a small horizontal offset per network keeps the dots of different networks apart on the log axis
    offsets = np.exp(np.linspace(-0.08, 0.08, len(names))) if len(names) > 1 else np.ones(1)
    for name, offset in zip(names, offsets, strict=True):
        group = sweep[sweep["model"] == name]
        median = group.groupby("delay")["accuracy"].median()
        ax.plot(median.index * offset, median.values, "-", color=colours.get(name), label=name, lw=2)
        ax.scatter(group["delay"] * offset, group["accuracy"], color=colours.get(name), s=16, alpha=0.7, zorder=3)
    ax.axhline(chance_level(dishes), color=MODEL_COLOURS["chance"], ls="--", label="chance")
    ax.axhline(SOLVED, color="grey", ls=":", lw=1.5, label=f"solved (≥ {SOLVED})")
    ax.set_xscale("log")
    ax.set_ylim(0, 1.05)
    ax.set_xlabel("delay (days in the sequence; day 1 is followed by delay − 1 dinners)")
    ax.set_ylabel("held-out recall accuracy")
    ax.set_title("Recalling day 1's dinner after a delay (dots: seeds; lines: medians)")
    ax.legend(fontsize=8, loc="center left", bbox_to_anchor=(1.0, 0.5))
    return ax


def plot_gradient_by_distance(curves: dict, ax=None, styles: dict | None = None):
    """Plot ‖∂L/∂x_t‖ against distance from the end, log scale, one line per model."""
    if not isinstance(curves, dict) or not curves:
        raise ValueError(f"curves must be a non-empty dict of label -> 1-D array; got {type(curves).__name__}")
    ax = _get_ax(ax)
    styles = styles or {}
    for label, values in curves.items():
        values = np.asarray(values, dtype=float)
        if values.ndim != 1:
            raise ValueError(f"curve {label!r} must be 1-D; got shape {values.shape}")
        ax.plot(np.arange(len(values)), np.maximum(values, 1e-30), label=label, **styles.get(label, {}))
    ax.set_yscale("log")
    ax.set_xlabel("distance from the last day (days)")
    ax.set_ylabel(r"mean $\Vert\partial L / \partial x_t\Vert$")
    ax.set_title("How much the loss still feels each day")
    ax.legend(fontsize=8)
    return ax


def plot_training_curves(histories: dict, dishes: int = 3, ax=None):
    """Plot validation accuracy per epoch for each named training history, with chance."""
    from matplotlib.ticker import MaxNLocator

    from helpers.style import MODEL_COLOURS

    if not isinstance(histories, dict) or not histories:
        raise ValueError(f"histories must be a non-empty dict of label -> list of accuracies; got {histories!r}")
    ax = _get_ax(ax)
    for label, acc in histories.items():
        ax.plot(np.arange(1, len(acc) + 1), acc, "-o", ms=3, label=label)
    ax.axhline(chance_level(dishes), color=MODEL_COLOURS["chance"], ls="--", label="chance")
    ax.set_ylim(0, 1.05)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("epoch")
    ax.set_ylabel("validation recall accuracy")
    ax.set_title("Learning to remember")
    ax.legend(fontsize=9)
    return ax


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
    x_val, y_val = make_recall_data(1000, delay, dishes, filler, seed=10_000 + seed)
    x_test, y_test = make_recall_data(2000, delay, dishes, filler, seed=20_000)
    keras.utils.set_random_seed(seed)
    net = make_recall_model(cell, delay, dishes, lr=lr, forget_bias=forget_bias, clipnorm=clipnorm)
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
    return {"accuracy": accuracy, "epochs": len(val), "val_accuracy": val, "model": net}


def make_delay_widget(sweep, dishes: int = 3, delay: int | None = None):
    """Toggle buttons for the delay over precomputed charts of every seed's recall, linked in the browser.

    ``sweep`` has columns recipe, model, delay, seed, accuracy (data/memory_seeds.csv). Every view is drawn
    in advance with :func:`plot_seeds_at_delay` (no training); ``jslink`` switches views in a static page.
    """
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    from helpers.widgets import figure_png, image_view

    needed = {"recipe", "model", "delay", "seed", "accuracy"}
    if not needed <= set(sweep.columns):
        raise ValueError(f"sweep must have columns {sorted(needed)}; got {sorted(sweep.columns)}")
    delays = sorted(int(d) for d in sweep["delay"].unique())
    delay = delays[0] if delay is None else delay
    if delay not in delays:
        raise ValueError(f"delay must be one of {delays}; got {delay!r}")
    views = []
    for d in delays:
        fig, ax = plt.subplots(figsize=(8.0, 3.8))
        plot_seeds_at_delay(sweep, d, dishes=dishes, ax=ax)
        fig.tight_layout()
        rows = sweep[sweep["delay"] == d]
        solved = rows.assign(solved=rows["accuracy"] >= SOLVED).groupby(["model", "recipe"])["solved"]
        counts = zip(solved.sum().index, solved.sum(), solved.count(), strict=True)
        summary = "; ".join(f"{m}, {r}: {int(k)} of {n} seeds solved" for (m, r), k, n in counts)
        alt = f"Every seed's held-out recall at delay {d}, per network and recipe: {summary}."
        views.append(image_view(figure_png(fig, colours=32), alt))
    toggle = widgets.ToggleButtons(options=[str(d) for d in delays], value=str(delay), style={"button_width": "auto"})
    stack = widgets.Stack(views, selected_index=delays.index(delay))
    link = widgets.jslink((toggle, "index"), (stack, "selected_index"))
    description = f"Delay widget: a toggle for the delay ({len(delays)} delays) over precomputed recall charts"

    class DelayWidget(widgets.VBox):
        def __repr__(self) -> str:
            return description

    label = widgets.HTML("<b>Delay (days)</b>", layout={"width": "8em"})
    box = DelayWidget([widgets.HBox([label, toggle], layout={"align_items": "center"}), stack])
    box.links = [link]
    return box


ADDING_TOLERANCE = 0.04  # Hochreiter & Schmidhuber (1997): a sum within 0.04 counts as correct


def make_adding_data(num_sequences: int, length: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Make the adding problem of Hochreiter & Schmidhuber (1997).

    Each step carries a number drawn from U(0, 1) and a marker; exactly two steps
    are marked, one in the first half and one in the second half of the sequence.
    The target is the sum of the two marked numbers.

    Returns
    -------
    x : float32 array (num_sequences, length, 2): [number, marker] per step.
    y : float32 array (num_sequences,), the sum of the two marked numbers.
    """
    check_int("num_sequences", num_sequences)
    check_int("length", length, 2)
    rng = np.random.default_rng(seed)
    values = rng.uniform(0.0, 1.0, size=(num_sequences, length)).astype("float32")
    half = length // 2
    first = rng.integers(0, half, size=num_sequences)
    second = rng.integers(half, length, size=num_sequences)
    markers = np.zeros_like(values)
    rows = np.arange(num_sequences)
    markers[rows, first] = 1.0
    markers[rows, second] = 1.0
    x = np.stack([values, markers], axis=2)
    return x, values[rows, first] + values[rows, second]


def adding_accuracy(prediction, target, tolerance: float = ADDING_TOLERANCE) -> float:
    """Fraction of sequences whose predicted sum is within ``tolerance`` of the true sum."""
    prediction = np.ravel(np.asarray(prediction, dtype=float))
    target = np.ravel(np.asarray(target, dtype=float))
    if prediction.shape != target.shape:
        raise ValueError(f"prediction and target must have the same length; got {prediction.shape} and {target.shape}")
    return float(np.mean(np.abs(prediction - target) < tolerance))


def train_adding(
    model: str,
    length: int,
    lr: float = 0.01,
    num_train: int = 10000,
    seed: int = 1,
    max_epochs: int = 20,
    target: float = 0.99,
) -> dict:
    """Train the named set-up on the adding problem with a fixed seed.

    Same network as ``train_recall`` but one linear output and mean-squared-error
    loss; Adam with clipnorm 1, batches of 128. Stops once the validation accuracy
    (sums within ``ADDING_TOLERANCE``) reaches ``target``.

    Returns
    -------
    dict with ``accuracy`` and ``mse`` (on 2,000 held-out sequences), ``baseline_mse``
    and ``baseline_accuracy`` (always predicting the mean sum, 1), ``epochs`` and ``model``.
    """
    if model not in MODEL_SPECS:
        raise ValueError(f"model must be one of {tuple(MODEL_SPECS)}; got {model!r}")
    cell, forget_bias = MODEL_SPECS[model]
    check_int("num_train", num_train)
    check_int("max_epochs", max_epochs)
    x, y = make_adding_data(num_train, length, seed=seed)
    xv, yv = make_adding_data(1000, length, seed=10_000 + seed)
    xt, yt = make_adding_data(2000, length, seed=20_000)
    keras.utils.set_random_seed(seed)
    layer = make_recurrent_layer(cell, 32)
    net = keras.Sequential([keras.Input((length, 2)), layer, keras.layers.Dense(1)])
    initialise_forget_gate(layer, forget_bias, length)
    net.compile(optimizer=keras.optimizers.Adam(learning_rate=lr, clipnorm=1.0), loss="mse")

    class StopAtAddingAccuracy(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if adding_accuracy(self.model.predict(xv, verbose=0, batch_size=500), yv) >= target:
                self.model.stop_training = True

    history = net.fit(x, y, batch_size=128, epochs=max_epochs, verbose=0, callbacks=[StopAtAddingAccuracy()])
    prediction = net.predict(xt, verbose=0, batch_size=500)[:, 0]
    return {
        "accuracy": adding_accuracy(prediction, yt),
        "mse": float(np.mean((prediction - yt) ** 2)),
        "baseline_mse": float(np.mean((1.0 - yt) ** 2)),
        "baseline_accuracy": adding_accuracy(np.ones_like(yt), yt),
        "epochs": len(history.history["loss"]),
        "model": net,
    }
