"""Chapter 7's precomputed LSTM runs: a validation grid, then 10 seeds of every neural row on the test months.

Phase 1, validation. The last 24 training months (January 1955 - December 1956) are held out. For each
look-back window (1, 6, 13), units (4, 16) and learning rate (0.001, 0.005), an LSTM on the scaled double
difference of log passengers is trained on the months before them (batches of 8, seeds 1-3) and scored,
one month ahead, after 100, 200 and 300 epochs. No test month is touched.

Phase 2, test. For each window, the setting with the lowest mean validation RMSE is frozen, retrained on all
96 training months with seeds 1-10 and scored on the article's 46 test months (February 1957 - November 1960),
plus twelve months ahead from the start of each test year (fed back recursively). The article's model and its
three fixed variants get the same 10 seeds.

Every run appends its rows to ``data/airline_sweep.csv`` (columns: see ``helpers.data.RESULTS``); an
interrupted sweep resumes where it stopped, and ``--minutes`` stops starting new runs (``booktools.runner``).
Delete the file to recompute it all.

    nice -n 10 env TF_NUM_INTRAOP_THREADS=1 TF_NUM_INTEROP_THREADS=1 OMP_NUM_THREADS=1 \\
        python scripts/sweep_airline.py            # everything, in one process
    python scripts/sweep_airline.py --part lstm      # or in two processes sharing the file:
    python scripts/sweep_airline.py --part article   # (same environment as above)
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

from booktools.runner import Budget, minutes_argument, run_plan

# TensorFlow, Keras and scikit-learn are imported where they are used, so that --help and a bad argument
# answer at once (and the tests can read the arguments without importing TensorFlow).
from helpers import forecast
from helpers.data import RESULTS, load_airline, load_results

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
OUT = RESULTS["airline_sweep"]  # the file helpers.data reads
TRAIN_SIZE = 96  # int(144 * 0.67), the article's split
VAL_START = 72  # the last 24 training months are the validation months
TEST_MONTHS = np.arange(97, 143)  # the article's 46 test targets
ORIGINS = (96, 108, 120, 132)  # forecast each test year from the December before
WINDOWS = (1, 6, 13)
GRID_UNITS = (4, 16)
GRID_LR = (0.001, 0.005)
GRID_EPOCHS = (100, 200, 300)
VAL_SEEDS = range(1, 4)
TEST_SEEDS = range(1, 11)
BATCH = 8
ARTICLE_VARIANTS = {  # name: (windows fixed, scaler fitted on the training months only)
    "article": (False, False),
    "article, windows fixed": (True, False),
    "article, scaler on train": (False, True),
    "article, both fixed": (True, True),
}


def fmt(values) -> str:
    return " ".join(f"{v:.3f}" for v in np.ravel(values))


def w_setup(y: np.ndarray, fit_end: int, look_back: int):
    """Scaler of w fitted on months 13..fit_end-1 and the training windows/targets before fit_end."""
    from sklearn.preprocessing import MinMaxScaler

    _, w = forecast.log_double_difference(y)
    scaler = MinMaxScaler().fit(w[13:fit_end, None])
    scaled = scaler.transform(w[:, None])[:, 0]
    train_t = np.arange(13 + look_back, fit_end)
    return scaler, forecast.windows_before(scaled, train_t, look_back), scaled[train_t], train_t


def validation_score(y, scaler, look_back):
    """A Keras callback that records the one-month-ahead validation RMSE (passengers) at the epochs of the grid."""
    import keras

    class ValidationScore(keras.callbacks.Callback):
        def __init__(self, y, scaler, look_back):
            super().__init__()
            self.y, self.scaler, self.look_back, self.scores = y, scaler, look_back, {}

        def on_epoch_end(self, epoch, logs=None):
            if epoch + 1 in GRID_EPOCHS:
                months = np.arange(VAL_START, TRAIN_SIZE)
                pred = forecast.forecast_from_w(
                    lambda X: forecast.predict_lstm(self.model, X), self.scaler, self.y, months, self.look_back)
                self.scores[epoch + 1] = forecast.rmse(self.y[months], pred)

    return ValidationScore(y, scaler, look_back)


def year_ahead(next_value, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Twelve months ahead from each origin, forecasts fed back in; forecasts and RMSE per origin."""
    preds = [forecast.recursive_forecast(next_value, y[:o], 12) for o in ORIGINS]
    scores = [forecast.rmse(y[o : o + 12], p) for o, p in zip(ORIGINS, preds, strict=True)]
    return np.concatenate(preds), np.array(scores)


def run_validation(y, look_back, units, lr, seed) -> list[dict]:
    scaler, X, targets, _ = w_setup(y, VAL_START, look_back)
    score = validation_score(y, scaler, look_back)
    started = time.perf_counter()
    forecast.fit_lstm(X, targets, seed=seed, units=units, lr=lr, epochs=max(GRID_EPOCHS), batch_size=BATCH,
                      callbacks=[score])
    seconds = round(time.perf_counter() - started, 1)
    return [dict(phase="validation", model="LSTM on w", window=look_back, units=units, lr=lr, epochs=e, seed=seed,
                 val_rmse=round(v, 4), seconds=seconds) for e, v in score.scores.items()]


def run_test_w(y, look_back, units, lr, epochs, seed) -> dict:
    scaler, X, targets, train_t = w_setup(y, TRAIN_SIZE, look_back)
    started = time.perf_counter()
    model = forecast.fit_lstm(X, targets, seed=seed, units=units, lr=lr, epochs=epochs, batch_size=BATCH)
    seconds = round(time.perf_counter() - started, 1)

    def predict_w(Xw):
        return forecast.predict_lstm(model, Xw)

    def next_value(known):
        full = np.concatenate([known, [1.0]])  # placeholder for the month to forecast
        return forecast.forecast_from_w(predict_w, scaler, full, [len(known)], look_back)[0]

    train_pred = forecast.forecast_from_w(predict_w, scaler, y, train_t, look_back)
    test_pred = forecast.forecast_from_w(predict_w, scaler, y, TEST_MONTHS, look_back)
    year_pred, year_rmse = year_ahead(next_value, y)
    return dict(phase="test", model="LSTM on w", window=look_back, units=units, lr=lr, epochs=epochs, seed=seed,
                train_rmse=round(forecast.rmse(y[train_t], train_pred), 4),
                test_rmse=round(forecast.rmse(y[TEST_MONTHS], test_pred), 4), year_rmse=fmt(year_rmse),
                test_pred=fmt(test_pred), year_pred=fmt(year_pred), seconds=seconds)


def run_article(y, name, seed) -> dict:
    from sklearn.preprocessing import MinMaxScaler

    fix_windows, fix_scaler = ARTICLE_VARIANTS[name]
    scaler = MinMaxScaler().fit(y[:TRAIN_SIZE, None] if fix_scaler else y[:, None])
    s = scaler.transform(y[:, None])[:, 0]
    train_t = np.arange(1, TRAIN_SIZE) if fix_windows else forecast.target_months(0, TRAIN_SIZE - 2)
    started = time.perf_counter()
    model = forecast.fit_lstm(forecast.windows_before(s, train_t, 1), s[train_t], seed=seed, units=4, lr=0.001,
                              epochs=100, batch_size=1)
    seconds = round(time.perf_counter() - started, 1)

    def one_step(months):
        scaled = forecast.predict_lstm(model, forecast.windows_before(s, months, 1))
        return scaler.inverse_transform(scaled[:, None])[:, 0]

    def next_value(known):
        x = scaler.transform(np.asarray(known[-1:])[:, None]).astype("float32")
        return float(scaler.inverse_transform(forecast.predict_lstm(model, x)[:, None])[0, 0])

    test_pred = one_step(TEST_MONTHS)
    year_pred, year_rmse = year_ahead(next_value, y)
    return dict(phase="test", model=f"LSTM ({name})", window=1, units=4, lr=0.001, epochs=100, seed=seed,
                train_rmse=round(forecast.rmse(y[train_t], one_step(train_t)), 4),
                test_rmse=round(forecast.rmse(y[TEST_MONTHS], test_pred), 4), year_rmse=fmt(year_rmse),
                test_pred=fmt(test_pred), year_pred=fmt(year_pred), seconds=seconds)


def chosen_settings() -> dict[int, tuple[int, float, int]]:
    """Per window, the (units, lr, epochs) with the lowest mean validation RMSE over the seeds."""
    frame = load_results("airline_sweep")
    val = frame[frame.phase == "validation"]
    means = val.groupby(["window", "units", "lr", "epochs"]).val_rmse.mean().reset_index()
    best = means.loc[means.groupby("window").val_rmse.idxmin()]
    return {int(r.window): (int(r.units), float(r.lr), int(r.epochs)) for r in best.itertuples()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--part", choices=["all", "article", "lstm"], default="all",
                        help="article: only the article's model and its variants (they need no validation); "
                             "lstm: only the validation grid and the chosen LSTMs (two processes can share the file)")
    minutes_argument(parser)
    args = parser.parse_args(argv)
    import tensorflow as tf

    tf.config.experimental.enable_op_determinism()
    y = load_airline().to_numpy(dtype=float)
    budget = Budget(args.minutes)
    lstm, article = args.part in ("all", "lstm"), args.part in ("all", "article")
    chosen = {}
    if lstm:
        grid = [dict(phase="validation", model="LSTM on w", window=look_back, units=units, lr=lr, seed=seed)
                for seed in VAL_SEEDS for look_back in WINDOWS for units in GRID_UNITS for lr in GRID_LR]

        def describe_validation(run: dict, rows: list[dict]) -> str:
            scores = ", ".join(f"{r['epochs']}: {r['val_rmse']:.2f}" for r in rows)
            return (f"validation w={run['window']} units={run['units']} lr={run['lr']} seed={run['seed']}: {scores} "
                    f"({rows[0]['seconds']} s)")

        def validation_run(run: dict) -> list[dict]:
            return run_validation(y, run["window"], run["units"], run["lr"], run["seed"])

        if not run_plan(grid, OUT, validation_run, budget, describe_validation):
            return 0  # the test runs need every validation score
        chosen = chosen_settings()
        print("chosen on validation (units, lr, epochs):", chosen, flush=True)
    tests = []
    for seed in TEST_SEEDS:
        if article:
            tests += [dict(phase="test", model=f"LSTM ({name})", window=1, units=4, lr=0.001, seed=seed, name=name)
                      for name in ARTICLE_VARIANTS]
        tests += [dict(phase="test", model="LSTM on w", window=look_back, units=units, lr=lr, epochs=epochs, seed=seed)
                  for look_back, (units, lr, epochs) in chosen.items()]

    def test_run(run: dict) -> dict:
        if "name" in run:
            return run_article(y, run["name"], run["seed"])
        return run_test_w(y, run["window"], run["units"], run["lr"], run["epochs"], run["seed"])

    def describe_test(run: dict, rows: list[dict]) -> str:
        where = "" if "name" in run else f"={run['window']}"
        return f"test {rows[0]['model']}{where} seed={run['seed']}: {rows[0]['test_rmse']:.2f} ({rows[0]['seconds']} s)"

    run_plan(tests, OUT, test_run, budget, describe_test)
    print(f"total time {budget.seconds():.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
