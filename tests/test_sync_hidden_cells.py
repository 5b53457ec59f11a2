"""Cells the book hides are collapsed in JupyterLab too (scripts/sync_hidden_cells.py)."""

from __future__ import annotations

import json

from tests.load_script import load_script

sync_hidden = load_script("sync_hidden_cells")


def cell(kind="code", tags=(), jupyter=None):
    meta = {"tags": list(tags)} if tags else {}
    if jupyter is not None:
        meta["jupyter"] = jupyter
    return {"cell_type": kind, "metadata": meta, "source": []}


def test_the_chapters_are_in_sync():
    assert sync_hidden.main(["--check"]) == 0, "run: python scripts/sync_hidden_cells.py"


def test_sync_collapses_hidden_code_cells_and_only_those(tmp_path):
    notebook = {
        "cells": [
            cell(tags=["remove-cell"]),
            cell(tags=["hide-input", "nbval-ignore-output"]),
            cell(jupyter={"source_hidden": True, "outputs_hidden": False}),
            cell("markdown", tags=["remove-cell"], jupyter={"source_hidden": True}),
            cell(),
        ]
    }
    assert sync_hidden.sync(notebook) == 4
    metas = [c["metadata"] for c in notebook["cells"]]
    assert metas[0]["jupyter"] == {"source_hidden": True} and metas[1]["jupyter"] == {"source_hidden": True}
    assert metas[2]["jupyter"] == {"outputs_hidden": False} and "jupyter" not in metas[3]
    assert "jupyter" not in metas[4]
    assert sync_hidden.sync(notebook) == 0  # idempotent
    path = tmp_path / "01_x.ipynb"
    path.write_text(json.dumps({"cells": [cell(tags=["remove-cell"])]}))
    assert sync_hidden.main(["--check", str(path)]) == 1
    assert sync_hidden.main([str(path)]) == 0 and sync_hidden.main(["--check", str(path)]) == 0
