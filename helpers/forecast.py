"""Forecasting the airline passengers: windows, baselines, transforms, LSTMs and plots.

Scaling is scikit-learn's ``MinMaxScaler`` (the original tutorial's own tool); this module holds what
scikit-learn and statsmodels do not: the tutorial's windowing, quirk included, the one-line baselines,
the double difference and its inverse, and a seeded LSTM training run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from scipy import stats

from helpers import style
from helpers.checks import check_int

SEASON = 12
FORECAST_COLOURS = {
    "data": style.INK_SOFT,
    "train": style.BLUE,
    "test": style.RED,
    "persistence": style.BLUE,
    "seasonal naive": style.YELLOW,
    "seasonal + trend": style.GREEN,
    "LSTM (article": style.RED,
    "LSTM": style.PURPLE,
}


def _as_1d(values, name: str = "values") -> np.ndarray:
    arr = np.asarray(values, dtype=float)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional; got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty; got 0 values")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite; got NaN or infinity")
    return arr


def rmse(y_true, y_pred) -> float:
    """Return the root mean squared error between two equally long sequences."""
    a, b = _as_1d(np.ravel(y_true), "y_true"), _as_1d(np.ravel(y_pred), "y_pred")
    if a.shape != b.shape:
        raise ValueError(f"y_true and y_pred must have the same length; got {a.size} and {b.size}")
    return float(np.sqrt(np.mean((a - b) ** 2)))


def make_windows(values, look_back: int = 1, drop_last: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Cut a series into (previous ``look_back`` values, next value) pairs.

    ``drop_last=True`` reproduces the original tutorial, whose loop stops one window early and so
    never uses the last value of the series as a target.

    Returns
    -------
    X : array of shape (n, look_back); y : array of shape (n,).
    """
    arr = _as_1d(values)
    look_back = check_int("look_back", look_back, 1)
    n = len(arr) - look_back - int(bool(drop_last))
    if n < 1:
        raise ValueError(f"values must be longer than look_back + {int(bool(drop_last))}; got {len(arr)} values")
    X = np.stack([arr[i : i + look_back] for i in range(n)])
    return X, arr[look_back : look_back + n].copy()


def windows_before(values, targets, look_back: int) -> np.ndarray:
    """Return, for each target position t, the ``look_back`` values just before it.

    Unlike :func:`make_windows` the windows may reach back across the train/test boundary: the first
    test month is forecast from the last training months, as it would be in practice.
    """
    arr = np.asarray(values, dtype=float)
    if arr.ndim != 1:
        raise ValueError(f"values must be one-dimensional; got shape {arr.shape}")
    look_back = check_int("look_back", look_back, 1)
    t = _check_targets(arr, targets, look_back)
    window = arr[np.asarray(t)[:, None] + np.arange(-look_back, 0)]
    if not np.all(np.isfinite(window)):
        raise ValueError("values must be finite inside every window; got NaN or infinity")
    return window


def make_dataset(X, y, batch_size: int = 1, seed: int = 7):
    """Return a tf.data pipeline that reshuffles (X, y) every epoch, in batches of ``batch_size``.

    Keras does the same with NumPy arrays, but rebuilding its pipeline each epoch costs more than an
    epoch of these tiny models.
    """
    import tensorflow as tf

    X = np.asarray(X, dtype="float32")
    y = np.asarray(y, dtype="float32")
    if X.ndim == 2:
        X = X[..., None]
    if X.ndim != 3 or len(X) != len(y) or len(y) == 0:
        raise ValueError(f"X must be (n, look_back[, 1]) and y have n rows; got X {X.shape} and y {y.shape}")
    batch_size = check_int("batch_size", batch_size, 1)
    return tf.data.Dataset.from_tensor_slices((X, y)).shuffle(len(y), seed=seed).batch(batch_size)


def target_months(start: int, count: int, look_back: int = 1) -> np.ndarray:
    """Return the positions in the full series of the targets of :func:`make_windows`."""
    start, count = check_int("start", start, 0), check_int("count", count, 0)
    return np.arange(start + check_int("look_back", look_back, 1), start + look_back + count)


def _check_targets(values: np.ndarray, targets, lag: int) -> np.ndarray:
    t = np.asarray(targets)
    if t.ndim != 1 or t.size == 0 or not np.issubdtype(t.dtype, np.integer):
        raise ValueError(f"targets must be a non-empty 1-D array of integer positions; got {t!r}")
    if t.min() < lag or t.max() >= len(values):
        raise ValueError(f"targets must lie in [{lag}, {len(values) - 1}]; got {t.min()}..{t.max()}")
    return t


def persistence_forecast(values, targets) -> np.ndarray:
    """Forecast each target month by the month before: y(t-1)."""
    y = _as_1d(values)
    t = _check_targets(y, targets, 1)
    return y[t - 1]


def seasonal_naive_forecast(values, targets, season: int = SEASON) -> np.ndarray:
    """Forecast each target month by the same month a year before: y(t-12)."""
    y = _as_1d(values)
    season = check_int("season", season, 1)
    t = _check_targets(y, targets, season)
    return y[t - season]


def seasonal_trend_forecast(values, targets, season: int = SEASON) -> np.ndarray:
    """Forecast y(t-12) + y(t-1) - y(t-13): last year's month plus this year's change."""
    y = _as_1d(values)
    season = check_int("season", season, 1)
    t = _check_targets(y, targets, season + 1)
    return y[t - season] + y[t - 1] - y[t - season - 1]


def double_difference(values, season: int = SEASON) -> np.ndarray:
    """Return w(t) = v(t) - v(t-1) - v(t-12) + v(t-13), for t from 13 on.

    On the log of the passengers this removes the trend (first difference) and the yearly pattern
    (seasonal difference); ``w[i]`` belongs to month ``i + season + 1``.
    """
    v = _as_1d(values)
    season = check_int("season", season, 1)
    if len(v) <= season + 1:
        raise ValueError(f"values must be longer than season + 1 = {season + 1}; got {len(v)} values")
    t = np.arange(season + 1, len(v))
    return v[t] - v[t - 1] - v[t - season] + v[t - season - 1]


def undo_double_difference(w, values, targets, season: int = SEASON) -> np.ndarray:
    """Turn forecasts ``w`` of the double difference back into forecasts of ``values``."""
    v = _as_1d(values)
    t = _check_targets(v, targets, check_int("season", season, 1) + 1)
    w = _as_1d(np.ravel(w), "w")
    if w.shape != t.shape:
        raise ValueError(f"w must have one value per target; got {w.size} values for {t.size} targets")
    return w + v[t - 1] + v[t - season] - v[t - season - 1]


def make_lstm(look_back: int = 1, units: int = 4, lr: float = 0.001, steps_per_execution: int = 1):
    """Build and compile LSTM(units) + Dense(1) for windows of ``look_back`` months, Adam and MSE.

    The LSTM is unrolled and ``steps_per_execution`` batches run per call: the same arithmetic as the
    plain layer, several times faster for these tiny batches.
    """
    import keras

    look_back = check_int("look_back", look_back, 1)
    units = check_int("units", units, 1)
    steps_per_execution = check_int("steps_per_execution", steps_per_execution, 1)
    if not lr > 0:
        raise ValueError(f"lr must be positive; got {lr!r}")
    model = keras.Sequential(
        [keras.Input((look_back, 1)), keras.layers.LSTM(units, unroll=True), keras.layers.Dense(1)]
    )
    model.compile(
        loss="mean_squared_error",
        optimizer=keras.optimizers.Adam(learning_rate=lr),
        steps_per_execution=steps_per_execution,
    )
    return model


def fit_lstm(
    X,
    targets,
    *,
    seed: int,
    units: int = 4,
    lr: float = 0.001,
    epochs: int = 100,
    batch_size: int = 1,
    callbacks: Sequence = (),
):
    """Seed everything with ``seed``, then train LSTM(units) + Dense(1) on (X, targets) with Adam and MSE.

    Batches of ``batch_size`` pairs, reshuffled every epoch; one call runs a whole epoch. Returns the model.
    """
    import keras

    X = np.asarray(X, dtype="float32")
    if X.ndim != 2 or len(X) != len(np.ravel(targets)):
        raise ValueError(
            f"X must be (n, look_back) with one target per row; got X {X.shape}, {len(np.ravel(targets))} targets"
        )
    seed, epochs = check_int("seed", seed, 0), check_int("epochs", epochs, 1)
    batch_size = check_int("batch_size", batch_size, 1)
    keras.utils.set_random_seed(seed)
    model = make_lstm(X.shape[1], units=units, lr=lr, steps_per_execution=-(-len(X) // batch_size))
    model.fit(
        make_dataset(X, targets, batch_size=batch_size, seed=seed),
        epochs=epochs,
        verbose=0,
        shuffle=False,
        callbacks=list(callbacks),
    )
    return model


def predict_lstm(model, X) -> np.ndarray:
    """Return the model's one-value forecasts for the windows ``X`` of shape (n, look_back)."""
    X = np.asarray(X, dtype="float32")
    return model(X[..., None], training=False).numpy()[:, 0].astype(float)


def log_double_difference(y) -> tuple[np.ndarray, np.ndarray]:
    """Return z = log(y) and w, its double difference, padded with NaN for the first 13 months."""
    y = _as_1d(y, "y")
    if np.any(y <= 0):
        raise ValueError("y must be positive to take logarithms; got a value <= 0")
    z = np.log(y)
    w = np.full(len(z), np.nan)
    w[SEASON + 1 :] = double_difference(z)
    return z, w


def forecast_from_w(predict_w: Callable[[np.ndarray], np.ndarray], scaler, y, months, look_back: int):
    """One-month-ahead forecasts of ``y`` for ``months`` by a model of the (scaled) double difference w.

    ``predict_w`` maps windows (n, look_back) of w to forecasts of w; ``scaler`` is the fitted
    scikit-learn scaler of w, or None for a model of w itself. The forecasts of w are turned back
    into passengers with the actual past months.
    """
    z, w = log_double_difference(y)
    scaled = w if scaler is None else scaler.transform(w[:, None])[:, 0]
    months = np.asarray(months)
    w_hat = np.reshape(predict_w(windows_before(scaled, months, look_back)), (-1, 1))
    if scaler is not None:
        w_hat = scaler.inverse_transform(w_hat)
    return np.exp(undo_double_difference(w_hat[:, 0], z, months))


# >>> exported from notebooks/07_airline.ipynb by `python -m booktools sync`: edit the page, not these lines
def diebold_mariano(errors_a, errors_b):
    """Test equal MSE of two one-step forecasts (Diebold-Mariano, HLN).

    Returns the statistic and its two-sided p-value (positive: a is worse).
    """
    d = np.asarray(errors_a) ** 2 - np.asarray(errors_b) ** 2
    n = len(d)
    statistic = d.mean() / np.sqrt(d.var() / n) * np.sqrt((n - 1) / n)
    p_value = 2 * stats.t.sf(abs(statistic), df=n - 1)
    return statistic, p_value
# <<< end of the code exported from notebooks/07_airline.ipynb


def recursive_forecast(predict_next: Callable[[np.ndarray], float], history, steps: int) -> np.ndarray:
    """Forecast ``steps`` values ahead, feeding each forecast back in as if it were data.

    ``predict_next`` maps everything known so far (data, then data plus forecasts) to the next value.
    """
    known = list(_as_1d(history, "history"))
    steps = check_int("steps", steps, 1)
    out = []
    for _ in range(steps):
        nxt = float(predict_next(np.asarray(known)))
        out.append(nxt)
        known.append(nxt)
    return np.asarray(out)


def _month_axis(ax, months: Sequence, x0: int = 0, ylabel: str = "passengers (thousands)"):
    ax.set_xlabel("month (ticks at January)")
    ax.set_ylabel(ylabel)
    labels = [str(m) for m in months]
    ticks = [i for i, m in enumerate(labels) if m.endswith("-01")] or list(range(len(labels)))
    step = max(1, -(-len(ticks) // 7))
    ax.set_xticks([x0 + i for i in ticks[::step]])
    ax.set_xticklabels([labels[i][:4] if labels[i].endswith("-01") else labels[i] for i in ticks[::step]])
    return ax


def _check_series(series):
    if not hasattr(series, "index") or not hasattr(series, "to_numpy"):
        raise ValueError(f"series must be a pandas Series indexed by month; got {type(series).__name__}")
    return series.to_numpy(dtype=float)


def _check_positions(y: np.ndarray, positions, preds, name: str) -> tuple[np.ndarray, np.ndarray]:
    p, v = np.asarray(positions), _as_1d(np.ravel(preds), name)
    if p.shape != v.shape or p.min() < 0 or p.max() >= len(y):
        raise ValueError(f"{name} must have one value per position inside the series; got {v.size} for {p.size}")
    return p, v


def plot_article_forecast(series, train_positions, train_pred, test_positions, test_pred, ax=None, title=None):
    """Draw the series with the train and test predictions, as in the original tutorial."""
    import matplotlib.pyplot as plt

    y = _check_series(series)
    tp, tv = _check_positions(y, train_positions, train_pred, "train_pred")
    sp, sv = _check_positions(y, test_positions, test_pred, "test_pred")
    ax = ax if ax is not None else plt.subplots()[1]
    ax.plot(np.arange(len(y)), y, color=FORECAST_COLOURS["data"], lw=1.5, label="data")
    ax.plot(tp, tv, color=FORECAST_COLOURS["train"], lw=1.5, label="train predictions")
    ax.plot(sp, sv, color=FORECAST_COLOURS["test"], lw=1.5, label="test predictions")
    ax.axvline(sp.min() - 0.5, color=style.GREY, ls=":", lw=1)
    ax.set_title(title or "Airline passengers and the LSTM's one-month-ahead predictions")
    ax.legend(loc="upper left")
    return _month_axis(ax, series.index)


def plot_forecasts(series, positions, forecasts: dict, ax=None, title=None, first: int | None = None):
    """Draw the data and several forecasts of the same months; the last forecast is drawn solid."""
    import matplotlib.pyplot as plt

    y = _check_series(series)
    if not isinstance(forecasts, dict) or not forecasts:
        raise ValueError(f"forecasts must be a non-empty dict name -> values; got {forecasts!r}")
    p = np.asarray(positions)
    first = int(p.min()) - 12 if first is None else check_int("first", first, 0)
    ax = ax if ax is not None else plt.subplots()[1]
    span = np.arange(max(first, 0), len(y))
    ax.plot(span, y[span], color=FORECAST_COLOURS["data"], lw=2.2, label="data")
    dashes = [(4, 2), (1, 1.5), (6, 2, 1, 2), (2, 2)]
    for k, (name, values) in enumerate(forecasts.items()):
        pos, vals = _check_positions(y, p, values, f"forecast {name!r}")
        colour = next((c for key, c in FORECAST_COLOURS.items() if name.startswith(key)), style.CYAN)
        last = k == len(forecasts) - 1
        line = ax.plot(pos, vals, color=colour, lw=2.0 if last else 1.5, label=name)[0]
        if not last:
            line.set_dashes(dashes[k % len(dashes)])
    ax.set_title(title or "Forecasts of the test months")
    ax.legend(loc="upper left", fontsize=9)
    return _month_axis(ax, series.index[span], x0=int(span[0]))
