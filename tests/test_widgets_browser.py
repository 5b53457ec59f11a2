"""The book's widgets in a real browser page built from their embedded state alone, as the static book shows them
(no kernel): chapter 1's roommate and week planner, chapter 2's temperature slider."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest
from ipywidgets.embed import embed_data
from playwright.sync_api import expect

from helpers import roommate, roommate_widgets
from helpers.char_generator import make_temperature_widget
from tests.roommate_widget import today_is

pytestmark = pytest.mark.slow  # a browser

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "book" / "_static" / "vendor"
PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8">
<script src="{require}"></script>
<script src="{setup}"></script>
<script src="{manager}"></script>
<script type="application/vnd.jupyter.widget-state+json">{state}</script>
</head><body>
<div id="roommate"><script type="application/vnd.jupyter.widget-view+json">{roommate}</script></div>
<div id="planner"><script type="application/vnd.jupyter.widget-view+json">{planner}</script></div>
<div id="slider"><script type="application/vnd.jupyter.widget-view+json">{slider}</script></div>
</body></html>
"""


@pytest.fixture(scope="module")
def static_page(tmp_path_factory, browser):
    """Open both widgets in headless Chromium from their embedded state alone, as the static book does."""
    scripts = VENDOR / "requirejs" / "require.js", VENDOR / "html-manager" / "embed-amd.js"
    if not all(p.exists() for p in scripts):
        pytest.skip("the vendored require.js / html-manager are not in book/_static/vendor")
    roommate_widget = roommate_widgets.make_roommate_widget("apple pie", "sunny")
    planner = roommate_widgets.make_week_planner("apple pie", ["sunny"] * 7)
    slider = make_temperature_widget({0.5: "cool", 1.0: "warm"})
    data = embed_data(views=[roommate_widget, planner, slider])
    page_file = tmp_path_factory.mktemp("widgets") / "widgets.html"
    page_file.write_text(
        PAGE.format(
            require=scripts[0].as_uri(),
            manager=scripts[1].as_uri(),
            setup=(ROOT / "book" / "_static" / "widgets" / "widgets-setup.js").as_uri(),
            state=json.dumps(data["manager_state"]).replace("</", "<\\/"),
            roommate=json.dumps(data["view_specs"][0]),
            planner=json.dumps(data["view_specs"][1]),
            slider=json.dumps(data["view_specs"][2]),
        ),
        encoding="utf-8",
    )
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(page_file.as_uri(), wait_until="load")
    page.wait_for_selector("#planner .widget-toggle-buttons", timeout=30_000)
    yield page, errors
    page.close()


def _click(box, label, nth=0):
    box.get_by_role("button", name=label, exact=True).nth(nth).click()


def test_browser_rainy_changes_the_dish(static_page):
    page, errors = static_page
    box = page.locator("#roommate")
    for weather, dish in itertools.product(roommate.WEATHERS, roommate.MEALS):
        _click(box, weather)
        _click(box, dish)
        expect(box).to_have_text(today_is(roommate.predict(dish, weather)))
    assert not errors, errors


def test_browser_week_planner_follows_toggles(static_page):
    page, errors = static_page
    box = page.locator("#planner")
    _click(box, "chicken")
    for day in (0, 2, 3, 6):
        _click(box, "rainy", nth=day)
    weathers = ["rainy" if day in (0, 2, 3, 6) else "sunny" for day in range(7)]
    for day, weather, dish in zip(roommate_widgets.DAYS, weathers, roommate.week("chicken", weathers), strict=True):
        expect(box).to_have_text(re.compile(rf"{day}\s+{weather}\s+→\s+{re.escape(dish)}"))
    assert not errors, errors


def test_browser_controls_have_names(static_page):
    """book/_static/widgets/widgets-setup.js names each toggle group and slider after its visible label."""
    page, errors = static_page
    page.wait_for_selector('#slider [role="slider"][aria-labelledby]', timeout=10_000)
    for name in ["Today's weather", "Yesterday's dish", "Last Sunday's dinner", *roommate_widgets.DAYS]:
        assert page.get_by_role("group", name=name, exact=True).count() == 1, name
    assert page.get_by_role("slider", name="temperature").count() == 1
    for group in page.get_by_role("group").all():  # one toggle on in each group, and the page says which
        assert group.locator("button[aria-pressed=true]").count() == 1
        assert group.locator("button").count() == group.locator("button[aria-pressed]").count()
    assert not errors, errors


def test_browser_keyboard_changes_the_dish(static_page):
    """Arrow keys, Home / End, Enter and Space select toggles; the dish follows (no kernel)."""
    page, errors = static_page
    box = page.locator("#roommate")
    _click(box, "sunny")
    _click(box, "apple pie")
    group = page.get_by_role("group", name="Yesterday's dish", exact=True)

    def after(key: str, dish: str) -> None:
        """Press ``key``: the toggle of ``dish`` is on and, on a sunny day, today's dish is the same."""
        page.keyboard.press(key)
        expect(group.locator("button[aria-pressed=true]")).to_have_text(dish)
        expect(box).to_have_text(today_is(dish))

    group.get_by_role("button", name="apple pie").focus()
    after("ArrowRight", "burger")
    after("ArrowRight", "chicken")
    after("ArrowRight", "chicken")  # stops at the end
    after("Home", "apple pie")
    after("End", "chicken")
    after("ArrowUp", "burger")
    page.keyboard.press("Shift+Tab")
    after("Enter", "apple pie")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    after("Space", "chicken")
    assert not errors, errors
