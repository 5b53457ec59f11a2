"""What the browser tests share: Debian's headless Chromium, driven by playwright (tests/test_site.py,
tests/test_jupyterlab.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
# as root in a sandbox, with no network but loopback: no background traffic Chromium would be refused
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    """Start Debian's headless chromium through playwright (skip locally, fail in CI, when it is missing)."""
    if not CHROMIUM.is_file():
        reason = "chromium is not installed at /usr/bin/chromium (apt-get install -y chromium)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
