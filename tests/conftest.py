"""What the browser tests share: a headless Chromium driven by playwright (tests/test_site.py,
tests/test_widgets.py, tests/test_jupyterlab.py).

Which Chromium: Debian's ``/usr/bin/chromium`` when it is there; else the one the environment variable
``CHROMIUM`` names (e.g. on a Mac, ``CHROMIUM="/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"``);
else playwright's own (``python -m playwright install chromium``). With none, the browser tests are skipped, or
fail in CI (the environment variable ``CI`` is set).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

DEBIAN_CHROMIUM = Path("/usr/bin/chromium")
# as root in a sandbox, with no network but loopback: no background traffic Chromium would be refused
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def chromium_path() -> Path | None:
    """Return the Chromium to drive: Debian's, else ``$CHROMIUM``'s (None: playwright's own)."""
    if DEBIAN_CHROMIUM.is_file():
        return DEBIAN_CHROMIUM
    named = os.environ.get("CHROMIUM")
    if named:
        if not Path(named).is_file():
            pytest.fail(f"CHROMIUM={named!r} is not a file: name a Chromium or Chrome executable")
        return Path(named)
    return None


@pytest.fixture(scope="module")
def browser():
    """Start a headless Chromium through playwright (skip locally, fail in CI, when there is none)."""
    from playwright.sync_api import Error, sync_playwright

    executable = chromium_path()
    with sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(
                executable_path=str(executable) if executable else None, headless=True, args=CHROMIUM_ARGS
            )
        except Error as error:
            reason = (
                f"no Chromium: not at {DEBIAN_CHROMIUM}, no CHROMIUM=..., and playwright's own does not start "
                f"(python -m playwright install chromium): {str(error).splitlines()[0]}"
            )
            if os.environ.get("CI"):
                pytest.fail(reason)
            pytest.skip(reason)
        yield chromium
        chromium.close()
