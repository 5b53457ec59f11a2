"""Tests of helpers.cell_diagrams: the cell diagrams, the conveyor-belt plots and their widgets."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import ipywidgets as widgets
import matplotlib.pyplot as plt
import pytest
from matplotlib.axes import Axes
from widget_tools import sync_links

from helpers import cell_diagrams, cells


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.mark.parametrize("highlight", [None, *cell_diagrams.RNN_PARTS])
def test_plot_rnn_cell(highlight):
    ax = cell_diagrams.plot_rnn_cell(highlight=highlight)
    assert isinstance(ax, Axes)
    labels = {t.get_text() for t in ax.texts}
    assert {r"$h_{t-1}$", r"$x_t$", r"$h_t$", "tanh"} <= labels


@pytest.mark.parametrize("highlight", [None, *cell_diagrams.LSTM_PARTS])
def test_plot_lstm_cell(highlight):
    _, ax = plt.subplots()
    assert cell_diagrams.plot_lstm_cell(ax=ax, highlight=highlight) is ax
    labels = [t.get_text() for t in ax.texts]
    assert labels.count(r"$\sigma$") == 3 and labels.count("tanh") == 2
    assert {r"$c_{t-1}$", r"$c_t$", r"$f_t$", r"$i_t$", r"$\tilde{c}_t$", r"$o_t$"} <= set(labels)
    title = ax.get_title()
    assert title == "LSTM cell" if highlight is None else title.endswith(highlight)


def test_highlight_fades_the_other_parts():
    plain = cell_diagrams.plot_lstm_cell()
    forget = cell_diagrams.plot_lstm_cell(highlight="forget gate")
    faded = [p for p in forget.patches if p.get_alpha() is not None and p.get_alpha() < 1]
    assert faded and not [p for p in plain.patches if p.get_alpha() is not None and p.get_alpha() < 1]


@pytest.mark.parametrize(
    ("plot", "bad"), [(cell_diagrams.plot_rnn_cell, "forget gate"), (cell_diagrams.plot_lstm_cell, "hidden state")]
)
def test_plots_reject_unknown_parts(plot, bad):
    with pytest.raises(ValueError, match="highlight must be None or one of"):
        plot(highlight=bad)


def test_every_lstm_part_has_an_equation_and_a_view():
    assert set(cell_diagrams.LSTM_EQUATIONS) == set(cell_diagrams.LSTM_PARTS)
    for part in cell_diagrams.LSTM_PARTS:
        fig = cell_diagrams.make_lstm_part_figure(part)
        assert cell_diagrams.LSTM_EQUATIONS[part][0] in [t.get_text() for t in fig.axes[1].texts]
    with pytest.raises(ValueError, match="one of"):
        cell_diagrams.make_lstm_part_figure(None)
    with pytest.raises(ValueError, match="one of"):
        cell_diagrams.make_lstm_part_figure("memory")


def test_plot_conveyor_belt_and_gate_schedule():
    schedule = cells.gate_schedule(steps=20, forget=0.9, input_gate=0.3)
    ax = cell_diagrams.plot_conveyor_belt(schedule)
    assert len(ax.lines) == 2 and ax.get_xlabel() == "step (course)"
    ax = cell_diagrams.plot_gate_schedule(schedule)
    assert len(ax.lines) == 3
    fig = cell_diagrams.make_conveyor_figure(schedule)
    assert len(fig.axes) == 2 and "after 20 steps" in fig.axes[0].get_title()
    plots = (cell_diagrams.plot_conveyor_belt, cell_diagrams.plot_gate_schedule, cell_diagrams.make_conveyor_figure)
    for plot in plots:
        with pytest.raises(ValueError, match="schedule must be a dict with keys"):
            plot({"forget": schedule["forget"]})


def _stack_children(widget: widgets.Widget) -> list[widgets.Stack]:
    found = [widget] if isinstance(widget, widgets.Stack) else []
    for child in getattr(widget, "children", ()):
        found += _stack_children(child)
    return found


def _shown(widget: widgets.Widget) -> widgets.HTML:
    """The view a reader sees: follow the selected child of each Stack down from the widget's last child."""
    view = widget.children[-1]
    while isinstance(view, widgets.Stack):
        view = view.children[view.selected_index]
    return view


@pytest.mark.slow  # trains or renders for seconds: in the full run only
def test_lstm_parts_widget_links_a_toggle_to_four_views():
    widget = cell_diagrams.make_lstm_parts_widget(default="forget gate")
    toggle, stack = widget.children
    assert isinstance(toggle, widgets.ToggleButtons) and isinstance(stack, widgets.Stack)
    assert len(stack.children) == 4 and stack.selected_index == toggle.index == 1
    for view in stack.children:
        assert isinstance(view, widgets.HTML)
        assert 'src="data:image/png;base64,iVBOR' in view.value and 'alt="The LSTM cell' in view.value
    assert repr(widget).startswith("LSTM parts widget") and len(widget.links) == 1
    assert toggle.description == "Highlight" and list(toggle.options) == list(cell_diagrams.LSTM_PARTS)
    toggle.index = 3
    sync_links(widget)
    assert "with the output gate highlighted" in _shown(widget).value
    with pytest.raises(ValueError, match="one of"):
        cell_diagrams.make_lstm_parts_widget(default="everything")


@pytest.mark.slow  # trains or renders for seconds: in the full run only
def test_conveyor_belt_widget_has_one_view_per_combination():
    widget = cell_diagrams.make_conveyor_belt_widget(forgets=(1.0, 0.5), input_gates=(0.0,), steps=10)
    f_toggle, i_toggle, o_toggle, outer = widget.children
    assert [o[0] for o in f_toggle.options] == ["1", "0.5"]
    labels = [t.description for t in (f_toggle, i_toggle, o_toggle)]
    assert labels == ["forget gate f", "input gate i (after step 1)", "output gate o"]
    assert len(o_toggle.options) == len(cells.OUTPUT_SCHEDULES)
    views = [c for s in _stack_children(outer) for c in s.children]
    images = [c for c in views if isinstance(c, widgets.HTML) and 'alt="Cell state' in c.value]
    assert len(images) == 2 * 1 * len(cells.OUTPUT_SCHEDULES)
    assert len(widget.links) == 1 + 2 + 2 * 1
    assert repr(widget) == (
        "Conveyor-belt widget: toggles for the forget, input and output gates over 4 precomputed views"
    )
    f_toggle.index, o_toggle.index = 1, len(cells.OUTPUT_SCHEDULES) - 1
    sync_links(widget)
    assert f"forget gate 0.5, input gate 0, output gate {cells.OUTPUT_SCHEDULES[-1]}" in _shown(widget).value
    with pytest.raises(ValueError, match="at least one value"):
        cell_diagrams.make_conveyor_belt_widget(forgets=())


@pytest.mark.parametrize("highlight", [None, *cell_diagrams.GRU_PARTS])
def test_plot_gru_cell(highlight):
    _, ax = plt.subplots()
    assert cell_diagrams.plot_gru_cell(ax=ax, highlight=highlight) is ax
    labels = [t.get_text() for t in ax.texts]
    assert labels.count(r"$\sigma$") == 2 and labels.count("tanh") == 1 and "1-" in labels
    assert {r"$h_{t-1}$", r"$x_t$", r"$h_t$", r"$r_t$", r"$z_t$", r"$\tilde{h}_t$"} <= set(labels)
    title = ax.get_title()
    assert title == "GRU cell" if highlight is None else title.endswith(highlight)
    with pytest.raises(ValueError, match="highlight must be None or one of"):
        cell_diagrams.plot_gru_cell(highlight="forget gate")


@pytest.mark.slow  # trains or renders for seconds: in the full run only
def test_gru_parts_widget_links_a_toggle_to_four_views_with_equations():
    assert set(cell_diagrams.GRU_EQUATIONS) == set(cell_diagrams.GRU_PARTS)
    fig = cell_diagrams.make_gru_part_figure("update gate")
    assert cell_diagrams.GRU_EQUATIONS["update gate"][0] in [t.get_text() for t in fig.axes[1].texts]
    widget = cell_diagrams.make_gru_parts_widget(default="reset gate")
    toggle, stack = widget.children
    assert len(stack.children) == 4 and stack.selected_index == toggle.index == 2
    assert all('alt="The GRU cell' in view.value for view in stack.children)
    assert repr(widget).startswith("GRU parts widget") and len(widget.links) == 1
    with pytest.raises(ValueError, match="one of"):
        cell_diagrams.make_gru_parts_widget(default="cell state")
