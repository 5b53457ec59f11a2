"""Unit tests of helpers/widgets.py, the one way the book builds an interactive figure (in a browser:
tests/test_widgets_browser.py)."""

from __future__ import annotations

import io
import itertools

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import pytest
from ipywidgets.widgets.widget_link import Link
from PIL import Image
from widget_tools import controls, sync_links, visible_text, walk

from helpers import widgets as book_widgets
from helpers.widgets import Choice


def _letters(*chosen):
    return widgets.HTML(f"<p>{''.join(map(str, chosen))}</p>")


# ------------------------------------------------------------------------------------------------- Choice


def test_choice_values_and_index():
    assert Choice("Size", ["s", "m", "l"]).values() == ["s", "m", "l"]
    assert Choice("Size", ["s", "m", "l"]).index() == 0
    assert Choice("Size", ["s", "m", "l"], "l").index() == 2
    assert Choice("Scale", [("0.5", 0.5), ("1", 1.0)], 1.0).values() == [0.5, 1.0]
    assert Choice("Scale", [("0.5", 0.5), ("1", 1.0)], 1.0).index() == 1


@pytest.mark.parametrize(
    ("choice", "message"),
    [
        (Choice("Size", ["s", "m"], "xl"), "Size must be one of 's', 'm'; got 'xl'"),
        (Choice("Size", []), "Size: options must be a non-empty list"),
        (Choice("Size", "sml"), "Size: options must be a non-empty list"),
        (Choice(" ", ["s"]), "label must be a non-empty string"),
        (("Size", ["s"]), "must be a helpers.widgets.Choice"),
    ],
)
def test_bad_choices_are_refused_by_name(choice, message):
    with pytest.raises(ValueError, match=message):
        book_widgets.make_toggle_views([choice], _letters, "x")


def test_each_control_is_labelled_by_its_own_description():
    widget = book_widgets.make_toggle_views([Choice("Size", ["s", "m", "l"], "m")], _letters, "x", label_width="5em")
    (toggle,) = controls(widget)
    assert isinstance(toggle, widgets.ToggleButtons)
    assert (toggle.description, toggle.value, toggle.style.description_width) == ("Size", "m", "5em")
    widget = book_widgets.make_toggle_views([Choice("T", [("0.5", 0.5), ("2", 2.0)], 2.0, slider=True)], _letters, "x")
    (slider,) = controls(widget)
    assert isinstance(slider, widgets.SelectionSlider)
    assert (slider.description, slider.value, slider.index, slider.style.description_width) == ("T", 2.0, 1, "")


# ----------------------------------------------------------------------------------------- make_toggle_views


def test_make_toggle_views_nests_one_stack_level_per_choice():
    built = []

    def view(letter, number):
        built.append((letter, number))
        return _letters(letter, number)

    widget = book_widgets.make_toggle_views(
        [Choice("Letter", ["a", "b", "c"], "b"), Choice("Number", [("1", 1), ("2", 2)], 2)], view, "Two toggles"
    )
    assert sorted(built) == [(x, n) for x in "abc" for n in (1, 2)]  # the view gets each option's value
    assert isinstance(widget, book_widgets.Switcher) and repr(widget) == "Two toggles"
    assert len(widget.links) == 1 + 3 and all(isinstance(link, Link) for link in widget.links)
    assert visible_text(widget) == "b2"
    letter, number = controls(widget)
    for chosen_letter, chosen_number in itertools.product("abc", (1, 2)):
        letter.value, number.value = chosen_letter, chosen_number
        sync_links(widget)
        assert visible_text(widget) == f"{chosen_letter}{chosen_number}"


def test_make_toggle_views_with_a_slider():
    widget = book_widgets.make_toggle_views(
        [Choice("Temperature", [("0.5", 0.5), ("1", 1.0), ("2", 2.0)], slider=True)], _letters, "A slider"
    )
    (slider,) = controls(widget)
    assert isinstance(slider, widgets.SelectionSlider) and visible_text(widget) == "0.5"
    slider.value = 2.0
    sync_links(widget)
    assert visible_text(widget) == "2.0"


def test_make_toggle_views_refuses_bad_input():
    with pytest.raises(ValueError, match="Number must be one of '1', '2'; got '3'"):
        book_widgets.make_toggle_views([Choice("Number", ["1", "2"], "3")], _letters, "x")
    with pytest.raises(ValueError, match="choices must be a non-empty list"):
        book_widgets.make_toggle_views([], _letters, "x")
    with pytest.raises(ValueError, match="make_view must return an ipywidgets Widget; got str"):
        book_widgets.make_toggle_views([Choice("Number", ["1"])], lambda n: n, "x")


# ------------------------------------------------------------------------------------------ make_chain_views


def _chain(start="0", steps=("+0", "+1", "+1")):
    """A walk on 0, 1, 2: each step adds 0, 1 or 2 (mod 3); each card shows the step, its option and the state."""
    return book_widgets.make_chain_views(
        Choice("Start", ["0", "1", "2"], start),
        [Choice(f"Step {k}", ["+0", "+1", "+2"], s) for k, s in enumerate(steps)],
        advance=lambda state, option: str((int(state) + int(option)) % 3),
        make_card=lambda k, option, state: widgets.HTML(f"[{k}{option}={state}]"),
        description="A walk",
    )


def test_make_chain_views_follows_every_walk():
    chain = _chain()
    start, *steps = controls(chain)
    assert repr(chain) == "A walk" and len(steps) == 3
    assert visible_text(chain) == "[0+0=0] [1+1=1] [2+1=2]"
    for first, *options in itertools.product(["0", "1", "2"], *[["+0", "+1", "+2"]] * 3):
        start.value = first
        for control, option in zip(steps, options, strict=True):
            control.value = option
        sync_links(chain)
        state, expected = int(first), []
        for k, option in enumerate(options):
            state = (state + int(option)) % 3
            expected.append(f"[{k}{option}={state}]")
        assert visible_text(chain) == " ".join(expected), (first, options)


def test_make_chain_views_shares_one_stack_per_step_and_state():
    chain = _chain()
    stacks = {id(w) for w in walk(chain) if isinstance(w, widgets.Stack)}
    assert len(stacks) == len(chain.links) == 1 + 3 * 3  # not one view per walk (3 * 3**3 = 81)


def test_make_chain_views_marks_its_rows_for_the_phone_stylesheet():
    """book/_static/css/accessible.css keeps a walk's rows level with their cards on a phone by this class."""
    walks = [w for w in walk(_chain()) if "book-walk" in getattr(w, "_dom_classes", ())]
    assert len(walks) == 1 and isinstance(walks[0], widgets.HBox)


def test_make_chain_views_refuses_a_state_outside_the_start_options():
    with pytest.raises(ValueError, match="advance\\('0', 'x'\\) must return one of \\['0', '1'\\]; got '2'"):
        book_widgets.make_chain_views(
            Choice("Start", ["0", "1"]),
            [Choice("Step", ["x"])],
            advance=lambda state, option: "2",
            make_card=lambda k, option, state: widgets.HTML(""),
            description="x",
        )
    with pytest.raises(ValueError, match="steps must be a non-empty list"):
        book_widgets.make_chain_views(Choice("Start", ["0"]), [], lambda s, o: s, lambda k, o, s: None, "x")


# ------------------------------------------------------------------------------------------ views from figures


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
