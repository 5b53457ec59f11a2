"""Precompute chapter 5's recall sweeps: data/memory_seeds.csv, data/memory_conditions.csv, data/memory_sweep.csv.

Three sweeps, chosen by the first argument:

- ``seeds`` (data/memory_seeds.csv): six networks (SimpleRNN, IRNN, GRU, LSTM,
  LSTM with forget-gate bias 4, chrono LSTM) x delays x seeds 1-5 x two training
  recipes (Keras' defaults: Adam 1e-3 without clipping; the chapter's: Adam 1e-2,
  clipnorm 1). Ordered so that the chapter's headline comes first: delay 60, both
  recipes; then the chapter's recipe without clipping (SimpleRNN and IRNN, delay 60);
  then the chapter's recipe at delays 1 ... 200; then Keras' defaults at delay 20.
  Columns: recipe, model, delay, dishes, lr, clipnorm, num_train, max_epochs, seed,
  epochs, accuracy, seconds.
- ``conditions`` (data/memory_conditions.csv): one change at a time to the chapter's
  recipe at delay 60, seeds 1-5 — the article's 60-dish menu (SimpleRNN, LSTM, chrono
  LSTM), the LSTM without clipping, the LSTM with a 3x epoch budget (with 3,000 and
  with 10,000 sequences) — and the adding problem
  (Hochreiter & Schmidhuber 1997) at length 60 with 10,000 sequences for the
  SimpleRNN, IRNN, LSTM and chrono LSTM. Columns: task (recall or adding), condition,
  then those of the seeds sweep; for the adding problem ``delay`` is the length,
  ``dishes`` is 0 and ``accuracy`` the fraction of held-out sums within 0.04.
- ``original`` (data/memory_sweep.csv): the first sweep (seeds 1-2, the
  conditions at delay 60 and the adding problem). Columns: experiment, model,
  delay, dishes, lr, num_train, seed, epochs, accuracy, seconds.

Every run is seeded (helpers.recall.train_recall, helpers.adding_problem.train_adding), so a rerun on the same machine
writes the same accuracies. Each run is appended to the file as soon as it ends and
rows already in the file are skipped, so an interrupted sweep resumes where it
stopped; ``--minutes`` stops starting new runs after that long (``booktools.runner``).
Run from the repository root, on one thread, e.g.

    TF_NUM_INTRAOP_THREADS=1 TF_NUM_INTEROP_THREADS=1 OMP_NUM_THREADS=1 \
        nice -n 10 python scripts/sweep_memory.py seeds --minutes 55
"""

from __future__ import annotations

import argparse
import os
import time

from booktools.runner import Budget, minutes_argument, run_plan
from helpers.data import RESULTS, Results
from helpers.recall import BUDGET_EPOCHS, FIRST_SWEEP_MODELS, RECIPES, SEED_MODELS, TRAINING_SETUPS

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
SEEDS_FILE, CONDITIONS_FILE = RESULTS["memory_seeds"], RESULTS["memory_conditions"]
ORIGINAL_FILE = RESULTS["memory_sweep"]
SEEDS = [1, 2, 3, 4, 5]
HEADLINE_DELAY = 60
CHAPTER_DELAYS = [1, 5, 10, 20, 40, 100, 200]  # besides 60
KERAS_DELAYS = [20]  # besides 60 (delay 200 left out to keep the sweep within about 2.5 hours)
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


def original_plan() -> list[dict]:
    """List every run: the delay sweep (seed 1), the conditions at delay 60, then seed 2 where fragile."""
    base = {"dishes": 3, "lr": 0.01, "num_train": 3000}
    models = FIRST_SWEEP_MODELS
    runs = [{"experiment": "delay", "model": m, "delay": d, **base, "seed": 1} for m in models for d in DELAYS]
    runs += [
        {"experiment": "conditions", "model": m, "delay": 60, "dishes": k, "lr": lr, "num_train": 3000, "seed": 1}
        for m, k, lr in CONDITIONS
    ]
    runs += [{"experiment": "delay", "model": m, "delay": d, **base, "seed": 2} for m in models for d in FRAGILE_DELAYS]
    runs += [
        {"experiment": "conditions", "model": m, "delay": 60, "dishes": 3, "lr": 0.01, "num_train": n, "seed": 1}
        for m, n in TRAINING_CONDITIONS
    ]
    runs += [
        {"experiment": "adding", "model": m, "delay": 60, "dishes": 0, "lr": 0.01, "num_train": 10000, "seed": 1}
        for m in ADDING_MODELS
    ]
    return runs


def seeds_plan() -> list[dict]:
    """List the runs of the seeds sweep, headline first: delay 60 (both recipes), then the other delays."""
    base = {"dishes": 3, "num_train": 3000, "max_epochs": 20}
    blocks = [(recipe, [HEADLINE_DELAY], SEED_MODELS) for recipe in ("keras", "chapter")]
    blocks += [("chapter, no clipping", [HEADLINE_DELAY], ["SimpleRNN", "IRNN"])]
    blocks += [("chapter", CHAPTER_DELAYS, SEED_MODELS), ("keras", KERAS_DELAYS, SEED_MODELS)]
    runs = []
    for recipe, delays, models in blocks:
        settings = RECIPES[recipe]
        for delay in delays:
            for seed in SEEDS:
                for model in models:
                    runs.append({"recipe": recipe, "model": model, "delay": delay, **base, "seed": seed,
                                 "lr": settings["lr"], "clipnorm": settings["clipnorm"] or 0})
    return runs


def train_run(run: dict) -> dict:
    """Train one planned run: the adding problem if its ``task`` says so, otherwise the recall task."""
    from helpers.adding_problem import train_adding
    from helpers.recall import train_recall

    if run.get("task") == "adding":
        return train_adding(run["model"], run["delay"], lr=run["lr"], num_train=run["num_train"], seed=run["seed"],
                            max_epochs=run["max_epochs"])
    return train_recall(run["model"], run["delay"], dishes=run["dishes"], lr=run["lr"], num_train=run["num_train"],
                        seed=run["seed"], max_epochs=run["max_epochs"], clipnorm=run["clipnorm"] or None)


def original_run(run: dict) -> dict:
    """Train one run of the original sweep, with the set-ups of that sweep."""
    from helpers.adding_problem import train_adding
    from helpers.recall import train_recall

    args = {k: run[k] for k in ("model", "delay", "dishes", "lr", "num_train", "seed")}
    if run["experiment"] == "adding":
        del args["dishes"]
        args["length"] = args.pop("delay")
        return train_adding(**args)
    if run["model"] in TRAINING_SETUPS:
        args["model"], extra = TRAINING_SETUPS[run["model"]]
        args.update(extra)
    return train_recall(**args)


def sweep(plan: list[dict], results: Results, train, budget: Budget) -> bool:
    """Train every run of ``plan`` not yet in ``results`` (``booktools.runner``): one row per run, with its
    epochs, held-out accuracy and seconds."""

    def work(run: dict) -> dict:
        started = time.perf_counter()
        result = train(run)
        return {**run, "epochs": result["epochs"], "accuracy": round(result["accuracy"], 4),
                "seconds": round(time.perf_counter() - started, 1)}

    return run_plan(plan, results, work, budget)


# (task, condition, models, changes to the chapter's recipe), cheapest first.
CONDITIONS_BLOCKS = [
    ("recall", "60 dishes", ["SimpleRNN", "LSTM", "LSTM, chrono init"], {"dishes": 60}),
    ("recall", "no clipping", ["LSTM"], {"clipnorm": 0}),
    ("adding", "adding problem", ["SimpleRNN", "IRNN", "LSTM", "LSTM, chrono init"], {"dishes": 0, "num_train": 10000}),
    ("recall", "60 epochs", ["LSTM"], {"max_epochs": BUDGET_EPOCHS}),
    ("recall", "60 epochs, 10,000 sequences", ["LSTM"], {"max_epochs": BUDGET_EPOCHS, "num_train": 10000}),
]


def conditions_plan(only: list[str] | None = None) -> list[dict]:
    """List the runs of the conditions sweep: each block (or the blocks named in ``only``), seed by seed."""
    known = [condition for _, condition, _, _ in CONDITIONS_BLOCKS]
    unknown = sorted(set(only or []) - set(known))
    if unknown:
        raise SystemExit(f"unknown condition(s) {unknown}; choose from {known}")
    chapter = RECIPES["chapter"]
    base = {"recipe": "chapter", "delay": HEADLINE_DELAY, "dishes": 3, "lr": chapter["lr"],
            "clipnorm": chapter["clipnorm"], "num_train": 3000, "max_epochs": 20}
    runs = []
    for task, condition, models, changes in CONDITIONS_BLOCKS:
        if only and condition not in only:
            continue
        for seed in SEEDS:
            for model in models:
                run = {"task": task, "condition": condition, **base, "model": model, "seed": seed, **changes}
                runs.append({c: run[c] for c in CONDITIONS_FILE.key})
    return runs


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sweep", choices=["seeds", "conditions", "original"], help="which sweep to run or resume")
    parser.add_argument("--conditions", nargs="+", metavar="NAME",
                        help="conditions sweep: run only these blocks (e.g. '60 epochs'; default: all)")
    minutes_argument(parser, default=55)
    args = parser.parse_args(argv)
    if args.sweep == "conditions":
        plan, results = conditions_plan(args.conditions), CONDITIONS_FILE
    elif args.sweep == "seeds":
        plan, results = seeds_plan(), SEEDS_FILE
    else:
        plan, results = original_plan(), ORIGINAL_FILE
    import tensorflow as tf

    tf.config.experimental.enable_op_determinism()
    budget = Budget(args.minutes)
    sweep(plan, results, original_run if args.sweep == "original" else train_run, budget)
    print(f"total time of this invocation: {budget.seconds():.0f} s", flush=True)


if __name__ == "__main__":
    main()
