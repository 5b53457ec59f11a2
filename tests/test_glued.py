"""Unit tests of helpers/glued.py: a number written ``{eval}`glued("key:format")``` in JupyterLab, from the kernel
or from the notebook's stored outputs (the book's side is tested in tests/test_booktools.py)."""

from __future__ import annotations

import pytest

from helpers import glued
from tests.notebook_tools import chapter

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


