"""Unit tests of helpers.recall: the delayed-recall task, its networks, training and memory measures."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import cells, recall


def test_chance_level():
    assert recall.chance_level(3) == pytest.approx(1 / 3)
    assert recall.chance_level(60) == pytest.approx(1 / 60)


@pytest.mark.parametrize("bad", [1, 0, 2.5, "3", True])
def test_chance_level_rejects_bad_dishes(bad):
    with pytest.raises(ValueError, match="dishes"):
        recall.chance_level(bad)


def test_make_recall_data_shapes_and_target():
    x, y = recall.make_recall_data(50, 7, dishes=4, seed=3)
    assert x.shape == (50, 7, 4) and x.dtype == np.float32 and y.shape == (50,)
    np.testing.assert_array_equal(x.sum(axis=2), 1.0)
    np.testing.assert_array_equal(x[:, 0].argmax(axis=1), y)


def test_make_recall_data_is_reproducible_and_empty_filler():
    a, ya = recall.make_recall_data(20, 5, seed=1)
    b, yb = recall.make_recall_data(20, 5, seed=1)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(ya, yb)
    e, ye = recall.make_recall_data(20, 5, filler="empty", seed=1)
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
        recall.make_recall_data(**args)


def test_chrono_forget_bias_range():
    b = recall.chrono_forget_bias(100, 60, seed=0)
    assert b.shape == (100,)
    assert b.min() >= 0.0 and b.max() <= np.log(59) + 1e-6
    with pytest.raises(ValueError, match="max_delay"):
        recall.chrono_forget_bias(4, 2)


def test_make_recall_model_sets_forget_bias():
    model = recall.make_recall_model("LSTM", 5, forget_bias=4.0, units=3)
    bias = model.layers[0].cell.bias.numpy()
    np.testing.assert_allclose(bias[3:6], 4.0)
    np.testing.assert_allclose(bias[[0, 1, 2, 6, 7, 8, 9, 10, 11]], 0.0)
    chrono = recall.make_recall_model("LSTM", 30, forget_bias="chrono", units=3).layers[0].cell.bias.numpy()
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
        recall.make_recall_model(**args)


def test_recall_cells_extend_the_keras_cells_with_the_irnn():
    assert recall.RECALL_CELLS == (*cells.KERAS_CELLS, "IRNN")
    assert {cell for cell, _ in recall.MODEL_SPECS.values()} == set(recall.RECALL_CELLS)


def test_make_network_builds_the_recall_and_adding_heads():
    net = recall.make_network("LSTM", 7, 2, 1, forget_bias=4.0, units=3)
    assert net.input_shape == (None, 7, 2) and net.output_shape == (None, 1)
    assert net.layers[-1].activation.__name__ == "linear"
    np.testing.assert_allclose(net.layers[0].cell.bias.numpy()[3:6], 4.0)
    with pytest.raises(ValueError, match="outputs"):
        recall.make_network("GRU", 7, 2, 0)


def test_set_lstm_forget_bias_rejects_wrong_shape_and_layer():
    model = recall.make_recall_model("LSTM", 5, units=3)
    with pytest.raises(ValueError, match="shape"):
        recall.set_lstm_forget_bias(model.layers[0], np.ones(4))
    gru = recall.make_recall_model("GRU", 5, units=3)
    with pytest.raises(ValueError, match="LSTM"):
        recall.set_lstm_forget_bias(gru.layers[0], 1.0)


def test_gradient_by_distance_and_forget_product():
    x, y = recall.make_recall_data(16, 12, seed=0)
    model = recall.make_recall_model("LSTM", 12, units=4, forget_bias=2.0)
    grads = recall.gradient_by_distance(model, x, y)
    assert grads.shape == (12,) and np.all(grads > 0)
    prod = recall.forget_gate_product(model, x)
    assert prod.shape == (12,) and prod[0] == pytest.approx(1.0)
    assert np.all(np.diff(prod) <= 0)
    with pytest.raises(ValueError, match="one target"):
        recall.gradient_by_distance(model, x, y[:3])
    with pytest.raises(ValueError, match="shape"):
        recall.gradient_by_distance(model, x[0], y)
    with pytest.raises(ValueError, match="LSTM"):
        recall.forget_gate_product(recall.make_recall_model("SimpleRNN", 12, units=4), x)


def test_recall_model_lstm_matches_chapter3_numpy_pass():
    """The recall model's LSTM is a standard Keras LSTM: chapter 3's NumPy pass gives its last hidden state."""
    x, _ = recall.make_recall_data(4, 6, seed=1)
    layer = recall.make_recall_model("LSTM", 6, units=5).layers[0]
    weights = (w.numpy() for w in (layer.cell.kernel, layer.cell.recurrent_kernel, layer.cell.bias))
    expected = cells.lstm_forward(x, *weights)[:, -1]
    np.testing.assert_allclose(np.asarray(layer(x)), expected, atol=1e-5)


def held_out_recall(model, delay: int) -> float:
    """The recall of ``model`` on the 2,000 held-out test sequences train_recall scores, from its own predictions."""
    x_test, y_test = recall.make_recall_data(2000, delay, seed=20_000)
    return float((model.predict(x_test, verbose=0).argmax(axis=1) == y_test).mean())


@pytest.mark.slow  # trains or renders for seconds: in the full run only
def test_train_recall_stops_at_target_and_reports_held_out_recall():
    # a target any network reaches at once: training must stop after the first epoch
    result = recall.train_recall("SimpleRNN", 3, num_train=256, max_epochs=3, seed=0, target=0.01)
    assert result["epochs"] == 1 == len(result["val_accuracy"])
    # `accuracy` is the recall on the 2,000 held-out test sequences, as the model itself predicts them
    assert result["accuracy"] == pytest.approx(held_out_recall(result["model"], 3), abs=1e-6)
    longer = recall.train_recall("SimpleRNN", 3, num_train=256, max_epochs=2, seed=0, target=1.0)
    assert longer["epochs"] == 2 or longer["val_accuracy"][-1] >= 1.0
    with pytest.raises(ValueError, match="model must be one of"):
        recall.train_recall("LSTM, warm", 3)
    with pytest.raises(ValueError, match="target"):
        recall.train_recall("LSTM", 3, target=1.5)


@pytest.mark.slow  # trains or renders for seconds: in the full run only
def test_train_recall_without_clipping_and_training_setups():
    result = recall.train_recall("SimpleRNN", 3, num_train=256, max_epochs=1, seed=0, clipnorm=None)
    assert result["model"].optimizer.clipnorm is None
    for label, (model, extra) in recall.TRAINING_SETUPS.items():
        assert model in recall.MODEL_SPECS and label.startswith(model)
        assert set(extra) <= {"clipnorm", "max_epochs"}


def test_irnn_layer_starts_as_identity_relu():
    model = recall.make_recall_model("IRNN", 5, units=4)
    layer = model.layers[0]
    assert type(layer).__name__ == "SimpleRNN" and layer.name == "irnn"
    assert layer.cell.activation.__name__ == "relu"
    np.testing.assert_array_equal(layer.cell.recurrent_kernel.numpy(), np.eye(4))
    np.testing.assert_array_equal(layer.cell.bias.numpy(), 0.0)
    assert np.abs(layer.cell.kernel.numpy()).max() < 0.01
    with pytest.raises(ValueError, match="LSTM only"):
        recall.make_recall_model("IRNN", 5, forget_bias=4.0)
    with pytest.raises(ValueError, match="cell must be one of"):
        recall.make_recurrent_layer("Elman")


@pytest.mark.slow  # trains or renders for seconds: in the full run only
def test_recipes_and_irnn_training_smoke():
    result = recall.train_recall("IRNN", 3, num_train=256, max_epochs=1, seed=0, **recall.RECIPES["keras"])
    assert result["model"].optimizer.clipnorm is None
    assert result["accuracy"] == pytest.approx(held_out_recall(result["model"], 3), abs=1e-6)
