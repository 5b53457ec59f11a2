"""Diagrams of the recurrent cells drawn in code: the plain RNN, LSTM and GRU cells, the conveyor belt, and their
interactive figures.

Every ``plot_*`` function takes ``ax=None``, draws on it (or on a new figure) and returns it. The ``make_*_widget``
functions build interactive figures with :func:`helpers.widgets.make_toggle_views`: each view is drawn in advance,
so they work on the static page too.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, Ellipse, FancyBboxPatch, Patch

from helpers.cells import OUTPUT_SCHEDULES, gate_schedule, run_conveyor_belt
from helpers.style import BLUE, DARK_CYAN, EDGE_GREY, FILL_LIGHT, FILL_PALE, GATE_COLOURS, INK_SOFT, TEXT_LIGHT
from helpers.widgets import Choice, Switcher, figure_png, image_view, make_toggle_views

_CELL_FADED = 0.18
_CELL_BOX_W, _CELL_BOX_H, _CELL_OP_R = 1.0, 0.7, 0.3
RNN_PARTS: tuple[str, ...] = ("hidden state", "tanh layer")
LSTM_PARTS: tuple[str, ...] = ("cell state", "forget gate", "input gate", "output gate")
_RNN_COLOURS = {"hidden state": BLUE, "tanh layer": GATE_COLOURS["candidate"]}
_CELL_INK = INK_SOFT


def _cell_check_part(highlight: str | None, parts: tuple[str, ...]) -> None:
    if highlight is not None and highlight not in parts:
        raise ValueError(f"highlight must be None or one of {', '.join(map(repr, parts))}; got {highlight!r}")


def _cell_alpha(tags: tuple[str, ...], highlight: str | None) -> float:
    return 1.0 if highlight is None or highlight in tags else _CELL_FADED


def _cell_wire(
    ax: Axes, points, alpha: float, colour: str = _CELL_INK, lw: float = 1.8, arrow: bool = True, z: int = 2
):
    """Draw a polyline; the last segment ends in an arrow head."""
    xs, ys = zip(*points, strict=True)
    ax.plot(xs, ys, color=colour, lw=lw, alpha=alpha, solid_capstyle="butt", zorder=z)
    if arrow:
        ax.annotate(
            "",
            xy=points[-1],
            xytext=points[-2],
            zorder=z,
            arrowprops={
                "arrowstyle": "-|>",
                "color": colour,
                "lw": lw,
                "alpha": alpha,
                "shrinkA": 0,
                "shrinkB": 0,
                "mutation_scale": 14,
            },
        )


def _cell_layer(ax: Axes, x: float, y: float, text: str, colour: str, alpha: float, strong: bool) -> None:
    """Draw a learned layer: a box filled with its gate colour."""
    box = FancyBboxPatch(
        (x - _CELL_BOX_W / 2, y - _CELL_BOX_H / 2),
        _CELL_BOX_W,
        _CELL_BOX_H,
        boxstyle="round,pad=0,rounding_size=0.12",
        facecolor=colour,
        edgecolor=_CELL_INK,
        lw=2.4 if strong else 1.2,
        alpha=alpha,
        zorder=4,
    )
    ax.add_patch(box)
    ax.text(x, y, text, ha="center", va="center", fontsize=13, alpha=alpha, zorder=5)


def _cell_pointwise(ax: Axes, x: float, y: float, symbol: str, colour: str, alpha: float, strong: bool) -> None:
    """Draw a pointwise operation: a circle (an ellipse for the wider tanh)."""
    if symbol == "tanh":
        patch = Ellipse((x, y), 1.0, 0.6, facecolor=TEXT_LIGHT, edgecolor=colour, lw=2.4 if strong else 1.6)
    else:
        patch = Circle((x, y), _CELL_OP_R, facecolor=TEXT_LIGHT, edgecolor=colour, lw=2.4 if strong else 1.6)
    patch.set_alpha(alpha)
    patch.set_zorder(4)
    ax.add_patch(patch)
    label = {"x": r"$\times$", "+": r"$+$"}.get(symbol, symbol)
    ax.text(x, y, label, ha="center", va="center", fontsize=15 if symbol != "tanh" else 11, alpha=alpha, zorder=5)


def _cell_copy_dot(ax: Axes, x: float, y: float, colour: str, alpha: float) -> None:
    ax.add_patch(Circle((x, y), 0.09, color=colour, alpha=alpha, zorder=3))


def _cell_label(ax: Axes, x: float, y: float, text: str, alpha: float, **kwargs) -> None:
    ax.text(x, y, text, fontsize=kwargs.pop("fontsize", 14), alpha=alpha, zorder=5, **kwargs)


def _cell_axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    if ax is None:
        _, ax = plt.subplots(figsize=size)
    ax.set_axis_off()
    ax.set_aspect("equal")
    return ax


def _cell_legend(ax: Axes) -> None:
    """Add the key of the notation under the diagram: box, circle, copy dot."""
    handles = [
        Patch(facecolor=FILL_LIGHT, edgecolor=_CELL_INK, label="layer with weights"),
        Line2D([], [], ls="none", marker="o", ms=12, mfc=TEXT_LIGHT, mec=_CELL_INK, label="pointwise operation"),
        Line2D([], [], ls="none", marker="o", ms=5, color=_CELL_INK, label="copy"),
    ]
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, 0.02),
        ncol=3,
        fontsize=10,
        frameon=False,
        handlelength=1.5,
    )


def _cell_finish(ax: Axes, title: str, highlight: str | None) -> Axes:
    """Add the legend, the gated cells' common limits, and the title naming the highlighted part."""
    _cell_legend(ax)
    ax.set_xlim(-1.5, 11.5)
    ax.set_ylim(-1.3, 7.2)
    ax.set_title(title + (f": {highlight}" if highlight else ""), fontsize=13)
    return ax


def _cell_frame_and_belt(ax: Axes, y: float, colour: str, alpha: float, strong: bool, labels: tuple[str, str]) -> None:
    """Draw the cell's grey frame and the thick state line across its top, labelled on both sides."""
    ax.add_patch(
        FancyBboxPatch(
            (0, 0),
            10,
            6.3,
            boxstyle="round,pad=0,rounding_size=0.3",
            facecolor=FILL_PALE,
            edgecolor=EDGE_GREY,
            lw=1.2,
            zorder=0,
        )
    )
    width = 6.5 if strong else 4.5
    for ink, lw in ((_CELL_INK, width + 2.2), (colour, width)):
        ax.plot([-1.2, 10.8], [y, y], color=ink, lw=lw, alpha=alpha, zorder=1)
    _cell_wire(ax, [(10.7, y), (11.3, y)], alpha, _CELL_INK, 2.5, z=1)
    _cell_label(ax, -1.3, y + 0.35, labels[0], alpha)
    _cell_label(ax, 10.5, y + 0.35, labels[1], alpha)


def plot_rnn_cell(ax: Axes | None = None, highlight: str | None = None) -> Axes:
    """Draw the plain RNN cell in Olah's notation: one tanh layer on [h_{t-1}, x_t].

    ``highlight`` is None or one of ``RNN_PARTS`` ("hidden state", "tanh layer"); the other parts fade.
    """
    _cell_check_part(highlight, RNN_PARTS)
    ax = _cell_axes(ax, (7.5, 3.6))
    hidden, layer = _RNN_COLOURS["hidden state"], _RNN_COLOURS["tanh layer"]
    a_h, a_l = _cell_alpha(("hidden state",), highlight), _cell_alpha(("tanh layer",), highlight)
    y, lw_h = 1.3, 3.2 if highlight == "hidden state" else 2.0
    ax.add_patch(
        FancyBboxPatch(
            (0, 0),
            10,
            3.4,
            boxstyle="round,pad=0,rounding_size=0.3",
            facecolor=FILL_PALE,
            edgecolor=EDGE_GREY,
            lw=1.2,
            zorder=0,
        )
    )
    _cell_wire(ax, [(-1.2, y), (4.5, y)], a_h if highlight == "hidden state" else a_l, hidden, lw_h, arrow=False)
    _cell_wire(ax, [(2.0, -0.9), (2.0, y)], a_l, _CELL_INK, 1.8, arrow=False)
    _cell_wire(ax, [(3.6, y), (4.5, y)], a_l, _CELL_INK, 1.8)
    _cell_layer(ax, 5.0, y, "tanh", layer, a_l, highlight == "tanh layer")
    _cell_wire(ax, [(5.5, y), (11.2, y)], a_h, hidden, lw_h)
    _cell_wire(ax, [(8.0, y), (8.0, 4.6)], a_h, hidden, lw_h)
    _cell_copy_dot(ax, 8.0, y, hidden, a_h)
    _cell_label(ax, -1.3, y + 0.25, r"$h_{t-1}$", a_h)
    _cell_label(ax, 2.15, -0.95, r"$x_t$", a_l)
    _cell_label(ax, 2.25, y - 0.5, r"$[h_{t-1}, x_t]$", a_l, fontsize=11)
    _cell_label(ax, 10.4, y + 0.25, r"$h_t$", a_h)
    _cell_label(ax, 8.2, 4.2, r"$h_t$", a_h)
    _cell_legend(ax)
    ax.set_xlim(-1.5, 11.5)
    ax.set_ylim(-1.3, 4.8)
    ax.set_title("Plain RNN cell" + (f": {highlight}" if highlight else ""), fontsize=13)
    return ax


def plot_lstm_cell(ax: Axes | None = None, highlight: str | None = None) -> Axes:
    """Draw the LSTM cell in Olah's notation, the cell state as the line across the top.

    ``highlight`` is None or one of ``LSTM_PARTS`` ("cell state", "forget gate", "input gate",
    "output gate"); the other parts fade.
    """
    _cell_check_part(highlight, LSTM_PARTS)
    ax = _cell_axes(ax, (7.5, 5.0))
    c = GATE_COLOURS
    belt, bus, box_y, mid = 5.4, 0.9, 2.5, 4.0
    gates = {"forget gate": 2.0, "input gate": 3.6, "candidate": 5.2, "output gate": 6.8}
    alpha = {p: _cell_alpha((p,), highlight) for p in LSTM_PARTS}
    strong = {p: highlight == p for p in LSTM_PARTS}
    a_bus = 1.0 if highlight != "cell state" else _CELL_FADED
    # the cell state: the conveyor belt along the top, touched only by one x and one +
    labels = (r"$c_{t-1}$", r"$c_t$")
    _cell_frame_and_belt(ax, belt, c["cell state"], alpha["cell state"], strong["cell state"], labels)
    # the input: h_{t-1} and x_t merge (concatenation), then the bus is copied to the four layers
    _cell_wire(ax, [(-1.2, bus), (gates["output gate"], bus)], a_bus, arrow=False)
    _cell_wire(ax, [(0.8, -0.9), (0.8, bus)], a_bus, arrow=False)
    _cell_label(ax, -1.3, bus + 0.25, r"$h_{t-1}$", a_bus)
    _cell_label(ax, 0.95, -1.0, r"$x_t$", a_bus)
    _cell_label(ax, 0.95, bus - 0.5, r"$[h_{t-1}, x_t]$", a_bus, fontsize=11)
    for name, x in gates.items():
        part = "input gate" if name == "candidate" else name
        _cell_wire(ax, [(x, bus), (x, box_y - _CELL_BOX_H / 2)], max(alpha[part], a_bus * _CELL_FADED))
        if name != "output gate":
            _cell_copy_dot(ax, x, bus, _CELL_INK, a_bus)
        text = "tanh" if name == "candidate" else r"$\sigma$"
        _cell_layer(ax, x, box_y, text, c[name], alpha[part], strong[part])
    # forget gate: f_t multiplies the old cell state
    _cell_wire(ax, [(2.0, box_y + _CELL_BOX_H / 2), (2.0, belt - _CELL_OP_R)], alpha["forget gate"], c["forget gate"])
    _cell_pointwise(
        ax, 2.0, belt, "x", c["forget gate"], max(alpha["forget gate"], alpha["cell state"]), strong["forget gate"]
    )
    _cell_label(ax, 2.15, 3.3, r"$f_t$", alpha["forget gate"], color=c["forget gate"])
    # input gate and candidate: i_t * C~_t is added to the belt
    _cell_wire(
        ax, [(3.6, box_y + _CELL_BOX_H / 2), (3.6, mid), (5.2 - _CELL_OP_R, mid)], alpha["input gate"], c["input gate"]
    )
    _cell_wire(ax, [(5.2, box_y + _CELL_BOX_H / 2), (5.2, mid - _CELL_OP_R)], alpha["input gate"], c["candidate"])
    _cell_pointwise(ax, 5.2, mid, "x", c["input gate"], alpha["input gate"], strong["input gate"])
    _cell_wire(ax, [(5.2, mid + _CELL_OP_R), (5.2, belt - _CELL_OP_R)], alpha["input gate"], c["input gate"])
    _cell_pointwise(
        ax, 5.2, belt, "+", c["input gate"], max(alpha["input gate"], alpha["cell state"]), strong["input gate"]
    )
    _cell_label(ax, 3.0, 3.3, r"$i_t$", alpha["input gate"], color=c["input gate"])
    _cell_label(ax, 5.5, 3.1, r"$\tilde{c}_t$", alpha["input gate"], color=DARK_CYAN)
    # output gate: o_t * tanh(c_t) is the new hidden state
    o = alpha["output gate"]
    _cell_copy_dot(ax, 8.4, belt, _CELL_INK, o)
    _cell_wire(ax, [(8.4, belt), (8.4, mid + 0.3)], o)
    _cell_pointwise(ax, 8.4, mid, "tanh", c["output gate"], o, strong["output gate"])
    _cell_wire(ax, [(8.4, mid - 0.3), (8.4, box_y + _CELL_OP_R)], o)
    _cell_wire(ax, [(6.8 + _CELL_BOX_W / 2, box_y), (8.4 - _CELL_OP_R, box_y)], o, c["output gate"])
    _cell_pointwise(ax, 8.4, box_y, "x", c["output gate"], o, strong["output gate"])
    _cell_label(ax, 7.45, box_y + 0.15, r"$o_t$", o, color=c["output gate"])
    _cell_wire(ax, [(8.4, box_y - _CELL_OP_R), (8.4, bus), (11.2, bus)], o)
    ax.plot([9.4, 9.4], [belt - 0.45, belt + 0.45], color=FILL_PALE, lw=7, zorder=2, alpha=o)
    _cell_wire(ax, [(9.4, bus), (9.4, 7.0)], o, z=3)
    _cell_copy_dot(ax, 9.4, bus, _CELL_INK, o)
    _cell_label(ax, 10.5, bus + 0.25, r"$h_t$", o)
    _cell_label(ax, 9.6, 6.6, r"$h_t$", o)
    return _cell_finish(ax, "LSTM cell", highlight)


# Each part's formula and its one-line reading, {part: (formula, meaning)}, as cell_equations.toml writes them.
_EQUATIONS = tomllib.loads(Path(__file__).with_name("cell_equations.toml").read_text(encoding="utf-8"))
LSTM_EQUATIONS: dict[str, tuple[str, str]] = {p: (e["formula"], e["meaning"]) for p, e in _EQUATIONS["LSTM"].items()}


def _part_figure(plot, parts: tuple[str, ...], equations: dict, colours: dict, part: str) -> plt.Figure:
    """Draw a cell with one part highlighted and that part's equation and a sentence underneath."""
    _cell_check_part(part, parts)
    if part is None:
        raise ValueError(f"part must be one of {', '.join(map(repr, parts))}; got None")
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(7.5, 6.0), height_ratios=[5.0, 1.0])
    plot(top, highlight=part)
    bottom.set_axis_off()
    equation, words = equations[part]
    colour = colours.get(part, _CELL_INK)
    bottom.text(0.5, 0.75, equation, ha="center", va="center", fontsize=16, color=colour, transform=bottom.transAxes)
    bottom.text(0.5, 0.15, words, ha="center", va="center", fontsize=11, color=_CELL_INK, transform=bottom.transAxes)
    return fig


def make_lstm_part_figure(part: str) -> plt.Figure:
    """Draw the LSTM cell with one part highlighted and that part's equation underneath."""
    colours = {p: GATE_COLOURS[p] for p in LSTM_PARTS if p != "cell state"}
    return _part_figure(plot_lstm_cell, LSTM_PARTS, LSTM_EQUATIONS, colours, part)


def _parts_widget(name: str, parts: tuple[str, ...], make_figure, default: str) -> Switcher:
    """Toggle buttons over one precomputed view per part, switched in the browser, so the static book works too."""
    _cell_check_part(default, parts)
    if default is None:
        raise ValueError(f"default must be one of {', '.join(map(repr, parts))}; got None")
    alt = f"The {name} cell with the {{}} highlighted, and its equation"

    def view(part: str):
        return image_view(figure_png(make_figure(part), colours=64), alt.format(part))

    description = f"{name} parts widget: a toggle over {len(parts)} precomputed views ({', '.join(parts)})"
    return make_toggle_views([Choice("Highlight", list(parts), default)], view, description)


def make_lstm_parts_widget(default: str = "cell state") -> Switcher:
    """Build toggle buttons over four precomputed views of the LSTM cell, one part highlighted each."""
    return _parts_widget("LSTM", LSTM_PARTS, make_lstm_part_figure, default)


GRU_PARTS: tuple[str, ...] = ("hidden state", "update gate", "reset gate", "candidate")
_GRU_COLOURS = {
    "hidden state": _RNN_COLOURS["hidden state"],
    "update gate": GATE_COLOURS["forget gate"],
    "reset gate": GATE_COLOURS["output gate"],
    "candidate": GATE_COLOURS["candidate"],
}


def plot_gru_cell(ax: Axes | None = None, highlight: str | None = None) -> Axes:
    """Draw the GRU cell in Olah's notation: the hidden state is the line across the top.

    The update gate z mixes the old state and the candidate as Keras does, h_t = z h_{t-1} + (1 - z) h~_t;
    the reset gate is drawn before the candidate's matrix product (Olah's and Cho's form). ``highlight`` is
    None or one of ``GRU_PARTS``; the other parts fade.
    """
    _cell_check_part(highlight, GRU_PARTS)
    ax = _cell_axes(ax, (7.5, 5.0))
    c = _GRU_COLOURS
    top, bus, box_y, mid = 5.4, 0.9, 2.5, 4.0
    alpha = {p: _cell_alpha((p,), highlight) for p in GRU_PARTS}
    strong = {p: highlight == p for p in GRU_PARTS}
    a_bus = 1.0 if highlight != "hidden state" else _CELL_FADED
    # the hidden state runs along the top: one x (keep z of it) and one + (add the rest)
    labels = (r"$h_{t-1}$", r"$h_t$")
    _cell_frame_and_belt(ax, top, c["hidden state"], alpha["hidden state"], strong["hidden state"], labels)
    # h_{t-1} is copied down to the bus, where it meets x_t
    _cell_copy_dot(ax, 0.4, top, _CELL_INK, a_bus)
    _cell_wire(ax, [(0.4, top), (0.4, bus), (4.0, bus)], a_bus, arrow=False)
    _cell_wire(ax, [(1.2, -0.9), (1.2, bus)], a_bus, arrow=False)
    # x_t is also copied to the candidate, which sees it beside r_t * h_{t-1}
    _cell_copy_dot(ax, 1.2, 0.2, _CELL_INK, alpha["candidate"])
    _cell_wire(ax, [(1.2, 0.2), (5.6, 0.2), (5.6, 1.55)], alpha["candidate"], arrow=False)
    _cell_label(ax, 1.35, -1.0, r"$x_t$", a_bus)
    _cell_label(ax, 1.35, bus - 0.5, r"$[h_{t-1}, x_t]$", a_bus, fontsize=11)
    gates = {"reset gate": 2.4, "update gate": 4.0}
    for name, x in gates.items():
        _cell_wire(ax, [(x, bus), (x, box_y - _CELL_BOX_H / 2)], max(alpha[name], a_bus * _CELL_FADED))
        _cell_copy_dot(ax, x, bus, _CELL_INK, a_bus)
        _cell_layer(ax, x, box_y, r"$\sigma$", c[name], alpha[name], strong[name])
    # reset gate: r_t scales h_{t-1} before the candidate sees it
    r = alpha["reset gate"]
    _cell_wire(ax, [(2.4, box_y + _CELL_BOX_H / 2), (2.4, mid - _CELL_OP_R)], r, c["reset gate"])
    _cell_copy_dot(ax, 0.4, mid, _CELL_INK, r)
    _cell_wire(ax, [(0.4, mid), (2.4 - _CELL_OP_R, mid)], r)
    _cell_pointwise(ax, 2.4, mid, "x", c["reset gate"], r, strong["reset gate"])
    _cell_label(ax, 2.55, 3.3, r"$r_t$", r, color=c["reset gate"])
    a_cand = alpha["candidate"]
    _cell_wire(
        ax,
        [(2.4 + _CELL_OP_R, mid), (3.2, mid), (3.2, 1.55), (6.8, 1.55), (6.8, box_y - _CELL_BOX_H / 2)],
        max(r, a_cand),
    )
    _cell_label(ax, 5.75, 0.75, r"$[r_t \odot h_{t-1}, x_t]$", max(r, a_cand), fontsize=11)
    _cell_layer(ax, 6.8, box_y, "tanh", c["candidate"], a_cand, strong["candidate"])
    # update gate: z_t keeps part of h_{t-1}; 1 - z_t lets the candidate in
    z = alpha["update gate"]
    _cell_wire(ax, [(4.0, box_y + _CELL_BOX_H / 2), (4.0, top - _CELL_OP_R)], z, c["update gate"])
    _cell_pointwise(ax, 4.0, top, "x", c["update gate"], max(z, alpha["hidden state"]), strong["update gate"])
    _cell_label(ax, 4.15, 3.3, r"$z_t$", z, color=c["update gate"])
    _cell_copy_dot(ax, 4.0, mid, _CELL_INK, z)
    _cell_wire(ax, [(4.0, mid), (5.0, mid)], z, c["update gate"], arrow=False)
    _cell_pointwise(ax, 5.5, mid, "1-", c["update gate"], z, strong["update gate"])
    _cell_wire(ax, [(5.5 + _CELL_OP_R, mid), (8.4 - _CELL_OP_R, mid)], z, c["update gate"])
    _cell_wire(
        ax, [(6.8, box_y + _CELL_BOX_H / 2), (6.8, 3.1), (8.4, 3.1), (8.4, mid - _CELL_OP_R)], a_cand, c["candidate"]
    )
    _cell_label(ax, 7.05, 3.25, r"$\tilde{h}_t$", a_cand, color=DARK_CYAN)
    both = max(z, a_cand)
    _cell_pointwise(ax, 8.4, mid, "x", c["update gate"], both, strong["update gate"] or strong["candidate"])
    _cell_wire(ax, [(8.4, mid + _CELL_OP_R), (8.4, top - _CELL_OP_R)], both)
    _cell_pointwise(ax, 8.4, top, "+", c["candidate"], max(both, alpha["hidden state"]), strong["candidate"])
    # the output is a copy of the new state
    _cell_copy_dot(ax, 9.4, top, _CELL_INK, alpha["hidden state"])
    _cell_wire(ax, [(9.4, top), (9.4, 7.0)], alpha["hidden state"], z=3)
    _cell_label(ax, 9.6, 6.6, r"$h_t$", alpha["hidden state"])
    return _cell_finish(ax, "GRU cell", highlight)


GRU_EQUATIONS: dict[str, tuple[str, str]] = {p: (e["formula"], e["meaning"]) for p, e in _EQUATIONS["GRU"].items()}


def make_gru_part_figure(part: str) -> plt.Figure:
    """Draw the GRU cell with one part highlighted and that part's equation underneath."""
    colours = {p: _GRU_COLOURS[p] for p in ("update gate", "reset gate")}
    return _part_figure(plot_gru_cell, GRU_PARTS, GRU_EQUATIONS, colours, part)


def make_gru_parts_widget(default: str = "hidden state") -> Switcher:
    """Build toggle buttons over four precomputed views of the GRU cell, one part highlighted each."""
    return _parts_widget("GRU", GRU_PARTS, make_gru_part_figure, default)


def plot_gate_schedule(schedule: dict[str, np.ndarray], ax: Axes | None = None) -> Axes:
    """Plot the forget, input and output gate values of a schedule over time."""
    _cell_check_schedule(schedule)
    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, 1.8))
    steps = np.arange(1, len(schedule["forget"]) + 1)
    for key, name, lw, ls in (
        ("forget", "forget gate", 4.5, "-"),
        ("input_gate", "input gate", 2.5, "-"),
        ("output", "output gate", 2.0, "--"),
    ):
        ax.step(steps, schedule[key], where="mid", color=GATE_COLOURS[name], lw=lw, ls=ls, label=name)
    ax.set_ylim(-0.1, 1.15)
    ax.set_ylabel("gate value")
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize=10)
    return ax


def plot_conveyor_belt(schedule: dict[str, np.ndarray], ax: Axes | None = None) -> Axes:
    """Plot the cell state c_t and hidden state h_t that a gate schedule produces."""
    _cell_check_schedule(schedule)
    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, 3.0))
    cell, hidden = run_conveyor_belt(
        schedule["forget"], schedule["input_gate"], schedule["output"], schedule["candidate"]
    )
    steps = np.arange(1, len(cell) + 1)
    outline = [patheffects.Stroke(linewidth=5.5, foreground=_CELL_INK), patheffects.Normal()]
    ax.plot(steps, cell, color=GATE_COLOURS["cell state"], lw=3.5, path_effects=outline, label=r"cell state $c_t$")
    ax.plot(steps, hidden, color=_RNN_COLOURS["hidden state"], lw=2, label=r"hidden state $h_t$")
    low, high = min(cell.min(), hidden.min()), max(cell.max(), hidden.max())
    ax.set_ylim(min(-1.1, low - 0.1), max(1.1, high + 0.1))
    ax.set_xlabel("step (course)")
    ax.set_ylabel("value")
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize=10)
    return ax


def _cell_check_schedule(schedule: dict[str, np.ndarray]) -> None:
    keys = ("forget", "input_gate", "output", "candidate")
    if not isinstance(schedule, dict) or any(k not in schedule for k in keys):
        got = sorted(schedule) if isinstance(schedule, dict) else type(schedule).__name__
        raise ValueError(f"schedule must be a dict with keys {keys}; got {got}")


def make_conveyor_figure(schedule: dict[str, np.ndarray]) -> plt.Figure:
    """Draw one view of the conveyor belt: the gate schedule above, the states it produces below."""
    _cell_check_schedule(schedule)
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(6.2, 4.4), sharex=True, height_ratios=[1.0, 2.0])
    plot_gate_schedule(schedule, top)
    plot_conveyor_belt(schedule, bottom)
    cell, _ = run_conveyor_belt(schedule["forget"], schedule["input_gate"], schedule["output"], schedule["candidate"])
    top.set_title(f"Value written at step 1: {cell[0]:.2f}; cell state after {len(cell)} steps: {cell[-1]:.2f}")
    return fig


def make_conveyor_belt_widget(
    forgets: tuple[float, ...] = (1.0, 0.95, 0.8),
    input_gates: tuple[float, ...] = (0.0, 0.3),
    outputs: tuple[str, ...] = OUTPUT_SCHEDULES,
    steps: int = 60,
) -> Switcher:
    """Build toggles for the forget, input and output gates over precomputed conveyor-belt views.

    Three levels of ``Stack`` (forget, then input, then output) are switched in the browser.
    """
    if not forgets or not input_gates or not outputs:
        raise ValueError("forgets, input_gates and outputs must each hold at least one value; got an empty one")
    choices = [
        Choice("forget gate f", [(f"{f:g}", f) for f in forgets]),
        Choice("input gate i (after step 1)", [(f"{i:g}", i) for i in input_gates]),
        Choice("output gate o", list(outputs)),
    ]

    def view(f: float, i: float, o: str):
        figure = make_conveyor_figure(gate_schedule(steps, f, i, o))
        alt = f"Cell state and hidden state over {steps} steps: forget gate {f:g}, input gate {i:g}, output gate {o}"
        return image_view(figure_png(figure, colours=64), alt)

    count = len(forgets) * len(input_gates) * len(outputs)
    description = f"Conveyor-belt widget: toggles for the forget, input and output gates over {count} precomputed views"
    return make_toggle_views(choices, view, description, label_width="11.5em")  # the three rows of buttons aligned
