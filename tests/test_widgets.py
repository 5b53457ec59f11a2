"""Unit tests of helpers/widgets.py (chapter 1): the precomputed views the toggles select."""

from __future__ import annotations

import io
import itertools
import json
import re
from pathlib import Path

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import pytest
from ipywidgets.embed import embed_data
from ipywidgets.widgets.widget_link import Link
from PIL import Image

from helpers import roommate, style
from helpers import widgets as book_widgets
from helpers.char_generator import make_temperature_widget


def _toggles(widget):
    return [w for w in _walk(widget) if isinstance(w, widgets.ToggleButtons)]


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


def test_roommate_widget_every_combination():
    widget = book_widgets.make_roommate_widget()
    weather_toggle, dish_toggle = _toggles(widget)
    assert list(weather_toggle.options) == ["sunny", "rainy"]
    assert list(dish_toggle.options) == ["apple pie", "burger", "chicken"]
    for weather, dish in itertools.product(roommate.WEATHERS, roommate.MEALS):
        weather_toggle.value, dish_toggle.value = weather, dish
        book_widgets.sync_links(widget)
        text = book_widgets.visible_text(widget)
        assert text.endswith(f"Today: {roommate.predict(dish, weather)}"), (dish, weather, text)
        assert text.count("Today:") == 1


def test_roommate_widget_worked_example_shows_the_vectors():
    widget = book_widgets.make_roommate_widget("apple pie", "rainy")
    text = book_widgets.visible_text(widget)
    assert "sum 1 0 0 1 2 1" in text
    assert "non-linearity (keep the 2) 0 0 0 0 1 0" in text
    assert text.endswith("Today: burger")


def test_roommate_widget_uses_browser_links():
    widget = book_widgets.make_roommate_widget()
    assert len(widget.links) == 3
    assert all(isinstance(link, Link) for link in widget.links)
    assert {link.source[1] for link in widget.links} == {"index"}
    assert {link.target[1] for link in widget.links} == {"selected_index"}


def test_repr_is_stable():
    first, second = book_widgets.make_roommate_widget(), book_widgets.make_roommate_widget("burger", "rainy")
    assert repr(first) == repr(second)
    assert "0x" not in repr(first) and "model_id" not in repr(first)
    assert repr(book_widgets.make_week_planner()) == repr(book_widgets.make_week_planner("chicken"))


def test_week_planner_initial_view():
    weathers = ["rainy", "rainy", "sunny", "rainy", "sunny", "sunny", "rainy"]
    planner = book_widgets.make_week_planner("chicken", weathers)
    dinners = roommate.week("chicken", weathers)
    text = book_widgets.visible_text(planner)
    for day, weather, dish in zip(book_widgets.DAYS, weathers, dinners, strict=True):
        assert f"{day} {weather} → {dish}" in text


def test_week_planner_follows_toggles():
    planner = book_widgets.make_week_planner()
    start_toggle, *day_toggles = _toggles(planner)
    assert len(day_toggles) == 7
    patterns = list(itertools.product(roommate.WEATHERS, repeat=7))[::9]
    for first in roommate.MEALS:
        for pattern in patterns:
            start_toggle.value = first
            for toggle, weather in zip(day_toggles, pattern, strict=True):
                toggle.value = weather
            book_widgets.sync_links(planner)
            text = book_widgets.visible_text(planner)
            expected = roommate.week(first, list(pattern))
            for day, weather, dish in zip(book_widgets.DAYS, pattern, expected, strict=True):
                assert f"{day} {weather} → {dish}" in text, (first, pattern, text)


def test_week_planner_is_light():
    planner = book_widgets.make_week_planner()
    stacks = {id(w) for w in _walk(planner) if isinstance(w, widgets.Stack)}
    assert len(stacks) == 1 + 7 * 3
    assert len(planner.links) == 1 + 7 * 3


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: book_widgets.make_roommate_widget("pizza"), "'apple pie', 'burger', 'chicken'"),
        (lambda: book_widgets.make_roommate_widget("burger", "snowy"), "'sunny', 'rainy'"),
        (lambda: book_widgets.make_week_planner("pizza"), "'apple pie', 'burger', 'chicken'"),
        (lambda: book_widgets.make_week_planner("burger", ["sunny"] * 3), "one entry per day"),
        (lambda: book_widgets.make_week_planner("burger", ["snowy"] * 7), "'sunny', 'rainy'"),
        (lambda: book_widgets.make_week_planner("burger", []), "non-empty"),
        (lambda: book_widgets.vector_html([]), "empty"),
        (lambda: book_widgets.day_card_html("Mon", "snowy", "burger"), "'sunny', 'rainy'"),
        (lambda: book_widgets.explanation_html("pizza", "sunny"), "'apple pie', 'burger', 'chicken'"),
        (lambda: book_widgets.sync_links(widgets.HTML("x")), "links"),
        (lambda: book_widgets.visible_text("text"), "Widget"),
    ],
)
def test_bad_inputs(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# ---------------------------------------------------------------------------------- colour contrast of the views


def test_contrast_ratio_matches_wcag():
    assert style.contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert style.contrast_ratio("#777777", "#777777") == pytest.approx(1.0)
    assert style.contrast_ratio("#DDAA33", "#FFFFFF") == pytest.approx(2.13, abs=0.01)  # why sunny is not text
    with pytest.raises(ValueError, match="'#RRGGBB'"):
        style.contrast_ratio("yellow", "#FFFFFF")


@pytest.mark.parametrize(
    "colour",
    [style.BLUE, style.CYAN, style.GREEN, style.YELLOW, style.RED, style.PURPLE, style.GREY]
    + list(style.WEATHER_COLOURS.values()),
)
def test_text_on_every_palette_colour_passes_aa(colour):
    text = style.text_colour_on(colour)
    assert style.contrast_ratio(text, colour) >= style.MIN_TEXT_CONTRAST


def _text_colour_pairs(markup: str) -> list[tuple[str, str]]:
    """(text colour, background) of every element whose inline style sets a text colour (white if no fill)."""
    pairs = []
    for css in re.findall(r'style="([^"]*)"', markup):
        props = dict((k.strip(), v.strip()) for k, v in (d.split(":", 1) for d in css.split(";") if ":" in d))
        if "color" in props:
            pairs.append((props["color"], props.get("background", "#FFFFFF")))
    return pairs


def _expand(colour: str) -> str:
    return "#" + "".join(c * 2 for c in colour[1:]) if re.fullmatch(r"#[0-9a-fA-F]{3}", colour) else colour


def test_every_text_in_the_widget_views_passes_aa():
    """Every coloured text in every precomputed view has >= 4.5:1 contrast (WCAG 2 AA), e.g. sunny, rainy."""
    views = [book_widgets.explanation_html(d, w) for d in roommate.MEALS for w in roommate.WEATHERS]
    views += [book_widgets.day_card_html("Mon", w, d) for d in roommate.MEALS for w in roommate.WEATHERS]
    pairs = {pair for view in views for pair in _text_colour_pairs(view)}
    assert len(pairs) >= 5, pairs
    low = {
        (fg, bg): round(style.contrast_ratio(_expand(fg), _expand(bg)), 2)
        for fg, bg in pairs
        if style.contrast_ratio(_expand(fg), _expand(bg)) < style.MIN_TEXT_CONTRAST
    }
    assert not low, f"text colour on background below 4.5:1: {low}"


# ----------------------------------------------------------------------------- in a real browser, with no kernel

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
    roommate_widget = book_widgets.make_roommate_widget("apple pie", "sunny")
    planner = book_widgets.make_week_planner("apple pie", ["sunny"] * 7)
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
    seen = {}
    for weather, dish in itertools.product(roommate.WEATHERS, roommate.MEALS):
        _click(box, weather)
        _click(box, dish)
        page.wait_for_timeout(100)
        seen[(dish, weather)] = re.search(r"Today:\s*([a-z ]+)", box.inner_text()).group(1).strip()
    assert seen == {(d, w): roommate.predict(d, w) for d, w in seen}
    assert not errors, errors


def test_browser_week_planner_follows_toggles(static_page):
    page, errors = static_page
    box = page.locator("#planner")
    _click(box, "chicken")
    for day in (0, 2, 3, 6):
        _click(box, "rainy", nth=day)
    page.wait_for_timeout(200)
    weathers = ["rainy" if day in (0, 2, 3, 6) else "sunny" for day in range(7)]
    text = re.sub(r"\s+", " ", box.inner_text())
    for day, weather, dish in zip(book_widgets.DAYS, weathers, roommate.week("chicken", weathers), strict=True):
        assert f"{day} {weather} → {dish}" in text, text
    assert not errors, errors


def test_browser_controls_have_names(static_page):
    """book/_static/widgets/widgets-setup.js names each toggle group and slider after its visible label."""
    page, errors = static_page
    page.wait_for_selector('#slider [role="slider"][aria-labelledby]', timeout=10_000)
    for name in ["Today's weather", "Yesterday's dish", "Last Sunday's dinner", *book_widgets.DAYS]:
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

    def dish_after(key: str) -> tuple[str, str]:
        page.keyboard.press(key)
        page.wait_for_timeout(100)
        pressed = group.locator("button[aria-pressed=true]").inner_text().strip()
        return pressed, re.search(r"Today:\s*([a-z ]+)", box.inner_text()).group(1).strip()

    group.get_by_role("button", name="apple pie").focus()
    assert dish_after("ArrowRight") == ("burger", "burger")
    assert dish_after("ArrowRight") == ("chicken", "chicken")
    assert dish_after("ArrowRight") == ("chicken", "chicken")  # stops at the end
    assert dish_after("Home") == ("apple pie", "apple pie")
    assert dish_after("End") == ("chicken", "chicken")
    assert dish_after("ArrowUp") == ("burger", "burger")
    page.keyboard.press("Shift+Tab")
    assert dish_after("Enter") == ("apple pie", "apple pie")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert dish_after("Space") == ("chicken", "chicken")
    assert not errors, errors


def test_figure_png_renders_closes_and_quantizes():
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1])
    png = book_widgets.figure_png(fig)
    assert png.startswith(b"\x89PNG") and not plt.fignum_exists(fig.number)
    fig, ax = plt.subplots()
    ax.imshow(np.random.default_rng(0).random((20, 20)))
    small = book_widgets.figure_png(fig, colours=8)
    assert small.startswith(b"\x89PNG") and len(Image.open(io.BytesIO(small)).getcolors()) <= 8
    with pytest.raises(ValueError, match="fig must be a matplotlib Figure"):
        book_widgets.figure_png(ax)
    with pytest.raises(ValueError, match="colours must be None or an integer"):
        book_widgets.figure_png(plt.figure(), colours=1)


def test_image_view_has_the_image_and_escaped_alt_text():
    png = book_widgets.figure_png(plt.figure(figsize=(1, 1)))
    view = book_widgets.image_view(png, 'A "quoted" <diagram>')
    assert 'src="data:image/png;base64,iVBOR' in view.value
    assert 'alt="A &quot;quoted&quot; &lt;diagram&gt;"' in view.value
    with pytest.raises(ValueError, match="bytes of a PNG"):
        book_widgets.image_view(b"GIF89a", "x")
    with pytest.raises(ValueError, match="alt must be a non-empty"):
        book_widgets.image_view(png, "  ")


def test_make_toggle_views_nests_one_stack_level_per_control():
    built = []

    def view(letter, number):
        built.append((letter, number))
        return widgets.HTML(f"<p>{letter}{number}</p>")

    widget = book_widgets.make_toggle_views(
        [("Letter", ["a", "b", "c"]), ("Number", ["1", "2"])], view, "Two toggles over 6 views", values=["b", "2"]
    )
    assert sorted(built) == [(x, n) for x in "abc" for n in "12"]
    assert repr(widget) == "Two toggles over 6 views"
    assert len(widget.links) == 1 + 3 and all(isinstance(link, Link) for link in widget.links)
    assert book_widgets.visible_text(widget).endswith("b2")
    letter, number = _toggles(widget)
    letter.value, number.value = "c", "1"
    book_widgets.sync_links(widget)
    assert book_widgets.visible_text(widget).endswith("c1")
    with pytest.raises(ValueError, match="Number must be one of '1', '2'"):
        book_widgets.make_toggle_views([("Number", ["1", "2"])], view, "x", values=["3"])
    with pytest.raises(ValueError, match="one option per control"):
        book_widgets.make_toggle_views([("Number", ["1", "2"])], view, "x", values=["1", "2"])
    with pytest.raises(ValueError, match="non-empty"):
        book_widgets.make_toggle_views([], view, "x")
