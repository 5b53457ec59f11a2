"""Unit tests of helpers/glued.py, scripts/convert_glue_to_eval.py and the Sphinx role of scripts/eval_glue.py.

The promise they check: a number written ``{eval}`glued("key:format")``` reads the same in the book (rendered
from the stored glue by the Sphinx role) and in JupyterLab (evaluated by the kernel, or shown from the results
the notebook stores), and a wrong key or expression fails the book's build (``-W``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import convert_glue_to_eval as convert  # noqa: E402

from helpers import glued  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def glue_output(name: str, text: str) -> dict:
    """A stored output as myst-nb's glue(name, value, display=False) writes it."""
    return nbformat.v4.new_output(
        "display_data",
        data={"application/papermill.record/text/plain": text},
        metadata={"scrapbook": {"name": name, "mime_prefix": "application/papermill.record/"}},
    )


def chapter(tmp_path: Path, markdown: str, glued_values: dict[str, str], name: str = "01_x.ipynb") -> Path:
    """Write a small chapter notebook: an imports cell, a cell that glues values, and one markdown cell."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("import numpy as np\nfrom myst_nb import glue\n\nx = 1", execution_count=1),
        nbformat.v4.new_code_cell("glue(...)", execution_count=2),
        nbformat.v4.new_markdown_cell(markdown),
    ]
    nb.cells[1].outputs = [glue_output(key, text) for key, text in glued_values.items()]
    nb.metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
    }
    path = tmp_path / name
    path.write_text(json.dumps(nb, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return path


# ------------------------------------------------------------------------------------------- helpers.glued


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        ("n_agree", (None, "n_agree", "s")),
        ("accuracy:.3f", (None, "accuracy", ".3f")),
        ("05_long_memory.ipynb::add_lstm:.3f", ("05_long_memory.ipynb", "add_lstm", ".3f")),
        ("06_mnist.ipynb::best_name", ("06_mnist.ipynb", "best_name", "s")),
        ("params:,d", (None, "params", ",d")),
    ],
)
def test_split_reference(reference, expected):
    assert glued.split_reference(reference) == expected


@pytest.mark.parametrize("reference", ["", "  ", ":.3f", "a.ipynb::", "::key", None])
def test_split_reference_refuses_malformed(reference):
    with pytest.raises(ValueError, match="glued reference"):
        glued.split_reference(reference)


@pytest.mark.parametrize(
    ("text", "fmt", "shown"),
    [("6", "s", "6"), ("0.99512", ".3f", "0.995"), ("36794", ",d", "36,794"), ("7e-07", ".0e", "7e-07"),
     ("'LSTM(64)'", "s", "LSTM(64)"), ("0.5", "", "0.5")],
)
def test_format_text_is_myst_nbs(text, fmt, shown):
    from myst_nb.core.variables import format_plain_text

    assert glued.format_text(text, fmt) == format_plain_text(text, fmt) == shown


def test_glue_remembers_the_value_for_glued(monkeypatch):
    shown = []
    monkeypatch.setattr("myst_nb.glue", lambda name, value, display=True: shown.append((name, value, display)))
    monkeypatch.setattr(glued, "_GLUED_HERE", {})
    glued.glue("accuracy", 0.96512, display=False)
    glued.glue("name", "LSTM", display=False)
    assert shown == [("accuracy", 0.96512, False), ("name", "LSTM", False)]
    assert glued.glued("accuracy:.3f") == "0.965"
    assert glued.glued("accuracy") == "0.96512"
    assert glued.glued("name") == "LSTM"


def test_glued_falls_back_to_the_stored_notebook(tmp_path, monkeypatch):
    """Before the cell that glues a key has run, glued shows the value stored in the notebook JupyterLab runs."""
    path = chapter(tmp_path, "text", {"later": "0.125"})
    monkeypatch.setattr(glued, "_GLUED_HERE", {})
    monkeypatch.setenv("JPY_SESSION_NAME", str(path))
    assert glued.glued("later:.2f") == "0.12"
    with pytest.raises(KeyError, match="glued neither in this kernel nor in 01_x.ipynb"):
        glued.glued("missing")
    # Jupyter Server may name the session by its path under the server's root: found in the book's notebooks
    monkeypatch.setenv("JPY_SESSION_NAME", "notebooks/01_roommate.ipynb")
    assert glued.glued("n_cases") == "6"
    monkeypatch.delenv("JPY_SESSION_NAME")
    with pytest.raises(KeyError, match="not glued yet in this kernel"):
        glued.glued("later")


def test_glued_reads_another_chapter_from_its_stored_outputs():
    stored = glued.stored_glue("01_roommate.ipynb")
    assert glued.glued("01_roommate.ipynb::n_cases:d") == stored["n_cases"] == "6"
    with pytest.raises(FileNotFoundError, match="no notebook"):
        glued.glued("99_nothing.ipynb::x")
    with pytest.raises(KeyError, match="'nothing' is not glued in 01_roommate.ipynb"):
        glued.glued("01_roommate.ipynb::nothing")


@pytest.mark.parametrize(
    ("expression", "reference"),
    [('glued("n_agree")', "n_agree"), (' glued("a.ipynb::k:.2f") ', "a.ipynb::k:.2f")],
)
def test_expression_reference(expression, reference):
    assert glued.expression_reference(expression) == reference


@pytest.mark.parametrize("expression", ["n_agree", "glued('n_agree')", 'glued("a") + 1', 'f"{x:.3f}"', "glued()"])
def test_expression_reference_refuses_other_expressions(expression):
    with pytest.raises(ValueError, match=r'\{eval\} in this book takes glued\("key"\)'):
        glued.expression_reference(expression)


# ------------------------------------------------------------------------------ scripts/convert_glue_to_eval


def test_convert_rewrites_roles_import_and_stored_results(tmp_path):
    markdown = "All {glue:text}`n:d` of {glue:text}`acc:.3f` and {glue:text}`acc`."
    path = chapter(tmp_path, markdown, {"n": "6", "acc": "0.96512"})
    assert convert.main([str(path)]) == 0
    nb = json.loads(path.read_text(encoding="utf-8"))
    markdown = nb["cells"][2]
    assert convert.source(markdown) == 'All {eval}`glued("n:d")` of {eval}`glued("acc:.3f")` and {eval}`glued("acc")`.'
    assert convert.source(nb["cells"][0]) == "import numpy as np\nfrom helpers.glued import glue, glued\n\nx = 1"
    # what jupyterlab-myst stores when the cell runs: the repr of the string the kernel returns
    def ok(text: str) -> dict:
        return {"data": {"text/plain": text}, "metadata": {}, "status": "ok"}

    assert markdown["metadata"]["user_expressions"] == [
        {"expression": 'glued("n:d")', "result": ok("'6'")},
        {"expression": 'glued("acc:.3f")', "result": ok("'0.965'")},
        {"expression": 'glued("acc")', "result": ok("'0.96512'")},
    ]
    before = path.read_text(encoding="utf-8")
    assert convert.main(["--check", str(path)]) == 0
    assert convert.main([str(path)]) == 0
    assert path.read_text(encoding="utf-8") == before, "not idempotent"


def test_check_reports_and_changes_nothing(tmp_path, capsys):
    path = chapter(tmp_path, "{glue:text}`n`", {"n": "6"})
    before = path.read_text(encoding="utf-8")
    assert convert.main(["--check", str(path)]) == 1
    assert path.read_text(encoding="utf-8") == before
    assert "01_x.ipynb: 1 {glue:text} role(s) rewritten" in capsys.readouterr().out


def test_stale_stored_results_are_refreshed(tmp_path):
    """After re-execution the glued value changes: the stored JupyterLab result must follow (--check sees it)."""
    path = chapter(tmp_path, "{glue:text}`n`", {"n": "6"})
    convert.main([str(path)])
    nb = json.loads(path.read_text(encoding="utf-8"))
    nb["cells"][1]["outputs"] = [glue_output("n", "7")]
    path.write_text(json.dumps(nb), encoding="utf-8")
    assert convert.main(["--check", str(path)]) == 1
    assert convert.main([str(path)]) == 0
    assert "'7'" in json.dumps(json.loads(path.read_text(encoding="utf-8"))["cells"][2]["metadata"])


def test_cross_notebook_references_use_the_other_notebooks_outputs(tmp_path):
    chapter(tmp_path, "text", {"loss": "0.4567"}, name="02_y.ipynb")
    path = chapter(tmp_path, "{glue:text}`02_y.ipynb::loss:.2f`", {})
    assert convert.main([str(path)]) == 0
    meta = json.loads(path.read_text(encoding="utf-8"))["cells"][2]["metadata"]
    assert meta["user_expressions"][0]["result"]["data"]["text/plain"] == "'0.46'"


@pytest.mark.parametrize(
    ("markdown", "message"),
    [("{glue:text}`nowhere`", "'nowhere' is not glued in 01_x.ipynb"),
     ('{glue:text}`say"hi`', "cannot quote"),
     ("{eval}`n_agree`", "takes glued"),
     ("{glue:text}`02_none.ipynb::k`", "no notebook")],
)
def test_errors_are_clear_and_exit_2(tmp_path, capsys, markdown, message):
    path = chapter(tmp_path, markdown, {"n": "6"})
    before = path.read_text(encoding="utf-8")
    assert convert.main([str(path)]) == 2
    assert message in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == before


def test_a_notebook_without_the_glue_import_is_refused(tmp_path, capsys):
    path = chapter(tmp_path, "{glue:text}`n`", {"n": "6"})
    nb = json.loads(path.read_text(encoding="utf-8"))
    nb["cells"][0]["source"] = "x = 1"
    path.write_text(json.dumps(nb), encoding="utf-8")
    assert convert.main([str(path)]) == 2
    assert "add 'from helpers.glued import glue, glued'" in capsys.readouterr().err
    nb["cells"][0]["source"] = "from helpers.glued import glued\n\nx = 1"
    path.write_text(json.dumps(nb), encoding="utf-8")
    assert convert.main([str(path)]) == 0


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_chapters_are_converted_and_their_stored_results_current(path):
    """Every chapter writes its numbers with {eval} and stores the results JupyterLab shows before a run."""
    result = convert.main(["--check", str(path)])
    assert result == 0, f"run python scripts/convert_glue_to_eval.py notebooks/{path.name}"


# ----------------------------------------------------------------------------------- scripts/eval_glue (Sphinx)


def build(tmp_path: Path, markdown: str, other_markdown: str = "text") -> tuple[int, str, str]:
    """Build a two-notebook Sphinx project with myst-nb and the book's eval role; return (status, html, log)."""
    from io import StringIO

    from sphinx.application import Sphinx

    src = tmp_path / "src"
    src.mkdir()
    chapter(src, "# One\n\n" + markdown, {"n": "6", "acc": "0.96512", "name": "'LSTM'"}, name="one.ipynb")
    chapter(src, "# Two\n\n" + other_markdown, {"loss": "0.4567"}, name="two.ipynb")
    (src / "index.md").write_text("# Book\n\n```{toctree}\none\ntwo\n```\n", encoding="utf-8")
    (src / "conf.py").write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT / 'scripts')!r})\n"
        "extensions = ['myst_nb', 'eval_glue']\nnb_execution_mode = 'off'\n",
        encoding="utf-8",
    )
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
