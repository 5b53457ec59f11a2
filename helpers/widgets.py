"""Interactive figures that keep working in the static book, with no kernel: one way to build them.

Every choice a reader can make is one of a small finite set, so each view is computed in advance and put in an
ipywidgets ``Stack``. A control (toggle buttons, or a slider) selects the view through ``jslink``, a link that runs
in the browser: the page embeds the widget state, and a click switches views without Python. In a live kernel the
same widgets work as usual.

* :class:`Choice` describes one control: its label, its options, the option shown first, toggles or a slider.
* :func:`make_toggle_views` builds a figure from choices and a function that renders the view for one combination
  of options: one level of nested ``Stack`` per choice.
* :func:`make_chain_views` is the one extension, for a walk (the roommate's week planner): step ``k``'s view depends
  only on the state after step ``k - 1`` and step ``k``'s option, so the views form a chain of small Stacks instead
  of one view per combination of every step.
* Both return a :class:`Switcher`: its text/plain repr is a fixed description (stable under nbval) and its
  ``links`` list holds every ``jslink``, so a test can replay a click with ``sync_links`` (tests/widget_tools.py).
* :func:`figure_png` and :func:`image_view` turn a matplotlib figure into a view with alt text.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Callable, Hashable, Sequence
from typing import Any, NamedTuple

import ipywidgets as widgets
import matplotlib.pyplot as plt
from PIL import Image

__all__ = ["Choice", "Switcher", "figure_png", "image_view", "make_toggle_views", "make_chain_views"]


class Choice(NamedTuple):
    """One control of an interactive figure.

    ``options`` are strings, or ``(text, value)`` pairs as ipywidgets takes them; the view function receives the
    values. ``value`` is the value shown first (default: the first option's). ``slider`` draws a
    ``SelectionSlider`` instead of toggle buttons.
    """

    label: str
    options: Sequence[Any]
    value: Any = None
    slider: bool = False

    def values(self) -> list[Any]:
        """The option values, in order (the text of a string option is its value)."""
        return [o[1] if isinstance(o, tuple) else o for o in self.options]

    def index(self) -> int:
        """The position of the option shown first; a clear error if ``value`` is not an option."""
        values = self.values()
        if self.value is None:
            return 0
        if self.value not in values:
            raise ValueError(f"{self.label} must be one of {', '.join(map(repr, values))}; got {self.value!r}")
        return values.index(self.value)


def _check_choice(choice: Any) -> Choice:
    """Return ``choice`` once it is a Choice with a label, options, and a first value among them."""
    if not isinstance(choice, Choice):
        raise ValueError(f"each choice must be a helpers.widgets.Choice; got {choice!r}")
    if not isinstance(choice.label, str) or not choice.label.strip():
        raise ValueError(f"a choice's label must be a non-empty string (it names the control); got {choice.label!r}")
    if isinstance(choice.options, str) or len(choice.options) == 0:
        raise ValueError(f"{choice.label}: options must be a non-empty list of options; got {choice.options!r}")
    choice.index()
    return choice


class Switcher(widgets.VBox):
    """The box every interactive figure is: controls above their views.

    Its text/plain repr is ``description`` (a notebook stores it, and nbval compares it), and ``links`` holds every
    ``jslink`` from a control to a Stack.
    """

    def __init__(self, description: str, links: Sequence[widgets.Widget], children: Sequence[widgets.Widget]):
        super().__init__(children=list(children))
        self._description = description
        self.links = list(links)

    def __repr__(self) -> str:
        return self._description


def _make_control(choice: Choice, label_width: str | None = None, layout: widgets.Layout | None = None):
    """Build the control for one choice: toggle buttons (or a slider) whose own description is the label.

    The label is the control's ``description``, which the book's widgets-setup.js turns into the accessible name
    of the group; ``label_width`` (a CSS width) lines labels up across rows. ``None`` keeps ipywidgets' default,
    which stores nothing: a toggle group's label fits its text, a slider's is 80px wide. ipywidgets 8 puts a
    toggle's label above its buttons; the book's stylesheet (book/_static/css/accessible.css) puts it on their left,
    which costs no widget state. Pass one ``layout`` to share it between rows.
    """
    choice = _check_choice(choice)
    extra = {} if layout is None else {"layout": layout}
    width = {} if label_width is None else {"description_width": label_width}
    if choice.slider:
        return widgets.SelectionSlider(
            options=list(choice.options),
            index=choice.index(),
            description=choice.label,
            continuous_update=True,
            style=width,
            **extra,
        )
    return widgets.ToggleButtons(
        options=list(choice.options),
        index=choice.index(),
        description=choice.label,
        style={**width, "button_width": "auto"},
        **extra,
    )


def _link(control: widgets.Widget, stack: widgets.Stack, links: list) -> widgets.Stack:
    """Tie a control's index to a Stack's selected index in the browser; keep the link in ``links``."""
    stack.selected_index = control.index
    links.append(widgets.jslink((control, "index"), (stack, "selected_index")))
    return stack


def make_toggle_views(
    choices: Sequence[Choice],
    make_view: Callable[..., widgets.Widget],
    description: str,
    label_width: str | None = None,
) -> Switcher:
    """Build one control per choice over nested Stacks of precomputed views, switched in the browser.

    ``make_view(*values)`` builds the view for one value of each choice (a caller whose views ignore a choice can
    cache them: a widget may sit in several Stacks). The first control selects among Stacks of the second
    choice's views, and so on. ``description`` is the text/plain repr.
    """
    if isinstance(choices, (str, Choice)) or not choices:
        raise ValueError(f"choices must be a non-empty list of Choice; got {choices!r}")
    choices = [_check_choice(c) for c in choices]
    controls = [_make_control(c, label_width) for c in choices]
    links: list = []

    def build(level: int, chosen: tuple) -> widgets.Widget:
        if level == len(choices):
            view = make_view(*chosen)
            if not isinstance(view, widgets.Widget):
                raise ValueError(f"make_view must return an ipywidgets Widget; got {type(view).__name__} for {chosen}")
            return view
        children = [build(level + 1, (*chosen, value)) for value in choices[level].values()]
        return _link(controls[level], widgets.Stack(children), links)

    return Switcher(description, links, [*controls, build(0, ())])


def make_chain_views(
    start: Choice,
    steps: Sequence[Choice],
    advance: Callable[[Hashable, Any], Hashable],
    make_card: Callable[[int, Any, Hashable], widgets.Widget],
    description: str,
    label_width: str | None = None,
    row_height: str = "36px",
) -> Switcher:
    """Build a walk: a control for the start state, one control per step, and each step's card beside it.

    The states are the start choice's values; ``advance(state, option)`` must return one of them.
    ``make_card(k, option, state)`` is step ``k``'s view once ``option`` was chosen and the walk reached
    ``state``. A card depends only on the state before its step and its step's option, so there is one Stack per
    (step, state), shared by every walk that reaches it: ``len(steps) * len(states)`` Stacks instead of one view
    per combination. The step controls sit in a column of rows ``row_height`` high, beside the cards; make the
    cards that high too.
    """
    start = _check_choice(start)
    if isinstance(steps, (str, Choice)) or not steps:
        raise ValueError(f"steps must be a non-empty list of Choice; got {steps!r}")
    steps = [_check_choice(s) for s in steps]
    states = start.values()
    row = widgets.Layout(display="flex", align_items="center", height=row_height, margin="0")  # label left, as the card
    flat = widgets.Layout(margin="0")
    step_controls = [_make_control(s, label_width, layout=row) for s in steps]
    links: list = []
    end = widgets.HTML("", layout=flat)
    following: dict[Hashable, widgets.Widget] = {state: end for state in states}
    for k in reversed(range(len(steps))):
        nodes = {}
        for before in states:
            branches = []
            for option in steps[k].values():
                after = advance(before, option)
                if after not in following:
                    raise ValueError(f"advance({before!r}, {option!r}) must return one of {states}; got {after!r}")
                branches.append(widgets.VBox([make_card(k, option, after), following[after]], layout=flat))
            nodes[before] = _link(step_controls[k], widgets.Stack(branches, layout=flat), links)
        following = nodes
    start_control = _make_control(start)
    chain = _link(start_control, widgets.Stack([following[s] for s in states]), links)
    walk = widgets.HBox(
        [widgets.VBox(step_controls), chain], layout={"align_items": "flex-start", "grid_gap": "0 24px"}
    )
    walk.add_class("book-walk")  # its rows stay rows on a phone (book/_static/css/accessible.css)
    return Switcher(description, links, [start_control, walk])


def figure_png(fig: plt.Figure, dpi: int = 100, colours: int | None = None) -> bytes:
    """Render a figure to PNG bytes (tight box) and close it; ``colours`` shrinks it to a palette."""
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
    """Show PNG bytes as an image with alt text, one precomputed view of a Stack.

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
