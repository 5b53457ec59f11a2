"""Re-run chapter 5's live trainings under "other machine" settings; write data/memory_live_spread.csv.

Chapter 5 re-trains a few networks live (all seed 1). Floating-point training differs from machine to machine,
so each is run here in a fresh process under the settings of scripts/measure_spread.py (oneDNN off; an older
CPU: oneDNN capped at AVX2 and OpenBLAS' Haswell kernels; one thread). The notebook's own stored run is the
reference they are compared with. Rows
already in the file are skipped, so an interrupted run resumes. Run from the repository root:

    python scripts/memory_live_spread.py

Columns: setting, run, accuracy, epochs, seconds.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "memory_live_spread.csv"
SETTINGS = {  # the stored setting is the notebook's own run
    "onednn-off": {"TF_ENABLE_ONEDNN_OPTS": "0"},
    "older-cpu": {"ONEDNN_MAX_CPU_ISA": "AVX2", "OPENBLAS_CORETYPE": "Haswell"},
    "one-thread": {"TF_NUM_INTRAOP_THREADS": "1", "TF_NUM_INTEROP_THREADS": "1", "OMP_NUM_THREADS": "1"},
}
# run name -> keyword arguments of helpers.recall.train_recall (the notebook's live cells)
RUNS = {
    "SimpleRNN, delay 60": {"model": "SimpleRNN", "delay": 60},
    "LSTM, delay 60": {"model": "LSTM", "delay": 60},
    "SimpleRNN, no clipping, delay 60": {"model": "SimpleRNN", "delay": 60, "clipnorm": None},
    "LSTM, chrono init, delay 60": {"model": "LSTM, chrono init", "delay": 60},
    "SimpleRNN, delay 200": {"model": "SimpleRNN", "delay": 200},
    "LSTM, chrono init, delay 200": {"model": "LSTM, chrono init", "delay": 200},
}
CHILD = """
import json, os, sys
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
sys.path.insert(0, {root!r})
import tensorflow as tf
from helpers.recall import train_recall
tf.config.experimental.enable_op_determinism()
r = train_recall(seed=1, **json.loads({kwargs!r}))
print(json.dumps({{"accuracy": r["accuracy"], "epochs": r["epochs"]}}))
"""


def main(argv: list[str] | None = None) -> int:
    """Run, each in a fresh process, the (setting, run) pairs missing from data/memory_live_spread.csv."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.parse_args(argv)  # no options: --help, and a clear error for any argument
    done = set()
    if OUT.exists():
        with OUT.open() as f:
            done = {(row["setting"], row["run"]) for row in csv.DictReader(f)}
    new = not OUT.exists() or OUT.stat().st_size == 0
    started_all = time.perf_counter()
    with OUT.open("a", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["setting", "run", "accuracy", "epochs", "seconds"])
        if new:
            writer.writeheader()
        for setting, env in SETTINGS.items():
            for run, kwargs in RUNS.items():
                if (setting, run) in done:
                    continue
                started = time.perf_counter()
                code = CHILD.format(root=str(ROOT), kwargs=json.dumps(kwargs))
                out = subprocess.run([sys.executable, "-c", code], env={**os.environ, **env}, check=True,
                                     capture_output=True, text=True).stdout
                result = json.loads(out.strip().splitlines()[-1])
                row = {"setting": setting, "run": run, "accuracy": round(result["accuracy"], 4),
                       "epochs": result["epochs"], "seconds": round(time.perf_counter() - started, 1)}
                writer.writerow(row)
                f.flush()
                print(row, flush=True)
    print(f"total time: {time.perf_counter() - started_all:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
