"""Give each chapter notebook its own list of references, for readers of the notebook outside the book.

In the book, ``{cite}`hochreiter1997``` becomes "(Hochreiter and Schmidhuber, 1997)", linked to the bibliography
(sphinxcontrib-bibtex, ``book/references.bib``). JupyterLab's MyST renderer has no bibliography: it shows the
key, ``hochreiter1997``, marked as unresolved; Colab and GitHub show the raw role. So this script ends each
chapter with a markdown cell ``## References`` that lists, alphabetically by key, every work the chapter cites,
formatted from ``book/references.bib`` with the book's style (pybtex's ``plain``). The cell is tagged
``remove-cell``: the book, which has its own bibliography, does not show it.

    python scripts/sync_notebook_references.py            # update notebooks/[0-9][0-9]_*.ipynb in place
    python scripts/sync_notebook_references.py --check    # change nothing; exit 1 if a notebook is out of date
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "scripts") not in sys.path:
    sys.path.insert(0, str(ROOT / "scripts"))

import notebook_files  # noqa: E402

BIB = ROOT / "book" / "references.bib"
CELL_ID = "notebook-references"
CITE_RE = re.compile(r"\{cite(?::\w+)?\}`([^`]*)`")
INTRO = (
    "## References\n\n"
    "*In the book each citation links to its bibliography; here it shows as its key (for example "
    "hochreiter1997). The works this chapter cites:*\n\n"
)


def cited_keys(nb: dict) -> list[str]:
    """Return the citation keys of a notebook's markdown cells (``{cite}`a,b```, ``{cite:t}`c```), sorted."""
    keys = set()
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown" and cell.get("id") != CELL_ID:
            text = "".join(cell.get("source", ""))
            for match in CITE_RE.finditer(text):
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
        "id": CELL_ID,
        "metadata": {"tags": ["remove-cell"]},
        "source": (INTRO + "\n".join(lines)).splitlines(keepends=True),
    }


def sync(nb: dict, entries: dict[str, str], where: str) -> bool:
    """Put the up-to-date references cell at the end of ``nb`` (in place); return whether anything changed."""
    cells = nb.setdefault("cells", [])
    keys = cited_keys(nb)
    current = [cell for cell in cells if cell.get("id") == CELL_ID]
    wanted = [references_cell(keys, entries, where)] if keys else []
    if current == wanted and (not wanted or cells[-1] is current[0]):
        return False
    cells[:] = [cell for cell in cells if cell.get("id") != CELL_ID] + wanted
    return True


def main(argv: list[str] | None = None) -> int:
    entries = format_entries()

    def update(notebook: dict, path: Path) -> list[str]:
        return ["references cell updated"] if sync(notebook, entries, path.name) else []

    return notebook_files.run(argv, __doc__.split("\n\n")[0], update, "python scripts/sync_notebook_references.py")


if __name__ == "__main__":
    sys.exit(main())
