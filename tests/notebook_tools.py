"""Small chapter notebooks written for a test (tests/test_glued.py, tests/test_booktools.py)."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat


def glue_output(name: str, text: str) -> dict:
    """A stored output as myst-nb's glue(name, value, display=False) writes it."""
    return nbformat.v4.new_output(
        "display_data",
        data={"application/papermill.record/text/plain": text},
        metadata={"scrapbook": {"name": name, "mime_prefix": "application/papermill.record/"}},
    )


def chapter(folder: Path, markdown: str, glued_values: dict[str, str], name: str = "01_x.ipynb") -> Path:
    """Write a small chapter notebook: an imports cell, a cell that glues values, and one markdown cell."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("from helpers.glued import glue, glued\n\nx = 1", execution_count=1),
        nbformat.v4.new_code_cell("glue(...)", execution_count=2),
        nbformat.v4.new_markdown_cell(markdown),
    ]
    nb.cells[1].outputs = [glue_output(key, text) for key, text in glued_values.items()]
    nb.metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
    }
    path = folder / name
    path.write_text(json.dumps(nb, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return path
