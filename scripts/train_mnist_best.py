"""Choose, train and ship chapter 6's stronger MNIST model (a convolution + bidirectional LSTM).

    python scripts/train_mnist_best.py --grid                  # 1. choose settings on validation (a subset)
    python scripts/train_mnist_best.py --seeds 1 2             # 2. train them on 50,000 images, watch validation
    python scripts/train_mnist_best.py --seeds 1 2 --refit     # 3. retrain on all 60,000; seed 1 is shipped
    python scripts/train_mnist_best.py --probe                 # one short epoch on 6,000 images, saves nothing

The test set is held out throughout: every choice is made on the validation split (the last 10,000 training
images, ``helpers.mnist.split_validation``), and the test set is scored once per finished model.

1. ``--grid`` tries every setting of ``helpers.mnist.GRID`` (filters and LSTM units: 16/32 or 32/64; Adam's
   learning rate 1e-3, 2e-3 or 4e-3), each for 4 epochs on the first 20,000 images (a subset, so that the
   grid takes minutes, not hours), seed 1, and appends its validation accuracy to ``data/mnist_best_grid.csv``.
   The best on validation goes into ``helpers.mnist.BEST_SETTINGS`` by hand; a test checks it is the best.
2. ``--seeds`` trains ``helpers.mnist.make_best_model`` (``BEST_SETTINGS``) for 12 epochs on the first 50,000
   images, batch 128, the learning rate decaying along a cosine to 1% over all steps, dropout 0.25; it appends
   one row per seed to ``data/mnist_best_seeds.csv`` (validation accuracy after every epoch, which shows
   whether 12 epochs are enough, and test accuracy at the end).
3. ``--seeds ... --refit`` trains the same model, for the same 12 epochs, on all 60,000 training images (the
   usual last step once everything is chosen: nothing is left to choose, so the validation images become
   training data) and appends one row per seed to ``data/mnist_best_refit.csv``. The run of seed 1 saves its
   weights (``data/mnist_best.weights.h5``) and history (``data/mnist_best_history.json``); put the printed
   SHA-256 in ``helpers.data.MNIST_BEST_WEIGHTS_SHA256`` and data/README.md.

The 12 epochs and dropout 0.25 were not tuned: they are common choices for small MNIST models, kept from the
book's first version; step 2's per-epoch validation accuracy shows whether more epochs would help. Rows already
in a CSV are skipped, so an interrupted run resumes, and ``--minutes`` stops starting new runs
(``booktools.runner``). CPU only; run it under ``nice`` with one thread
(``TF_NUM_INTRAOP_THREADS=1``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402  (after the log level)

from booktools.runner import Budget, minutes_argument, round_floats, run_plan  # noqa: E402
from helpers import mnist  # noqa: E402
from helpers.data import MNIST_BEST_WEIGHTS, RESULTS, load_mnist, sha256_of  # noqa: E402
from helpers.training import EpochLine  # noqa: E402

EPOCHS, BATCH, SHIP_SEED = 12, 128, 1
GRID_IMAGES, GRID_EPOCHS, GRID_SEED = 20_000, 4, 1
GRID, SEEDS, REFIT = RESULTS["mnist_best_grid"], RESULTS["mnist_best_seeds"], RESULTS["mnist_best_refit"]


def load_data(probe: bool = False) -> dict:
    """Return the fit and validation split and the test set, as (sequences, one-hot labels)."""
    (x_train, y_train), (x_test, y_test) = load_mnist()
    if probe:
        x_train, y_train = x_train[:7000], y_train[:7000]
    one_hot = keras.utils.to_categorical
    x_train, x_test = mnist.to_sequences(x_train), mnist.to_sequences(x_test)
    size = 1000 if probe else mnist.VALIDATION_SIZE
    (x_fit, y_fit), (x_val, y_val) = mnist.split_validation(x_train, y_train, size=size)
    return {
        "full": (x_train, one_hot(y_train, 10)),
        "fit": (x_fit, one_hot(y_fit, 10)),
        "val": (x_val, one_hot(y_val, 10)),
        "test": (x_test, one_hot(y_test, 10)),
    }


def run_grid(data: dict, budget: Budget) -> None:
    """Score every setting of GRID on validation after a short run on a subset."""
    x_fit, y_fit = (a[:GRID_IMAGES] for a in data["fit"])

    def work(setting: dict) -> dict:
        keras.utils.set_random_seed(GRID_SEED)
        steps = GRID_EPOCHS * -(-len(x_fit) // BATCH)
        model = mnist.make_conv_recurrent_model("conv + BiLSTM", steps=steps, **setting)
        t0 = time.perf_counter()
        model.fit(x_fit, y_fit, batch_size=BATCH, epochs=GRID_EPOCHS, shuffle=True, verbose=0)
        val_accuracy = model.evaluate(*data["val"], batch_size=1000, verbose=0)[1]
        row = {**setting, "params": model.count_params(), "train_images": len(x_fit), "epochs": GRID_EPOCHS}
        row |= {"seed": GRID_SEED, "val_accuracy": val_accuracy, "seconds": time.perf_counter() - t0}
        return round_floats(row, keep=("lr",))

    def describe(setting: dict, rows: list[dict]) -> str:
        row = rows[0]
        accuracy = row["val_accuracy"]
        return f"{setting}  params {row['params']:,}  validation accuracy {accuracy:.4f}  {row['seconds']:.0f} s"

    run_plan(mnist.GRID, GRID, work, budget, describe)


def run_seed(seed: int, data: dict, epochs: int, save: bool, refit: bool = False) -> dict | None:
    """Train the chosen model on one seed; return its row (None if not ``save``), saving the shipped weights.

    Without ``refit`` the model learns from the 50,000 fit images and reports validation accuracy after every
    epoch; with ``refit`` it learns from all 60,000 training images (the settings and the number of epochs
    having been chosen on validation), so there is no validation set left to report.
    """
    keras.utils.set_random_seed(seed)
    x_fit, y_fit = data["full" if refit else "fit"]
    steps = epochs * -(-len(x_fit) // BATCH)
    model = mnist.make_best_model(steps=steps)
    timer = mnist.make_epoch_timer()
    start = time.perf_counter()
    history = model.fit(
        x_fit, y_fit, batch_size=BATCH, epochs=epochs, shuffle=True,
        validation_data=None if refit else data["val"], verbose=0, callbacks=[EpochLine(), timer],
    ).history  # fmt: skip
    total = time.perf_counter() - start
    test_loss, test_accuracy = model.evaluate(*data["test"], batch_size=1000, verbose=0)
    print(f"seed {seed}{' (refit)' if refit else ''}: test {test_accuracy:.4f}  {total:.0f} s")
    if not save:
        return None
    row = {"seed": seed, "params": model.count_params(), "train_images": len(x_fit), "epochs": epochs}
    row |= {"test_accuracy": test_accuracy, "seconds": total}
    if not refit:
        by_epoch = ";".join(f"{v:.4f}" for v in history["val_accuracy"])
        row |= {"val_accuracy": history["val_accuracy"][-1], "val_accuracy_by_epoch": by_epoch}
    if seed == SHIP_SEED and refit:
        save_shipped(model, history, total, test_loss, test_accuracy, timer.seconds, len(x_fit))
    return round_floats(row)


def save_shipped(model, history: dict, total: float, test_loss: float, test_accuracy: float, seconds_per_epoch,
                 train_images: int) -> None:
    """Save the shipped model's weights (seed 1 of the refit) and its history."""
    # an uncompiled copy saves the model's weights without Adam's moment estimates (a third of the size)
    bare = mnist.make_best_model(compiled=False)
    bare.set_weights(model.get_weights())
    bare.save_weights(MNIST_BEST_WEIGHTS)
    record = {
        "model": model.name, "params": model.count_params(), "settings": mnist.BEST_SETTINGS,
        "epochs": EPOCHS, "batch_size": BATCH, "seed": SHIP_SEED, "train_images": train_images,
        "seconds_per_epoch": seconds_per_epoch, "total_seconds": total,
        "history": {k: [float(v) for v in vals] for k, vals in history.items()},
        "test_loss": float(test_loss), "test_accuracy": float(test_accuracy),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPU cores, keras {keras.__version__}",
    }  # fmt: skip
    path = MNIST_BEST_WEIGHTS.with_name("mnist_best_history.json")
    path.write_text(json.dumps(record, indent=1) + "\n")
    print(f"saved {MNIST_BEST_WEIGHTS} ({MNIST_BEST_WEIGHTS.stat().st_size} bytes), {path}")
    print(f"SHA-256 {sha256_of(MNIST_BEST_WEIGHTS.read_bytes())}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--grid", action="store_true", help="score helpers.mnist.GRID on validation")
    mode.add_argument("--seeds", nargs="+", type=int, help="train the chosen model on these seeds")
    mode.add_argument("--probe", action="store_true", help="one epoch on 6,000 images; save nothing")
    parser.add_argument("--refit", action="store_true", help="with --seeds: train on all 60,000 training images")
    minutes_argument(parser, default=55)
    args = parser.parse_args(argv)
    if args.seeds and min(args.seeds) < 0:
        parser.error(f"--seeds must be integers >= 0; got {args.seeds}")
    if args.refit and not args.seeds:
        parser.error("--refit goes with --seeds (it trains the chosen model on all 60,000 images, per seed)")

    data = load_data(probe=args.probe)
    budget = Budget(args.minutes)
    if args.probe:
        run_seed(SHIP_SEED, data, epochs=1, save=False)
    elif args.grid:
        run_grid(data, budget)
    else:

        def work(run: dict) -> dict:
            return run_seed(run["seed"], data, EPOCHS, save=True, refit=args.refit)

        run_plan([{"seed": seed} for seed in args.seeds], REFIT if args.refit else SEEDS, work, budget)
    return 0


if __name__ == "__main__":
    sys.exit(main())
