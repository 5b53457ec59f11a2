"""``python -m booktools sync``: bring the chapters' notebook files up to date after they are executed or edited.

Three rewrites, each idempotent, applied in this order to every chapter (or the notebooks named), and then the
export of every chapter's ``#@save`` cells into ``helpers/`` (``booktools/export.py``):

1. **Hidden cells.** The site hides set-up, glue and assert cells (tag ``remove-cell``) and shows plotting code
   behind a toggle (``hide-input``). A reader who runs a notebook locally should meet the same prose: the code
   cells with one of those tags get ``"jupyter": {"source_hidden": true}``, and no other cell has it.
2. **Stored {eval} results.** In JupyterLab, jupyterlab-myst evaluates ``{eval}`glued("key:format")``` in the
   kernel; the notebook stores the last results (cell metadata ``user_expressions``), so the digits show before
   anything runs. They are computed here from the glue stored in the notebook (and, for
   ``other.ipynb::key``, in the other notebook): run ``sync`` again after re-executing a chapter.
3. **References.** JupyterLab shows ``{cite}`hochreiter1997``` as its key, so each chapter ends with a hidden
   (``remove-cell``) markdown cell ``## References`` listing, alphabetically by key, every work it cites,
   formatted from ``book/references.bib`` in the book's style (pybtex's ``plain``).

``--check`` changes nothing and exits 1 if a notebook would change; a notebook it cannot bring up to date (a key
never glued, a citation missing from the bibliography) exits 2 with a message naming it.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from booktools import NOTEBOOKS, ROOT
from booktools.export import sync_exports
from helpers.glued import expression_reference, format_text, split_reference, stored_glue

COMMAND = "python -m booktools sync"
HIDDEN_TAGS = {"remove-cell", "hide-input"}
EVAL_RE = re.compile(r"\{eval\}`([^`]*)`")
METADATA_KEY = "user_expressions"
BIB = ROOT / "book" / "references.bib"
REFERENCES_ID = "notebook-references"
CITE_RE = re.compile(r"\{cite(?::\w+)?\}`([^`]*)`")
REFERENCES_INTRO = (
    "## References\n\n"
    "*In the book each citation links to its bibliography; here it shows as its key (for example "
    "hochreiter1997). The works this chapter cites:*\n\n"
)


def chapters() -> list[Path]:
    """Return the chapters' notebook files, in order."""
    return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def source(cell: dict) -> str:
    """Return a cell's source as one string."""
    text = cell.get("source", "")
    return "".join(text) if isinstance(text, list) else text


def write_notebook(path: Path, notebook: dict) -> None:
    """Write a notebook's JSON the way the book stores it (one-space indent, sorted keys, UTF-8)."""
    path.write_text(json.dumps(notebook, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")


# ------------------------------------------------------------------------------------------- hidden cells


def should_hide(cell: dict) -> bool:
    """Whether JupyterLab should collapse this cell's source: a code cell the book hides."""
    return cell["cell_type"] == "code" and bool(HIDDEN_TAGS & set(cell.get("metadata", {}).get("tags", [])))


def sync_hidden_cells(notebook: dict) -> int:
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


# ------------------------------------------------------------------------------------- stored {eval} results


def expression_result(reference: str, notebook: Path, own: dict[str, str], others: dict[Path, dict]) -> dict:
    """Return jupyterlab-myst's stored result for ``glued("reference")``: what the kernel's repr of it would be."""
    other, key, fmt = split_reference(reference)
    if other is None:
        values, where = own, notebook.name
    else:
        path = (notebook.parent / other).resolve()
        if path not in others:
            try:
                others[path] = stored_glue(path)
            except FileNotFoundError as exc:
                raise ValueError(f"{notebook.name}: {exc}") from None
        values, where = others[path], other
    if key not in values:
        raise ValueError(f"{notebook.name}: {key!r} is not glued in {where} (no stored output glues it)")
    text = format_text(values[key], fmt)
    return {"data": {"text/plain": repr(text)}, "metadata": {}, "status": "ok"}


def sync_eval_results(notebook: dict, path: Path) -> int:
    """Store in each markdown cell the results of its ``{eval}`` expressions; return how many cells changed."""
    own = stored_glue(path)
    others: dict[Path, dict] = {}
    refreshed = 0
    for index, cell in enumerate(notebook.get("cells", [])):
        if cell.get("cell_type") != "markdown":
            continue
        meta = cell.setdefault("metadata", {})
        expected = []
        for expression in EVAL_RE.findall(source(cell)):
            try:
                reference = expression_reference(expression)
            except ValueError as exc:
                raise ValueError(f"{path.name}, cell {index}: {exc}") from None
            expected.append({"expression": expression, "result": expression_result(reference, path, own, others)})
        if meta.get(METADATA_KEY, []) != expected:
            refreshed += 1
            if expected:
                meta[METADATA_KEY] = expected
            else:
                meta.pop(METADATA_KEY, None)
    return refreshed


# ------------------------------------------------------------------------------------------------ references


def cited_keys(notebook: dict) -> list[str]:
    """Return the citation keys of a notebook's markdown cells (``{cite}`a,b```, ``{cite:t}`c```), sorted."""
    keys = set()
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "markdown" and cell.get("id") != REFERENCES_ID:
            for match in CITE_RE.finditer(source(cell)):
                keys.update(key.strip() for key in match.group(1).split(",") if key.strip())
    return sorted(keys)


def format_entries(bib_path: Path = BIB) -> dict[str, str]:
    """Return ``{key: markdown}`` for every entry of the bibliography, in pybtex's ``plain`` style (the book's)."""
    from pybtex.database import parse_file
    from pybtex.plugin import find_plugin

    data = parse_file(str(bib_path))
    style = find_plugin("pybtex.style.formatting", "plain")()
    backend = find_plugin("pybtex.backends", "markdown")()
    return {
        # pybtex escapes every punctuation mark; these ones need no escape mid-line, and read better unescaped
        entry.key: re.sub(r"\\([.\-()!:,])", r"\1", " ".join(entry.text.render(backend).split()))
        for entry in style.format_entries(data.entries.values())
    }


def references_cell(keys: list[str], entries: dict[str, str], where: str) -> dict:
    """Return the hidden markdown cell that lists ``keys``."""
    missing = [key for key in keys if key not in entries]
    if missing:
        raise ValueError(f"{where}: cited but not in {BIB.relative_to(ROOT)}: {', '.join(missing)}")
    lines = [f"- **{key}** — {entries[key]}" for key in keys]
    return {
        "cell_type": "markdown",
        "id": REFERENCES_ID,
        "metadata": {"tags": ["remove-cell"]},
        "source": (REFERENCES_INTRO + "\n".join(lines)).splitlines(keepends=True),
    }


def sync_references(notebook: dict, entries: dict[str, str], where: str) -> bool:
    """Put the up-to-date references cell at the end of ``notebook`` (in place); return whether anything changed."""
    cells = notebook.setdefault("cells", [])
    keys = cited_keys(notebook)
    current = [cell for cell in cells if cell.get("id") == REFERENCES_ID]
    wanted = [references_cell(keys, entries, where)] if keys else []
    if current == wanted and (not wanted or cells[-1] is current[0]):
        return False
    cells[:] = [cell for cell in cells if cell.get("id") != REFERENCES_ID] + wanted
    return True


# ------------------------------------------------------------------------------------------------------ sync


def sync_notebook(notebook: dict, path: Path, entries: dict[str, str]) -> list[str]:
    """Apply the three rewrites to one notebook (in place); return what changed, one phrase per rewrite."""
    changes = []
    if hidden := sync_hidden_cells(notebook):
        changes.append(f"{hidden} cell(s) collapsed or expanded")
    if refreshed := sync_eval_results(notebook, path.resolve()):
        changes.append(f"stored {{eval}} results refreshed in {refreshed} markdown cell(s)")
    if sync_references(notebook, entries, path.name):
        changes.append("references cell updated")
    return changes


def sync(paths: list[Path] | None = None, check: bool = False) -> int:
    """Sync every notebook in ``paths`` (default: every chapter); print what changed; return the exit status."""
    entries = format_entries()
    pending = []
    for path in paths or chapters():
        if path.suffix != ".ipynb" or not path.is_file():
            print(f"error: {path} is not a notebook file", file=sys.stderr)
            return 2
        try:
            notebook = json.loads(path.read_text(encoding="utf-8"))
            changes = sync_notebook(notebook, path, entries)
        except ValueError as exc:  # json.JSONDecodeError included
            print(f"error: {exc}", file=sys.stderr)
            return 2
        if not changes:
            continue
        line = f"{path.name}: " + "; ".join(changes)
        if check:
            pending.append(line)
        else:
            write_notebook(path, notebook)
            print(line)
    try:  # the page is the source of the code it teaches: #@save cells into helpers/ (booktools/export.py)
        exported = sync_exports(chapters(), check=check)
    except (ValueError, SyntaxError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if check:
        pending += exported
    else:
        for line in exported:
            print(line)
    if pending:
        print(f"out of date (run {COMMAND}):\n  " + "\n  ".join(pending))
        return 1
    return 0
