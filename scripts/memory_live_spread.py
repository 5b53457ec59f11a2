"""Re-run chapter 5's live trainings under "other machine" settings; write data/memory_live_spread.csv.

Chapter 5 re-trains a few networks live (all seed 1). Floating-point training differs from machine to machine,
so each is run here in a fresh process under the settings of scripts/measure_spread.py (oneDNN off; an older
CPU: oneDNN capped at AVX2 and OpenBLAS' Haswell kernels; one thread). The notebook's own stored run is the
reference they are compared with. Rows already in the file are skipped, so an interrupted run resumes, and
``--minutes`` stops starting new runs (``booktools.runner``). Run from the repository root:

    python scripts/memory_live_spread.py

Columns: setting, run, accuracy, epochs, seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

from booktools import ROOT
from booktools.runner import PERTURBATIONS, Budget, minutes_argument, run_plan
from helpers.data import RESULTS

OUT = RESULTS["memory_live_spread"]
# the "other machine" settings of scripts/measure_spread.py; the stored setting is the notebook's own run
SETTINGS = {name: PERTURBATIONS[name] for name in ("onednn-off", "older-cpu", "one-thread")}
# run name -> keyword arguments of helpers.recall.train_recall (the notebook's live cells)
RUNS = {
    "SimpleRNN, delay 60": {"model": "SimpleRNN", "delay": 60},
    "LSTM, delay 60": {"model": "LSTM", "delay": 60},
    "SimpleRNN, no clipping, delay 60": {"model": "SimpleRNN", "delay": 60, "clipnorm": None},
    "LSTM, chrono init, delay 60": {"model": "LSTM, chrono init", "delay": 60},
    "SimpleRNN, delay 200": {"model": "SimpleRNN", "delay": 200},
    "LSTM, chrono init, delay 200": {"model": "LSTM, chrono init", "delay": 200},
}
# run in the repository's root, where ``python -c`` finds the helpers package
CHILD = """
import json, os
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import tensorflow as tf
from helpers.recall import train_recall
tf.config.experimental.enable_op_determinism()
r = train_recall(seed=1, **json.loads({kwargs!r}))
print(json.dumps({{"accuracy": r["accuracy"], "epochs": r["epochs"]}}))
"""


def main(argv: list[str] | None = None) -> int:
    """Run, each in a fresh process, the (setting, run) pairs missing from data/memory_live_spread.csv."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    minutes_argument(parser)
    args = parser.parse_args(argv)
    budget = Budget(args.minutes)

    def work(planned: dict) -> dict:
        started = time.perf_counter()
        code = CHILD.format(kwargs=json.dumps(RUNS[planned["run"]]))
        env = {**os.environ, **SETTINGS[planned["setting"]]}
        out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, check=True, capture_output=True,
                             text=True).stdout
        result = json.loads(out.strip().splitlines()[-1])
        return {**planned, "accuracy": round(result["accuracy"], 4), "epochs": result["epochs"],
                "seconds": round(time.perf_counter() - started, 1)}

    plan = [{"setting": setting, "run": run} for setting in SETTINGS for run in RUNS]
    run_plan(plan, OUT, work, budget)
    print(f"total time: {budget.seconds():.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
