"""Measure how much a chapter's glued numbers move across seeds and across "other machines".

Runs a chapter notebook several times, each time in a fresh kernel, and records every value it glues
(myst-nb's ``glue``) into ``notebooks/reference/<chapter>.spread.csv``:

- under machine perturbations that change floating-point results without changing the code: oneDNN off,
  oneDNN capped at AVX2 with OpenBLAS' Haswell kernels (an older CPU), one thread, SSE4.1 kernels only;
- under other seeds: every ``keras.utils.set_random_seed(s)`` in the notebook becomes ``s + offset``.

The tolerances in ``notebooks/reference/<chapter>.toml`` are chosen from this file (a tolerance a little
wider than the largest distance from the stored run), and say so in their ``measured`` field.

    python scripts/measure_spread.py 02_rnn_uses                  # 5 machine settings + seeds 1..4
    python scripts/measure_spread.py 02_rnn_uses --seeds 0        # machine settings only
    python scripts/measure_spread.py 02_rnn_uses --summary        # print the spread of the file, run nothing
    python scripts/measure_spread.py --check 01_roommate 04_bptt  # pass/fail per chapter and machine setting

The runs are appended as they finish; an interrupted measurement resumes where it stopped, and ``--minutes``
stops starting new runs (``booktools.runner``).

``--check`` answers "does this chapter pass on another machine?" without writing anything under notebooks/: it
runs every machine setting (no seeds) and counts a run as passed when no hidden check failed and every cell that
nbval compares strictly (not tagged ``nbval-ignore-output``) printed and displayed the same text as the stored
notebook, after the sanitising of ``.nbval-sanitize.cfg``. It prints a table chapter x setting.
"""

from __future__ import annotations

import argparse
import configparser
import csv
import os
import re
import sys
import time
from pathlib import Path

from booktools import NOTEBOOKS, ROOT
from booktools.runner import PERTURBATIONS, Budget, minutes_argument, run_plan
from helpers.data import Results
from helpers.glued import glue_in

SEED_CELL = """\
import keras as _keras

_set_random_seed = _keras.utils.set_random_seed
_keras.utils.set_random_seed = lambda seed: _set_random_seed(seed + {offset})
"""
FIELDS = ["setting", "seed_offset", "key", "value"]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("chapter", nargs="+", help="notebook name without .ipynb, e.g. 02_rnn_uses")
    parser.add_argument(
        "--check", action="store_true", help="pass/fail of each chapter under each machine setting; writes nothing"
    )
    parser.add_argument("--seeds", type=int, default=4, help="extra seed offsets 1..N (default 4; 0 for none)")
    parser.add_argument("--settings", nargs="+", choices=sorted(PERTURBATIONS), default=list(PERTURBATIONS))
    parser.add_argument("--summary", action="store_true", help="only print the spread of the existing file")
    parser.add_argument("--timeout", type=int, default=1800, help="seconds one cell may take")
    minutes_argument(parser)
    args = parser.parse_args(argv)
    if args.seeds < 0:
        parser.error(f"--seeds must be >= 0; got {args.seeds}")
    if args.timeout <= 0:
        parser.error(f"--timeout must be a positive number of seconds; got {args.timeout}")
    for chapter in args.chapter:
        if not (NOTEBOOKS / f"{chapter}.ipynb").is_file():
            known = ", ".join(sorted(p.stem for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")))
            parser.error(f"no notebook notebooks/{chapter}.ipynb; choose one of: {known}")
    if len(args.chapter) > 1 and not args.check:
        parser.error("several chapters only with --check (a measurement writes one chapter's spread file)")
    return args


def sanitizer():
    """Return a function applying .nbval-sanitize.cfg's replacements, as nbval does before comparing."""
    config = configparser.ConfigParser(interpolation=None)
    config.read(ROOT / ".nbval-sanitize.cfg", encoding="utf-8")
    rules = [(re.compile(config[name]["regex"]), config[name]["replace"]) for name in config.sections()]

    def sanitize(text: str) -> str:
        for pattern, replacement in rules:
            text = pattern.sub(replacement, text)
        return text

    return sanitize


def shown_text(cell, sanitize) -> list[str]:
    """Return what nbval compares of a cell's outputs as text: stdout and each result's text/plain."""
    shown = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream" and output.get("name") == "stdout":
            shown.append(("stdout", output.get("text", "")))
        elif output.get("output_type") in ("execute_result", "display_data"):
            data = output.get("data", {})
            for mime in ("text/plain", "application/papermill.record/text/plain"):
                if mime in data:
                    shown.append((mime, data[mime]))
    merged, stdout = [], ""
    for kind, text in shown:  # nbval compares the stream as one text, however it was split into chunks
        text = "".join(text) if isinstance(text, list) else text
        if kind == "stdout":
            stdout += text
        else:
            merged.append(sanitize(text))
    return ([sanitize(stdout)] if stdout else []) + merged


def strict_mismatches(stored, executed) -> list[int]:
    """Return the indices (among code cells, as nbval counts them) of strict cells whose text differs."""
    sanitize = sanitizer()
    old = [c for c in stored.cells if c.cell_type == "code"]
    new = [c for c in executed.cells if c.cell_type == "code"]
    return [
        index
        for index, (a, b) in enumerate(zip(old, new, strict=True))
        if "nbval-ignore-output" not in a.metadata.get("tags", [])
        and shown_text(a, sanitize) != shown_text(b, sanitize)
    ]


def glued_values(nb) -> dict[str, str]:
    """Return ``{key: text}`` for every value the executed notebook glued, and ``__errors__`` if any cell failed.

    A hidden check that fails under another seed or setting is evidence too (the claim does not hold there):
    it is recorded, as ``cell N: Error: message``, not raised.
    """
    values, errors = glue_in(nb), []
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error" and "raises-exception" not in cell.metadata.get("tags", []):
                first_line = (output.get("evalue") or "").splitlines()[:1]
                errors.append(f"cell {index}: {output.get('ename')}: {' '.join(first_line)[:200]}")
    if errors:
        values["__errors__"] = " | ".join(errors)
    return values


def run_once(chapter: str, env: dict[str, str], offset: int, timeout: int, compare: bool = False) -> dict[str, str]:
    """Execute the chapter in a fresh kernel with ``env`` set and seeds shifted by ``offset``.

    With ``compare``, also record ``__strict_mismatches__``: the strict cells whose text differs from the stored run.
    """
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(NOTEBOOKS / f"{chapter}.ipynb", as_version=4)
    stored = nbformat.read(NOTEBOOKS / f"{chapter}.ipynb", as_version=4)
    if offset:
        nb.cells.insert(2, nbformat.v4.new_code_cell(SEED_CELL.format(offset=offset)))
    saved = {key: os.environ.get(key) for key in env}
    os.environ.update(env)
    try:
        resources = {"metadata": {"path": NOTEBOOKS}}
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3", resources=resources, allow_errors=True)
        client.execute()
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    values = glued_values(nb)
    if compare and not offset:
        mismatched = strict_mismatches(stored, nb)
        if mismatched:
            values["__strict_mismatches__"] = "Cell " + ", Cell ".join(map(str, mismatched))
    return values


def check(chapters: list[str], settings: list[str], timeout: int) -> int:
    """Run each chapter under each machine setting; print chapter x setting pass/fail; return 1 if any failed."""
    results: dict[tuple[str, str], str] = {}
    for chapter in chapters:
        for setting in settings:
            t = time.perf_counter()
            values = run_once(chapter, PERTURBATIONS[setting], 0, timeout, compare=True)
            problems = [values[k] for k in ("__errors__", "__strict_mismatches__") if k in values]
            results[chapter, setting] = "fail" if problems else "pass"
            detail = f": {' | '.join(problems)}" if problems else ""
            print(f"{chapter}: {setting:<11} {results[chapter, setting]} in {time.perf_counter() - t:.0f} s{detail}")
    print("\n| chapter | " + " | ".join(settings) + " |\n|---|" + "---|" * len(settings))
    for chapter in chapters:
        print(f"| {chapter} | " + " | ".join(results[chapter, s] for s in settings) + " |")
    return int("fail" in results.values())


def spread_file(chapter: str) -> Results:
    """Return the spread file of a chapter: one row per glued value, the runs named by setting and seed offset."""
    path = NOTEBOOKS / "reference" / f"{chapter}.spread.csv"
    return Results(path, tuple(FIELDS), ("setting", "seed_offset"), f"python scripts/measure_spread.py {chapter}",
                   unique=False)


def summary(path: Path) -> str:
    """Return, per numeric key, the stored run's value and the largest distance from it."""
    with path.open(newline="") as f:
        rows = list(csv.DictReader(f))
    by_key: dict[str, dict[tuple[str, int], float]] = {}
    for row in rows:
        try:
            value = float(row["value"])
        except ValueError:
            continue
        by_key.setdefault(row["key"], {})[(row["setting"], int(row["seed_offset"]))] = value
    failures = [
        f"  {row['setting']} seed +{row['seed_offset']}: {row['value']}" for row in rows if row["key"] == "__errors__"
    ]
    lines = [f"{'key':<36} {'stored':>12} {'max |machine - stored|':>24} {'max |seed - stored|':>22}"]
    for key, runs in sorted(by_key.items()):
        base = runs.get(("stored", 0))
        if base is None:
            continue
        machine = max((abs(v - base) for (s, o), v in runs.items() if o == 0), default=0.0)
        seeds = max((abs(v - base) for (s, o), v in runs.items() if o > 0), default=float("nan"))
        if machine == 0 and (seeds == 0 or seeds != seeds):
            continue  # deterministic: nbval compares it exactly
        lines.append(f"{key:<36} {base:>12.6g} {machine:>24.4g} {seeds:>22.4g}")
    if failures:
        lines += ["runs in which a hidden check failed:", *failures]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run what is missing from the spread file, then print its summary."""
    args = parse_args(argv)
    if args.check:
        return check(args.chapter, args.settings, args.timeout)
    [chapter] = args.chapter
    results = spread_file(chapter)
    path = results.path
    if not args.summary:
        plan = [{"setting": s, "seed_offset": 0} for s in args.settings]
        plan += [{"setting": "stored", "seed_offset": k} for k in range(1, args.seeds + 1)]
        budget = Budget(args.minutes)

        def work(run: dict) -> list[dict]:
            values = run_once(chapter, PERTURBATIONS[run["setting"]], run["seed_offset"], args.timeout)
            return [{**run, "key": key, "value": text} for key, text in sorted(values.items())]

        def describe(run: dict, rows: list[dict]) -> str:
            failed = [row["value"] for row in rows if row["key"] == "__errors__"]
            failed_text = f"; FAILED CHECKS: {failed[0]}" if failed else ""
            return f"{chapter}: {run['setting']:<11} seed +{run['seed_offset']}: {len(rows)} values{failed_text}"

        run_plan(plan, results, work, budget, describe)
        print(f"total {budget.seconds():.0f} s", flush=True)
    if not path.is_file():
        print(f"no spread file {path}; run without --summary first", file=sys.stderr)
        return 1
    print(summary(path))
    return 0


if __name__ == "__main__":
    sys.exit(main())
