"""Chapter 6's MNIST experiments on several seeds, one CSV row per finished run (data/mnist_sweep.csv).

    python scripts/sweep_mnist.py                       # every experiment, in order of value
    python scripts/sweep_mnist.py --only article matched --minutes 50
    python scripts/sweep_mnist.py --list                # what is done and what remains
    python scripts/sweep_mnist.py --only matched --models "GRU(36)"   # split the work between processes

Experiments (the validation split is the last 10,000 training images; the test set is scored once per
finished model):

- ``article``: the article's exact set-up, LSTM(30), rmsprop, batch 128, 10 epochs on all 60,000 training
  images (the test set as ``validation_data``, as in the article), seeds 1-5; and, at the same budget, the
  other two cells at LSTM(30)'s parameter count, SimpleRNN(69) and GRU(36), seeds 1-3.
- ``converged``: the same model on the 50,000 remaining images, early stopping on validation loss
  (patience 3, at most 30 epochs, best weights restored); validation and test accuracy are also recorded
  after epoch 10, the article's budget.
- ``baselines``: softmax regression (scikit-learn, C chosen on validation), an MLP and a small CNN of
  about 7,000 parameters (rmsprop, batch 128, early stopping as above), three seeds each.
- ``matched``: SimpleRNN(69) and GRU(36), about the parameter count of LSTM(30), trained exactly like
  ``converged``, five seeds each (seeds 4 and 5 were added last, when three seeds left the SimpleRNN's
  spread too wide to compare).
- ``ablation``: a smaller ConvBiLSTM (16 filters, 32 units per direction, Adam with cosine decay, 8 epochs)
  and its parts: convolution only, BiLSTM only, convolution + one-directional LSTM; two seeds each, and a
  third for the comparison the chapter tests (convolution only against the whole model).

Rows already in the CSV are skipped, so an interrupted sweep resumes where it stopped (a run cut short is
redone; ``booktools.runner``). Run it under ``nice`` with one thread; it prints each run and the total time.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402  (after the log level)
import numpy as np  # noqa: E402

from booktools.runner import Budget, done, key_of, minutes_argument, round_floats, run_plan  # noqa: E402
from helpers import mnist  # noqa: E402
from helpers.data import RESULTS, load_mnist  # noqa: E402

OUT = RESULTS["mnist_sweep"]  # the file helpers.data reads
BATCH, PATIENCE, MAX_EPOCHS, ABLATION_EPOCHS = 128, 3, 30, 8


def plan() -> list[tuple[str, str, int]]:
    """Return every (experiment, model, seed) run, in the order they are run."""
    runs = [("article", "LSTM(30)", s) for s in range(1, 6)]
    runs += [("article", model, s) for model in ("SimpleRNN(69)", "GRU(36)") for s in range(1, 4)]
    runs += [("converged", "LSTM(30)", s) for s in range(1, 4)]
    runs += [("baselines", f"softmax C={c}", 0) for c in (0.01, 0.1, 1.0)]
    runs += [("baselines", "MLP", s) for s in range(1, 4)]
    runs += [("matched", "SimpleRNN(69)", s) for s in range(1, 4)]
    runs += [("baselines", "CNN", s) for s in range(1, 4)]
    runs += [("matched", "GRU(36)", s) for s in range(1, 4)]
    runs += [("converged", "LSTM(30)", s) for s in range(4, 6)]
    runs += [("ablation", v, s) for s in (1, 2) for v in mnist.ABLATION_VARIANTS]
    runs += [("matched", model, s) for model in ("SimpleRNN(69)", "GRU(36)") for s in (4, 5)]
    runs += [("ablation", v, 3) for v in ("conv only", "conv + BiLSTM")]  # the comparison the chapter tests
    return runs


class AtEpoch(keras.callbacks.Callback):
    """Record validation and test accuracy after a given epoch (the article's budget of 10)."""

    def __init__(self, epoch: int, val, test):
        super().__init__()
        self.epoch, self.val, self.test = epoch, val, test
        self.val_accuracy = self.test_accuracy = math.nan

    def on_epoch_end(self, epoch, logs=None):
        if epoch + 1 == self.epoch:
            self.val_accuracy = self.model.evaluate(*self.val, batch_size=1000, verbose=0)[1]
            self.test_accuracy = self.model.evaluate(*self.test, batch_size=1000, verbose=0)[1]


def build(experiment: str, model: str, steps: int):
    """Build the compiled Keras model of a run."""
    if experiment == "ablation":
        return mnist.make_ablation_model(model, steps=steps)
    if experiment == "baselines":
        return mnist.make_baseline(model)
    kind, units = model.rstrip(")").split("(")
    return mnist.make_recurrent_model(kind, int(units))


def run_softmax(c: float, data: dict) -> dict:
    """Fit a softmax regression on the raw pixels (the chapter reports the test score of the C best on validation)."""
    from sklearn.linear_model import LogisticRegression

    flat = {k: (x.reshape(len(x), -1), y) for k, (x, y) in data.items()}
    fitted = LogisticRegression(C=c, max_iter=300).fit(*flat["fit"])
    row = {"params": fitted.coef_.size + fitted.intercept_.size, "epochs_run": fitted.n_iter_[0]}
    row["train_accuracy"] = fitted.score(*flat["fit"])
    row["val_accuracy"] = fitted.score(*flat["val"])
    row["test_accuracy"] = fitted.score(*flat["test"])
    return row


def run_keras(experiment: str, model_name: str, seed: int, data: dict) -> dict:
    """Train one Keras model as its experiment says; return its CSV row."""
    article = experiment == "article"  # all 60,000 images, test as monitor
    x_fit, y_fit = data["full"] if article else data["fit"]
    epochs = 10 if article else MAX_EPOCHS
    if experiment == "ablation":
        epochs = ABLATION_EPOCHS
    keras.utils.set_random_seed(seed)
    steps = epochs * -(-len(x_fit) // BATCH)  # for a decaying learning rate
    model = build(experiment, model_name, steps=steps)
    monitor = data["test"] if article else data["val"]
    stops_early = experiment in ("converged", "baselines", "matched")
    callbacks = []
    if stops_early:
        stop = keras.callbacks.EarlyStopping(
            monitor="val_loss", patience=PATIENCE, restore_best_weights=True
        )
        callbacks.append(stop)
    at10 = AtEpoch(10, data["val"], data["test"])
    if not article:
        callbacks.append(at10)
    history = model.fit(
        x_fit, y_fit, batch_size=BATCH, epochs=epochs, shuffle=True,
        validation_data=monitor, verbose=0, callbacks=callbacks,
    ).history  # fmt: skip
    run = len(history["loss"])
    best = int(np.argmin(history["val_loss"])) + 1 if stops_early else run
    row = {"params": model.count_params(), "epochs_run": run}
    row["best_epoch"] = best
    row["train_accuracy"] = history["accuracy"][best - 1]
    test = model.evaluate(*data["test"], batch_size=1000, verbose=0)
    row["test_accuracy"] = test[1]
    if not article:
        val = model.evaluate(*data["val"], batch_size=1000, verbose=0)
        row["val_accuracy"] = val[1]
        row["val_accuracy_10"] = at10.val_accuracy
        row["test_accuracy_10"] = at10.test_accuracy
    return row


def load_data() -> dict:
    """Return the full training set, the fit/validation split and the test set, as (sequences, one-hot)."""
    (x_train, y_train), (x_test, y_test) = load_mnist()
    x_train, x_test = mnist.to_sequences(x_train), mnist.to_sequences(x_test)
    one_hot = keras.utils.to_categorical
    fit, val = mnist.split_validation(x_train, y_train)
    data = {"full": (x_train, one_hot(y_train, 10)), "test": (x_test, one_hot(y_test, 10))}
    data["fit"], data["val"] = (fit[0], one_hot(fit[1], 10)), (val[0], one_hot(val[1], 10))
    data["labels"] = {"fit": fit, "val": val, "test": (x_test, y_test)}
    return data


def main(argv: list[str] | None = None) -> int:
    """Run the runs that are not yet in the CSV, within the time budget."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    experiments = sorted({e for e, _, _ in plan()})
    parser.add_argument("--only", nargs="+", choices=experiments, help="run only these experiments")
    minutes_argument(parser, default=55)
    parser.add_argument("--models", nargs="+", help="run only these models, e.g. 'GRU(36)' (to split the work)")
    parser.add_argument("--seeds", nargs="+", type=int, help="run only these seeds (to split the work)")
    parser.add_argument("--list", action="store_true", help="print what is done and what remains, run nothing")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.models or ()) - {m for _, m, _ in plan()})
    if unknown:
        parser.error(f"unknown --models {unknown}; choose among {sorted({m for _, m, _ in plan()})}")
    runs = [
        dict(experiment=e, model=m, seed=s) for e, m, s in plan()
        if (not args.only or e in args.only) and (not args.models or m in args.models)
        and (not args.seeds or s in args.seeds)
    ]  # fmt: skip
    if args.list:
        finished = done(OUT)
        todo = [r for r in runs if key_of(OUT, r) not in finished]
        print(f"{len(finished)} runs done, {len(todo)} to do:")
        for r in todo:
            print("  ", *r.values())
        return 0
    data = load_data()

    def work(run: dict) -> dict:
        experiment, model_name, seed = run["experiment"], run["model"], run["seed"]
        t = time.perf_counter()
        if model_name.startswith("softmax"):
            row = run_softmax(float(model_name.split("=")[1]), data["labels"])
            train_images = len(data["fit"][0])
        else:
            row = run_keras(experiment, model_name, seed, data)
            train_images = len(data["full" if experiment == "article" else "fit"][0])
        max_epochs = 10 if experiment == "article" else ABLATION_EPOCHS if experiment == "ablation" else MAX_EPOCHS
        row.update(experiment=experiment, model=model_name, seed=seed, train_images=train_images,
                   max_epochs=max_epochs, seconds=time.perf_counter() - t)  # fmt: skip
        return round_floats(row)

    def describe(run: dict, rows: list[dict]) -> str:
        row = rows[0]
        return (f"{row['experiment']:<10} {row['model']:<16} seed {row['seed']}: "
                f"val {row.get('val_accuracy', math.nan):.4f} test {row['test_accuracy']:.4f}  "
                f"{row['epochs_run']} epochs  {row['seconds']:.0f} s")

    budget = Budget(args.minutes)
    run_plan(runs, OUT, work, budget, describe)
    print(f"total {budget.seconds():.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
