"""Sphinx extension (loaded from _config.yml, ``sphinx.local_extensions``): valid ARIA roles for citations.

docutils 0.21 writes a bibliography as ``<div role="list" class="citation-list">`` holding one
``<div class="citation" role="doc-biblioentry">`` per entry. DPUB-ARIA 1.1 deprecated ``doc-biblioentry``,
so browsers and axe-core no longer count those entries as list items: the list then "owns" the links inside
them, which axe reports as a *critical* ``aria-required-children`` violation (a list may only hold list
items), plus one ``aria-deprecated-role`` per entry. No theme or Sphinx setting changes this markup, and the
translator class differs with the theme, so this extension rewrites the role in each page's body, just
before the page is written: each entry becomes ``role="listitem"`` of its ``role="list"``.
The browser test (tests/test_site.py) runs axe-core on every page and fails on such violations.
"""

from __future__ import annotations

import re
from typing import Any

_BIBLIOENTRY = re.compile(r'(<div class="citation"[^>]*?) role="doc-biblioentry"')


def fix_citation_roles(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """Replace the deprecated ``doc-biblioentry`` role of citations with ``listitem``."""
    body = context.get("body")
    if isinstance(body, str) and "doc-biblioentry" in body:
        context["body"] = _BIBLIOENTRY.sub(r'\1 role="listitem"', body)


def setup(app: Any) -> dict:
    """Register the rewrite for every HTML page."""
    app.connect("html-page-context", fix_citation_roles)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
