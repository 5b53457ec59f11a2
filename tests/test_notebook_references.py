"""Unit tests of scripts/sync_notebook_references.py: each chapter lists the works it cites, for JupyterLab."""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import sync_notebook_references as refs  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def notebook(*markdown: str) -> dict:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(text) for text in markdown]
    return json.loads(json.dumps(nb))


def test_cited_keys_reads_every_citation_role():
    nb = notebook("See {cite}`hochreiter1997` and {cite:t}`bengio1994`.", "Both {cite}`sutskever2014, cho2014`.")
    assert refs.cited_keys(nb) == ["bengio1994", "cho2014", "hochreiter1997", "sutskever2014"]


def test_entries_are_formatted_from_the_bibliography():
    entries = refs.format_entries()
    assert entries["hochreiter1997"].startswith("Sepp Hochreiter and Jürgen Schmidhuber. Long short-term memory.")
    assert "*Neural Computation*" in entries["hochreiter1997"]


def test_sync_appends_a_hidden_cell_and_is_idempotent():
    nb = notebook("# Title", "As {cite}`hochreiter1997` showed.")
    entries = refs.format_entries()
    assert refs.sync(nb, entries, "x") is True
    last = nb["cells"][-1]
    assert last["id"] == refs.CELL_ID and last["metadata"]["tags"] == ["remove-cell"]  # the book does not show it
    text = "".join(last["source"])
    assert text.startswith("## References") and "- **hochreiter1997** — Sepp Hochreiter" in text
    again = copy.deepcopy(nb)
    assert refs.sync(again, entries, "x") is False and again == nb


def test_sync_moves_the_list_to_the_end_and_drops_it_without_citations():
    entries = refs.format_entries()
    nb = notebook("As {cite}`hochreiter1997` showed.")
    refs.sync(nb, entries, "x")
    nb["cells"].append(notebook("A new last cell.")["cells"][0])
    assert refs.sync(nb, entries, "x") is True and nb["cells"][-1]["id"] == refs.CELL_ID
    nb["cells"][0]["source"] = "No citation any more."
    assert refs.sync(nb, entries, "x") is True and all(cell.get("id") != refs.CELL_ID for cell in nb["cells"])


def test_an_unknown_key_is_a_clear_error():
    with pytest.raises(ValueError, match="cited but not in book/references.bib: nobody2099"):
        refs.sync(notebook("{cite}`nobody2099`"), refs.format_entries(), "x.ipynb")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_chapter_lists_its_references(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    changed = refs.sync(nb, refs.format_entries(), path.name)
    assert not changed, f"run python scripts/sync_notebook_references.py notebooks/{path.name}"
