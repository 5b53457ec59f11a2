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

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "scripts") not in sys.path:
    sys.path.insert(0, str(ROOT / "scripts"))

import notebook_files  # noqa: E402

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
    def update(notebook: dict, path: Path) -> list[str]:
        changed = sync(notebook)
        return [f"{changed} cell(s) updated"] if changed else []

    return notebook_files.run(argv, __doc__.split("\n\n")[0], update, "python scripts/sync_hidden_cells.py")


if __name__ == "__main__":
    sys.exit(main())
