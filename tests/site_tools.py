"""What the tests of the built site share (tests/test_site.py, tests/test_phone.py): where the site is, its pages,
a local server for it, and the wait for a page to finish drawing."""

from __future__ import annotations

import functools
import os
import re
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
HTML = Path(os.environ.get("BOOK_HTML") or ROOT / "_build" / "html").resolve()
BUILD_FIRST = "build the book first: jupyter-book build . -W --keep-going"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"

# Resolves once the page has drawn two more frames (what a click changed is laid out) and its finite animations
# and transitions have ended: the condition the layout checks need, instead of a fixed sleep.
RENDERED = """async () => {
    await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
    await Promise.all(document.getAnimations()
        .filter(a => a.effect && a.effect.getTiming().iterations !== Infinity)
        .map(a => a.finished.catch(() => null)));
}"""


def toc_pages(toc_path: Path = ROOT / "_toc.yml") -> list[str]:
    """Return the document names listed in _toc.yml (root first), without file extensions."""
    toc = yaml.safe_load(toc_path.read_text(encoding="utf-8"))
    pages: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                pages.append(re.sub(r"\.(md|ipynb)$", "", str(node["file"])))
            for key in ("parts", "chapters", "sections"):
                walk(node.get(key))
        elif isinstance(node, list):
            for item in node:
                walk(item)

    pages.append(re.sub(r"\.(md|ipynb)$", "", str(toc["root"])))
    walk(toc)
    return pages


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the signature of the base class
        pass


def serve_site() -> Iterator[str]:
    """Serve the built site on 127.0.0.1 (a free port) from a thread; yield the base URL (a fixture's body)."""
    if not (HTML / "index.html").is_file():
        pytest.fail(BUILD_FIRST)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(HTML)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
