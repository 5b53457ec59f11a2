"""Sphinx extension (loaded from _config.yml, ``sphinx.local_extensions``): drop duplicated inline scripts.

With Sphinx 7.4 (the version Jupyter Book 1 uses), an inline ``<script>`` that an extension adds after the
builder starts is written twice into every page: once as registered (file name ``None``) and once when the
builder re-reads its registry (file name ``""``), which Sphinx does not see as equal. For sphinx-thebe's
configuration script that is an error in every page, because it declares ``const THEBE_JS_URL`` twice:
"Identifier 'THEBE_JS_URL' has already been declared". This extension keeps the first copy of each script.
The browser test (tests/test_site.py) checks that pages load without JavaScript errors.
"""

from __future__ import annotations

from typing import Any


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
    """Register the clean-up to run after the other extensions have added their page scripts."""
    app.connect("html-page-context", drop_duplicate_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
