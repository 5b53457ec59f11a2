"""Collapse, in JupyterLab and Jupyter Notebook, the code cells the published book hides.

The site hides set-up, glue and assert cells (tag ``remove-cell``) and shows plotting code behind a toggle (tag
``hide-input``). A reader who runs the notebooks locally should meet the same prose, not those cells at full height:
this script sets the standard cell metadata ``"jupyter": {"source_hidden": true}`` on exactly the code cells with
one of those tags, and removes it from every other cell. JupyterLab then shows each such cell as a one-line "..."
that a click expands. ``--check`` changes nothing and exits 1 if a notebook is out of sync (a test runs it).

    python scripts/sync_hidden_cells.py            # update notebooks/*.ipynb in place
    python scripts/sync_hidden_cells.py --check    # report, change nothing
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HIDDEN_TAGS = {"remove-cell", "hide-input"}


def should_hide(cell: dict) -> bool:
    """Whether JupyterLab should collapse this cell's source: a code cell the book hides."""
    return cell["cell_type"] == "code" and bool(HIDDEN_TAGS & set(cell.get("metadata", {}).get("tags", [])))


def sync(notebook: dict) -> int:
    """Set or clear ``source_hidden`` on every cell of ``notebook`` (in place); return how many cells changed."""
    changed = 0
    for cell in notebook["cells"]:
        meta = cell.setdefault("metadata", {})
        jupyter = meta.get("jupyter", {})
        hidden = bool(jupyter.get("source_hidden", False))
        if hidden == should_hide(cell) and (hidden or "source_hidden" not in jupyter):
            continue
        changed += 1
        if should_hide(cell):
            meta["jupyter"] = {**jupyter, "source_hidden": True}
        else:
            jupyter.pop("source_hidden", None)
            if jupyter:
                meta["jupyter"] = jupyter
            else:
                meta.pop("jupyter", None)
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a notebook is out of sync")
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/[0-9][0-9]_*.ipynb")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    out_of_sync = []
    for path in paths:
        if not path.is_file():
            parser.error(f"{path} is not a file")
        notebook = json.loads(path.read_text(encoding="utf-8"))
        changed = sync(notebook)
        if changed and args.check:
            out_of_sync.append(f"{path.name}: {changed} cell(s)")
        elif changed:
            path.write_text(json.dumps(notebook, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
            print(f"{path.name}: {changed} cell(s) updated")
    if out_of_sync:
        print("out of sync (run python scripts/sync_hidden_cells.py):\n  " + "\n  ".join(out_of_sync))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
