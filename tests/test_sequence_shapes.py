"""Tests of helpers.sequence_shapes: the diagrams and tables of the five shapes of sequence problems."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import keras
import matplotlib.pyplot as plt
import pytest

from helpers import sequence_shapes as shapes
from helpers.style import SHAPE_COLOURS


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.mark.parametrize(
    "plot",
    [
        shapes.plot_one_to_one,
        shapes.plot_one_to_many,
        shapes.plot_many_to_one,
        shapes.plot_many_to_many_aligned,
        shapes.plot_encoder_decoder,
    ],
)
def test_each_plot_function_draws_on_new_or_given_axes(plot):
    ax = plot()
    assert ax.patches and ax.get_title()
    _, given = plt.subplots()
    assert plot(ax=given) is given


@pytest.mark.parametrize("shape", list(shapes.SHAPE_LAYOUTS))
def test_plot_shape_draws_one_box_per_input_hidden_state_and_output(shape):
    steps, inputs, outputs = shapes.SHAPE_LAYOUTS[shape]
    ax = shapes.plot_shape(shape)
    assert len(ax.patches) == steps + len(inputs) + len(outputs)
    colours = [matplotlib.colors.to_hex(p.get_facecolor()).upper() for p in ax.patches]
    assert colours.count(SHAPE_COLOURS["input"].upper()) == len(inputs)
    assert colours.count(SHAPE_COLOURS["output"].upper()) == len(outputs)
    labels = {t.get_text() for t in ax.texts}
    assert "$h_1$" in labels and "$x_1$" in labels and "$y_1$" in labels


def test_plot_shape_rejects_bad_arguments():
    with pytest.raises(ValueError, match="shape must be one of"):
        shapes.plot_shape("two-to-two")
    with pytest.raises(ValueError, match="fontsize"):
        shapes.plot_shape("one-to-one", fontsize=0)


def test_plot_sequence_shapes_fills_five_axes():
    axes = shapes.plot_sequence_shapes()
    assert len(axes) == 5 and all(ax.patches for ax in axes)
    figure = axes[0].get_figure()
    assert all(ax.get_figure() is figure for ax in axes)
    assert figure.get_figwidth() >= 8  # full width, two rows: labels readable on the page
    rows = sorted({round(ax.get_position().y0, 3) for ax in axes})
    assert len(rows) == 2
    _, given = plt.subplots(1, 5)
    assert list(shapes.plot_sequence_shapes(given)) == list(given)
    _, three = plt.subplots(1, 3)
    with pytest.raises(ValueError, match="5 axes"):
        shapes.plot_sequence_shapes(three)


def _models() -> dict[str, keras.Model]:
    """The five models of the chapter's page: 3 features, 5 steps in, 4 units, 4 steps out, 2 outputs."""
    rnn, dense, repeat = keras.layers.SimpleRNN, keras.layers.Dense, keras.layers.RepeatVector
    per_step = keras.layers.TimeDistributed
    layers = {
        "one-to-one": [keras.Input(shape=(3,)), dense(2)],
        "one-to-many": [keras.Input(shape=(3,)), repeat(4), rnn(4, return_sequences=True), per_step(dense(2))],
        "many-to-one": [keras.Input(shape=(5, 3)), rnn(4), dense(2)],
        "many-to-many (aligned)": [keras.Input(shape=(5, 3)), rnn(4, return_sequences=True), per_step(dense(2))],
        "many-to-many (encoder-decoder)": [
            keras.Input(shape=(5, 3)),
            rnn(4),
            repeat(4),
            rnn(4, return_sequences=True),
            per_step(dense(2)),
        ],
    }
    return {name: keras.Sequential(stack) for name, stack in layers.items()}


def test_shapes_table_is_deterministic_text():
    table = shapes.make_shapes_table(_models())
    assert list(table.index) == list(shapes.SHAPE_NAMES)
    assert table.loc["one-to-many", "output"] == "(batch, 4, 2)"
    assert table.loc["many-to-many (encoder-decoder)", "input"] == "(batch, 5, 3)"
    assert table.loc["many-to-one", "layers"] == "SimpleRNN(4) → Dense(2)"
    assert table.loc["many-to-many (aligned)", "layers"].startswith("SimpleRNN(4, return_sequences=True)")
    assert table["parameters"].tolist() == [8, 42, 42, 42, 78]
    assert table.index.name is None  # no blank index-name row on the page


def test_layer_table_lists_every_layer():
    table = shapes.make_layer_table(_models()["one-to-many"])
    assert table.index.tolist() == [
        "Input",
        "RepeatVector(4)",
        "SimpleRNN(4, return_sequences=True)",
        "TimeDistributed(Dense(2))",
    ]
    assert table["output shape"].tolist() == ["(batch, 3)", "(batch, 4, 3)", "(batch, 4, 4)", "(batch, 4, 2)"]
    assert table["parameters"].tolist() == [0, 0, 4 * (4 + 3 + 1), (4 + 1) * 2]
    assert table.index.name is None


def test_layer_table_names_bidirectional_and_stacked_layers():
    model = keras.Sequential(
        [
            keras.Input(shape=(5, 3)),
            keras.layers.SimpleRNN(4, return_sequences=True),
            keras.layers.Bidirectional(keras.layers.SimpleRNN(4, return_sequences=True)),
        ]
    )
    table = shapes.make_layer_table(model)
    assert table.index.tolist()[1:] == [
        "SimpleRNN(4, return_sequences=True)",
        "Bidirectional(SimpleRNN(4, return_sequences=True))",
    ]
    assert table["output shape"].tolist()[-1] == "(batch, 5, 8)"
    assert table["parameters"].tolist()[-1] == 2 * (4 * (4 + 4) + 4)


def test_tables_reject_bad_input():
    with pytest.raises(ValueError, match="non-empty"):
        shapes.make_shapes_table({})
    with pytest.raises(ValueError, match="keras.Model"):
        shapes.make_shapes_table({"x": "not a model"})
    with pytest.raises(ValueError, match="keras.Model"):
        shapes.make_layer_table(None)


def test_uses_table_places_every_use_on_a_known_shape():
    table = shapes.make_uses_table()
    assert set(table["shape"]) <= set(shapes.SHAPE_NAMES)
    assert table.loc["MNIST digits", "shape"] == "many-to-one"
    assert table.loc["airline passengers", "shape"] == "many-to-one"
    assert table.index.name is None
