"""Replaying a reader's clicks on a widget in Python, for the tests of every interactive figure."""

from __future__ import annotations

import html
import re

import ipywidgets as widgets


def sync_links(widget: widgets.Widget) -> None:
    """Copy every link's source value to its target, as the browser does after a click."""
    links = getattr(widget, "links", None)
    if links is None:
        raise ValueError(f"expected a widget built by helpers.widgets with a .links list; got {type(widget).__name__}")
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


def walk(widget: widgets.Widget):
    """Yield ``widget`` and every widget inside it, depth first."""
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)


def controls(widget: widgets.Widget) -> list[widgets.Widget]:
    """The toggle groups and sliders of an interactive figure, top to bottom."""
    return [w for w in walk(widget) if isinstance(w, (widgets.ToggleButtons, widgets.SelectionSlider))]
