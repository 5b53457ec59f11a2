"""Unit tests of helpers.recall_plots: the recall experiments' plots and the delay widget."""

from __future__ import annotations

import html

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from widget_tools import sync_links  # noqa: E402

from helpers import recall_plots  # noqa: E402


def test_plots_smoke():
    sweep = pd.DataFrame(
        {"model": ["SimpleRNN", "SimpleRNN", "LSTM, chrono init", "LSTM, chrono init"], "delay": [1, 60, 1, 60],
         "seed": [1, 1, 1, 1], "accuracy": [1.0, 0.4, 1.0, 0.99]}
    )
    # each plot draws on the axes it is given, one line per series, labelled with its name and holding its values
    for draw, expected in (
        (lambda ax: recall_plots.plot_recall_vs_delay(sweep, ax=ax),
         {"SimpleRNN": [1.0, 0.4], "LSTM, chrono init": [1.0, 0.99]}),
        (lambda ax: recall_plots.plot_gradient_by_distance({"a": np.ones(5), "b": np.full(5, 1e-3)}, ax=ax),
         {"a": np.ones(5), "b": np.full(5, 1e-3)}),
        (lambda ax: recall_plots.plot_training_curves({"LSTM": [0.3, 0.5, 1.0]}, ax=ax), {"LSTM": [0.3, 0.5, 1.0]}),
    ):
        fig, ax = plt.subplots()
        assert draw(ax) is ax
        lines = {line.get_label(): line.get_ydata() for line in ax.get_lines()}
        assert set(expected) <= set(lines) and set(expected) <= {t.get_text() for t in ax.get_legend().get_texts()}
        for label, values in expected.items():
            np.testing.assert_allclose(lines[label], values, err_msg=label)
        plt.close(fig)


def test_plots_reject_bad_input():
    with pytest.raises(ValueError, match="columns"):
        recall_plots.plot_recall_vs_delay(pd.DataFrame({"x": [1]}))
    with pytest.raises(ValueError, match="non-empty"):
        recall_plots.plot_gradient_by_distance({})
    with pytest.raises(ValueError, match="1-D"):
        recall_plots.plot_gradient_by_distance({"a": np.ones((2, 2))})
    with pytest.raises(ValueError, match="non-empty"):
        recall_plots.plot_training_curves({})
    plt.close("all")


def test_delay_widget_shows_every_seed_per_delay():
    sweep = pd.DataFrame(
        {"recipe": ["chapter"] * 4, "model": ["SimpleRNN", "SimpleRNN", "LSTM", "LSTM"], "delay": [1, 60, 1, 60],
         "seed": [1, 1, 1, 1], "accuracy": [1.0, 0.96, 1.0, 0.33]}
    )
    box = recall_plots.make_delay_widget(sweep, delay=60)
    assert repr(box) == "Delay widget: a toggle for the delay (2 delays) over precomputed recall charts"
    assert len(box.links) == 1
    toggle, stack = box.children
    assert toggle.description == "Delay (days)" and toggle.options == (("1", 1), ("60", 60)) and toggle.value == 60
    assert stack.selected_index == 1 and len(stack.children) == 2
    alt = "Every seed's held-out recall at delay 60, per network and recipe: LSTM, recipe B: 0 of 1 seeds solved"
    view = html.unescape(stack.children[1].value)
    assert alt in view and "SimpleRNN, recipe B: 1 of 1 seeds solved" in view
    # a click on "1" shows delay 1's chart, where both networks solved it
    toggle.index = 0
    sync_links(box)
    shown = html.unescape(stack.children[stack.selected_index].value)
    assert "at delay 1, per network and recipe: LSTM, recipe B: 1 of 1 seeds solved" in shown
    with pytest.raises(ValueError, match="delay must be one of"):
        recall_plots.make_delay_widget(sweep, delay=7)
    with pytest.raises(ValueError, match="columns"):
        recall_plots.make_delay_widget(sweep.drop(columns="recipe"))
    plt.close("all")


def test_plot_seeds_at_delay():
    sweep = pd.DataFrame(
        {"recipe": ["keras", "keras", "chapter", "chapter"], "model": ["SimpleRNN", "IRNN", "SimpleRNN", "IRNN"],
         "delay": [60, 60, 60, 60], "seed": [1, 1, 1, 1], "accuracy": [0.9, 0.33, 1.0, 0.5]}
    )
    fig, ax = plt.subplots()
    assert recall_plots.plot_seeds_at_delay(sweep, 60, ax=ax) is ax
    assert len(ax.collections) >= 4
    plt.close(fig)
    with pytest.raises(ValueError, match="delay must be one of"):
        recall_plots.plot_seeds_at_delay(sweep, 7)
    with pytest.raises(ValueError, match="columns"):
        recall_plots.plot_seeds_at_delay(sweep.drop(columns="recipe"), 60)
