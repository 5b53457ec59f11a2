"""Precompute the attention model's runs on chapter 5's delayed-recall task: data/attention_sweep.csv.

The model is ``helpers.attention.make_attention_recall_model`` (learned positions, one dot-product attention read),
trained with chapter 5's recipe (Adam 1e-2, clipnorm 1, batches of 128, at most 20 epochs, stopping once validation
recall reaches 0.99) on chapter 5's data (``helpers.recall.make_recall_data``: 3,000 training sequences with the
run's seed, 1,000 validation with 10,000 + seed, 2,000 test with 20,000; three dishes), seeds 1-5, at delays 60, 100
and 200. A run "solved" the task if its test recall is at least ``helpers.recall.SOLVED``.

Every run is seeded, so a rerun on the same machine writes the same accuracies. Each run is appended to the file as
soon as it ends and runs already in the file are skipped, so an interrupted sweep resumes where it stopped;
``--minutes`` stops starting new runs after that long. Run from the repository root, e.g.

    TF_NUM_INTRAOP_THREADS=1 TF_NUM_INTEROP_THREADS=1 nice -n 10 python scripts/sweep_attention.py --minutes 20
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from booktools.runner import Budget, minutes_argument, run_plan  # noqa: E402
from helpers.data import RESULTS  # noqa: E402
from helpers.recall import RECIPES, make_recall_data  # noqa: E402

DELAYS = [100, 60, 200]  # the delay where every plain recurrent network failed first
SEEDS = [1, 2, 3, 4, 5]


def plan() -> list[dict]:
    """List every run: each delay, seeds 1-5, chapter 5's recipe and data sizes."""
    recipe = RECIPES["chapter"]
    base = {"dishes": 3, "units": 32, "lr": recipe["lr"], "clipnorm": recipe["clipnorm"], "num_train": 3000,
            "max_epochs": 20}  # fmt: skip
    return [{"delay": delay, **base, "seed": seed} for delay in DELAYS for seed in SEEDS]


def recall_data(delay: int, seed: int, num_train: int = 3000, dishes: int = 3) -> dict:
    """Chapter 5's training, validation and test sequences for one run."""
    return {
        "train": make_recall_data(num_train, delay, dishes, seed=seed),
        "validation": make_recall_data(1000, delay, dishes, seed=10_000 + seed),
        "test": make_recall_data(2000, delay, dishes, seed=20_000),
    }


def work(run: dict) -> dict:
    """Train one seed of the attention model at one delay; return its row."""
    from helpers.attention import train_attention

    started = time.perf_counter()
    data = recall_data(run["delay"], run["seed"], run["num_train"], run["dishes"])
    result = train_attention(
        data, seed=run["seed"], lr=run["lr"], clipnorm=run["clipnorm"], max_epochs=run["max_epochs"]
    )
    return {**run, "epochs": result["epochs"], "accuracy": round(result["accuracy"], 4),
            "seconds": round(time.perf_counter() - started, 1)}  # fmt: skip


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    minutes_argument(parser, default=60.0)
    args = parser.parse_args(argv)
    import tensorflow as tf

    tf.config.experimental.enable_op_determinism()
    budget = Budget(args.minutes)
    run_plan(plan(), RESULTS["attention_sweep"], work, budget)
    print(f"total time of this invocation: {budget.seconds():.0f} s", flush=True)


if __name__ == "__main__":
    main()
