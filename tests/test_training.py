"""EpochLine prints one compact line per chosen epoch; StopAtAccuracy stops at the target."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from helpers.training import EpochLine, StopAtAccuracy, compile_classifier


def tiny_model():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2, activation="softmax")])
    model.compile(optimizer=keras.optimizers.Adam(0.1), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


X = np.array([[1.0, 0.0], [0.0, 1.0]] * 8, dtype="float32")
Y = np.array([0, 1] * 8)


def test_epoch_line_prints_first_every_and_last_epoch_rounded(capsys):
    tiny_model().fit(X, Y, epochs=7, verbose=0, callbacks=[EpochLine(every=3, digits=2)])
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[1] for line in lines] == ["1/7", "3/7", "6/7", "7/7"]
    assert all("accuracy" in line and "loss" in line for line in lines)
    values = [token for line in lines for token in line.split()[2:] if token[0].isdigit()]
    assert values and all(len(v.split(".")[1]) == 2 for v in values)


def test_stop_at_accuracy_stops_once_validation_reaches_the_target():
    history = tiny_model().fit(X, Y, epochs=50, verbose=0, validation_data=(X, Y), callbacks=[StopAtAccuracy(1.0)])
    epochs = len(history.history["val_accuracy"])
    assert history.history["val_accuracy"][-1] == 1.0 and epochs < 50
    assert all(v < 1.0 for v in history.history["val_accuracy"][:-1])


@pytest.mark.parametrize("target", [0, 1.5, -0.1])
def test_stop_at_accuracy_rejects_a_target_outside_0_1(target):
    with pytest.raises(ValueError, match="target must be in"):
        StopAtAccuracy(target)


@pytest.mark.parametrize(("every", "digits"), [(0, 3), (2.5, 3), (1, -1)])
def test_epoch_line_refuses_a_bad_interval_or_precision(every, digits):
    name = "every" if every != 1 else "digits"
    with pytest.raises(ValueError, match=f"{name} must be an integer"):
        EpochLine(every=every, digits=digits)


def test_stop_at_accuracy_without_validation_accuracy_is_a_clear_error():
    with pytest.raises(ValueError, match=r"needs 'val_accuracy'.*the logs hold \['accuracy', 'loss'\]"):
        tiny_model().fit(X, Y, epochs=2, verbose=0, callbacks=[StopAtAccuracy(0.9)])


def test_stop_at_accuracy_can_stop_on_a_score_of_the_model():
    scores = iter([0.2, 0.5, 0.95, 0.99])
    stop = StopAtAccuracy(0.9, score=lambda model: next(scores))
    history = tiny_model().fit(X, Y, epochs=10, verbose=0, callbacks=[stop])
    assert len(history.history["loss"]) == 3


@pytest.mark.parametrize(("kwargs", "word"), [({"lr": 0}, "lr must be > 0"), ({"clipnorm": 0}, "clipnorm must be > 0")])
def test_compile_classifier_refuses_a_bad_step_size_or_clipping(kwargs, word):
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, activation="softmax")])
    with pytest.raises(ValueError, match=word):
        compile_classifier(model, **kwargs)
    assert compile_classifier(model, clipnorm=None).optimizer.clipnorm is None
