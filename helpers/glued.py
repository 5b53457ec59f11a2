"""Numbers in the prose, from one source in the book and in JupyterLab.

A chapter glues each number its prose states, and its markdown names it with MyST's inline ``{eval}`` role::

    glue("n_agree", int(cases["agree"].sum()), display=False)      # in a code cell

    All {eval}`glued("n_agree")` of the {eval}`glued("n_cases")` cases agree.     <- in a markdown cell
    The accuracy is {eval}`glued("test_accuracy:.3f")`.
    Chapter 5 measured {eval}`glued("05_long_memory.ipynb::add_lstm:.3f")`.

The text inside ``glued("...")`` is exactly what myst-nb's ``{glue:text}`` role takes: ``[notebook::]key[:format]``.

- In JupyterLab, jupyterlab-myst evaluates the expression in the running kernel when the markdown cell runs, so
  a reader sees the numbers of their own run; the notebook stores the last results (cell metadata
  ``user_expressions``), so the digits show before anything is run.
- In the book, ``booktools/sphinx.py`` renders the same role from the glue data stored in the notebook, the way
  ``{glue:text}`` does.

Both sides format with myst-nb's own function, on the text glue stores, so they give the same digits.
"""

from __future__ import annotations

import functools
import json
import os
import re
from pathlib import Path
from typing import Any

NOTEBOOK_DIR = Path(__file__).resolve().parent.parent / "notebooks"
GLUE_MIME = "application/papermill.record/text/plain"
# what {eval} may contain: glued("...") with one string literal in double quotes
EXPRESSION_RE = re.compile(r'^glued\("([^"\\]+)"\)$')

# text/plain of every value glued in this kernel, by key (filled by glue below)
_GLUED_HERE: dict[str, str] = {}


def split_reference(reference: str) -> tuple[str | None, str, str]:
    """Split ``[notebook::]key[:format]``, the text myst-nb's glue:text takes, into (notebook or None, key, format).

    Without a format, the format is ``"s"`` (the text as glued), as in myst-nb.
    """
    if not isinstance(reference, str) or not reference.strip():
        raise ValueError(f"a glued reference is 'key', 'key:format' or 'notebook.ipynb::key:format'; got {reference!r}")
    notebook, _, rest = reference.rpartition("::")
    key, colon, fmt = rest.partition(":")
    if not key or (notebook == "" and "::" in reference):
        raise ValueError(f"no key or no notebook in the glued reference {reference!r}")
    if not colon:
        fmt = "s"
    return notebook or None, key, fmt


def format_text(text: str, fmt: str) -> str:
    """Format glued text/plain with a format spec: myst-nb's own function, so book and kernel agree."""
    from myst_nb.core.variables import format_plain_text

    return format_plain_text(text, fmt)


def plain_text(value: Any) -> str:
    """Return the text/plain that myst-nb's glue stores for a value."""
    from IPython.core.formatters import format_display_data

    return format_display_data(value, include=["text/plain"])[0]["text/plain"]


def glue(name: str, variable: Any, display: bool = True) -> None:
    """Glue a value as myst-nb's ``glue`` does, and remember it for ``glued`` in this kernel."""
    from myst_nb import glue as myst_glue

    myst_glue(name, variable, display)
    _GLUED_HERE[name] = plain_text(variable)


def stored_glue(notebook: str | Path) -> dict[str, str]:
    """Return ``{key: text/plain}`` of the values glued in a notebook file's stored outputs."""
    given = Path(notebook)
    # as given (absolute, or relative to the kernel's folder), else in the book's notebooks folder
    path = next((p for p in (given, NOTEBOOK_DIR / given, NOTEBOOK_DIR / given.name) if p.is_file()), None)
    if path is None:
        raise FileNotFoundError(f"no notebook {str(notebook)!r} (looked in {NOTEBOOK_DIR})")
    stat = path.stat()
    return dict(_read_glue(str(path.resolve()), stat.st_mtime_ns, stat.st_size))


@functools.lru_cache(maxsize=16)
def _read_glue(path: str, mtime_ns: int, size: int) -> dict[str, str]:
    """Read the glue of a notebook file once per version of the file (a chapter cites another many times)."""
    return glue_in(json.loads(Path(path).read_text(encoding="utf-8")))


def glue_in(notebook: dict) -> dict[str, str]:
    """Return ``{key: text/plain}`` of the values glued in a parsed notebook's outputs (JSON or nbformat)."""
    values = {}
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            data = output.get("data", {})
            text = data.get(GLUE_MIME, data.get("text/plain"))
            if name is not None and text is not None:
                values[name] = "".join(text) if isinstance(text, list) else text
    return values


def this_notebook() -> Path | None:
    """Return the notebook this kernel runs (JupyterLab and Jupyter Server tell the kernel), or None."""
    session = os.environ.get("JPY_SESSION_NAME")
    return Path(session) if session and session.endswith(".ipynb") else None


def glued(reference: str) -> str:
    """Return a glued value as the prose shows it: ``glued("key")``, ``glued("key:.3f")``,
    ``glued("05_long_memory.ipynb::key:.3f")``.

    A key of this notebook gives the value glued in this kernel; before its cell has run, the value stored in
    the notebook file. A key of another notebook gives the value stored in that notebook.
    """
    notebook, key, fmt = split_reference(reference)
    if notebook is None and key in _GLUED_HERE:
        return format_text(_GLUED_HERE[key], fmt)
    path = Path(notebook) if notebook is not None else this_notebook()
    if path is None:
        raise KeyError(f"{key!r} is not glued yet in this kernel: run the cell that glues it, then this one")
    stored = stored_glue(path)
    if key not in stored:
        if notebook is not None:
            raise KeyError(f"{key!r} is not glued in {path.name}")
        raise KeyError(f"{key!r} is glued neither in this kernel nor in {path.name}")
    return format_text(stored[key], fmt)


def expression_reference(expression: str) -> str:
    """Return the reference inside an ``{eval}`` expression ``glued("...")``, or raise ValueError."""
    match = EXPRESSION_RE.match(expression.strip())
    if not match:
        raise ValueError(
            f'{{eval}} in this book takes glued("key"), glued("key:format") or glued("notebook.ipynb::key:format"); '
            f"got {expression!r}"
        )
    return match.group(1)
