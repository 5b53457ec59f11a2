"""Sphinx extension (loaded from _config.yml, ``sphinx.local_extensions``): accessible markup in page bodies.

Two rewrites of each page's body, just before it is written (the page templates are overridden in
book/_templates instead). The browser test (tests/test_site.py) runs axe-core on every page and fails on the
violations they remove.

**Citations.**
docutils 0.21 writes a bibliography as ``<div role="list" class="citation-list">`` holding one
``<div class="citation" role="doc-biblioentry">`` per entry. DPUB-ARIA 1.1 deprecated ``doc-biblioentry``,
so browsers and axe-core no longer count those entries as list items: the list then "owns" the links inside
them, which axe reports as a *critical* ``aria-required-children`` violation (a list may only hold list
items), plus one ``aria-deprecated-role`` per entry. No theme or Sphinx setting changes this markup, and the
translator class differs with the theme, so each entry's role is rewritten to ``listitem``, the role a child
of ``role="list"`` must have.

**Hidden code cells.** myst-nb writes the summary of a collapsed cell (tag ``hide-input``) as
``<summary aria-label="Toggle hidden content">`` around a visible "Show code cell source": a name that leaves
out the visible words, which axe-core reports as a serious ``label-content-name-mismatch`` (WCAG 2.5.3; a
speech-input user says what they see). Without the aria-label, the summary is named by its visible text.
"""

from __future__ import annotations

import re
from typing import Any

_BIBLIOENTRY = re.compile(r'(<div class="citation"[^>]*?) role="doc-biblioentry"')
_SUMMARY = '<summary aria-label="Toggle hidden content">'


def fix_body(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """Give citations the role ``listitem`` and let hidden-cell summaries be named by their visible text."""
    body = context.get("body")
    if isinstance(body, str):
        body = _BIBLIOENTRY.sub(r'\1 role="listitem"', body)
        context["body"] = body.replace(_SUMMARY, "<summary>")


def setup(app: Any) -> dict:
    """Register the rewrite for every HTML page."""
    app.connect("html-page-context", fix_body)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
