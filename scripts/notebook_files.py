"""The command line shared by the scripts that rewrite the chapters' notebook files.

    python scripts/<script>.py [--check] [notebooks ...]     # default: notebooks/[0-9][0-9]_*.ipynb

Each script gives ``run`` a function that updates one notebook (its parsed JSON) in place and returns what it
changed, one short phrase per change (none: the notebook is up to date). ``--check`` changes nothing and exits 1
if a notebook would change; a ``ValueError`` from the function (a clear error about the notebook) exits 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def chapters() -> list[Path]:
    """Return the chapters' notebook files, in order."""
    return sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def write_notebook(path: Path, notebook: dict) -> None:
    """Write a notebook's JSON the way the book stores it (one-space indent, sorted keys, UTF-8)."""
    path.write_text(json.dumps(notebook, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")


def run(argv: list[str] | None, description: str, update: Callable[[dict, Path], list[str]], command: str) -> int:
    """Apply ``update`` to every notebook named in ``argv`` (or every chapter); see the module's docstring."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a notebook would change")
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/[0-9][0-9]_*.ipynb")
    args = parser.parse_args(argv)
    pending = []
    for path in args.notebooks or chapters():
        if path.suffix != ".ipynb" or not path.is_file():
            parser.error(f"{path} is not a notebook file")
        try:
            notebook = json.loads(path.read_text(encoding="utf-8"))
            changes = update(notebook, path)
        except ValueError as exc:  # json.JSONDecodeError included
            print(f"error: {exc}", file=sys.stderr)
            return 2
        if not changes:
            continue
        line = f"{path.name}: " + "; ".join(changes)
        if args.check:
            pending.append(line)
        else:
            write_notebook(path, notebook)
            print(line)
    if pending:
        print(f"out of date (run {command}):\n  " + "\n  ".join(pending))
        return 1
    return 0
