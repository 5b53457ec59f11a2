"""Turn a chapter's ``{glue:text}`` numbers into ``{eval}`glued(...)``` ones, readable in JupyterLab too.

myst-nb's ``{glue:text}`` role is rendered by the book only; JupyterLab (with jupyterlab-myst) shows it as raw
text. MyST's ``{eval}`` role is rendered by both: the book from the notebook's stored glue
(``scripts/eval_glue.py``), JupyterLab by asking the kernel (``helpers/glued.py``). For each notebook this script

1. rewrites every ``{glue:text}`REF``` of its markdown cells as ``{eval}`glued("REF")```, where REF is
   ``key``, ``key:format`` or ``other.ipynb::key:format``, unchanged;
2. imports ``glue`` and ``glued`` from ``helpers.glued`` instead of ``glue`` from ``myst_nb`` (the same ``glue``,
   which also remembers each value for ``glued`` in the kernel), keeping the import block sorted;
3. stores in each markdown cell the results JupyterLab would show (cell metadata ``user_expressions``, the
   format jupyterlab-myst writes when a cell runs), computed from the glue stored in the notebook (and, for
   ``other.ipynb::key``, in the other notebook), so the digits show in JupyterLab before anything is run;
4. ends the notebook with the list of the works it cites (``scripts/sync_notebook_references.py``), since
   JupyterLab shows a citation as its key.

Step 3 depends on the stored outputs: run the script again after re-executing a notebook. It is idempotent;
``--check`` changes nothing and exits 1 if a notebook would change, 2 on an error (a key never glued, a
reference it cannot quote).

    python scripts/convert_glue_to_eval.py notebooks/06_mnist.ipynb notebooks/08_what_we_measured.ipynb
    python scripts/convert_glue_to_eval.py --check            # every chapter, changes nothing
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for folder in (ROOT, ROOT / "scripts"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

import notebook_files  # noqa: E402
import sync_notebook_references  # noqa: E402

from helpers.glued import expression_reference, format_text, split_reference, stored_glue  # noqa: E402

GLUE_TEXT_RE = re.compile(r"\{glue:text\}`([^`]*)`")
EVAL_RE = re.compile(r"\{eval\}`([^`]*)`")
OLD_IMPORT = "from myst_nb import glue"
NEW_IMPORT = "from helpers.glued import glue, glued"
IMPORT_RE = re.compile(r"^(?:from\s+(\S+)\s+import|import\s+(\S+))")
GLUED_IMPORT_RE = re.compile(r"^from helpers\.glued import .*\bglued\b", re.M)
METADATA_KEY = "user_expressions"


class ConversionError(ValueError):
    """A notebook cannot be converted as it stands (the message says why and where)."""


def source(cell: dict) -> str:
    """Return a cell's source as one string."""
    text = cell.get("source", "")
    return "".join(text) if isinstance(text, list) else text


def set_source(cell: dict, text: str) -> None:
    """Set a cell's source in the line-list form Jupyter writes."""
    cell["source"] = text.splitlines(keepends=True)


def convert_roles(text: str, where: str) -> str:
    """Rewrite ``{glue:text}`REF``` as ``{eval}`glued("REF")``` in markdown text."""

    def replace(match: re.Match) -> str:
        reference = match.group(1)
        if '"' in reference or "\\" in reference:
            raise ConversionError(f'{where}: cannot quote {{glue:text}}`{reference}` in glued("...")')
        split_reference(reference)  # a clear error for an empty or malformed reference
        return f'{{eval}}`glued("{reference}")`'

    return GLUE_TEXT_RE.sub(replace, text)


def import_sort_key(line: str) -> tuple[int, str]:
    """Sort key of one import line within its block, as ruff's isort orders them (``import`` before ``from``)."""
    match = IMPORT_RE.match(line)
    module = (match.group(1) or match.group(2)) if match else line
    return (1 if line.startswith("from ") else 0, module.lower())


def convert_import(text: str) -> str:
    """Replace ``from myst_nb import glue`` by ``from helpers.glued import glue, glued`` in its sorted place."""
    lines = text.split("\n")
    index = next(i for i, line in enumerate(lines) if line.strip() == OLD_IMPORT)
    del lines[index]
    # the block of import lines the old line was in (ruff sorts each block separated by blank lines)
    start = index
    while start > 0 and IMPORT_RE.match(lines[start - 1]):
        start -= 1
    position = start
    while position < len(lines) and IMPORT_RE.match(lines[position]):
        if import_sort_key(lines[position]) > import_sort_key(NEW_IMPORT):
            break
        position += 1
    lines.insert(position, NEW_IMPORT)
    return "\n".join(lines)


def expression_result(reference: str, notebook: Path, own: dict[str, str], others: dict[str, dict]) -> dict:
    """Return jupyterlab-myst's stored result for ``glued("reference")``: what the kernel's repr of it would be."""
    other, key, fmt = split_reference(reference)
    if other is None:
        values, where = own, notebook.name
    else:
        path = (notebook.parent / other).resolve()
        if path not in others:
            others[path] = stored_glue(path)
        values, where = others[path], other
    if key not in values:
        raise ConversionError(f"{notebook.name}: {key!r} is not glued in {where} (no stored output glues it)")
    text = format_text(values[key], fmt)
    return {"data": {"text/plain": repr(text)}, "metadata": {}, "status": "ok"}


def convert(nb: dict, path: Path, entries: dict[str, str] | None = None) -> list[str]:
    """Convert one notebook in place; return a description of each change (empty: already converted)."""
    changes = []
    cells = nb.get("cells", [])
    converted = 0
    for index, cell in enumerate(cells):
        if cell.get("cell_type") != "markdown":
            continue
        text = source(cell)
        new = convert_roles(text, f"{path.name}, cell {index}")
        if new != text:
            converted += len(GLUE_TEXT_RE.findall(text))
            set_source(cell, new)
    if converted:
        changes.append(f"{converted} {{glue:text}} role(s) rewritten as {{eval}}")
    uses_eval = any(cell.get("cell_type") == "markdown" and EVAL_RE.search(source(cell)) for cell in cells)
    code = [cell for cell in cells if cell.get("cell_type") == "code"]
    has_new = any(GLUED_IMPORT_RE.search(source(cell)) for cell in code)
    with_old = [cell for cell in code if OLD_IMPORT in [line.strip() for line in source(cell).split("\n")]]
    if uses_eval and not has_new:
        if not with_old:
            raise ConversionError(
                f"{path.name}: uses {{eval}} but no code cell has the line {OLD_IMPORT!r} to replace; add "
                f"{NEW_IMPORT!r} (or 'from helpers.glued import glued') to its imports cell and run this again"
            )
        set_source(with_old[0], convert_import(source(with_old[0])))
        changes.append(f"imports {NEW_IMPORT!r}")
    own = stored_glue(path)
    others: dict[Path, dict] = {}
    refreshed = 0
    for index, cell in enumerate(cells):
        if cell.get("cell_type") != "markdown":
            continue
        meta = cell.setdefault("metadata", {})
        expected = []
        for expression in EVAL_RE.findall(source(cell)):
            try:
                reference = expression_reference(expression)
            except ValueError as exc:
                raise ConversionError(f"{path.name}, cell {index}: {exc}") from None
            expected.append({"expression": expression, "result": expression_result(reference, path, own, others)})
        if meta.get(METADATA_KEY, []) != expected:
            refreshed += 1
            if expected:
                meta[METADATA_KEY] = expected
            else:
                meta.pop(METADATA_KEY, None)
    if refreshed:
        changes.append(f"stored {{eval}} results refreshed in {refreshed} markdown cell(s)")
    if entries is None:
        entries = sync_notebook_references.format_entries()
    try:
        if sync_notebook_references.sync(nb, entries, path.name):
            changes.append("references cell updated")
    except ValueError as exc:
        raise ConversionError(str(exc)) from None
    return changes


def main(argv: list[str] | None = None) -> int:
    entries = sync_notebook_references.format_entries()

    def update(notebook: dict, path: Path) -> list[str]:
        try:
            return convert(notebook, path.resolve(), entries)
        except FileNotFoundError as exc:
            raise ConversionError(str(exc)) from None

    return notebook_files.run(argv, __doc__.split("\n\n")[0], update, "python scripts/convert_glue_to_eval.py")


if __name__ == "__main__":
    sys.exit(main())
