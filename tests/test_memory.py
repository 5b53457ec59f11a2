"""Unit tests of helpers.memory (chapter 5)."""

from __future__ import annotations

import html
import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from helpers import cells, memory  # noqa: E402
from helpers.data import DataError  # noqa: E402


def test_chance_level():
    assert memory.chance_level(3) == pytest.approx(1 / 3)
    assert memory.chance_level(60) == pytest.approx(1 / 60)


@pytest.mark.parametrize("bad", [1, 0, 2.5, "3", True])
def test_chance_level_rejects_bad_dishes(bad):
    with pytest.raises(ValueError, match="dishes"):
        memory.chance_level(bad)


def test_make_recall_data_shapes_and_target():
    x, y = memory.make_recall_data(50, 7, dishes=4, seed=3)
    assert x.shape == (50, 7, 4) and x.dtype == np.float32 and y.shape == (50,)
    np.testing.assert_array_equal(x.sum(axis=2), 1.0)
    np.testing.assert_array_equal(x[:, 0].argmax(axis=1), y)


def test_make_recall_data_is_reproducible_and_empty_filler():
    a, ya = memory.make_recall_data(20, 5, seed=1)
    b, yb = memory.make_recall_data(20, 5, seed=1)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(ya, yb)
    e, ye = memory.make_recall_data(20, 5, filler="empty", seed=1)
    np.testing.assert_array_equal(e[:, 1:], 0.0)
    np.testing.assert_array_equal(e[:, 0].argmax(axis=1), ye)


@pytest.mark.parametrize(
    "kwargs, word",
    [({"num_sequences": 0}, "num_sequences"), ({"delay": -1}, "delay"), ({"dishes": 1}, "dishes"),
     ({"filler": "noise"}, "filler")],
)
def test_make_recall_data_rejects_bad_arguments(kwargs, word):
    args = {"num_sequences": 5, "delay": 3} | kwargs
    with pytest.raises(ValueError, match=word):
        memory.make_recall_data(**args)


def test_chrono_forget_bias_range():
    b = memory.chrono_forget_bias(100, 60, seed=0)
    assert b.shape == (100,)
    assert b.min() >= 0.0 and b.max() <= np.log(59) + 1e-6
    with pytest.raises(ValueError, match="max_delay"):
        memory.chrono_forget_bias(4, 2)


def test_make_recall_model_sets_forget_bias():
    model = memory.make_recall_model("LSTM", 5, forget_bias=4.0, units=3)
    bias = model.layers[0].cell.bias.numpy()
    np.testing.assert_allclose(bias[3:6], 4.0)
    np.testing.assert_allclose(bias[[0, 1, 2, 6, 7, 8, 9, 10, 11]], 0.0)
    chrono = memory.make_recall_model("LSTM", 30, forget_bias="chrono", units=3).layers[0].cell.bias.numpy()
    np.testing.assert_allclose(chrono[:3], -chrono[3:6])
    assert model.output_shape == (None, 3)


@pytest.mark.parametrize(
    "kwargs, word",
    [({"cell": "Transformer"}, "cell"), ({"cell": "GRU", "forget_bias": 4.0}, "LSTM only"),
     ({"forget_bias": "warm"}, "chrono"), ({"lr": 0.0}, "lr"), ({"units": 0}, "units")],
)
def test_make_recall_model_rejects_bad_arguments(kwargs, word):
    args = {"cell": "LSTM", "delay": 5} | kwargs
    with pytest.raises(ValueError, match=word):
        memory.make_recall_model(**args)


def test_set_lstm_forget_bias_rejects_wrong_shape_and_layer():
    model = memory.make_recall_model("LSTM", 5, units=3)
    with pytest.raises(ValueError, match="shape"):
        memory.set_lstm_forget_bias(model.layers[0], np.ones(4))
    gru = memory.make_recall_model("GRU", 5, units=3)
    with pytest.raises(ValueError, match="LSTM"):
        memory.set_lstm_forget_bias(gru.layers[0], 1.0)


def test_gradient_by_distance_and_forget_product():
    x, y = memory.make_recall_data(16, 12, seed=0)
    model = memory.make_recall_model("LSTM", 12, units=4, forget_bias=2.0)
    grads = memory.gradient_by_distance(model, x, y)
    assert grads.shape == (12,) and np.all(grads > 0)
    prod = memory.forget_gate_product(model, x)
    assert prod.shape == (12,) and prod[0] == pytest.approx(1.0)
    assert np.all(np.diff(prod) <= 0)
    with pytest.raises(ValueError, match="one target"):
        memory.gradient_by_distance(model, x, y[:3])
    with pytest.raises(ValueError, match="shape"):
        memory.gradient_by_distance(model, x[0], y)
    with pytest.raises(ValueError, match="LSTM"):
        memory.forget_gate_product(memory.make_recall_model("SimpleRNN", 12, units=4), x)


def test_recall_model_lstm_matches_chapter3_numpy_pass():
    """The recall model's LSTM is a standard Keras LSTM: chapter 3's NumPy pass gives its last hidden state."""
    x, _ = memory.make_recall_data(4, 6, seed=1)
    layer = memory.make_recall_model("LSTM", 6, units=5).layers[0]
    weights = (w.numpy() for w in (layer.cell.kernel, layer.cell.recurrent_kernel, layer.cell.bias))
    expected = cells.lstm_forward(x, *weights)[:, -1]
    np.testing.assert_allclose(np.asarray(layer(x)), expected, atol=1e-5)


def held_out_recall(model, delay: int) -> float:
    """The recall of ``model`` on the 2,000 held-out test sequences train_recall scores, from its own predictions."""
    x_test, y_test = memory.make_recall_data(2000, delay, seed=20_000)
    return float((model.predict(x_test, verbose=0).argmax(axis=1) == y_test).mean())


def test_train_recall_stops_at_target_and_reports_held_out_recall():
    # a target any network reaches at once: training must stop after the first epoch
    result = memory.train_recall("SimpleRNN", 3, num_train=256, max_epochs=3, seed=0, target=0.01)
    assert result["epochs"] == 1 == len(result["val_accuracy"])
    # `accuracy` is the recall on the 2,000 held-out test sequences, as the model itself predicts them
    assert result["accuracy"] == pytest.approx(held_out_recall(result["model"], 3), abs=1e-6)
    longer = memory.train_recall("SimpleRNN", 3, num_train=256, max_epochs=2, seed=0, target=1.0)
    assert longer["epochs"] == 2 or longer["val_accuracy"][-1] >= 1.0
    with pytest.raises(ValueError, match="model must be one of"):
        memory.train_recall("LSTM, warm", 3)
    with pytest.raises(ValueError, match="target"):
        memory.train_recall("LSTM", 3, target=1.5)


def test_train_recall_without_clipping_and_training_setups():
    result = memory.train_recall("SimpleRNN", 3, num_train=256, max_epochs=1, seed=0, clipnorm=None)
    assert result["model"].optimizer.clipnorm is None
    for label, (model, extra) in memory.TRAINING_SETUPS.items():
        assert model in memory.MODEL_SPECS and label.startswith(model)
        assert set(extra) <= {"clipnorm", "max_epochs"}


def test_make_adding_data_marks_two_steps_and_sums_them():
    x, y = memory.make_adding_data(200, 10, seed=3)
    assert x.shape == (200, 10, 2) and x.dtype == np.float32 and y.shape == (200,)
    markers = x[:, :, 1]
    assert np.all(markers.sum(axis=1) == 2)
    assert np.all(markers[:, :5].sum(axis=1) == 1) and np.all(markers[:, 5:].sum(axis=1) == 1)
    np.testing.assert_allclose((x[:, :, 0] * markers).sum(axis=1), y, rtol=1e-6)
    np.testing.assert_array_equal(memory.make_adding_data(200, 10, seed=3)[0], x)
    with pytest.raises(ValueError, match="length"):
        memory.make_adding_data(5, 1)


def test_adding_accuracy():
    assert memory.adding_accuracy([1.0, 1.05, 0.5], [1.01, 1.0, 0.5]) == pytest.approx(2 / 3)
    with pytest.raises(ValueError, match="same length"):
        memory.adding_accuracy([1.0], [1.0, 2.0])


def test_train_adding_smoke():
    result = memory.train_adding("LSTM, chrono init", 6, num_train=256, max_epochs=1, seed=0)
    assert result["epochs"] == 1
    # the scores are the model's own, on the 2,000 held-out test sequences; the baseline always predicts 1
    x_test, y_test = memory.make_adding_data(2000, 6, seed=20_000)
    predicted = result["model"].predict(x_test, verbose=0)[:, 0]
    assert result["accuracy"] == pytest.approx(memory.adding_accuracy(predicted, y_test), abs=1e-6)
    assert result["mse"] == pytest.approx(float(np.mean((predicted - y_test) ** 2)), rel=1e-5)
    assert result["baseline_mse"] == pytest.approx(float(np.mean((1.0 - y_test) ** 2)))
    assert result["baseline_accuracy"] == memory.adding_accuracy(np.ones_like(y_test), y_test)
    assert 0.1 < result["baseline_mse"] < 0.25
    with pytest.raises(ValueError, match="model must be one of"):
        memory.train_adding("LSTM, warm", 6)


def test_plots_smoke():
    sweep = pd.DataFrame(
        {"model": ["SimpleRNN", "SimpleRNN", "LSTM, chrono init", "LSTM, chrono init"], "delay": [1, 60, 1, 60],
         "seed": [1, 1, 1, 1], "accuracy": [1.0, 0.4, 1.0, 0.99]}
    )
    # each plot draws on the axes it is given, one line per series, labelled with its name and holding its values
    for draw, expected in (
        (lambda ax: memory.plot_recall_vs_delay(sweep, ax=ax),
         {"SimpleRNN": [1.0, 0.4], "LSTM, chrono init": [1.0, 0.99]}),
        (lambda ax: memory.plot_gradient_by_distance({"a": np.ones(5), "b": np.full(5, 1e-3)}, ax=ax),
         {"a": np.ones(5), "b": np.full(5, 1e-3)}),
        (lambda ax: memory.plot_training_curves({"LSTM": [0.3, 0.5, 1.0]}, ax=ax), {"LSTM": [0.3, 0.5, 1.0]}),
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
        memory.plot_recall_vs_delay(pd.DataFrame({"x": [1]}))
    with pytest.raises(ValueError, match="non-empty"):
        memory.plot_gradient_by_distance({})
    with pytest.raises(ValueError, match="1-D"):
        memory.plot_gradient_by_distance({"a": np.ones((2, 2))})
    with pytest.raises(ValueError, match="non-empty"):
        memory.plot_training_curves({})
    plt.close("all")


def test_delay_widget_shows_every_seed_per_delay():
    sweep = pd.DataFrame(
        {"recipe": ["chapter"] * 4, "model": ["SimpleRNN", "SimpleRNN", "LSTM", "LSTM"], "delay": [1, 60, 1, 60],
         "seed": [1, 1, 1, 1], "accuracy": [1.0, 0.96, 1.0, 0.33]}
    )
    box = memory.make_delay_widget(sweep, delay=60)
    assert repr(box).startswith("Delay widget") and len(box.links) == 1
    toggle, stack = box.children[0].children[1], box.children[1]
    assert toggle.options == ("1", "60") and toggle.value == "60"
    assert stack.selected_index == 1 and len(stack.children) == 2
    alt = "Every seed's held-out recall at delay 60, per network and recipe: LSTM, chapter: 0 of 1 seeds solved"
    view = html.unescape(stack.children[1].value)
    assert alt in view and "SimpleRNN, chapter: 1 of 1 seeds solved" in view
    with pytest.raises(ValueError, match="delay must be one of"):
        memory.make_delay_widget(sweep, delay=7)
    with pytest.raises(ValueError, match="columns"):
        memory.make_delay_widget(sweep.drop(columns="recipe"))
    plt.close("all")


def test_irnn_layer_starts_as_identity_relu():
    model = memory.make_recall_model("IRNN", 5, units=4)
    layer = model.layers[0]
    assert type(layer).__name__ == "SimpleRNN" and layer.name == "irnn"
    assert layer.cell.activation.__name__ == "relu"
    np.testing.assert_array_equal(layer.cell.recurrent_kernel.numpy(), np.eye(4))
    np.testing.assert_array_equal(layer.cell.bias.numpy(), 0.0)
    assert np.abs(layer.cell.kernel.numpy()).max() < 0.01
    with pytest.raises(ValueError, match="LSTM only"):
        memory.make_recall_model("IRNN", 5, forget_bias=4.0)
    with pytest.raises(ValueError, match="cell must be one of"):
        memory.make_recurrent_layer("Elman")


def test_recipes_and_irnn_training_smoke():
    assert memory.RECIPES["keras"] == {"lr": 0.001, "clipnorm": None}
    assert memory.RECIPES["chapter"] == {"lr": 0.01, "clipnorm": 1.0}
    assert "IRNN" in memory.MODEL_SPECS
    result = memory.train_recall("IRNN", 3, num_train=256, max_epochs=1, seed=0, **memory.RECIPES["keras"])
    assert result["model"].optimizer.clipnorm is None
    assert result["accuracy"] == pytest.approx(held_out_recall(result["model"], 3), abs=1e-6)


def test_plot_seeds_at_delay():
    sweep = pd.DataFrame(
        {"recipe": ["keras", "keras", "chapter", "chapter"], "model": ["SimpleRNN", "IRNN", "SimpleRNN", "IRNN"],
         "delay": [60, 60, 60, 60], "seed": [1, 1, 1, 1], "accuracy": [0.9, 0.33, 1.0, 0.5]}
    )
    fig, ax = plt.subplots()
    assert memory.plot_seeds_at_delay(sweep, 60, ax=ax) is ax
    assert len(ax.collections) >= 4
    plt.close(fig)
    with pytest.raises(ValueError, match="delay must be one of"):
        memory.plot_seeds_at_delay(sweep, 7)
    with pytest.raises(ValueError, match="columns"):
        memory.plot_seeds_at_delay(sweep.drop(columns="recipe"), 60)


@pytest.mark.parametrize("name", sorted(memory.RESULTS))
def test_result_loaders_read_the_shipped_file_and_name_the_script(tmp_path, name):
    default, columns, command = memory.RESULTS[name]
    assert set(memory._load(name).columns) >= set(columns)
    with pytest.raises(DataError, match=f"missing.*{re.escape(command)}"):
        memory._load(name, tmp_path / "nothing.csv")
    bad = tmp_path / "bad.csv"
    bad.write_text("model,delay\nLSTM,5\n")
    with pytest.raises(DataError, match="lacks the columns"):
        memory._load(name, bad)
    public = {"seeds": memory.load_seeds_sweep, "conditions": memory.load_conditions_sweep}
    public["clipping"] = memory.load_clipping_log
    assert public[name]().equals(memory._load(name))
