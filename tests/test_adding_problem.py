"""Unit tests of helpers.adding_problem: the adding problem's data, score and training."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import adding_problem


def test_make_adding_data_marks_two_steps_and_sums_them():
    x, y = adding_problem.make_adding_data(200, 10, seed=3)
    assert x.shape == (200, 10, 2) and x.dtype == np.float32 and y.shape == (200,)
    markers = x[:, :, 1]
    assert np.all(markers.sum(axis=1) == 2)
    assert np.all(markers[:, :5].sum(axis=1) == 1) and np.all(markers[:, 5:].sum(axis=1) == 1)
    np.testing.assert_allclose((x[:, :, 0] * markers).sum(axis=1), y, rtol=1e-6)
    np.testing.assert_array_equal(adding_problem.make_adding_data(200, 10, seed=3)[0], x)
    with pytest.raises(ValueError, match="length"):
        adding_problem.make_adding_data(5, 1)


def test_adding_accuracy():
    assert adding_problem.adding_accuracy([1.0, 1.05, 0.5], [1.01, 1.0, 0.5]) == pytest.approx(2 / 3)
    with pytest.raises(ValueError, match="same length"):
        adding_problem.adding_accuracy([1.0], [1.0, 2.0])


@pytest.mark.slow  # trains or renders for seconds: in the full run only
def test_train_adding_smoke():
    result = adding_problem.train_adding("LSTM, chrono init", 6, num_train=256, max_epochs=1, seed=0)
    assert result["epochs"] == 1
    # the scores are the model's own, on the 2,000 held-out test sequences; the baseline always predicts 1
    x_test, y_test = adding_problem.make_adding_data(2000, 6, seed=20_000)
    predicted = result["model"].predict(x_test, verbose=0)[:, 0]
    assert result["accuracy"] == pytest.approx(adding_problem.adding_accuracy(predicted, y_test), abs=1e-6)
    assert result["mse"] == pytest.approx(float(np.mean((predicted - y_test) ** 2)), rel=1e-5)
    assert result["baseline_mse"] == pytest.approx(float(np.mean((1.0 - y_test) ** 2)))
    assert result["baseline_accuracy"] == adding_problem.adding_accuracy(np.ones_like(y_test), y_test)
    assert 0.1 < result["baseline_mse"] < 0.25
    with pytest.raises(ValueError, match="model must be one of"):
        adding_problem.train_adding("LSTM, warm", 6)
