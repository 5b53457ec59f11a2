"""Unit tests of helpers.mnist (chapter 6)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import keras
import matplotlib.pyplot as plt
import numpy as np
import pytest

from helpers import mnist
from helpers.data import DataError, load_results

RNG = np.random.default_rng(0)
IMAGES = RNG.integers(0, 256, size=(4, 28, 28), dtype=np.uint8)


def test_to_sequences_scales_and_validates():
    seq = mnist.to_sequences(IMAGES)
    assert seq.dtype == np.float32 and seq.shape == (4, 28, 28)
    np.testing.assert_allclose(seq * 255, IMAGES)
    with pytest.raises(ValueError, match="shape"):
        mnist.to_sequences(IMAGES.reshape(4, 784))
    with pytest.raises(ValueError, match="uint8"):
        mnist.to_sequences(IMAGES.astype(float))


@pytest.mark.parametrize(("kind", "params"), [("LSTM", 7390), ("GRU", 5710), ("SimpleRNN", 2080)])
def test_make_recurrent_model_counts_parameters(kind, params):
    model = mnist.make_recurrent_model(kind, 30)
    assert model.count_params() == params
    assert model.output_shape == (None, 10)


def test_make_recurrent_model_rejects_bad_arguments():
    with pytest.raises(ValueError, match="kind must be one of"):
        mnist.make_recurrent_model("Transformer")
    with pytest.raises(ValueError, match="units"):
        mnist.make_recurrent_model("LSTM", 0)


def test_make_best_model_shape_and_arguments():
    model = mnist.make_best_model(steps=10)
    assert model.output_shape == (None, 10) and model.name == "ConvBiLSTM"
    with pytest.raises(ValueError, match="steps"):
        mnist.make_best_model(steps=0)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [({"lr": -1.0}, "lr must be positive"), ({"dropout": 1.0}, "dropout must lie"), ({"filters": 0}, "filters")],
)
def test_make_conv_recurrent_model_rejects_bad_arguments(arguments, message):
    with pytest.raises(ValueError, match=message):
        mnist.make_conv_recurrent_model("conv + BiLSTM", steps=10, **arguments)


def test_best_model_is_the_ablations_full_model_at_the_chosen_size():
    best = mnist.make_best_model(steps=10)
    full = mnist.make_conv_recurrent_model("conv + BiLSTM", steps=10, **mnist.BEST_SETTINGS)
    assert [type(layer) for layer in best.layers] == [type(layer) for layer in full.layers]
    assert best.count_params() == full.count_params()


def test_best_settings_are_the_best_of_the_grid_on_validation():
    grid = load_results("mnist_best_grid")
    assert len(grid) == len(mnist.GRID)
    top = grid.loc[grid["val_accuracy"].idxmax()]
    chosen = {"filters": int(top["filters"]), "units": int(top["units"]), "lr": float(top["lr"])}
    assert chosen == mnist.BEST_SETTINGS


def test_best_refit_file_has_the_chosen_model_on_all_training_images():
    refit = load_results("mnist_best_refit")
    assert len(refit) >= 2 and (refit["train_images"] == 60_000).all()
    assert (refit["params"] == mnist.make_best_model(steps=10).count_params()).all()


def test_row_reader_matches_feeding_the_first_rows():
    keras.utils.set_random_seed(1)
    model = mnist.make_recurrent_model("LSTM", 5)
    reader = mnist.make_row_reader(model)
    probs = mnist.read_row_by_row(reader, IMAGES[0])
    assert probs.shape == (28, 10)
    np.testing.assert_allclose(probs.sum(axis=1), 1, rtol=1e-5)
    full = model.predict(mnist.to_sequences(IMAGES[:1]), verbose=0)[0]
    np.testing.assert_allclose(probs[-1], full, atol=1e-6)
    short = reader.predict(mnist.to_sequences(IMAGES[:1])[:, :10], verbose=0)[0, -1]
    np.testing.assert_allclose(probs[9], short, atol=1e-6)
    with pytest.raises(ValueError, match="shape"):
        mnist.read_row_by_row(reader, IMAGES)


def test_row_reader_rejects_other_models():
    with pytest.raises(ValueError, match="recurrent layer followed by a Dense"):
        mnist.make_row_reader(mnist.make_best_model(steps=10))


def test_decision_row():
    probs = np.full((28, 10), 0.01)
    probs[:, 3] = 0.91
    assert mnist.decision_row(probs) == 1
    probs[:5, 3], probs[:5, 8] = 0.01, 0.91
    assert mnist.decision_row(probs) == 6
    unsure = np.full((28, 10), 0.05)
    unsure[:, 3] = 0.55
    assert mnist.decision_row(unsure) == 1
    with pytest.raises(ValueError, match="threshold"):
        mnist.decision_row(probs, threshold=1.5)
    with pytest.raises(ValueError, match="probs"):
        mnist.decision_row(probs[:, :9])


def test_confident_mistakes_orders_by_confidence():
    probs = np.full((4, 10), 0.0)
    probs[0, 1], probs[1, 2], probs[2, 3], probs[3, 3] = 1.0, 0.6, 0.9, 0.8
    y_true = np.array([1, 5, 5, 3])
    assert mnist.confident_mistakes(probs, y_true).tolist() == [2, 1]
    assert mnist.confident_mistakes(probs, y_true, n=1).tolist() == [2]
    with pytest.raises(ValueError, match="n must be"):
        mnist.confident_mistakes(probs, y_true, n=0)
    with pytest.raises(ValueError, match="probs must have shape"):
        mnist.confident_mistakes(probs[:3], y_true)


def test_load_best_model_checks_file(tmp_path):
    with pytest.raises(DataError, match="missing"):
        mnist.load_best_model(tmp_path / "absent.weights.h5")
    bad = tmp_path / "bad.weights.h5"
    bad.write_bytes(b"not weights")
    with pytest.raises(DataError, match="SHA-256"):
        mnist.load_best_model(bad)


def test_epoch_timer_records_each_epochs_seconds(monkeypatch):
    clock = iter([10.0, 12.5, 20.0, 21.0])
    monkeypatch.setattr(mnist.time, "perf_counter", lambda: next(clock))
    timer = mnist.make_epoch_timer()
    for epoch in range(2):
        timer.on_epoch_begin(epoch)
        timer.on_epoch_end(epoch)
    assert timer.seconds == [2.5, 1.0]


HISTORY = {"loss": [1.0, 0.5], "accuracy": [0.7, 0.9], "val_loss": [0.8, 0.4], "val_accuracy": [0.8, 0.92]}


def test_plot_training_curves_smoke():
    axes = mnist.plot_training_curves(HISTORY)
    assert len(axes) == 2 and axes[0].get_title()
    plt.close("all")
    with pytest.raises(ValueError, match="missing"):
        mnist.plot_training_curves({"loss": [1.0]})


def test_plot_reading_smoke():
    probs = np.full((28, 10), 0.1)
    axes = mnist.plot_reading(IMAGES[0], probs, rows_read=14)
    assert "14 of 28" in axes[0].get_title()
    plt.close("all")
    with pytest.raises(ValueError, match="rows_read"):
        mnist.plot_reading(IMAGES[0], probs, rows_read=0)
    with pytest.raises(ValueError, match="probs"):
        mnist.plot_reading(IMAGES[0], probs[:5])


def test_plot_mistakes_smoke():
    probs = np.full((4, 10), 0.1)
    axes = mnist.plot_mistakes(IMAGES, np.array([0, 1, 2, 3]), probs)
    assert len(axes) == 4
    plt.close("all")
    with pytest.raises(ValueError, match="one label"):
        mnist.plot_mistakes(IMAGES, np.array([0, 1]), probs)


def test_split_validation_keeps_the_last_images_apart():
    x, y = np.arange(50).reshape(50, 1), np.arange(50) % 10
    (x_fit, y_fit), (x_val, y_val) = mnist.split_validation(x, y, size=10)
    assert len(x_fit) == 40 and x_val[0, 0] == 40 and y_val.tolist() == (np.arange(40, 50) % 10).tolist()
    with pytest.raises(ValueError, match="size"):
        mnist.split_validation(x, y, size=50)
    with pytest.raises(ValueError, match="same length"):
        mnist.split_validation(x, y[:5])


@pytest.mark.parametrize(("kind", "params"), [("MLP", 7165), ("CNN", 6930)])
def test_make_baseline_is_about_the_size_of_lstm30(kind, params):
    model = mnist.make_baseline(kind)
    assert model.count_params() == params and model.output_shape == (None, 10)
    with pytest.raises(ValueError, match="kind must be one of"):
        mnist.make_baseline("forest")


def test_make_ablation_model_variants():
    sizes = {v: mnist.make_ablation_model(v, steps=10).count_params() for v in mnist.ABLATION_VARIANTS}
    assert sizes["conv + BiLSTM"] > sizes["conv + LSTM"] > sizes["conv only"]
    assert mnist.make_ablation_model("BiLSTM only", steps=10).output_shape == (None, 10)
    with pytest.raises(ValueError, match="variant"):
        mnist.make_ablation_model("attention", steps=10)
    with pytest.raises(ValueError, match="steps"):
        mnist.make_ablation_model("conv only", steps=0)


def test_plot_seed_dots_smoke():
    import pandas as pd

    table = pd.DataFrame({"model": ["a", "a", "b"], "test_accuracy": [0.9, 0.92, 0.95]})
    ax = mnist.plot_seed_dots(table)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a", "b"]
    plt.close("all")
    with pytest.raises(ValueError, match="columns"):
        mnist.plot_seed_dots(table, value="val_accuracy")
