"""The plots of the recall experiments, and the delay widget over precomputed charts.

Every seed's recall at one delay (:func:`plot_seeds_at_delay`) and across delays (:func:`plot_recall_vs_delay`),
the gradient reaching each day (:func:`plot_gradient_by_distance`), validation recall per epoch
(:func:`plot_training_curves`), and :func:`make_delay_widget`, a toggle for the delay over the charts of
:func:`plot_seeds_at_delay` (built with ``helpers.widgets``). They read results, they train nothing.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import MaxNLocator

from helpers.recall import RECIPE_NAMES, RECIPES, SEED_MODELS, SOLVED, chance_level
from helpers.style import MEMORY_COLOURS, MID_GREY, MODEL_COLOURS, TEXT_DARK
from helpers.widgets import Choice, figure_png, image_view, make_toggle_views

SWEEP_COLUMNS = {"recipe", "model", "delay", "seed", "accuracy"}  # what the seed charts read (data/memory_seeds.csv)


def _get_ax(ax):
    return plt.gca() if ax is None else ax


def _check_sweep(sweep, needed=SWEEP_COLUMNS) -> None:
    if not needed <= set(sweep.columns):
        raise ValueError(f"sweep must have columns {sorted(needed)}; got {sorted(sweep.columns)}")


def plot_seeds_at_delay(sweep, delay: int, dishes: int = 3, ax=None):
    """Plot every seed's held-out recall at one delay as a dot, per network and recipe, with medians.

    ``sweep`` has columns recipe, model, delay, seed, accuracy (data/memory_seeds.csv).
    """
    _check_sweep(sweep)
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
                edgecolor=TEXT_DARK,
                linewidth=0.6,
                zorder=3,
            )
            ax.plot([i + shift - 0.12, i + shift + 0.12], [np.median(acc)] * 2, color=TEXT_DARK, lw=2)
    for recipe in recipes:
        marker, _ = markers[recipe]
        label = {
            "keras": "recipe A: Keras' defaults (Adam 1e-3)",
            "chapter": "recipe B: Adam 1e-2, clipnorm 1",
            "chapter, no clipping": "recipe B without clipping",
        }
        ax.scatter([], [], marker=marker, color=MID_GREY, edgecolor=TEXT_DARK, label=label[recipe])
    ax.plot([], [], color=TEXT_DARK, lw=2, label="median of seeds")
    ax.axhline(chance_level(dishes), color=MODEL_COLOURS["chance"], ls="--", lw=1.5, label="chance")
    ax.axhline(SOLVED, color=MID_GREY, ls=":", lw=1.5, label=f"solved (≥ {SOLVED})")
    short = {"LSTM, forget bias 4": "LSTM,\nbias 4", "LSTM, chrono init": "LSTM,\nchrono"}
    ax.set_xticks(range(len(names)), labels=[short.get(n, n) for n in names])
    ax.set_ylim(0, 1.08)
    ax.set_ylabel("held-out recall accuracy")
    ax.set_title(f"Recall of day 1 after {delay - 1} later dinners: every seed a dot")
    ax.legend(fontsize=8, loc="center left", bbox_to_anchor=(1.0, 0.5))
    return ax


def plot_recall_vs_delay(sweep, dishes: int = 3, ax=None):
    """Plot held-out recall against delay: every seed a dot, a line through each network's medians.

    ``sweep`` is a DataFrame with columns model, delay, seed, accuracy (one training recipe).
    """
    _check_sweep(sweep, SWEEP_COLUMNS - {"recipe"})
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
    ax.axhline(SOLVED, color=MID_GREY, ls=":", lw=1.5, label=f"solved (≥ {SOLVED})")
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


def make_delay_widget(sweep, dishes: int = 3, delay: int | None = None):
    """Toggle buttons for the delay over precomputed charts of every seed's recall, linked in the browser.

    ``sweep`` has columns recipe, model, delay, seed, accuracy (data/memory_seeds.csv). Every view is drawn
    in advance with :func:`plot_seeds_at_delay` (no training); ``jslink`` switches views in a static page.
    """
    _check_sweep(sweep)
    delays = sorted(int(d) for d in sweep["delay"].unique())
    delay = delays[0] if delay is None else delay
    if delay not in delays:
        raise ValueError(f"delay must be one of {delays}; got {delay!r}")

    def view(d: int):
        fig, ax = plt.subplots(figsize=(8.0, 3.8))
        plot_seeds_at_delay(sweep, d, dishes=dishes, ax=ax)
        fig.tight_layout()
        rows = sweep[sweep["delay"] == d]
        solved = rows.assign(solved=rows["accuracy"] >= SOLVED).groupby(["model", "recipe"])["solved"]
        counts = zip(solved.sum().index, solved.sum(), solved.count(), strict=True)
        summary = "; ".join(f"{m}, {RECIPE_NAMES[r]}: {int(k)} of {n} seeds solved" for (m, r), k, n in counts)
        alt = f"Every seed's held-out recall at delay {d}, per network and recipe: {summary}."
        return image_view(figure_png(fig, colours=32), alt)

    choice = Choice("Delay (days)", [(str(d), d) for d in delays], value=delay)
    description = f"Delay widget: a toggle for the delay ({len(delays)} delays) over precomputed recall charts"
    return make_toggle_views([choice], view, description)
