"""The roommate's interactive figures: one day's computation, vector by vector, and a week planner.

Both are built with :mod:`helpers.widgets` over views computed in advance from :mod:`helpers.roommate`, so they
work on the static page with no kernel.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import ipywidgets as widgets
from ipywidgets.widgets.widget_string import HTMLStyle

from helpers import roommate
from helpers.style import (
    CELL_BORDER,
    DISH_COLOURS,
    HIGHLIGHT_COLOURS,
    NOTE_INK,
    TEXT_LIGHT,
    WEATHER_COLOURS,
    text_colour_on,
)
from helpers.widgets import Choice, Switcher, make_chain_views, make_toggle_views

__all__ = [
    "DAYS",
    "vector_html",
    "explanation_html",
    "day_card_html",
    "make_roommate_widget",
    "make_week_planner",
]

DAYS: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_ROW = "36px"  # one row of the week planner: a day's toggle on the left, its dinner on the right


def vector_html(vector: Sequence[int], colour: str | None = None, split: int | None = None) -> str:
    """Render an integer vector as a row of small coloured cells."""
    values = [int(v) for v in vector]
    if not values:
        raise ValueError("vector must not be empty; got an empty one")
    cells = []
    for i, v in enumerate(values):
        background = colour if (colour and v) else HIGHLIGHT_COLOURS.get(v, TEXT_LIGHT)
        text_colour = text_colour_on(background)
        gap = "margin-left:8px;" if split is not None and i == split else ""
        cells.append(
            f'<span style="display:inline-block;width:1.6em;text-align:center;border:1px solid {CELL_BORDER};{gap}'
            f'background:{background};color:{text_colour};font-family:monospace">{v}</span>'
        )
    # one unbreakable group: a line break inside a vector would read as two vectors (on a phone's narrow column)
    return f'<span class="book-vector" style="white-space:nowrap">{"".join(cells)}</span>'


def explanation_html(yesterday: str, weather: str) -> str:
    """Build the HTML view of one day's computation, ending with "Today: <dish>"."""
    steps = roommate.explain(yesterday, weather)
    today = roommate.meal_from_vector(steps["today"])
    rows = [
        ("yesterday's dish", vector_html(steps["yesterday"], DISH_COLOURS[yesterday]), html.escape(yesterday)),
        ("today's weather", vector_html(steps["weather"], WEATHER_COLOURS[weather]), html.escape(weather)),
        ("food matrix × dish", vector_html(steps["food"], split=3), "top: leftovers, bottom: cook"),
        ("weather matrix × weather", vector_html(steps["weather_part"], split=3), ""),
        ("sum", vector_html(steps["sum"], split=3), ""),
        ("non-linearity (keep the 2)", vector_html(steps["hidden"], split=3), ""),
        ("merge matrix × hidden", vector_html(steps["today"], DISH_COLOURS[today]), html.escape(today)),
    ]
    body = "".join(
        f'<tr><td style="padding:1px 8px 1px 0">{name}</td><td>{cells}</td>'
        f'<td style="padding-left:8px;color:{NOTE_INK}">{note}</td></tr>'
        for name, cells, note in rows
    )
    return (  # the table scrolls inside the figure if a screen is narrower than its vectors (from 360px it fits)
        f'<div style="overflow-x:auto"><table style="border-collapse:collapse;font-size:0.9em">{body}</table></div>'
        f'<p style="font-size:1.2em;margin:6px 0">Today: {_chip(today, DISH_COLOURS[today], "b")}</p>'
    )


def _chip(text: str, background: str, tag: str = "span") -> str:
    """Show ``text`` on a rounded palette-coloured fill, in black or white, whichever contrasts more (>= 4.5:1)."""
    return (
        f'<{tag} style="background:{background};color:{text_colour_on(background)};padding:1px 6px;'
        f'border-radius:4px">{html.escape(text)}</{tag}>'
    )


def day_card_html(day: str, weather: str, dish: str) -> str:
    """Build the HTML line for one day of the week planner: day, weather, dinner."""
    roommate.check_weather(weather)
    roommate.check_meal(dish)
    # on a phone the book's stylesheet hides the day and the weather (the toggle beside the card shows both)
    return (
        f'<div style="line-height:{_ROW};white-space:nowrap">'
        f'<span class="book-card-day" style="display:inline-block;width:3.2em">{html.escape(day)}</span> '
        f'<span class="book-card-weather" style="display:inline-block;width:4.6em">'
        f"{_chip(weather, WEATHER_COLOURS[weather])}</span> "
        f"→ {_chip(dish, DISH_COLOURS[dish], 'b')}"
        "</div>"
    )


def make_roommate_widget(yesterday: str = "apple pie", weather: str = "sunny") -> Switcher:
    """Build toggles for today's weather and yesterday's dish over the six precomputed days."""
    roommate.check_meal(yesterday, "yesterday")
    roommate.check_weather(weather)
    return make_toggle_views(
        [
            Choice("Today's weather", roommate.WEATHERS, weather),
            Choice("Yesterday's dish", roommate.MEALS, yesterday),
        ],
        lambda w, d: widgets.HTML(explanation_html(d, w)),
        description=(
            "Roommate widget: toggles for today's weather (sunny, rainy) and yesterday's dish "
            "(apple pie, burger, chicken) over 6 precomputed views"
        ),
        label_width="8.5em",
    )


def make_week_planner(first_dish: str = "apple pie", weathers: Sequence[str] | None = None) -> Switcher:
    """Build a week planner: a starting-dish toggle, a weather toggle per day, the dinners updating.

    Day k's dinner depends only on day k-1's dinner and day k's weather, so the views form a chain of small
    Stacks, one per (day, yesterday's dinner): 21 Stacks instead of 3 x 2**7 = 384 precomputed weeks.
    """
    roommate.check_meal(first_dish, "first_dish")
    if weathers is None:
        weathers = ["sunny", "rainy", "rainy", "sunny", "rainy", "sunny", "sunny"]
    weathers = roommate.check_weathers(weathers)
    if len(weathers) != len(DAYS):
        raise ValueError(f"weathers must have one entry per day ({len(DAYS)}); got {len(weathers)}")
    style, card_layout = HTMLStyle(), widgets.Layout(height=_ROW, margin="0")
    cards = {
        (k, w, d): widgets.HTML(day_card_html(DAYS[k], w, d), layout=card_layout, style=style)
        for k in range(len(DAYS))
        for w in roommate.WEATHERS
        for d in roommate.MEALS
    }
    return make_chain_views(
        Choice("Last Sunday's dinner", roommate.MEALS, first_dish),
        [Choice(day, roommate.WEATHERS, w) for day, w in zip(DAYS, weathers, strict=True)],
        advance=lambda yesterday, weather: roommate.predict(yesterday, weather),
        make_card=lambda k, weather, dish: cards[(k, weather, dish)],
        description=(
            f"Week planner: a starting-dish toggle and a weather toggle for each of the {len(DAYS)} days "
            "over a chain of 21 precomputed Stacks"
        ),
        row_height=_ROW,
    )
