"""Widgets that keep working in the static book, with no kernel.

Every choice the reader can make is one of a small finite set, so each view is
computed in advance and put in an ipywidgets ``Stack``. Toggle buttons select the
view through ``jslink``, a link that runs in the browser: the page embeds the
widget state, and clicking a toggle switches views without Python. In a live
kernel the same widgets work as usual.
"""

from __future__ import annotations

import base64
import html
import io
import re
from collections.abc import Callable, Sequence

import ipywidgets as widgets
import matplotlib.pyplot as plt
from ipywidgets.widgets.widget_string import HTMLStyle
from PIL import Image

from helpers import roommate
from helpers.style import DISH_COLOURS, HIGHLIGHT_COLOURS, TEXT_LIGHT, WEATHER_COLOURS, text_colour_on

__all__ = [
    "DAYS",
    "figure_png",
    "image_view",
    "vector_html",
    "explanation_html",
    "day_card_html",
    "make_roommate_widget",
    "make_week_planner",
    "make_toggle_views",
    "sync_links",
    "visible_text",
]

DAYS: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_HIGHLIGHT = HIGHLIGHT_COLOURS
_WHITE = TEXT_LIGHT
_ROW = "36px"  # one row of the week planner: a day's toggle on the left, its dinner on the right


class _BookWidget(widgets.VBox):
    """A VBox whose text/plain representation is a fixed description (stable under nbval)."""

    def __init__(self, description: str, links: Sequence[widgets.Widget], **kwargs):
        super().__init__(**kwargs)
        self._description = description
        self.links = list(links)

    def __repr__(self) -> str:
        return self._description


def figure_png(fig: plt.Figure, dpi: int = 100, colours: int | None = None) -> bytes:
    """Render a figure to PNG bytes (tight box) and close it; ``colours`` shrinks it to a palette (all chapters)."""
    if not isinstance(fig, plt.Figure):
        raise ValueError(f"fig must be a matplotlib Figure; got {type(fig).__name__}")
    if colours is not None and (isinstance(colours, bool) or not isinstance(colours, int) or not 2 <= colours <= 256):
        raise ValueError(f"colours must be None or an integer in [2, 256]; got {colours!r}")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    if colours is None:
        return buffer.getvalue()
    image = Image.open(buffer).convert("RGB").quantize(colors=colours, method=Image.Quantize.MEDIANCUT)
    small = io.BytesIO()
    image.save(small, format="PNG")
    return small.getvalue()


def image_view(png: bytes, alt: str) -> widgets.HTML:
    """Show PNG bytes as an image with alt text, one precomputed view of a Stack (all chapters).

    ``widgets.Image`` renders an ``<img>`` without alt text; this HTML widget keeps the page accessible.
    """
    if not isinstance(png, bytes) or not png.startswith(b"\x89PNG"):
        raise ValueError("png must be the bytes of a PNG image (see figure_png)")
    if not isinstance(alt, str) or not alt.strip():
        raise ValueError(f"alt must be a non-empty description of the image; got {alt!r}")
    source = base64.b64encode(png).decode("ascii")
    return widgets.HTML(
        f'<img src="data:image/png;base64,{source}" alt="{html.escape(alt)}" style="max-width: 100%; height: auto;">'
    )


def vector_html(vector: Sequence[int], colour: str | None = None, split: int | None = None) -> str:
    """Render an integer vector as a row of small coloured cells."""
    values = [int(v) for v in vector]
    if not values:
        raise ValueError("vector must not be empty; got an empty one")
    cells = []
    for i, v in enumerate(values):
        background = colour if (colour and v) else _HIGHLIGHT.get(v, _WHITE)
        text_colour = text_colour_on(background)
        gap = "margin-left:8px;" if split is not None and i == split else ""
        cells.append(
            f'<span style="display:inline-block;width:1.6em;text-align:center;border:1px solid #777;{gap}'
            f'background:{background};color:{text_colour};font-family:monospace">{v}</span>'
        )
    return "".join(cells)


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
        f'<td style="padding-left:8px;color:#555">{note}</td></tr>'
        for name, cells, note in rows
    )
    return (
        f'<table style="border-collapse:collapse;font-size:0.9em">{body}</table>'
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
    return (
        f'<div style="line-height:{_ROW}"><span style="display:inline-block;width:3.2em">{html.escape(day)}</span> '
        f'<span style="display:inline-block;width:4.6em">{_chip(weather, WEATHER_COLOURS[weather])}</span> '
        f"→ {_chip(dish, DISH_COLOURS[dish], 'b')}"
        "</div>"
    )


def _toggle(options: Sequence[str], value: str) -> widgets.ToggleButtons:
    return widgets.ToggleButtons(options=list(options), value=value, style={"button_width": "auto"})


def _row(label: str, toggle: widgets.Widget, width: str = "10em") -> widgets.HBox:
    """Put a bold label to the left of a toggle, in a row of fixed height."""
    text = widgets.HTML(f"<b>{html.escape(label)}</b>", layout={"width": width})
    return widgets.HBox([text, toggle], layout={"height": _ROW, "align_items": "center", "margin": "0"})


def make_roommate_widget(yesterday: str = "apple pie", weather: str = "sunny") -> widgets.VBox:
    """Build toggles for today's weather and yesterday's dish over six precomputed views.

    The outer ``Stack`` is selected by the weather toggle, each inner ``Stack`` by the dish
    toggle, both through ``jslink`` so that the switch also happens in a static page.
    """
    roommate.check_meal(yesterday, "yesterday")
    roommate.check_weather(weather)
    weather_toggle = _toggle(roommate.WEATHERS, weather)
    dish_toggle = _toggle(roommate.MEALS, yesterday)
    dish_index = roommate.MEALS.index(yesterday)
    inner = [
        widgets.Stack(
            [widgets.HTML(explanation_html(d, w)) for d in roommate.MEALS],
            selected_index=dish_index,
        )
        for w in roommate.WEATHERS
    ]
    outer = widgets.Stack(inner, selected_index=roommate.WEATHERS.index(weather))
    links = [widgets.jslink((weather_toggle, "index"), (outer, "selected_index"))]
    links += [widgets.jslink((dish_toggle, "index"), (stack, "selected_index")) for stack in inner]
    description = (
        "Roommate widget: toggles for today's weather (sunny, rainy) and yesterday's dish "
        "(apple pie, burger, chicken) over 6 precomputed views"
    )
    rows = [_row("Today's weather", weather_toggle), _row("Yesterday's dish", dish_toggle)]
    return _BookWidget(description, links, children=[*rows, outer])


def make_week_planner(first_dish: str = "apple pie", weathers: Sequence[str] | None = None) -> widgets.VBox:
    """Build a week planner: a starting-dish toggle, a weather toggle per day, the dinners updating.

    Day k's dinner depends only on day k-1's dinner and day k's weather, so the views form a
    chain of small Stacks, one per (day, yesterday's dinner), each shared by every branch that
    reaches it: 21 Stacks instead of 3 x 2**7 = 384 precomputed weeks.
    """
    roommate.check_meal(first_dish, "first_dish")
    layout, style = widgets.Layout(margin="0"), HTMLStyle()
    card_layout = widgets.Layout(height=_ROW, margin="0")
    if weathers is None:
        weathers = ["sunny", "rainy", "rainy", "sunny", "rainy", "sunny", "sunny"]
    weathers = roommate.check_weathers(weathers)
    if len(weathers) != len(DAYS):
        raise ValueError(f"weathers must have one entry per day ({len(DAYS)}); got {len(weathers)}")
    start_toggle = _toggle(roommate.MEALS, first_dish)
    day_toggles = [_toggle(roommate.WEATHERS, w) for w in weathers]
    cards = {
        (k, w, d): widgets.HTML(day_card_html(DAYS[k], w, d), layout=card_layout, style=style)
        for k in range(len(DAYS))
        for w in roommate.WEATHERS
        for d in roommate.MEALS
    }
    links = []
    end = widgets.HTML("", layout=layout, style=style)
    following: dict[str, widgets.Widget] = {d: end for d in roommate.MEALS}
    for k in reversed(range(len(DAYS))):
        nodes = {}
        for yesterday in roommate.MEALS:
            branches = []
            for w in roommate.WEATHERS:
                today = roommate.predict(yesterday, w)
                branches.append(widgets.VBox([cards[(k, w, today)], following[today]], layout=layout))
            nodes[yesterday] = widgets.Stack(
                branches, selected_index=roommate.WEATHERS.index(weathers[k]), layout=layout
            )
            links.append(widgets.jslink((day_toggles[k], "index"), (nodes[yesterday], "selected_index")))
        following = nodes
    chain = widgets.Stack([following[d] for d in roommate.MEALS], selected_index=roommate.MEALS.index(first_dish))
    links.append(widgets.jslink((start_toggle, "index"), (chain, "selected_index")))
    toggles = widgets.VBox([_row(day, t, "3em") for day, t in zip(DAYS, day_toggles, strict=True)])
    description = (
        f"Week planner: a starting-dish toggle and a weather toggle for each of the {len(DAYS)} days "
        "over a chain of 21 precomputed Stacks"
    )
    return _BookWidget(
        description,
        links,
        children=[
            _row("Last Sunday's dinner", start_toggle, "14em"),
            widgets.HBox([toggles, chain], layout={"align_items": "flex-start", "grid_gap": "0 24px"}),
        ],
    )


def make_toggle_views(
    controls: Sequence[tuple[str, Sequence[str]]],
    make_view: Callable[..., widgets.Widget],
    description: str,
    values: Sequence[str] | None = None,
    label_width: str = "14em",
) -> widgets.VBox:
    """Build one labelled toggle per control over nested Stacks of precomputed views, switched in the browser.

    ``controls`` lists ``(label, options)`` pairs; ``make_view(*chosen)`` builds the view for one option of each
    control (a caller whose views ignore a control can cache them: a widget may sit in several Stacks). The first
    toggle selects among Stacks of the second control's views, and so on; every Stack is ``jslink``-ed to its
    level's toggle, so the static page switches views with no kernel. ``description`` is the text/plain repr.
    """
    if not controls or any(not options for _, options in controls):
        raise ValueError("controls must be a non-empty list of (label, options) with at least one option each")
    values = [options[0] for _, options in controls] if values is None else list(values)
    if len(values) != len(controls):
        raise ValueError(f"values must hold one option per control ({len(controls)}); got {len(values)}")
    for (label, options), value in zip(controls, values, strict=True):
        if value not in options:
            raise ValueError(f"{label} must be one of {', '.join(map(repr, options))}; got {value!r}")
    toggles = [_toggle(options, value) for (_, options), value in zip(controls, values, strict=True)]
    links = []

    def build(level: int, chosen: tuple[str, ...]) -> widgets.Widget:
        if level == len(controls):
            return make_view(*chosen)
        children = [build(level + 1, (*chosen, option)) for option in controls[level][1]]
        stack = widgets.Stack(children, selected_index=toggles[level].index)
        links.append(widgets.jslink((toggles[level], "index"), (stack, "selected_index")))
        return stack

    views = build(0, ())
    rows = [  # no fixed height: a long row of toggles may wrap on a narrow page
        widgets.HBox(
            [widgets.HTML(f"<b>{html.escape(label)}</b>", layout={"width": label_width}), toggle],
            layout={"align_items": "center", "margin": "0"},
        )
        for (label, _), toggle in zip(controls, toggles, strict=True)
    ]
    return _BookWidget(description, links, children=[*rows, views])


def sync_links(widget: widgets.Widget) -> None:
    """Copy every link's source value to its target, as the browser does after a click."""
    links = getattr(widget, "links", None)
    if links is None:
        raise ValueError(f"expected a widget built by make_*() with a .links list; got {type(widget).__name__}")
    for link in links:
        (source, source_name), (target, target_name) = link.source, link.target
        setattr(target, target_name, getattr(source, source_name))


def visible_text(widget: widgets.Widget) -> str:
    """Return the text a reader sees: HTML of the selected Stack children only, tags removed."""
    if not isinstance(widget, widgets.Widget):
        raise ValueError(f"expected an ipywidgets Widget; got {type(widget).__name__}")
    if isinstance(widget, widgets.Stack):
        index = widget.selected_index
        return "" if index is None else visible_text(widget.children[index])
    if isinstance(widget, widgets.Box):
        return " ".join(t for t in (visible_text(c) for c in widget.children) if t)
    if isinstance(widget, widgets.HTML):
        return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", widget.value))).strip()
    return ""
