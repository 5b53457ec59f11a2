"""Tests of the chapter-2 section of helpers.diagrams: the shapes of sequence problems."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

from helpers import diagrams, uses


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_layouts_cover_the_shapes_of_helpers_uses():
    assert list(diagrams.SHAPE_LAYOUTS) == list(uses.SHAPE_NAMES)


@pytest.mark.parametrize(
    "plot",
    [
        diagrams.plot_one_to_one,
        diagrams.plot_one_to_many,
        diagrams.plot_many_to_one,
        diagrams.plot_many_to_many_aligned,
        diagrams.plot_encoder_decoder,
    ],
)
def test_each_plot_function_draws_on_new_or_given_axes(plot):
    ax = plot()
    assert ax.patches and ax.get_title()
    _, given = plt.subplots()
    assert plot(ax=given) is given


@pytest.mark.parametrize("shape", list(diagrams.SHAPE_LAYOUTS))
def test_plot_shape_draws_one_box_per_input_hidden_state_and_output(shape):
    steps, inputs, outputs = diagrams.SHAPE_LAYOUTS[shape]
    ax = diagrams.plot_shape(shape)
    assert len(ax.patches) == steps + len(inputs) + len(outputs)
    colours = [matplotlib.colors.to_hex(p.get_facecolor()).upper() for p in ax.patches]
    assert colours.count(diagrams.SHAPE_COLOURS["input"].upper()) == len(inputs)
    assert colours.count(diagrams.SHAPE_COLOURS["output"].upper()) == len(outputs)
    labels = {t.get_text() for t in ax.texts}
    assert "$h_1$" in labels and "$x_1$" in labels and "$y_1$" in labels


def test_plot_shape_rejects_bad_arguments():
    with pytest.raises(ValueError, match="shape must be one of"):
        diagrams.plot_shape("two-to-two")
    with pytest.raises(ValueError, match="fontsize"):
        diagrams.plot_shape("one-to-one", fontsize=0)


def test_plot_sequence_shapes_fills_five_axes():
    axes = diagrams.plot_sequence_shapes()
    assert len(axes) == 5 and all(ax.patches for ax in axes)
    figure = axes[0].get_figure()
    assert all(ax.get_figure() is figure for ax in axes)
    assert figure.get_figwidth() >= 8  # full width, two rows: labels readable on the page
    rows = sorted({round(ax.get_position().y0, 3) for ax in axes})
    assert len(rows) == 2
    _, given = plt.subplots(1, 5)
    assert list(diagrams.plot_sequence_shapes(given)) == list(given)
    _, three = plt.subplots(1, 3)
    with pytest.raises(ValueError, match="5 axes"):
        diagrams.plot_sequence_shapes(three)
