"""Backpropagation through time: Jacobians of recurrent steps, their products, and the figures and widget built on them.

The functions in the exported block are written on the page of the chapter that teaches them and exported
here (`#@save` cells; python -m booktools sync); the rest is plumbing: the unrolled-graph diagram,
the norm plot, the weights the explorer uses, and the explorer widget itself.
"""

from __future__ import annotations

from functools import cache

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter

from helpers.cells import lstm_forward, sigmoid
from helpers.checks import check_int
from helpers.style import BLUE, CYAN, FILL_LIGHTER, GREEN, GREY, PALE_BLUE, PALE_GREEN, PALE_RED, PURPLE, RED, YELLOW
from helpers.style import INK as _INK
from helpers.widgets import Choice, Switcher, figure_png, image_view, make_toggle_views

__all__ = [
    "ACTIVATIONS",
    "activate",
    "slope",
    "rnn_states",
    "rnn_step_jacobians",
    "jacobian_products",
    "spectral_norms",
    "rnn_jacobian_norms",
    "lstm_step_jacobian",
    "lstm_step_jacobians",
    "cell_to_hidden",
    "lstm_cell_influence",
    "orthogonal",
    "explorer_weights",
    "explorer_norms",
    "plot_unrolled_rnn",
    "plot_norms",
    "EXPLORER_NETWORKS",
    "EXPLORER_SCALES",
    "make_gradient_explorer",
]

ACTIVATIONS: tuple[str, ...] = ("tanh", "linear", "relu")


# The functions below are also defined, identically, on the chapter's page.


# >>> exported from notebooks/04_bptt.ipynb by `python -m booktools sync`: edit the page, not these lines
def activate(a, activation):
    """Apply the activation (tanh, linear or relu) to the pre-activations a."""
    if activation == "tanh":
        return np.tanh(a)
    if activation == "relu":
        return np.maximum(a, 0.0)
    if activation == "linear":
        return a
    raise ValueError(
        f"activation must be one of {ACTIVATIONS}; got {activation!r}"
    )


def slope(h, activation):
    """Return the activation's derivative, written with its output h."""
    if activation == "tanh":
        return 1.0 - h**2
    if activation == "relu":
        return (h > 0).astype(float)
    if activation == "linear":
        return np.ones_like(h)
    raise ValueError(
        f"activation must be one of {ACTIVATIONS}; got {activation!r}"
    )


def rnn_states(x, kernel, recurrent_kernel, bias, activation="tanh"):
    """Run a plain RNN on one sequence x, (time, features); return h_1..h_T."""
    h = np.zeros(len(recurrent_kernel))
    states = []
    for x_t in x:
        h = activate(x_t @ kernel + h @ recurrent_kernel + bias, activation)
        states.append(h)
    return np.array(states)


def rnn_step_jacobians(states, recurrent_kernel, activation="tanh"):
    """Return dh_t/dh_{t-1} = diag(phi'(a_t)) U^T for t = 2..T."""
    return [
        slope(h, activation)[:, None] * recurrent_kernel.T for h in states[1:]
    ]


def jacobian_products(jacobians):
    """Return the products J_t ... J_2 for t = 1..T (the identity at t = 1)."""
    products = [np.eye(len(jacobians[0]))]
    for jacobian in jacobians:
        products.append(jacobian @ products[-1])
    return products


def spectral_norms(matrices):
    """Return the spectral norm (largest singular value) of each matrix."""
    return np.array([np.linalg.norm(m, ord=2) for m in matrices])


def lstm_step_jacobian(x_t, h, c, kernel, recurrent_kernel, bias):
    """Return the Jacobian of one LSTM step, d(h_t, c_t) / d(h_{t-1}, c_{t-1}).

    One sequence: x_t is (features,), h and c are (units,), the weights are
    in Keras' layout (gates i, f, c, o). Rows are h_t then c_t, columns
    h_{t-1} then c_{t-1}: a (2 * units, 2 * units) matrix.
    """
    z = x_t @ kernel + h @ recurrent_kernel + bias
    z_i, z_f, z_g, z_o = np.split(z, 4)
    i, f, g, o = sigmoid(z_i), sigmoid(z_f), np.tanh(z_g), sigmoid(z_o)
    u_i, u_f, u_g, u_o = np.split(recurrent_kernel, 4, axis=1)
    tanh_c = np.tanh(f * c + i * g)
    dc_dh = (
        (c * f * (1 - f))[:, None] * u_f.T
        + (g * i * (1 - i))[:, None] * u_i.T
        + (i * (1 - g**2))[:, None] * u_g.T
    )
    dc_dc = np.diag(f)
    through_c = (o * (1 - tanh_c**2))[:, None]
    dh_dh = (tanh_c * o * (1 - o))[:, None] * u_o.T + through_c * dc_dh
    dh_dc = through_c * dc_dc
    return np.block([[dh_dh, dh_dc], [dc_dh, dc_dc]])


def cell_to_hidden(x_t, h_prev, c, kernel, recurrent_kernel, bias):
    """Return dh_t/dc_t = o_t (1 - tanh^2 c_t), the diagonal of a diag matrix.

    h_t = o_t tanh(c_t), and the output gate o_t reads x_t and h_{t-1}, not
    c_t: so when c_t moves, h_t moves with it by this factor.
    """
    units = len(recurrent_kernel)
    z_o = (x_t @ kernel + h_prev @ recurrent_kernel + bias)[3 * units :]
    return sigmoid(z_o) * (1 - np.tanh(c) ** 2)


def lstm_step_jacobians(x, kernel, recurrent_kernel, bias):
    """Run an LSTM over one sequence x; return its step Jacobians, t = 2..T."""
    h, c = lstm_forward(
        x[None], kernel, recurrent_kernel, bias, return_cell_states=True
    )
    return [
        lstm_step_jacobian(
            x[t], h[0, t - 1], c[0, t - 1], kernel, recurrent_kernel, bias
        )
        for t in range(1, len(x))
    ]


def lstm_cell_influence(x, kernel, recurrent_kernel, bias):
    """Return dc_t/dc_1 for t = 1..T over all paths, h_1 moving with c_1."""
    units = len(recurrent_kernel)
    _, c = lstm_forward(
        x[None, :1], kernel, recurrent_kernel, bias, return_cell_states=True
    )
    h_0 = np.zeros(units)
    dh1_dc1 = cell_to_hidden(x[0], h_0, c[0, 0], kernel, recurrent_kernel, bias)
    start = np.vstack([np.diag(dh1_dc1), np.eye(units)])  # d(h_1, c_1)/dc_1
    jacobians = lstm_step_jacobians(x, kernel, recurrent_kernel, bias)
    return [(p @ start)[units:] for p in jacobian_products(jacobians)]
# <<< end of the code exported from notebooks/04_bptt.ipynb


def rnn_jacobian_norms(hidden_states, recurrent_kernel, activation: str = "tanh") -> np.ndarray:
    """Measure how much h_1 still moves h_t: the spectral norm of dh_t/dh_1 for a plain RNN, t = 1..T.

    The product of the step Jacobians diag(phi'(a_t)) U^T for steps 2..t (``rnn_step_jacobians``,
    ``jacobian_products`` and ``spectral_norms`` above, which chapter 4 derives); chapter 3 uses it first.
    Returns one norm per step, (time,), starting at 1.

    Parameters
    ----------
    hidden_states : the states of one sequence, (time, units), e.g. ``cells.simple_rnn_forward(...)[0]``.
    recurrent_kernel : U, (units, units).
    activation : the network's activation, one of ``ACTIVATIONS``.
    """
    h, u = np.asarray(hidden_states, dtype=float), np.asarray(recurrent_kernel, dtype=float)
    if h.ndim != 2:
        raise ValueError(f"hidden_states must have shape (time, units); got shape {h.shape}")
    if u.shape != (h.shape[1], h.shape[1]):
        raise ValueError(f"recurrent_kernel must have shape (units, units) = {(h.shape[1],) * 2}; got {u.shape}")
    if len(h) < 2:
        return np.ones(len(h))
    return spectral_norms(jacobian_products(rnn_step_jacobians(h, u, activation)))


# Plumbing: weights for the explorer, figures and the widget.


def orthogonal(units: int, seed: int = 0) -> np.ndarray:
    """Return a random orthogonal matrix (units, units), as Keras' Orthogonal initializer draws one."""
    check_int("units", units)
    q, r = np.linalg.qr(np.random.default_rng(seed).normal(size=(units, units)))
    return q * np.sign(np.diag(r))


EXPLORER_NETWORKS: tuple[str, ...] = (
    "tanh RNN",
    "linear RNN",
    "ReLU RNN",
    "LSTM b_f=0",
    "LSTM b_f=1",
    "LSTM b_f=4",
)
EXPLORER_SCALES: tuple[float, ...] = (0.5, 0.75, 1.0, 1.25, 1.5)
_EXPLORER = {"units": 16, "features": 4, "steps": 60, "seed": 4}


def _check_network(network: str) -> None:
    if network not in EXPLORER_NETWORKS:
        raise ValueError(f"network must be one of {', '.join(map(repr, EXPLORER_NETWORKS))}; got {network!r}")


def explorer_weights(network: str, scale: float) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Return the inputs x (steps, features) and the weights (kernel, recurrent_kernel, bias) of one explorer view.

    The recurrent matrix is ``scale`` times an orthogonal matrix (one per gate for the LSTM), so that every
    eigenvalue has modulus ``scale``; the inputs and input weights are the same in every view.
    """
    _check_network(network)
    if not float(scale) > 0:
        raise ValueError(f"scale must be positive; got {scale!r}")
    units, features, steps, seed = (_EXPLORER[k] for k in ("units", "features", "steps", "seed"))
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.0, 1.0, size=(steps, features))
    gates = 4 if network.startswith("LSTM") else 1
    kernel = rng.normal(0.0, 1.0 / np.sqrt(features), size=(features, gates * units))
    recurrent = np.concatenate([scale * orthogonal(units, seed + 1 + k) for k in range(gates)], axis=1)
    bias = np.zeros(gates * units)
    if gates == 4:
        bias[units : 2 * units] = float(network.rsplit("=", 1)[1])
    return x, (kernel, recurrent, bias)


@cache
def explorer_norms(network: str, scale: float) -> tuple[np.ndarray, np.ndarray | None]:
    """Measure one explorer view: the norms of products of step Jacobians for t = 1..T.

    For a plain RNN, ||dh_t/dh_1|| (and None). For an LSTM, ||dc_t/dc_1|| over all paths, h_1 moving with c_1
    (``lstm_cell_influence``: at t = 2 it is the one-step derivative diag(f_2) + dc_2/dh_1 dh_1/dc_1), and the
    belt's direct path alone, ||diag(f_t) ... diag(f_2)||.
    """
    x, (kernel, recurrent, bias) = explorer_weights(network, scale)
    if not network.startswith("LSTM"):
        activation = {"tanh RNN": "tanh", "linear RNN": "linear", "ReLU RNN": "relu"}[network]
        return rnn_jacobian_norms(rnn_states(x, kernel, recurrent, bias, activation), recurrent, activation), None
    u = len(recurrent)
    belt = jacobian_products([j[u:, u:] for j in lstm_step_jacobians(x, kernel, recurrent, bias)])
    return spectral_norms(lstm_cell_influence(x, kernel, recurrent, bias)), spectral_norms(belt)


def _node(ax: Axes, x: float, y: float, text: str, colour: str) -> None:
    ax.add_patch(
        plt.Rectangle((x - 0.32, y - 0.24), 0.64, 0.48, facecolor=colour, edgecolor=_INK, linewidth=1.0, zorder=3)
    )
    ax.text(x, y, text, ha="center", va="center", fontsize=12, zorder=4)


def _arrow(ax: Axes, start, end, colour: str = _INK, style: str = "-", text: str = "", offset=(0.0, 0.0)) -> None:
    ax.annotate(
        "",
        xy=end,
        xytext=start,
        arrowprops={"arrowstyle": "-|>", "color": colour, "lw": 1.4, "linestyle": style, "shrinkA": 0, "shrinkB": 0},
        zorder=2,
    )
    if text:
        middle = ((start[0] + end[0]) / 2 + offset[0], (start[1] + end[1]) / 2 + offset[1])
        ax.text(*middle, text, ha="center", va="center", fontsize=10, color=colour)


def plot_unrolled_rnn(steps: int = 4, ax: Axes | None = None) -> Axes:
    """Draw a plain RNN unrolled over ``steps`` steps: the forward pass in black, the gradient's path in red.

    Inputs x_t at the bottom, hidden states h_t in the middle, one loss term per step on top. The same W, U and
    b label every copy; dashed red arrows run backwards, from each loss to its state and from h_t to h_{t-1}.
    """
    check_int("steps", steps, 2, 8)
    if ax is None:
        _, ax = plt.subplots(figsize=(1.9 * steps + 1.6, 3.6))
    gap = 1.9
    xs = [1.2 + gap * k for k in range(steps)]
    names = [str(k + 1) for k in range(steps - 1)] + ["T"] if steps > 3 else [str(k + 1) for k in range(steps)]
    _node(ax, 0.0, 1.5, r"$h_0$", FILL_LIGHTER)
    for k, (x, n) in enumerate(zip(xs, names, strict=True)):
        _node(ax, x, 0.0, rf"$x_{{{n}}}$", PALE_RED)
        _node(ax, x, 1.5, rf"$h_{{{n}}}$", PALE_GREEN)
        _node(ax, x, 3.0, rf"$\ell_{{{n}}}$", PALE_BLUE)
        _arrow(ax, (x, 0.24), (x, 1.26), text="$W$", offset=(-0.2, 0.0))
        _arrow(ax, (x, 1.74), (x, 2.76))
        _arrow(ax, (x + 0.12, 2.76), (x + 0.12, 1.74), RED, "--")
        previous = xs[k - 1] if k else 0.0
        _arrow(ax, (previous + 0.32, 1.58), (x - 0.32, 1.58), text="$U$", offset=(0.0, 0.2))
        _arrow(ax, (x - 0.32, 1.38), (previous + 0.32, 1.38), RED, "--")
    if steps > 3:
        ax.text((xs[-2] + xs[-1]) / 2, 0.0, r"$\cdots$", ha="center", va="center", fontsize=14)
    ax.text(
        xs[-1] + 0.5,
        0.55,
        "same $W$, $U$, $b$\nat every step",
        ha="left",
        va="center",
        fontsize=10,
        color=_INK,
    )
    ax.plot([], [], color=_INK, lw=1.4, label="forward: compute and store $h_t$")
    ax.plot([], [], color=RED, lw=1.4, ls="--", label=r"backward: $\partial L / \partial h_t$ flows back")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.02), ncol=2, fontsize=10)
    ax.set_xlim(-0.6, xs[-1] + 2.0)
    ax.set_ylim(-0.5, 3.5)
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.set_title(f"A plain RNN unrolled over {steps} steps: one copy of the cell per step")
    return ax


_NETWORK_COLOURS = dict(zip(EXPLORER_NETWORKS, (YELLOW, GREY, PURPLE, BLUE, CYAN, GREEN), strict=True))
_SCALE_COLOURS = dict(zip(EXPLORER_SCALES, (BLUE, CYAN, GREEN, YELLOW, RED), strict=True))
NORM_LIMITS = (1e-30, 1e15)


def plot_norms(curves: dict[str, np.ndarray], ax: Axes | None = None, styles: dict | None = None) -> Axes:
    """Plot norms of Jacobian products against the step t on a log scale, one line per entry of ``curves``.

    ``styles`` maps a label to keyword arguments of ``ax.semilogy`` (colour, width, dashes).
    """
    if not curves:
        raise ValueError("curves must hold at least one labelled array; got none")
    if ax is None:
        _, ax = plt.subplots()
    styles = styles or {}
    for label, norms in curves.items():
        norms = np.asarray(norms, dtype=float)
        steps = np.arange(1, len(norms) + 1)
        ax.semilogy(steps, np.clip(norms, *NORM_LIMITS), label=label, **{"lw": 2.0, **styles.get(label, {})})
    ax.set_ylim(*NORM_LIMITS)
    ax.set_yticks(10.0 ** np.arange(-30, 16, 5))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:.0e}"))  # plain text: fast, no mathtext
    ax.minorticks_off()
    ax.set_xlabel("step t")
    ax.set_ylabel("norm of the Jacobian product (log)")
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize=10)
    return ax


def _explorer_figure(network: str, scale: float) -> tuple[plt.Figure, str]:
    """Draw one explorer view: the chosen network and scale in bold, the other scales faint; return it and alt text."""
    fig, ax = plt.subplots(figsize=(7.6, 3.6))
    lstm = network.startswith("LSTM")
    curves, styles = {}, {}
    for other in EXPLORER_SCALES:
        if other != scale:
            label = f"scale {other:g}"
            curves[label] = explorer_norms(network, other)[0]
            styles[label] = {"color": _SCALE_COLOURS[other], "lw": 1.0, "alpha": 0.45}
    full, belt = explorer_norms(network, scale)
    chosen = f"scale {scale:g}" + (": all paths" if lstm else "")
    curves[chosen] = full
    styles[chosen] = {"color": _SCALE_COLOURS[scale], "lw": 3.0}
    if lstm:
        curves[f"scale {scale:g}: belt only"] = belt
        styles[f"scale {scale:g}: belt only"] = {"color": _INK, "lw": 2.0, "ls": "--"}
    plot_norms(curves, ax=ax, styles=styles)
    steps = len(full)
    what = r"$\|\partial c_t / \partial c_1\|$" if lstm else r"$\|\partial h_t / \partial h_1\|$"
    ax.set_title(f"{network.replace('b_f=', '$b_f$ = ')}, recurrent weight scale {scale:g}: {what}")
    alt = (
        f"Log-scale plot of the norm of the Jacobian product over {steps} steps for the {network} with recurrent "
        f"weight scale {scale:g}: it is {full[-1]:.0e} at step {steps}"
        + (f"; along the belt alone (product of forget gates) {belt[-1]:.0e}" if lstm else "")
        + "; the other scales are drawn faintly."
    )
    return fig, alt


def make_gradient_explorer(network: str = "tanh RNN", scale: float = 1.0) -> Switcher:
    """Build toggles for the network and the recurrent weight scale over precomputed plots of the Jacobian norms."""
    _check_network(network)
    if scale not in EXPLORER_SCALES:
        raise ValueError(f"scale must be one of {EXPLORER_SCALES}; got {scale!r}")

    def view(chosen_network: str, chosen_scale: str) -> widgets.Widget:
        fig, alt = _explorer_figure(chosen_network, float(chosen_scale))
        return image_view(figure_png(fig, colours=32), alt)

    scales = [f"{s:g}" for s in EXPLORER_SCALES]
    return make_toggle_views(
        [Choice("Network", EXPLORER_NETWORKS, network), Choice("Weight scale", scales, f"{scale:g}")],
        view,
        description=(
            f"Gradient explorer: toggles for the network ({len(EXPLORER_NETWORKS)}) and the recurrent weight scale "
            f"({len(EXPLORER_SCALES)}) over {len(EXPLORER_NETWORKS) * len(EXPLORER_SCALES)} precomputed plots"
        ),
        label_width="7em",
    )
