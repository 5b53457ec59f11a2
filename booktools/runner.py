"""The one resumable loop of the precompute scripts (``scripts/sweep_*.py``, ``scripts/memory_*.py``, ...).

A script names its results file (``helpers.data.RESULTS``: path, columns, the columns that name a run), lists
its runs (a *plan*: one dict per run, holding at least the run's key columns) and gives a function
that performs one run and returns its CSV rows. ``run_plan`` then

- skips every run whose key is already in the file (re-read before each run, so two processes with different
  plans can share a file, and an interrupted sweep resumes where it stopped; a run cut short is redone),
- appends the rows of each run as soon as it ends (with the header if the file is new), and
- starts no new run once ``--minutes`` have passed (``Budget``).

Keys compare as numbers where they are numbers (``1`` and ``1.0`` are the same seed), otherwise as text.
"""

from __future__ import annotations

import argparse
import csv
import math
import time
from collections.abc import Callable, Iterable, Sequence

from helpers.data import Results, record_results

# "Other machines": environment settings that change floating-point results without changing the code
# (scripts/measure_spread.py runs chapters under them, scripts/memory_live_spread.py chapter 5's live trainings).
PERTURBATIONS = {
    "stored": {},
    "onednn-off": {"TF_ENABLE_ONEDNN_OPTS": "0"},
    "older-cpu": {"ONEDNN_MAX_CPU_ISA": "AVX2", "OPENBLAS_CORETYPE": "Haswell"},
    "one-thread": {"TF_NUM_INTRAOP_THREADS": "1", "TF_NUM_INTEROP_THREADS": "1", "OMP_NUM_THREADS": "1"},
    # on an AVX2 machine "older-cpu" may change nothing; this one does (SSE4.1 kernels in oneDNN and OpenBLAS)
    "sse41": {"ONEDNN_MAX_CPU_ISA": "SSE41", "OPENBLAS_CORETYPE": "Nehalem"},
}


def minutes_argument(parser: argparse.ArgumentParser, default: float | None = None) -> None:
    """Add ``--minutes`` (start no new run after this many minutes) to a script's command line."""

    def positive(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number of minutes; got {text!r}") from None
        if not value > 0:
            raise argparse.ArgumentTypeError(f"must be positive; got {text}")
        return value

    when = f"default {default:g}" if default else "default: no limit"
    parser.add_argument("--minutes", type=positive, default=default,
                        help=f"start no new run after this many minutes ({when}); run again to resume")


class Budget:
    """Time for starting runs: ``minutes`` from now (None: no limit), shared by the phases of one invocation."""

    def __init__(self, minutes: float | None = None):
        self.minutes = minutes
        self.started = time.perf_counter()

    def seconds(self) -> float:
        """Return the seconds since the budget started."""
        return time.perf_counter() - self.started

    def spent(self) -> bool:
        """Whether no new run should start."""
        return self.minutes is not None and self.seconds() > 60 * self.minutes


def _normalise(value: object) -> object:
    """A key value as it compares: a number if it reads as one, else its text."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return number if not math.isnan(number) else str(value)


def key_of(results: Results, row: dict) -> tuple:
    """Return the key of a run or row of ``results``."""
    return tuple(_normalise(row[column]) for column in results.key)


def rows(results: Results) -> list[dict]:
    """Return the rows in the file (none if it does not exist yet)."""
    if not results.path.is_file():
        return []
    with results.path.open(newline="") as f:
        return list(csv.DictReader(f))


def done(results: Results) -> set[tuple]:
    """Return the keys of the runs already in the file."""
    return {key_of(results, row) for row in rows(results)}


def append(results: Results, new_rows: Iterable[dict]) -> None:
    """Append rows (a missing column is left empty; an unknown one is an error), with a header if the file is new,
    and record the file in ``data/results.json`` if it is one of the book's."""
    new_rows = list(new_rows)
    for row in new_rows:
        unknown = sorted(set(row) - set(results.columns))
        if unknown:
            raise ValueError(f"{results.path.name} has no column(s) {unknown}; its columns: {list(results.columns)}")
    new = not results.path.is_file() or results.path.stat().st_size == 0
    results.path.parent.mkdir(parents=True, exist_ok=True)
    with results.path.open("a", newline="") as f:
        writer = csv.DictWriter(f, results.columns)
        if new:
            writer.writeheader()
        writer.writerows({column: row.get(column, "") for column in results.columns} for row in new_rows)
    record_results(results.path)


def run_plan(
    plan: Iterable[dict],
    results: Results,
    work: Callable[[dict], dict | list[dict]],
    budget: Budget,
    describe: Callable[[dict, list[dict]], str] | None = None,
) -> bool:
    """Do every run of ``plan`` whose key is not in ``results``, appending its rows as it ends; print each.

    Returns True when the plan is complete, False when the budget ran out first.
    """
    finished = done(results)
    todo = [run for run in plan if key_of(results, run) not in finished]
    print(f"{len(finished)} runs already in {results.path.name}, {len(todo)} to go", flush=True)
    for run in todo:
        if budget.spent():
            print(f"stopping after {budget.minutes:g} minutes; run again to resume", flush=True)
            return False
        if key_of(results, run) in done(results):
            continue  # another process did it meanwhile
        made = work(run)
        made = [made] if isinstance(made, dict) else made
        append(results, made)
        line = describe(run, made) if describe else ", ".join(f"{k}={v}" for k, v in made[0].items())
        print(line, flush=True)
    return True


def round_floats(row: dict, digits: int = 4, keep: Sequence[str] = ()) -> dict:
    """Return ``row`` with its floats rounded to ``digits`` (except the columns in ``keep``), as the CSVs store."""
    return {k: round(v, digits) if isinstance(v, float) and k not in keep else v for k, v in row.items()}
