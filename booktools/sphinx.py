"""The book's Sphinx extension (``_config.yml``: ``sphinx.extra_extensions: [booktools.sphinx]``).

Three things Jupyter Book 1 does not do as the book needs:

**{eval} from stored glue.** The chapters write the numbers of their prose as ``{eval}`glued("key:format")```
(see ``helpers/glued.py``): in JupyterLab, jupyterlab-myst evaluates that expression in the reader's kernel.
myst-nb also has an ``eval`` role, but it asks a running kernel, and the book renders the stored notebooks
without one (``execute_notebooks: off``), so it would warn and show nothing. The ``eval`` role is registered
again, after myst-nb, to render ``glued("...")`` from the glue data stored in the notebook, exactly as myst-nb's
``{glue:text}`` renders the same ``[notebook::]key[:format]``: same look-up, same formatting function, a pending
reference (resolved by myst-nb) for a key of another notebook. Anything else inside ``{eval}``, and a key that
was never glued, is a warning, so ``jupyter-book build -W`` fails on it.

**Accessible page bodies** (two rewrites of each page's body just before it is written; the page templates are
overridden in book/_templates instead; tests/test_site.py runs axe-core on every page):

- *Citations.* docutils 0.21 writes a bibliography as ``<div role="list" class="citation-list">`` holding one
  ``<div class="citation" role="doc-biblioentry">`` per entry. DPUB-ARIA 1.1 deprecated ``doc-biblioentry``,
  so browsers and axe-core no longer count those entries as list items: the list then "owns" the links inside
  them (a *critical* ``aria-required-children`` violation), plus one ``aria-deprecated-role`` per entry. Each
  entry's role becomes ``listitem``, the role a child of ``role="list"`` must have.
- *Hidden code cells.* myst-nb writes the summary of a collapsed cell as
  ``<summary aria-label="Toggle hidden content">`` around a visible "Show code cell source": a name that leaves
  out the visible words (a serious ``label-content-name-mismatch``, WCAG 2.5.3). Without the aria-label, the
  summary is named by its visible text.

**No duplicated inline scripts.** With Sphinx 7.4 (Jupyter Book 1's), an inline ``<script>`` that an extension
adds after the builder starts is written twice into every page: once as registered (file name ``None``) and once
when the builder re-reads its registry (file name ``""``). For sphinx-thebe's configuration script that is an
error in every page ("Identifier 'THEBE_JS_URL' has already been declared"). The first copy of each is kept.
"""

from __future__ import annotations

import re
from typing import Any

from helpers.glued import expression_reference, format_text, split_reference

_BIBLIOENTRY = re.compile(r'(<div class="citation"[^>]*?) role="doc-biblioentry"')
_SUMMARY = '<summary aria-label="Toggle hidden content">'


def glued_eval_role():
    """Return the ``{eval}`glued("[notebook::]key[:format]")``` role, rendered from the notebook's stored glue."""
    from docutils import nodes
    from myst_nb.core.variables import RetrievalError, create_warning
    from myst_nb.ext.glue.utils import PendingGlueReferenceError, create_pending_glue_ref, retrieve_glue_data
    from myst_nb.ext.utils import RoleBase

    class GluedEvalRole(RoleBase):
        def warning(self, message: str) -> tuple[list, list]:
            return [], [create_warning(message, self.document, self.line, subtype="eval")]

        def run(self) -> tuple[list, list]:
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

    return GluedEvalRole()


def fix_body(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """Give citations the role ``listitem`` and let hidden-cell summaries be named by their visible text."""
    body = context.get("body")
    if isinstance(body, str):
        body = _BIBLIOENTRY.sub(r'\1 role="listitem"', body)
        context["body"] = body.replace(_SUMMARY, "<summary>")


def drop_duplicate_scripts(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """Remove scripts identical in source, body and attributes from the page's script list."""
    scripts = context.get("script_files")
    if not isinstance(scripts, list):
        return
    seen: set[tuple] = set()
    kept = []
    for script in scripts:
        attributes = getattr(script, "attributes", {}) or {}
        key = (str(getattr(script, "filename", script) or ""), tuple(sorted(attributes.items())))
        if key not in seen:
            seen.add(key)
            kept.append(script)
    scripts[:] = kept


def setup(app: Any) -> dict:
    """Register the ``eval`` role over myst-nb's (myst-nb is set up first) and the two page rewrites; the script
    clean-up runs after the other extensions (default priority 500) have added their page scripts."""
    app.setup_extension("myst_nb")
    app.add_role("eval", glued_eval_role(), override=True)
    app.connect("html-page-context", fix_body)
    app.connect("html-page-context", drop_duplicate_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
