"""Unit tests of helpers/roommate_widgets.py: the roommate's day and week planner, view by view."""

from __future__ import annotations

import itertools
import re

import ipywidgets as widgets
import pytest
from ipywidgets.widgets.widget_link import Link
from widget_tools import controls, sync_links, visible_text, walk

from helpers import roommate, roommate_widgets, style


def test_roommate_widget_every_combination():
    widget = roommate_widgets.make_roommate_widget()
    weather_toggle, dish_toggle = controls(widget)
    assert list(weather_toggle.options) == ["sunny", "rainy"]
    assert list(dish_toggle.options) == ["apple pie", "burger", "chicken"]
    for weather, dish in itertools.product(roommate.WEATHERS, roommate.MEALS):
        weather_toggle.value, dish_toggle.value = weather, dish
        sync_links(widget)
        text = visible_text(widget)
        assert text.endswith(f"Today: {roommate.predict(dish, weather)}"), (dish, weather, text)
        assert text.count("Today:") == 1


def test_roommate_widget_worked_example_shows_the_vectors():
    widget = roommate_widgets.make_roommate_widget("apple pie", "rainy")
    text = visible_text(widget)
    assert "sum 1 0 0 1 2 1" in text
    assert "non-linearity (keep the 2) 0 0 0 0 1 0" in text
    assert text.endswith("Today: burger")


def test_roommate_widget_uses_browser_links():
    widget = roommate_widgets.make_roommate_widget()
    assert len(widget.links) == 3
    assert all(isinstance(link, Link) for link in widget.links)
    assert {link.source[1] for link in widget.links} == {"index"}
    assert {link.target[1] for link in widget.links} == {"selected_index"}


def test_repr_is_stable():
    first, second = roommate_widgets.make_roommate_widget(), roommate_widgets.make_roommate_widget("burger", "rainy")
    assert repr(first) == repr(second)
    assert "0x" not in repr(first) and "model_id" not in repr(first)
    assert repr(roommate_widgets.make_week_planner()) == repr(roommate_widgets.make_week_planner("chicken"))


def test_week_planner_initial_view():
    weathers = ["rainy", "rainy", "sunny", "rainy", "sunny", "sunny", "rainy"]
    planner = roommate_widgets.make_week_planner("chicken", weathers)
    dinners = roommate.week("chicken", weathers)
    text = visible_text(planner)
    for day, weather, dish in zip(roommate_widgets.DAYS, weathers, dinners, strict=True):
        assert f"{day} {weather} → {dish}" in text


def test_week_planner_follows_toggles():
    planner = roommate_widgets.make_week_planner()
    start_toggle, *day_toggles = controls(planner)
    assert len(day_toggles) == 7
    patterns = list(itertools.product(roommate.WEATHERS, repeat=7))[::9]
    for first in roommate.MEALS:
        for pattern in patterns:
            start_toggle.value = first
            for toggle, weather in zip(day_toggles, pattern, strict=True):
                toggle.value = weather
            sync_links(planner)
            text = visible_text(planner)
            expected = roommate.week(first, list(pattern))
            for day, weather, dish in zip(roommate_widgets.DAYS, pattern, expected, strict=True):
                assert f"{day} {weather} → {dish}" in text, (first, pattern, text)


def test_week_planner_is_light():
    planner = roommate_widgets.make_week_planner()
    stacks = {id(w) for w in walk(planner) if isinstance(w, widgets.Stack)}
    assert len(stacks) == 1 + 7 * 3
    assert len(planner.links) == 1 + 7 * 3


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: roommate_widgets.make_roommate_widget("pizza"), "'apple pie', 'burger', 'chicken'"),
        (lambda: roommate_widgets.make_roommate_widget("burger", "snowy"), "'sunny', 'rainy'"),
        (lambda: roommate_widgets.make_week_planner("pizza"), "'apple pie', 'burger', 'chicken'"),
        (lambda: roommate_widgets.make_week_planner("burger", ["sunny"] * 3), "one entry per day"),
        (lambda: roommate_widgets.make_week_planner("burger", ["snowy"] * 7), "'sunny', 'rainy'"),
        (lambda: roommate_widgets.make_week_planner("burger", []), "non-empty"),
        (lambda: roommate_widgets.vector_html([]), "empty"),
        (lambda: roommate_widgets.day_card_html("Mon", "snowy", "burger"), "'sunny', 'rainy'"),
        (lambda: roommate_widgets.explanation_html("pizza", "sunny"), "'apple pie', 'burger', 'chicken'"),
    ],
)
def test_bad_inputs(call, message):
    with pytest.raises(ValueError, match=message):
        call()


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
    views = [roommate_widgets.explanation_html(d, w) for d in roommate.MEALS for w in roommate.WEATHERS]
    views += [roommate_widgets.day_card_html("Mon", w, d) for d in roommate.MEALS for w in roommate.WEATHERS]
    pairs = {pair for view in views for pair in _text_colour_pairs(view)}
    assert len(pairs) >= 5, pairs
    low = {
        (fg, bg): round(style.contrast_ratio(_expand(fg), _expand(bg)), 2)
        for fg, bg in pairs
        if style.contrast_ratio(_expand(fg), _expand(bg)) < style.MIN_TEXT_CONTRAST
    }
    assert not low, f"text colour on background below 4.5:1: {low}"


def test_vectors_and_cards_hold_together_on_a_narrow_screen():
    """A vector never wraps (it would read as two); a card's day and weather can be hidden on a phone by class."""
    markup = roommate_widgets.vector_html([1, 0, 0, 0, 1, 0], split=3)
    assert markup.startswith('<span class="book-vector" style="white-space:nowrap">') and markup.count(">1<") == 2
    card = roommate_widgets.day_card_html("Mon", "rainy", "burger")
    assert 'class="book-card-day"' in card and 'class="book-card-weather"' in card and "white-space:nowrap" in card
