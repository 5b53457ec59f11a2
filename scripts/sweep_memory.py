"""Precompute chapter 4's recall sweeps and write data/memory_sweep.csv.

Every run is seeded (helpers.memory.train_recall), so a rerun on the same
machine writes the same accuracies; the notebook re-trains some rows live and
checks them against this file. Rows already in the file are skipped, so an
interrupted run can be resumed. Run from the repository root:

    python scripts/sweep_memory.py

Columns: experiment, model, delay, dishes, lr, num_train, seed, epochs, accuracy, seconds.
"""

from __future__ import annotations

import csv
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import tensorflow as tf  # noqa: E402

from helpers.memory import MODELS, TRAINING_SETUPS, train_adding, train_recall  # noqa: E402

OUT = ROOT / "data" / "memory_sweep.csv"
COLUMNS = ["experiment", "model", "delay", "dishes", "lr", "num_train", "seed", "epochs", "accuracy", "seconds"]
DELAYS = [1, 5, 10, 20, 40, 60, 100, 200]
FRAGILE_DELAYS = [20, 40, 60, 100, 200]  # where seed 1 alone is not to be trusted: a second seed
CONDITIONS = [  # at delay 60, seed 1: (model, dishes, lr)
    ("LSTM, forget bias 4", 3, 0.01),
    ("SimpleRNN", 3, 0.001),
    ("LSTM", 3, 0.001),
    ("SimpleRNN", 60, 0.01),
    ("LSTM", 60, 0.01),
    ("LSTM, chrono init", 60, 0.01),
]
# Training changes at delay 60, seed 1, 3 dishes, lr 0.01: (set-up of TRAINING_SETUPS, num_train).
# No clipping; then a 3x epoch budget (60 epochs) with 3,000 and with 10,000 sequences.
TRAINING_CONDITIONS = [
    ("SimpleRNN, no clipping", 3000),
    ("LSTM, no clipping", 3000),
    ("LSTM, 60 epochs", 3000),
    ("LSTM, 60 epochs", 10000),
    ("SimpleRNN, 60 epochs", 10000),
]


# The adding problem (Hochreiter & Schmidhuber 1997) at length 60, seed 1, 10,000 sequences. `dishes` is 0
# (no dishes) and `accuracy` is the fraction of held-out sums predicted within 0.04.
ADDING_MODELS = ["SimpleRNN", "LSTM", "LSTM, chrono init"]


def plan() -> list[dict]:
    """List every run: the delay sweep (seed 1), the conditions at delay 60, then seed 2 where fragile."""
    base = {"dishes": 3, "lr": 0.01, "num_train": 3000}
    runs = [{"experiment": "delay", "model": m, "delay": d, **base, "seed": 1} for m in MODELS for d in DELAYS]
    runs += [
        {"experiment": "conditions", "model": m, "delay": 60, "dishes": k, "lr": lr, "num_train": 3000, "seed": 1}
        for m, k, lr in CONDITIONS
    ]
    runs += [{"experiment": "delay", "model": m, "delay": d, **base, "seed": 2} for m in MODELS for d in FRAGILE_DELAYS]
    runs += [
        {"experiment": "conditions", "model": m, "delay": 60, "dishes": 3, "lr": 0.01, "num_train": n, "seed": 1}
        for m, n in TRAINING_CONDITIONS
    ]
    runs += [
        {"experiment": "adding", "model": m, "delay": 60, "dishes": 0, "lr": 0.01, "num_train": 10000, "seed": 1}
        for m in ADDING_MODELS
    ]
    return runs


def key(row: dict) -> tuple:
    return tuple(str(row[c]) for c in COLUMNS[:7])


def main() -> None:
    tf.config.experimental.enable_op_determinism()
    done = set()
    if OUT.exists():
        with OUT.open() as f:
            done = {key(row) for row in csv.DictReader(f)}
    new_file = not OUT.exists()
    with OUT.open("a", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS)
        if new_file:
            writer.writeheader()
        for run in plan():
            if key(run) in done:
                continue
            started = time.perf_counter()
            args = {k: run[k] for k in ("model", "delay", "dishes", "lr", "num_train", "seed")}
            if run["experiment"] == "adding":
                del args["dishes"]
                args["length"] = args.pop("delay")
                result = train_adding(**args)
            else:
                if run["model"] in TRAINING_SETUPS:
                    args["model"], extra = TRAINING_SETUPS[run["model"]]
                    args.update(extra)
                result = train_recall(**args)
            row = {**run, "epochs": result["epochs"], "accuracy": round(result["accuracy"], 4),
                   "seconds": round(time.perf_counter() - started, 1)}
            writer.writerow(row)
            f.flush()
            print(", ".join(f"{k}={v}" for k, v in row.items()), flush=True)


if __name__ == "__main__":
    main()
