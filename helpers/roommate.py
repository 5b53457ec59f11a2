"""The perfect roommate: a recurrent network small enough to compute by hand.

Three dishes, two kinds of weather, and hand-set matrices that reproduce the
rule "sunny: the same dish as yesterday; rainy: the next dish in the cycle"
(after Serrano's video, which the source article retells). Everything is plain
NumPy; the plot functions draw on a matplotlib axis and return it.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.patches import FancyBboxPatch

from helpers.checks import check_int
from helpers.style import DISH_COLOURS, GREY, TEXT_DARK, TEXT_LIGHT, WEATHER_COLOURS

__all__ = [
    "MEALS",
    "WEATHERS",
    "WEATHER_ONLY_MATRIX",
    "CYCLE_MATRIX",
    "FOOD_MATRIX",
    "WEATHER_MATRIX",
    "MERGE_MATRIX",
    "HIDDEN_LABELS",
    "check_meal",
    "check_weather",
    "check_weathers",
    "one_hot_meal",
    "one_hot_weather",
    "meal_from_vector",
    "nonlinearity",
    "predict_from_weather",
    "predict_from_yesterday",
    "explain",
    "predict",
    "week",
    "rule",
    "random_weathers",
    "make_training_pairs",
    "hidden_responses",
    "plot_matrix_graph",
    "plot_rnn_graph",
    "plot_week",
    "plot_hidden_responses",
    "CASE_LABELS",
]

MEALS: tuple[str, ...] = ("apple pie", "burger", "chicken")
WEATHERS: tuple[str, ...] = ("sunny", "rainy")

# Section 2: the dish depends on the weather only (sunny -> apple pie, rainy -> burger).
WEATHER_ONLY_MATRIX = np.array([[1, 0], [0, 1], [0, 0]])
# Section 3: the dish depends on yesterday's dish only (apple pie -> burger -> chicken -> apple pie).
CYCLE_MATRIX = np.array([[0, 0, 1], [1, 0, 0], [0, 1, 0]])
# Section 4: the recurrent network. Hidden units 0-2 = "leftovers of yesterday", 3-5 = "cook the next dish".
FOOD_MATRIX = np.vstack([np.eye(3, dtype=int), CYCLE_MATRIX])
WEATHER_MATRIX = np.array([[1, 0]] * 3 + [[0, 1]] * 3)
MERGE_MATRIX = np.hstack([np.eye(3, dtype=int), np.eye(3, dtype=int)])
CASE_LABELS: tuple[str, ...] = tuple(f"{m}, {w}" for m in MEALS for w in WEATHERS)
HIDDEN_LABELS: tuple[str, ...] = tuple(f"leftover {m}" for m in MEALS) + tuple(f"cook {m}" for m in MEALS)


def _options(names: Sequence[str]) -> str:
    return ", ".join(repr(n) for n in names)


def check_meal(name: str, what: str = "dish") -> str:
    """Return ``name`` if it is one of MEALS, else raise ValueError naming the options."""
    if not isinstance(name, str) or name not in MEALS:
        raise ValueError(f"{what} must be one of {_options(MEALS)}; got {name!r}")
    return name


def check_weather(name: str) -> str:
    """Return ``name`` if it is one of WEATHERS, else raise ValueError naming the options."""
    if not isinstance(name, str) or name not in WEATHERS:
        raise ValueError(f"weather must be one of {_options(WEATHERS)}; got {name!r}")
    return name


def check_weathers(weathers: Sequence[str]) -> list[str]:
    """Return a non-empty sequence of weather names as a list, or raise ValueError."""
    if isinstance(weathers, str) or not isinstance(weathers, Sequence):
        raise ValueError(
            f"weathers must be a non-empty list of names from {_options(WEATHERS)}; got {type(weathers).__name__} "
            f"{weathers!r}"
        )
    if len(weathers) == 0:
        raise ValueError(f"weathers must be a non-empty list of names from {_options(WEATHERS)}; got an empty one")
    return [check_weather(w) for w in weathers]


def one_hot_meal(name: str) -> np.ndarray:
    """Encode a dish as a one-hot vector of length 3, in the order of MEALS."""
    vector = np.zeros(len(MEALS), dtype=int)
    vector[MEALS.index(check_meal(name))] = 1
    return vector


def one_hot_weather(name: str) -> np.ndarray:
    """Encode a weather as a one-hot vector of length 2, in the order of WEATHERS."""
    vector = np.zeros(len(WEATHERS), dtype=int)
    vector[WEATHERS.index(check_weather(name))] = 1
    return vector


def meal_from_vector(vector: np.ndarray) -> str:
    """Decode a one-hot dish vector of length 3 back to its name."""
    vector = np.asarray(vector)
    if vector.shape != (len(MEALS),):
        raise ValueError(f"a dish vector must have shape (3,); got shape {vector.shape}")
    if not (np.isin(vector, (0, 1)).all() and vector.sum() == 1):
        raise ValueError(f"a dish vector must be one-hot (one 1, the rest 0); got {vector.tolist()}")
    return MEALS[int(np.argmax(vector))]


def nonlinearity(vector: np.ndarray) -> np.ndarray:
    """Keep only the entries that reached 2, as ReLU(x - 1) does on sums of 0s and 1s."""
    vector = np.asarray(vector)
    if vector.ndim != 1 or vector.size == 0:
        raise ValueError(f"expected a non-empty 1-D vector; got shape {vector.shape}")
    return np.maximum(vector - 1, 0)


def predict_from_weather(weather: str) -> str:
    """Predict the dish from today's weather alone, with WEATHER_ONLY_MATRIX."""
    return meal_from_vector(WEATHER_ONLY_MATRIX @ one_hot_weather(weather))


def predict_from_yesterday(yesterday: str) -> str:
    """Predict the dish from yesterday's dish alone, with CYCLE_MATRIX."""
    return meal_from_vector(CYCLE_MATRIX @ one_hot_meal(yesterday))


# explain and week are written on the page of the chapter that teaches them and exported here
# (`#@save` cells; python -m booktools sync).


# >>> exported from notebooks/01_roommate.ipynb by `python -m booktools sync`: edit the page, not these lines
def explain(yesterday, weather):
    """Run the roommate network for one day; return every vector inside it.

    h = phi(F y + W w), today = M h, with phi(x) = max(x - 1, 0): the keys are
    yesterday (3), weather (2), food (6), weather_part (6), sum (6), hidden (6)
    and today (3).
    """
    y = one_hot_meal(check_meal(yesterday, "yesterday"))
    w = one_hot_weather(weather)
    food, weather_part = FOOD_MATRIX @ y, WEATHER_MATRIX @ w
    total = food + weather_part
    hidden = nonlinearity(total)
    return {
        "yesterday": y,
        "weather": w,
        "food": food,
        "weather_part": weather_part,
        "sum": total,
        "hidden": hidden,
        "today": MERGE_MATRIX @ hidden,
    }


def week(first_dish, weathers):
    """Return the dinner of each day, each fed back as the next day's input.

    first_dish is the dinner of the day before the first weather; the result
    has one dinner per entry of weathers. The same network runs every day.
    """
    dish = check_meal(first_dish, "first_dish")
    dinners = []
    for weather in check_weathers(weathers):
        dish = meal_from_vector(explain(dish, weather)["today"])
        dinners.append(dish)
    return dinners
# <<< end of the code exported from notebooks/01_roommate.ipynb


def predict(yesterday: str, weather: str) -> str:
    """Predict today's dish from yesterday's dish and today's weather."""
    return meal_from_vector(explain(yesterday, weather)["today"])


def rule(yesterday: str, weather: str) -> str:
    """Apply the plain-language rule: sunny keeps yesterday's dish, rainy moves to the next."""
    index = MEALS.index(check_meal(yesterday, "yesterday"))
    step = 0 if check_weather(weather) == "sunny" else 1
    return MEALS[(index + step) % len(MEALS)]


def random_weathers(num_days: int, seed: int = 0, p_rain: float = 0.5) -> list[str]:
    """Draw ``num_days`` weathers at random, each rainy with probability ``p_rain``."""
    check_int("num_days", num_days)
    if not 0.0 <= p_rain <= 1.0:
        raise ValueError(f"p_rain must be between 0 and 1; got {p_rain!r}")
    rng = np.random.default_rng(seed)
    return [WEATHERS[int(r)] for r in rng.random(num_days) < p_rain]


def make_training_pairs(first_dish: str, weathers: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Turn a log of weathers into inputs [yesterday one-hot, weather one-hot] and one-hot dinners.

    Returns ``x`` of shape (days, 5) and ``y`` of shape (days, 3), float32.
    """
    weathers = check_weathers(weathers)
    dinners = week(first_dish, weathers)
    yesterdays = [first_dish] + dinners[:-1]
    x = np.array(
        [np.concatenate([one_hot_meal(d), one_hot_weather(w)]) for d, w in zip(yesterdays, weathers, strict=True)]
    )
    y = np.array([one_hot_meal(d) for d in dinners])
    return x.astype("float32"), y.astype("float32")


def hidden_responses(hidden_fn) -> np.ndarray:
    """Evaluate ``hidden_fn`` (a batch of 5-vectors -> hidden activations) on all six cases.

    Rows follow (dish, weather) in the order of MEALS then WEATHERS.
    """
    if not callable(hidden_fn):
        raise ValueError(f"hidden_fn must be callable; got {type(hidden_fn).__name__}")
    cases = np.array(
        [np.concatenate([one_hot_meal(d), one_hot_weather(w)]) for d in MEALS for w in WEATHERS], dtype="float32"
    )
    return np.asarray(hidden_fn(cases))


# ----------------------------------------------------------------------------- drawings


def _node_colour(label: str) -> str:
    for name, colour in {**DISH_COLOURS, **WEATHER_COLOURS}.items():
        if label.endswith(name):
            return colour
    return GREY


def _draw_nodes(ax: Axes, x: float, labels: Sequence[str], ys: np.ndarray, side: str) -> None:
    offset, ha = {"left": ((-12, 0), "right"), "right": ((12, 0), "left")}[side]
    for label, y in zip(labels, ys, strict=True):
        ax.scatter([x], [y], s=260, color=_node_colour(label), edgecolor=TEXT_DARK, linewidth=0.8, zorder=3)
        ax.annotate(label, (x, y), xytext=offset, textcoords="offset points", ha=ha, va="center", fontsize=10)


def _column(n: int, span: float) -> np.ndarray:
    return np.linspace(span / 2, -span / 2, n) if n > 1 else np.zeros(1)


def plot_matrix_graph(
    matrix: np.ndarray,
    input_labels: Sequence[str],
    output_labels: Sequence[str],
    ax: Axes | None = None,
    title: str = "A weight matrix as a graph",
) -> Axes:
    """Draw a matrix as a graph: inputs on the left, outputs on the right, an edge per non-zero weight."""
    matrix = np.asarray(matrix)
    if matrix.ndim != 2 or matrix.shape != (len(output_labels), len(input_labels)):
        raise ValueError(
            f"matrix must have shape (len(output_labels), len(input_labels)) = "
            f"({len(output_labels)}, {len(input_labels)}); got {matrix.shape}"
        )
    if ax is None:
        _, ax = plt.subplots(figsize=(5.5, 0.55 * max(matrix.shape) + 1.2))
    span = max(matrix.shape) - 1.0
    ys_in, ys_out = _column(len(input_labels), span), _column(len(output_labels), span)
    for i, j in zip(*np.nonzero(matrix), strict=True):
        ax.plot([0, 1], [ys_in[j], ys_out[i]], color=_node_colour(input_labels[j]), linewidth=2, zorder=1)
        if matrix[i, j] != 1:
            ax.text(0.5, (ys_in[j] + ys_out[i]) / 2, f"{matrix[i, j]:g}", ha="center", va="bottom", fontsize=9)
    _draw_nodes(ax, 0.0, input_labels, ys_in, "left")
    _draw_nodes(ax, 1.0, output_labels, ys_out, "right")
    ax.text(0, span / 2 + 0.8, "input", ha="center", fontsize=10, style="italic")
    ax.text(1, span / 2 + 0.8, "output", ha="center", fontsize=10, style="italic")
    ax.set_xlim(-0.9, 1.9)
    ax.set_ylim(-span / 2 - 0.6, span / 2 + 1.2)
    ax.set_title(title)
    ax.set_axis_off()
    return ax


def plot_rnn_graph(ax: Axes | None = None, title: str = "The roommate network: inputs, hidden units, dish") -> Axes:
    """Draw the whole recurrent network: yesterday and weather -> 6 hidden units -> today's dish.

    Each hidden unit is a labelled white box drawn on top of the edges, so no label sits on a line.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(9.0, 5.6))
    inputs = [f"yesterday: {m}" for m in MEALS] + list(WEATHERS)
    weights_in = np.hstack([FOOD_MATRIX, WEATHER_MATRIX])
    x_in, x_hidden, x_out = 0.0, 1.75, 3.5
    ys_in, ys_hidden, ys_out = _column(5, 5.0), _column(6, 5.0), _column(3, 3.0)
    half_width, half_height = 0.78, 0.27  # hidden-unit boxes, in data units; edges meet their sides
    for i, j in zip(*np.nonzero(weights_in), strict=True):
        ax.plot(
            [x_in, x_hidden - half_width], [ys_in[j], ys_hidden[i]], color=_node_colour(inputs[j]), lw=2, zorder=1
        )
    for i, j in zip(*np.nonzero(MERGE_MATRIX), strict=True):
        ax.plot(
            [x_hidden + half_width, x_out], [ys_hidden[j], ys_out[i]], color=_node_colour(MEALS[i]), lw=2, zorder=1
        )
    for x, labels, ys in [(x_in, inputs, ys_in), (x_out, [f"today: {m}" for m in MEALS], ys_out)]:
        side = "left" if x == x_in else "right"
        offset, ha = {"left": ((-13, 0), "right"), "right": ((13, 0), "left")}[side]
        for label, y in zip(labels, ys, strict=True):
            ax.scatter([x], [y], s=300, color=_node_colour(label), edgecolor=TEXT_DARK, linewidth=0.8, zorder=3)
            ax.annotate(label, (x, y), xytext=offset, textcoords="offset points", ha=ha, va="center", fontsize=13)
    for label, y in zip(HIDDEN_LABELS, ys_hidden, strict=True):
        box = FancyBboxPatch(
            (x_hidden - half_width, y - half_height),
            2 * half_width,
            2 * half_height,
            boxstyle="round,pad=0,rounding_size=0.08",
            fc=TEXT_LIGHT,
            ec=TEXT_DARK,
            lw=0.9,
            zorder=3,
        )
        ax.add_patch(box)
        ax.text(x_hidden, y, label, ha="center", va="center", fontsize=13, zorder=4)
    for x, name in [(x_in, "inputs"), (x_hidden, "hidden units"), (x_out, "today's dish")]:
        ax.text(x, 3.2, name, ha="center", fontsize=13, style="italic")
    ax.set_xlim(-1.6, 4.75)
    ax.set_ylim(-2.85, 3.6)
    ax.set_title(title, fontsize=14)
    ax.set_axis_off()
    return ax


def plot_week(first_dish: str, weathers: Sequence[str], ax: Axes | None = None, title: str | None = None) -> Axes:
    """Draw the network unrolled over days: each dinner feeds the next day, with that day's weather."""
    weathers = check_weathers(weathers)
    dinners = [check_meal(first_dish, "first_dish")] + week(first_dish, weathers)
    n = len(dinners)
    if ax is None:
        _, ax = plt.subplots(figsize=(min(1.0 * n + 0.6, 9.0), 2.6))
    for day, dish in enumerate(dinners):
        ax.add_patch(plt.Rectangle((day - 0.4, -0.3), 0.8, 0.6, color=DISH_COLOURS[dish], ec=TEXT_DARK, lw=0.8))
        ax.text(day, 0, dish.replace(" ", "\n"), ha="center", va="center", fontsize=9)
        ax.text(day, -0.55, "start" if day == 0 else f"day {day}", ha="center", va="top", fontsize=9)
        if day > 0:
            weather = weathers[day - 1]
            ax.annotate("", xy=(day - 0.4, 0), xytext=(day - 0.6, 0), arrowprops={"arrowstyle": "->", "lw": 1.4})
            ax.add_patch(plt.Circle((day - 0.5, 0.85), 0.2, color=WEATHER_COLOURS[weather], ec=TEXT_DARK, lw=0.8))
            ax.text(day - 0.5, 1.15, weather, ha="center", va="bottom", fontsize=9)
            ax.annotate("", xy=(day - 0.5, 0.05), xytext=(day - 0.5, 0.65), arrowprops={"arrowstyle": "->", "lw": 1.0})
    ax.set_xlim(-0.6, n - 0.4)
    ax.set_ylim(-0.9, 1.5)
    ax.set_aspect("equal")
    ax.set_title(title or f"{len(weathers)} days unrolled from {first_dish}")
    ax.set_axis_off()
    return ax


def plot_hidden_responses(
    responses: np.ndarray,
    ax: Axes | None = None,
    title: str = "What each hidden unit responds to",
    unit_labels: Sequence[str] | None = None,
) -> Axes:
    """Draw hidden activations for the six (dish, weather) cases as an annotated heat map."""
    responses = np.asarray(responses, dtype=float)
    if responses.ndim != 2 or responses.shape[0] != len(CASE_LABELS):
        raise ValueError(f"responses must have shape (6, units), one row per case; got {responses.shape}")
    units = responses.shape[1]
    labels = list(unit_labels) if unit_labels is not None else [str(i) for i in range(units)]
    if len(labels) != units:
        raise ValueError(f"unit_labels must have {units} entries; got {len(labels)}")
    if ax is None:
        _, ax = plt.subplots(figsize=(0.7 * units + 2.4, 3.4))
    top = max(float(responses.max()), 1e-9)
    ax.imshow(responses, cmap="Blues", vmin=0, vmax=top, aspect="auto")
    # Whole numbers (the hand-set network) without decimals, others to one decimal; zeros as a plain "0".
    digits = 0 if np.array_equal(responses, np.round(responses)) else 1
    for (i, j), value in np.ndenumerate(responses):
        colour = TEXT_LIGHT if value > 0.6 * top else TEXT_DARK
        text = "0" if round(value, digits) == 0 else f"{value:.{digits}f}"
        ax.text(j, i, text, ha="center", va="center", fontsize=13, color=colour)
    ax.set_xticks(range(units), labels, rotation=45 if max(len(t) for t in labels) > 3 else 0, ha="right")
    ax.set_yticks(range(len(CASE_LABELS)), CASE_LABELS)
    ax.tick_params(labelsize=12)
    ax.set_xlabel("hidden unit")
    ax.set_ylabel("yesterday, today's weather")
    ax.grid(False)
    ax.set_title(title)
    return ax
