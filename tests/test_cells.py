"""Tests of helpers.cells: the NumPy forward passes match Keras, parameter counts, the conveyor belt (chapter 3)."""

from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras
import numpy as np
import pytest

from helpers import cells

FEATURES, UNITS = 5, 7


@pytest.fixture(scope="module")
def x() -> np.ndarray:
    return np.random.default_rng(0).normal(size=(4, 9, FEATURES)).astype("float32")


def _random_layer(layer: keras.layers.Layer, x: np.ndarray, seed: int) -> list[np.ndarray]:
    """Build a Keras layer and replace every weight (biases included) with random numbers."""
    layer.build(x.shape)
    rng = np.random.default_rng(seed)
    weights = [rng.normal(0, 0.5, size=w.shape).astype("float32") for w in layer.get_weights()]
    layer.set_weights(weights)
    return weights


@pytest.mark.parametrize(
    ("layer_class", "forward", "kwargs"),
    [
        (keras.layers.SimpleRNN, cells.simple_rnn_forward, {}),
        (keras.layers.LSTM, cells.lstm_forward, {}),
        (keras.layers.GRU, cells.gru_forward, {}),
        (keras.layers.GRU, cells.gru_forward, {"reset_after": False}),
    ],
)
def test_forward_matches_keras(layer_class, forward, kwargs, x):
    layer = layer_class(UNITS, return_sequences=True, **kwargs)
    weights = _random_layer(layer, x, seed=1)
    expected = keras.ops.convert_to_numpy(layer(x))
    got = forward(x, *weights, **kwargs)
    assert got.shape == (x.shape[0], x.shape[1], UNITS)
    np.testing.assert_allclose(got, expected, atol=1e-5)


def test_forward_matches_keras_default_initial_weights(x):
    for layer_class, forward in ((keras.layers.LSTM, cells.lstm_forward), (keras.layers.GRU, cells.gru_forward)):
        keras.utils.set_random_seed(2)
        layer = layer_class(UNITS, return_sequences=True)
        expected = keras.ops.convert_to_numpy(layer(x))
        np.testing.assert_allclose(forward(x, *layer.get_weights()), expected, atol=1e-5)


def test_lstm_cell_states_match_keras_state(x):
    layer = keras.layers.LSTM(UNITS, return_sequences=True, return_state=True)
    weights = _random_layer(layer, x, seed=3)
    _, last_h, last_c = (keras.ops.convert_to_numpy(a) for a in layer(x))
    h, c = cells.lstm_forward(x, *weights, return_cell_states=True)
    assert c.shape == h.shape == (x.shape[0], x.shape[1], UNITS)
    np.testing.assert_allclose(h[:, -1], last_h, atol=1e-5)
    np.testing.assert_allclose(c[:, -1], last_c, atol=1e-5)
    np.testing.assert_array_equal(cells.lstm_forward(x, *weights), h)


def _weights(gates: int, features: int = FEATURES, units: int = UNITS, bias_shape=None):
    bias = np.zeros(bias_shape if bias_shape is not None else (gates * units,))
    return np.zeros((features, gates * units)), np.zeros((units, gates * units)), bias


@pytest.mark.parametrize(
    ("forward", "gates", "bias_shape"),
    [(cells.simple_rnn_forward, 1, None), (cells.lstm_forward, 4, None), (cells.gru_forward, 3, (2, 3 * UNITS))],
)
def test_bad_shapes_name_the_expected_shape(forward, gates, bias_shape, x):
    kernel, recurrent_kernel, bias = _weights(gates, bias_shape=bias_shape)
    forward(x, kernel, recurrent_kernel, bias)  # the right shapes work
    with pytest.raises(ValueError, match=r"x must have shape \(batch, time, features\)"):
        forward(x[0], kernel, recurrent_kernel, bias)
    with pytest.raises(ValueError, match=rf"kernel must have shape .* = \({FEATURES}, {gates * UNITS}\); got"):
        forward(x, kernel[:-1], recurrent_kernel, bias)
    with pytest.raises(ValueError, match=rf"recurrent_kernel must have shape .* = \({UNITS}, {gates * UNITS}\)"):
        forward(x, kernel, recurrent_kernel[:, :-1], bias)
    with pytest.raises(ValueError, match=r"recurrent_kernel must have shape"):
        forward(x, kernel, recurrent_kernel[0], bias)
    with pytest.raises(ValueError, match=r"bias must have shape"):
        forward(x, kernel, recurrent_kernel, np.zeros(gates * UNITS + 1))


def test_gru_bias_layout_follows_reset_after(x):
    kernel, recurrent_kernel, _ = _weights(3)
    with pytest.raises(ValueError, match=rf"bias must have shape \(2, 3 \* units\) = \(2, {3 * UNITS}\)"):
        cells.gru_forward(x, kernel, recurrent_kernel, np.zeros(3 * UNITS))
    with pytest.raises(ValueError, match=rf"bias must have shape \(3 \* units,\) = \({3 * UNITS},\)"):
        cells.gru_forward(x, kernel, recurrent_kernel, np.zeros((2, 3 * UNITS)), reset_after=False)
    with pytest.raises(ValueError, match="reset_after must be True/False"):
        cells.gru_forward(x, kernel, recurrent_kernel, np.zeros((2, 3 * UNITS)), reset_after="yes")


def test_zero_time_steps_give_empty_sequences():
    x = np.zeros((2, 0, FEATURES))
    assert cells.simple_rnn_forward(x, *_weights(1)).shape == (2, 0, UNITS)
    assert cells.lstm_forward(x, *_weights(4)).shape == (2, 0, UNITS)
    assert cells.gru_forward(x, *_weights(3, bias_shape=(2, 3 * UNITS))).shape == (2, 0, UNITS)


@pytest.mark.parametrize(("units", "features"), [(30, 28), (4, 1), (1, 10)])
def test_parameter_counts_match_keras(units, features):
    for layer, count in (
        (keras.layers.SimpleRNN(units), cells.simple_rnn_params(units, features)),
        (keras.layers.LSTM(units), cells.lstm_params(units, features)),
        (keras.layers.GRU(units), cells.gru_params(units, features)),
        (keras.layers.GRU(units, reset_after=False), cells.gru_params(units, features, reset_after=False)),
    ):
        model = keras.Sequential([keras.Input((3, features)), layer])
        assert model.count_params() == count


def test_article_model_counts():
    assert cells.lstm_params(30, 28) == 7080
    assert cells.lstm_params(30, 28) + 30 * 10 + 10 == 7390


@pytest.mark.parametrize("bad", [0, -3, 2.5, True, "30"])
def test_parameter_counts_reject_bad_sizes(bad):
    for count in (cells.simple_rnn_params, cells.lstm_params, cells.gru_params):
        with pytest.raises(ValueError, match="must be an integer >= 1"):
            count(bad, 28)
        with pytest.raises(ValueError, match="must be an integer >= 1"):
            count(30, bad)


def test_sigmoid():
    np.testing.assert_allclose(cells.sigmoid(np.array([0.0, 40.0, -40.0])), [0.5, 1.0, 0.0], atol=1e-15)
    np.testing.assert_allclose(cells.sigmoid(np.linspace(-5, 5, 11)), 1 / (1 + np.exp(-np.linspace(-5, 5, 11))))


def test_conveyor_belt_keeps_a_value_with_forget_1_and_input_0():
    schedule = cells.gate_schedule(steps=60, forget=1.0, input_gate=0.0)
    c, h = cells.run_conveyor_belt(schedule["forget"], schedule["input_gate"], schedule["output"],
                                   schedule["candidate"])
    assert c.shape == h.shape == (60,)
    assert np.all(c == 1.0)
    np.testing.assert_allclose(h, np.tanh(1.0))


def test_conveyor_belt_decays_with_the_forget_gate_and_hides_behind_the_output_gate():
    s = cells.gate_schedule(steps=60, forget=0.9, input_gate=0.0, output="opens at the end")
    c, h = cells.run_conveyor_belt(s["forget"], s["input_gate"], s["output"], s["candidate"])
    np.testing.assert_allclose(c, 0.9 ** np.arange(60))
    assert np.all(h[:-1] == 0) and h[-1] == pytest.approx(np.tanh(0.9**59))


def test_conveyor_belt_follows_the_lstm_equation():
    rng = np.random.default_rng(4)
    f, i, o, g = rng.uniform(0, 1, size=(4, 12))
    c, h = cells.run_conveyor_belt(f, i, o, g, c0=0.5)
    expected, prev = [], 0.5
    for t in range(12):
        prev = f[t] * prev + i[t] * g[t]
        expected.append(prev)
    np.testing.assert_allclose(c, expected)
    np.testing.assert_allclose(h, o * np.tanh(expected))


def test_conveyor_belt_rejects_bad_schedules():
    ones = np.ones(5)
    with pytest.raises(ValueError, match="input_gate must be a 1-D array of shape"):
        cells.run_conveyor_belt(ones, np.ones(4), ones, ones)
    with pytest.raises(ValueError, match="forget gate values must lie in"):
        cells.run_conveyor_belt(ones * 1.5, ones, ones, ones)
    with pytest.raises(ValueError, match="candidate must be a 1-D array"):
        cells.run_conveyor_belt(ones, ones, ones, np.ones((5, 1)))


def test_gate_schedule_rejects_bad_arguments():
    with pytest.raises(ValueError, match="steps must be an integer >= 1"):
        cells.gate_schedule(steps=0)
    with pytest.raises(ValueError, match=r"forget must lie in \[0, 1\]"):
        cells.gate_schedule(forget=1.2)
    with pytest.raises(ValueError, match=r"input_gate must lie in \[0, 1\]"):
        cells.gate_schedule(input_gate=-0.1)
    with pytest.raises(ValueError, match="output must be one of"):
        cells.gate_schedule(output="sometimes")
