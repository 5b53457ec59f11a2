"""The book's tooling (booktools/): ``sync`` and ``check``, the Sphinx extension, ``vendor``, ``set-repo``, and the
resumable runner of the precompute scripts.

The promise of ``sync`` and the Sphinx role: a number written ``{eval}`glued("key:format")``` reads the same in
the book (rendered from the stored glue) and in JupyterLab (shown from the results the notebook stores before a
run), and a wrong key or expression fails the book's build (``-W``) and ``sync``.
"""

from __future__ import annotations

import copy
import hashlib
import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest

from booktools import NOTEBOOKS, ROOT, repository, runner, vendor
from booktools import notebooks as nbtools
from booktools import sphinx as book_sphinx
from booktools.__main__ import main
from helpers.data import Results
from tests.notebook_tools import chapter, glue_output


def test_the_chapters_and_the_vendored_files_are_in_sync(capsys):
    assert main(["check"]) == 0, capsys.readouterr().out + "\nrun: python -m booktools sync"


def test_help_lists_the_commands_without_importing_tensorflow():
    code = (
        "import sys\nfrom booktools.__main__ import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit as exit_:\n    assert exit_.code == 0, exit_.code\n"
        "print('imported:', sorted({'tensorflow', 'keras'} & set(sys.modules)))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert all(command in result.stdout for command in ("sync", "check", "vendor", "set-repo"))
    assert result.stdout.splitlines()[-1] == "imported: []"


# ------------------------------------------------------------------------------------------ sync: hidden cells


def cell(kind="code", tags=(), jupyter=None):
    meta = {"tags": list(tags)} if tags else {}
    if jupyter is not None:
        meta["jupyter"] = jupyter
    return {"cell_type": kind, "metadata": meta, "source": []}


def test_sync_collapses_hidden_code_cells_and_only_those():
    notebook = {
        "cells": [
            cell(tags=["remove-cell"]),
            cell(tags=["hide-input", "nbval-ignore-output"]),
            cell(jupyter={"source_hidden": True, "outputs_hidden": False}),
            cell("markdown", tags=["remove-cell"], jupyter={"source_hidden": True}),
            cell(),
        ]
    }
    assert nbtools.sync_hidden_cells(notebook) == 4
    metas = [c["metadata"] for c in notebook["cells"]]
    assert metas[0]["jupyter"] == {"source_hidden": True} and metas[1]["jupyter"] == {"source_hidden": True}
    assert metas[2]["jupyter"] == {"outputs_hidden": False} and "jupyter" not in metas[3]
    assert "jupyter" not in metas[4]
    assert nbtools.sync_hidden_cells(notebook) == 0  # idempotent


# ------------------------------------------------------------------------------------ sync: stored {eval} results


def ok(text: str) -> dict:
    """What jupyterlab-myst stores when a cell runs: the repr of the string the kernel returns."""
    return {"data": {"text/plain": text}, "metadata": {}, "status": "ok"}


def test_sync_stores_the_eval_results_and_check_then_passes(tmp_path, capsys):
    markdown = 'All {eval}`glued("n:d")` of {eval}`glued("acc:.3f")` and {eval}`glued("acc")`.'
    path = chapter(tmp_path, markdown, {"n": "6", "acc": "0.96512"})
    before = path.read_text(encoding="utf-8")
    assert main(["sync", "--check", str(path)]) == 1
    assert path.read_text(encoding="utf-8") == before, "--check changed the file"
    assert "01_x.ipynb: stored {eval} results refreshed in 1 markdown cell(s)" in capsys.readouterr().out
    assert main(["sync", str(path)]) == 0
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert nb["cells"][2]["metadata"]["user_expressions"] == [
        {"expression": 'glued("n:d")', "result": ok("'6'")},
        {"expression": 'glued("acc:.3f")', "result": ok("'0.965'")},
        {"expression": 'glued("acc")', "result": ok("'0.96512'")},
    ]
    after = path.read_text(encoding="utf-8")
    assert main(["sync", "--check", str(path)]) == 0
    assert main(["sync", str(path)]) == 0 and path.read_text(encoding="utf-8") == after, "not idempotent"


def test_stale_stored_results_are_refreshed(tmp_path):
    """After re-execution the glued value changes: the stored JupyterLab result must follow (--check sees it)."""
    path = chapter(tmp_path, '{eval}`glued("n")`', {"n": "6"})
    main(["sync", str(path)])
    nb = json.loads(path.read_text(encoding="utf-8"))
    nb["cells"][1]["outputs"] = [glue_output("n", "7")]
    path.write_text(json.dumps(nb), encoding="utf-8")
    assert main(["sync", "--check", str(path)]) == 1
    assert main(["sync", str(path)]) == 0
    assert "'7'" in json.dumps(json.loads(path.read_text(encoding="utf-8"))["cells"][2]["metadata"])


def test_cross_notebook_references_use_the_other_notebooks_outputs(tmp_path):
    chapter(tmp_path, "text", {"loss": "0.4567"}, name="02_y.ipynb")
    path = chapter(tmp_path, '{eval}`glued("02_y.ipynb::loss:.2f")`', {})
    assert main(["sync", str(path)]) == 0
    meta = json.loads(path.read_text(encoding="utf-8"))["cells"][2]["metadata"]
    assert meta["user_expressions"][0]["result"]["data"]["text/plain"] == "'0.46'"


@pytest.mark.parametrize(
    ("markdown", "message"),
    [('{eval}`glued("nowhere")`', "'nowhere' is not glued in 01_x.ipynb"),
     ("{eval}`n_agree`", "takes glued"),
     ('{eval}`glued("02_none.ipynb::k")`', "no notebook"),
     ("{cite}`nobody2099`", "cited but not in book/references.bib: nobody2099")],
)
def test_errors_are_clear_and_exit_2(tmp_path, capsys, markdown, message):
    path = chapter(tmp_path, markdown, {"n": "6"})
    before = path.read_text(encoding="utf-8")
    assert main(["sync", str(path)]) == 2
    assert message in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == before


def test_a_file_that_is_not_a_notebook_is_refused(tmp_path, capsys):
    assert main(["sync", str(tmp_path / "notes.txt")]) == 2
    assert "is not a notebook file" in capsys.readouterr().err


# ------------------------------------------------------------------------------------------ sync: references


def notebook(*markdown: str) -> dict:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(text) for text in markdown]
    return json.loads(json.dumps(nb))


@pytest.fixture(scope="module")
def entries() -> dict[str, str]:
    return nbtools.format_entries()


def test_cited_keys_reads_every_citation_role():
    nb = notebook("See {cite}`hochreiter1997` and {cite:t}`bengio1994`.", "Both {cite}`sutskever2014, cho2014`.")
    assert nbtools.cited_keys(nb) == ["bengio1994", "cho2014", "hochreiter1997", "sutskever2014"]


def test_references_are_formatted_from_the_bibliography_in_a_hidden_last_cell(entries):
    nb = notebook("# Title", "As {cite}`hochreiter1997` showed.")
    assert nbtools.sync_references(nb, entries, "x") is True
    last = nb["cells"][-1]
    assert last["id"] == nbtools.REFERENCES_ID and last["metadata"]["tags"] == ["remove-cell"]  # the book hides it
    text = "".join(last["source"])
    assert text.startswith("## References")
    assert "- **hochreiter1997** — Sepp Hochreiter and Jürgen Schmidhuber. Long short-term memory." in text
    assert "*Neural Computation*" in text
    again = copy.deepcopy(nb)
    assert nbtools.sync_references(again, entries, "x") is False and again == nb


def test_the_list_moves_to_the_end_and_goes_without_citations(entries):
    nb = notebook("As {cite}`hochreiter1997` showed.")
    nbtools.sync_references(nb, entries, "x")
    nb["cells"].append(notebook("A new last cell.")["cells"][0])
    assert nbtools.sync_references(nb, entries, "x") is True and nb["cells"][-1]["id"] == nbtools.REFERENCES_ID
    nb["cells"][0]["source"] = "No citation any more."
    assert nbtools.sync_references(nb, entries, "x") is True
    assert all(cell.get("id") != nbtools.REFERENCES_ID for cell in nb["cells"])


# --------------------------------------------------------------------------------------- the Sphinx extension


def build(tmp_path: Path, markdown: str, other_markdown: str = "text") -> tuple[int, str, str]:
    """Build a two-notebook Sphinx project with myst-nb and the book's extension; return (status, html, log)."""
    from io import StringIO

    from sphinx.application import Sphinx

    src = tmp_path / "src"
    src.mkdir()
    chapter(src, "# One\n\n" + markdown, {"n": "6", "acc": "0.96512", "name": "'LSTM'"}, name="one.ipynb")
    chapter(src, "# Two\n\n" + other_markdown, {"loss": "0.4567"}, name="two.ipynb")
    (src / "index.md").write_text("# Book\n\n```{toctree}\none\ntwo\n```\n", encoding="utf-8")
    (src / "conf.py").write_text("extensions = ['myst_nb', 'booktools.sphinx']\nnb_execution_mode = 'off'\n")
    log = StringIO()
    app = Sphinx(str(src), str(src), str(tmp_path / "out"), str(tmp_path / "doctrees"), "html",
                 status=None, warning=log, warningiserror=True, keep_going=True)
    try:
        app.build()
    except Exception as exc:  # noqa: BLE001 - Sphinx raises on a warning with -W; the log says which
        log.write(str(exc))
    page = tmp_path / "out" / "one.html"
    html = page.read_text(encoding="utf-8") if page.exists() else ""
    return app.statuscode, html, log.getvalue()


def test_sphinx_renders_eval_from_stored_glue(tmp_path):
    status, html, log = build(
        tmp_path, 'All {eval}`glued("n")`, {eval}`glued("acc:.3f")`, {eval}`glued("name")`, '
        '{eval}`glued("two.ipynb::loss:.2f")`.'
    )
    assert status == 0, log
    text = html.replace('<span class="pasted-text">', "").replace("</span>", "")
    assert "All 6, 0.965, LSTM, 0.46." in text
    assert "glued(" not in html


@pytest.mark.parametrize(
    ("markdown", "message"),
    [('{eval}`glued("nowhere")`', "nowhere"),
     ("{eval}`n`", "takes glued"),
     ('{eval}`glued("two.ipynb::nowhere")`', "nowhere"),
     ('{eval}`glued("name:.3f")`', "cannot format")],
)
def test_sphinx_fails_with_W_on_a_bad_eval(tmp_path, markdown, message):
    status, _, log = build(tmp_path, markdown)
    assert status != 0 and message in log, log


def test_page_bodies_get_citations_as_list_items_and_summaries_named_by_their_text():
    body = (
        '<div role="list" class="citation-list">'
        '<div class="citation" id="werbos1990" role="doc-biblioentry">W</div>'
        '<div class="citation" id="williams1990" role="doc-biblioentry">P</div></div>'
        '<details><summary aria-label="Toggle hidden content">Show code cell source</summary></details>'
        '<p role="doc-biblioentry">left alone: not a citation</p>'
    )
    context = {"body": body}
    book_sphinx.fix_body(None, "page", "page.html", context, None)
    fixed = context["body"]
    assert fixed.count('role="listitem"') == 2 and fixed.count('role="doc-biblioentry"') == 1
    assert '<div class="citation" id="werbos1990" role="listitem">' in fixed
    assert "<summary>Show code cell source</summary>" in fixed and "aria-label" not in fixed
    untouched = {"body": None}
    book_sphinx.fix_body(None, "page", "page.html", untouched, None)
    assert untouched == {"body": None}


def test_the_first_copy_of_each_script_is_kept():
    def script(filename, **attributes):
        return SimpleNamespace(filename=filename, attributes=attributes)

    thebe = script(None, body="const THEBE_JS_URL = 1")
    again = script("", body="const THEBE_JS_URL = 1")  # Sphinx 7.4's second copy: file name "" instead of None
    other = script(None, body="const OTHER = 2")
    deferred = script("_static/a.js", defer="defer")
    plain = script("_static/a.js")  # the same file with other attributes: a different script
    scripts = [thebe, "_static/b.js", again, other, deferred, "_static/b.js", plain]
    context = {"script_files": scripts}
    book_sphinx.drop_duplicate_scripts(None, "page", "page.html", context, None)
    assert context["script_files"] is scripts  # changed in place: Sphinx holds the list
    assert [id(s) for s in scripts] == [id(s) for s in (thebe, "_static/b.js", other, deferred, plain)]


# ------------------------------------------------------------------------------------------------- vendor


def test_vendor_check_names_every_kind_of_problem(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "vendor"
    (folder / "pkg").mkdir(parents=True)
    (folder / "pkg" / "kept.js").write_text("kept")
    (folder / "pkg" / "changed.js").write_text("changed after the manifest")
    (folder / "pkg" / "extra.js").write_text("never listed")
    files = {
        "pkg/kept.js": hashlib.sha256(b"kept").hexdigest(),
        "pkg/changed.js": hashlib.sha256(b"as fetched").hexdigest(),
        "pkg/gone.js": hashlib.sha256(b"gone").hexdigest(),
    }
    manifest = folder / "MANIFEST.json"
    manifest.write_text(json.dumps({"packages": {"pkg": {"files": files}}}))
    monkeypatch.setattr(vendor, "VENDOR", folder)
    monkeypatch.setattr(vendor, "MANIFEST", manifest)
    assert vendor.check() == [
        "checksum differs: pkg/changed.js",
        "missing: pkg/gone.js",
        "not in MANIFEST.json: pkg/extra.js",
    ]
    assert main(["vendor", "--check"]) == 1
    assert "vendored assets: 3 problem(s)" in capsys.readouterr().out
    manifest.unlink()
    assert vendor.check() == [f"{manifest} is missing"]


# ----------------------------------------------------------------------------------------------- set-repo


@pytest.mark.parametrize("url", ["http://github.com/me/fork", "https://github.com/me", "https://gitlab.com/a/b"])
def test_set_repo_refuses_an_address_it_cannot_use(url, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["set-repo", url])
    assert exit_.value.code == 2
    assert f"expected an address https://github.com/<owner>/<name>, got {url!r}" in capsys.readouterr().err


def test_set_repo_rewrites_config_set_up_cells_and_pages(tmp_path, monkeypatch):
    old = repository.current_url()
    for name in ("_config.yml", "CONTRIBUTING.md"):
        (tmp_path / name).write_text((ROOT / name).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "notebooks").mkdir()
    first = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))[0]
    (tmp_path / "notebooks" / first.name).write_text(first.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(repository, "ROOT", tmp_path)
    monkeypatch.setattr(repository, "NOTEBOOKS", tmp_path / "notebooks")
    url = "https://github.com/me/my-fork"
    assert repository.set_repository(repository.normalise_url(url + ".git")) == 0
    assert repository.current_url() == url
    assert f'REPOSITORY = \\"{url}\\"' in (tmp_path / "notebooks" / first.name).read_text(encoding="utf-8")
    contributing = (tmp_path / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert url in contributing and old not in contributing


# ------------------------------------------------------------------------------------------------- runner


def test_runner_appends_each_run_skips_finished_ones_and_compares_keys_as_numbers(tmp_path, capsys):
    results = Results(tmp_path / "runs.csv", ("model", "seed", "accuracy"), ("model", "seed"), "make runs")
    trained = []

    def work(run):
        trained.append(run["seed"])
        return {**run, "accuracy": 0.5}

    plan = [{"model": "LSTM", "seed": 1}, {"model": "LSTM", "seed": 2}]
    assert runner.run_plan(plan, results, work, runner.Budget()) is True
    assert results.path.read_text().splitlines() == ["model,seed,accuracy", "LSTM,1,0.5", "LSTM,2,0.5"]
    again = [{"model": "LSTM", "seed": 1.0}, {"model": "LSTM", "seed": "2"}, {"model": "GRU", "seed": 1}]
    assert runner.run_plan(again, results, work, runner.Budget()) is True
    assert trained == [1, 2, 1] and len(results.path.read_text().splitlines()) == 4
    assert "2 runs already in runs.csv, 1 to go" in capsys.readouterr().out


def test_runner_stops_starting_runs_when_the_minutes_are_spent(tmp_path, capsys):
    results = Results(tmp_path / "runs.csv", ("seed",), ("seed",), "make runs")
    budget = runner.Budget(minutes=1)
    budget.started -= 61  # a minute and a second ago
    assert runner.run_plan([{"seed": 1}], results, lambda run: run, budget) is False
    assert not results.path.exists()
    assert "stopping after 1 minutes; run again to resume" in capsys.readouterr().out


def test_runner_refuses_a_row_with_a_column_the_file_lacks(tmp_path):
    results = Results(tmp_path / "runs.csv", ("seed",), ("seed",), "make runs")
    with pytest.raises(ValueError, match=r"runs.csv has no column\(s\) \['loss'\]"):
        runner.append(results, [{"seed": 1, "loss": 0.1}])


@pytest.mark.parametrize(("value", "message"), [("0", "must be positive; got 0"), ("soon", "expected a number")])
def test_minutes_must_be_a_positive_number(value, message, capsys):
    import argparse

    parser = argparse.ArgumentParser()
    runner.minutes_argument(parser)
    with pytest.raises(SystemExit):
        parser.parse_args(["--minutes", value])
    assert f"argument --minutes: {message}" in capsys.readouterr().err


# ------------------------------------------------------------------ the page is the source (#@save)
def saving_notebook(path, body: str) -> None:
    """Write a one-cell notebook whose cell is marked '#@save helpers/lesson.py' and defines ``body``."""
    cell = {"cell_type": "code", "metadata": {}, "outputs": [], "source": f"#@save helpers/lesson.py\n{body}"}
    path.write_text(json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))


def test_export_writes_the_pages_functions_and_check_sees_a_stale_module(tmp_path):
    from booktools.export import BEGIN, END, sync_exports

    page, helpers = tmp_path / "01_x.ipynb", tmp_path / "helpers"
    helpers.mkdir()
    module = helpers / "lesson.py"
    markers = [line.format(notebook="notebooks/01_x.ipynb") for line in (BEGIN, END)]
    module.write_text("import numpy as np\n\n\n" + "\n".join(markers) + "\n\n\nPLUMBING = 1\n")
    saving_notebook(page, "def step(h):\n    return np.tanh(h)\n")
    assert sync_exports([page], helpers) == ["helpers/lesson.py: exported functions updated from notebooks/01_x.ipynb"]
    assert "def step(h):\n    return np.tanh(h)\n" + markers[1] in module.read_text()
    assert sync_exports([page], helpers, check=True) == []  # up to date
    saving_notebook(page, "def step(h):\n    return np.maximum(h, 0)\n")  # the page changed
    assert sync_exports([page], helpers, check=True) and "np.tanh" in module.read_text()  # check changes nothing


def test_export_refuses_a_marked_cell_without_a_function_and_a_module_without_its_block(tmp_path):
    from booktools.export import ExportError, sync_exports

    page, helpers = tmp_path / "01_x.ipynb", tmp_path / "helpers"
    helpers.mkdir()
    (helpers / "lesson.py").write_text("PLUMBING = 1\n")
    saving_notebook(page, "x = 1\n")
    with pytest.raises(ExportError, match="defines no function"):
        sync_exports([page], helpers)
    saving_notebook(page, "def step(h):\n    return h\n")
    with pytest.raises(ExportError, match="has no block exported from notebooks/01_x.ipynb"):
        sync_exports([page], helpers)
