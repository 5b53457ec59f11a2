"""Finding chapter 1's roommate widget in a browser page: on the built site (tests/test_site.py) and in
JupyterLab (tests/test_jupyterlab.py)."""

from __future__ import annotations

import re

# the smallest element around a "rainy" toggle that also shows a "Today: <dish>" text, searched upwards from the
# button but not beyond the output area it sits in; marked so that playwright can find it again
_MARK_JS = """([within, stopAt]) => {
    const buttons = [...document.querySelectorAll(within + ' .jupyter-widgets button')]
        .filter(b => b.textContent.trim() === 'rainy');
    for (const button of buttons) {
        for (let el = button.parentElement; el; el = el.parentElement) {
            if (/Today:/.test(el.innerText || '')) {
                el.setAttribute('data-test', 'ch1-toggles');
                return true;
            }
            if (el.classList.contains(stopAt)) break;
        }
    }
    return false;
}"""


def roommate_box(page, within: str, stop_at: str, timeout: float):
    """Wait for chapter 1's widget inside the elements matching ``within``; return its locator.

    ``stop_at`` is the class of the output area around it (``cell_output`` on the site, ``jp-OutputArea`` in
    JupyterLab).
    """
    found = page.wait_for_function(_MARK_JS, arg=[within, stop_at], timeout=timeout)
    assert found, "no widget with a 'rainy' toggle and a 'Today:' text in chapter 1"
    return page.locator("[data-test=ch1-toggles]").first


def today_is(dish: str) -> re.Pattern:
    """The text of chapter 1's widget once it shows ``dish`` for today (for playwright's ``expect``)."""
    return re.compile(rf"Today:\s*{re.escape(dish)}(?![a-z])")


def today(box) -> str:
    """The dish of chapter 1's visible "Today: <dish>" text in ``box``."""
    match = re.search(r"Today:\s*([^\n]+)", box.inner_text())
    assert match, f"no visible 'Today: <dish>' text in: {box.inner_text()!r}"
    return match.group(1).strip()
