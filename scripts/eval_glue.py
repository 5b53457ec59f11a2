"""Sphinx extension (loaded from _config.yml, ``sphinx.local_extensions``): ``{eval}`` numbers from stored glue.

The chapters write the numbers of their prose as ``{eval}`glued("key:format")``` (see ``helpers/glued.py``):
in JupyterLab, jupyterlab-myst evaluates that expression in the reader's kernel. myst-nb also has an ``eval``
role, but it asks a running kernel, and the book renders the stored notebooks without one
(``execute_notebooks: off``), so it would warn and show nothing. This extension registers ``eval`` again, after
myst-nb, to render ``glued("...")`` from the glue data stored in the notebook, exactly as myst-nb's
``{glue:text}`` role renders the same ``[notebook::]key[:format]``: same look-up, same formatting function, a
pending reference (resolved by myst-nb) for a key of another notebook.

Anything else inside ``{eval}``, and a key that was never glued, is a warning, so ``jupyter-book build -W``
fails on it.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from docutils import nodes
from myst_nb.core.variables import RetrievalError, create_warning
from myst_nb.ext.glue.utils import PendingGlueReferenceError, create_pending_glue_ref, retrieve_glue_data
from myst_nb.ext.utils import RoleBase

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # this repository's helpers, not another checkout's

from helpers.glued import expression_reference, format_text, split_reference  # noqa: E402


class GluedEvalRole(RoleBase):
    """``{eval}`glued("[notebook::]key[:format]")``` rendered from the notebook's stored glue data."""

    def warning(self, message: str) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        return [], [create_warning(message, self.document, self.line, subtype="eval")]

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        try:
            notebook, key, fmt = split_reference(expression_reference(self.text))
        except ValueError as exc:
            return self.warning(str(exc))
        if notebook is not None:
            try:
                ref = create_pending_glue_ref(
                    self.document, self.source, self.line, notebook, key, inline=True, gtype="text", fmt_spec=fmt
                )
            except PendingGlueReferenceError as exc:
                return self.warning(str(exc))
            return [ref], []
        try:
            result = retrieve_glue_data(self.document, key)
        except RetrievalError as exc:
            return self.warning(f"{exc} ({{eval}}`{self.text}`)")
        if "text/plain" not in result.data:
            return self.warning(f"no text/plain glued for {key!r}")
        try:
            text = format_text(result.data["text/plain"], fmt)
        except Exception as exc:  # noqa: BLE001 - any formatting error is the author's to fix: report it
            return self.warning(f"cannot format {key!r} = {result.data['text/plain']} with {fmt!r}: {exc}")
        node = nodes.inline(text, text, classes=["pasted-text"])
        self.set_source_info(node)
        return [node], []


def setup(app: Any) -> dict:
    """Register ``eval`` over myst-nb's role of the same name (extensions listed after myst_nb load later)."""
    app.setup_extension("myst_nb")
    app.add_role("eval", GluedEvalRole(), override=True)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
