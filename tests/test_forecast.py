"""Unit tests of helpers/forecast.py (chapter 7)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from helpers import forecast
from helpers.data import load_airline


@pytest.fixture(scope="module")
def series():
    return load_airline()


@pytest.fixture(scope="module")
def y(series):
    return series.to_numpy(dtype=float)


def test_sklearn_scaler_leak_on_airline(y):
    """The quirk the chapter teaches, with the tutorial's own tool: fitted on all months, the test months fit in."""
    from sklearn.preprocessing import MinMaxScaler

    everything = MinMaxScaler().fit(y.reshape(-1, 1))
    train_only = MinMaxScaler().fit(y[:96].reshape(-1, 1))
    assert everything.data_max_[0] == 622 and train_only.data_max_[0] == 413
    assert everything.transform(y[96:].reshape(-1, 1)).max() == 1.0
    assert train_only.transform(y[96:].reshape(-1, 1)).max() > 1.4
    assert not hasattr(forecast, "MinMaxScaler")


def test_rmse():
    assert forecast.rmse([0.0, 0.0], [3.0, 4.0]) == pytest.approx(np.sqrt(12.5))
    assert forecast.rmse([1.0, 2.0], [1.0, 2.0]) == 0.0
    with pytest.raises(ValueError, match="same length"):
        forecast.rmse([1.0, 2.0], [1.0])
    with pytest.raises(ValueError, match="empty"):
        forecast.rmse([], [])


def test_make_windows_and_article_quirk():
    X, t = forecast.make_windows(np.arange(6.0), look_back=2)
    np.testing.assert_array_equal(X, [[0, 1], [1, 2], [2, 3], [3, 4]])
    np.testing.assert_array_equal(t, [2, 3, 4, 5])
    X, t = forecast.make_windows(np.arange(6.0), look_back=2, drop_last=True)
    np.testing.assert_array_equal(t, [2, 3, 4])
    X, t = forecast.make_windows(np.arange(96.0), look_back=1, drop_last=True)
    assert len(t) == 94
    np.testing.assert_array_equal(forecast.target_months(96, 46), np.arange(97, 143))
    with pytest.raises(ValueError, match="look_back"):
        forecast.make_windows(np.arange(6.0), look_back=0)
    with pytest.raises(ValueError, match="longer"):
        forecast.make_windows(np.arange(3.0), look_back=2, drop_last=True)
    with pytest.raises(ValueError, match="one-dimensional"):
        forecast.make_windows(np.zeros((3, 2)))
    with pytest.raises(ValueError, match="count"):
        forecast.target_months(0, -1)


def test_windows_before():
    values = np.arange(10.0)
    np.testing.assert_array_equal(forecast.windows_before(values, np.array([3, 9]), 3), [[0, 1, 2], [6, 7, 8]])
    with pytest.raises(ValueError, match="targets"):
        forecast.windows_before(values, np.array([2]), 3)
    with pytest.raises(ValueError, match="targets"):
        forecast.windows_before(values, np.array([10]), 3)
    with pytest.raises(ValueError, match="finite"):
        forecast.windows_before(np.r_[np.nan, values], np.array([2]), 2)


def test_baselines_match_reference_numbers(y):
    t = np.arange(97, 143)
    assert forecast.rmse(y[t], forecast.persistence_forecast(y, t)) == pytest.approx(48.66, abs=0.01)
    assert forecast.rmse(y[t], forecast.seasonal_naive_forecast(y, t)) == pytest.approx(42.32, abs=0.01)
    assert forecast.rmse(y[t], forecast.seasonal_trend_forecast(y, t)) == pytest.approx(15.69, abs=0.01)


def test_baselines_bad_inputs(y):
    with pytest.raises(ValueError, match="targets"):
        forecast.seasonal_naive_forecast(y, np.array([5]))
    with pytest.raises(ValueError, match="targets"):
        forecast.persistence_forecast(y, np.array([1.5]))
    with pytest.raises(ValueError, match="season"):
        forecast.seasonal_trend_forecast(y, np.array([20]), season=0)


def test_double_difference_round_trip(y):
    z = np.log(y)
    w = forecast.double_difference(z)
    assert len(w) == len(z) - 13
    t = np.arange(13, len(z))
    np.testing.assert_allclose(forecast.undo_double_difference(w, z, t), z[t])
    zero = np.exp(forecast.undo_double_difference(np.zeros(3), y * 0 + np.log(y), np.array([20, 21, 22])))
    assert zero.shape == (3,)
    with pytest.raises(ValueError, match="longer"):
        forecast.double_difference(np.arange(13.0))
    with pytest.raises(ValueError, match="one value per target"):
        forecast.undo_double_difference(np.zeros(2), z, np.array([20, 21, 22]))


def test_recursive_forecast():
    out = forecast.recursive_forecast(lambda known: known[-1] + 1, [1.0, 2.0], 3)
    np.testing.assert_array_equal(out, [3.0, 4.0, 5.0])
    with pytest.raises(ValueError, match="steps"):
        forecast.recursive_forecast(lambda known: 0.0, [1.0], 0)


@pytest.mark.slow  # trains or renders for seconds: in the full run only
def test_models_build_and_train_briefly():
    import keras

    keras.utils.set_random_seed(0)
    X = np.random.default_rng(0).random((8, 3))
    single = forecast.make_lstm(look_back=3, units=2)
    single.fit(forecast.make_dataset(X, X[:, -1], batch_size=4), epochs=1, verbose=0, shuffle=False)
    assert single(X[..., None]).shape == (8, 1)
    with pytest.raises(ValueError, match="units"):
        forecast.make_lstm(units=0)
    with pytest.raises(ValueError, match="lr"):
        forecast.make_lstm(3, lr=0)
    with pytest.raises(ValueError, match="X must be"):
        forecast.make_dataset(X, X[:5, 0])


@pytest.mark.slow  # trains or renders for seconds: in the full run only
def test_fit_lstm_is_seeded():
    X = np.random.default_rng(0).random((8, 3))
    first = forecast.fit_lstm(X, X[:, -1], seed=3, units=2, epochs=2, batch_size=4)
    again = forecast.fit_lstm(X, X[:, -1], seed=3, units=2, epochs=2, batch_size=4)
    other = forecast.fit_lstm(X, X[:, -1], seed=4, units=2, epochs=2, batch_size=4)
    np.testing.assert_allclose(forecast.predict_lstm(first, X), forecast.predict_lstm(again, X), atol=1e-6)
    assert not np.allclose(forecast.predict_lstm(first, X), forecast.predict_lstm(other, X))
    assert forecast.predict_lstm(first, X).shape == (8,)
    with pytest.raises(ValueError, match="one target per row"):
        forecast.fit_lstm(X, X[:5, 0], seed=1)
    with pytest.raises(ValueError, match="epochs"):
        forecast.fit_lstm(X, X[:, 0], seed=1, epochs=0)


def test_log_double_difference_and_forecast_from_w(y):
    z, w = forecast.log_double_difference(y)
    assert np.isnan(w[:13]).all() and np.isfinite(w[13:]).all()
    np.testing.assert_allclose(w[13:], forecast.double_difference(np.log(y)))
    t = np.arange(97, 143)
    # A model that always forecasts w = 0 is the seasonal + trend rule on logarithms, scaled or not.
    zero = forecast.forecast_from_w(lambda X: np.zeros(len(X)), None, y, t, 3)
    np.testing.assert_allclose(zero, np.exp(forecast.seasonal_trend_forecast(z, t)))
    from sklearn.preprocessing import MinMaxScaler

    scaler = MinMaxScaler().fit(w[13:96, None])
    zero_scaled = scaler.transform([[0.0]])[0, 0]
    scaled = forecast.forecast_from_w(lambda X: np.full(len(X), zero_scaled), scaler, y, t, 13)
    np.testing.assert_allclose(scaled, zero)
    # The perfect model of w gives back the data.
    perfect = forecast.forecast_from_w(lambda X: w[t], None, y, t, 1)
    np.testing.assert_allclose(perfect, y[t])
    with pytest.raises(ValueError, match="positive"):
        forecast.log_double_difference(np.r_[0.0, y])


def test_plots_smoke(series, y):
    test_t = np.arange(97, 143)
    ax = forecast.plot_article_forecast(series, np.arange(1, 95), y[1:95], test_t, y[test_t])
    assert ax.get_xlabel().startswith("month")
    plt.close(ax.figure)
    ax = forecast.plot_forecasts(series, test_t, {"persistence": y[test_t - 1], "LSTM (x)": y[test_t]})
    assert len(ax.get_lines()) == 3
    plt.close(ax.figure)


def test_plots_bad_inputs(series, y):
    plt.close("all")
    test_t = np.arange(97, 143)
    with pytest.raises(ValueError, match="pandas Series"):
        forecast.plot_forecasts(y, test_t, {"a": y[test_t]})
    with pytest.raises(ValueError, match="non-empty dict"):
        forecast.plot_forecasts(series, test_t, {})
    with pytest.raises(ValueError, match="one value per position"):
        forecast.plot_article_forecast(series, test_t, y[:3], test_t, y[test_t])
    assert not plt.get_fignums(), "a refused call left a figure behind: check the inputs before drawing"


def test_plot_forecasts_colours_distinct(series, y):
    test_t = np.arange(97, 143)
    names = ["persistence", "seasonal naive", "seasonal + trend", "LSTM (article)", "LSTM (log)"]
    ax = forecast.plot_forecasts(series, test_t, {name: y[test_t] for name in names})
    colours = [line.get_color() for line in ax.get_lines()]
    assert len(set(colours)) == len(names) + 1
    plt.close(ax.figure)
