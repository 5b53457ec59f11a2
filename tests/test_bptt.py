"""Unit tests of helpers/bptt.py: step Jacobians against finite differences, the explorer's weights, plots, widget."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import pytest
from ipywidgets.widgets.widget_link import Link
from widget_tools import sync_links, walk

from helpers import bptt, cells
from helpers import widgets as book_widgets


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def _numerical_jacobian(function, point, eps=1e-6):
    """Central differences: column j is (f(p + eps e_j) - f(p - eps e_j)) / (2 eps)."""
    columns = []
    for j in range(point.size):
        bump = np.zeros_like(point)
        bump[j] = eps
        columns.append((function(point + bump) - function(point - bump)) / (2 * eps))
    return np.stack(columns, axis=1)


@pytest.mark.parametrize("activation", bptt.ACTIVATIONS)
def test_rnn_step_jacobian_matches_finite_differences(activation):
    rng = np.random.default_rng(0)
    units, features = 5, 3
    kernel, recurrent = rng.normal(size=(features, units)), rng.normal(0, 0.5, size=(units, units))
    bias, x = rng.normal(size=units), rng.normal(size=(4, features))
    states = bptt.rnn_states(x, kernel, recurrent, bias, activation)
    jacobians = bptt.rnn_step_jacobians(states, recurrent, activation)
    assert len(jacobians) == 3
    step = lambda h: bptt.activate(x[2] @ kernel + h @ recurrent + bias, activation)  # noqa: E731
    np.testing.assert_allclose(jacobians[1], _numerical_jacobian(step, states[1]), atol=1e-6)


def test_rnn_states_tanh_matches_chapter_3_forward():
    rng = np.random.default_rng(1)
    x, kernel, recurrent, bias = (
        rng.normal(size=(6, 2)),
        rng.normal(size=(2, 4)),
        rng.normal(size=(4, 4)),
        rng.normal(size=4),
    )
    np.testing.assert_allclose(
        bptt.rnn_states(x, kernel, recurrent, bias), cells.simple_rnn_forward(x[None], kernel, recurrent, bias)[0]
    )


def test_activate_and_slope_agree_and_refuse_unknown_names():
    a = np.linspace(-2, 2, 9)
    for activation in bptt.ACTIVATIONS:
        h = bptt.activate(a, activation)
        numeric = (bptt.activate(a + 1e-6, activation) - bptt.activate(a - 1e-6, activation)) / 2e-6
        np.testing.assert_allclose(bptt.slope(h, activation)[a != 0], numeric[a != 0], atol=1e-6)
    for function in (bptt.activate, bptt.slope):
        with pytest.raises(ValueError, match="activation must be one of"):
            function(a, "sigmoid")


def test_jacobian_products_and_spectral_norms():
    a, b = np.diag([2.0, 0.5]), np.array([[0.0, 1.0], [1.0, 0.0]])
    products = bptt.jacobian_products([a, b])
    np.testing.assert_allclose(products[0], np.eye(2))
    np.testing.assert_allclose(products[2], b @ a)
    np.testing.assert_allclose(bptt.spectral_norms(products), [1.0, 2.0, 2.0])


def test_lstm_step_jacobian_matches_finite_differences():
    rng = np.random.default_rng(2)
    units, features = 3, 2
    kernel, recurrent = rng.normal(size=(features, 4 * units)), rng.normal(size=(units, 4 * units))
    bias, x_t = rng.normal(size=4 * units), rng.normal(size=features)
    h, c = rng.normal(size=units), rng.normal(size=units)

    def step(state):
        new_h, new_c = cells.lstm_step(x_t, state[:units], state[units:], kernel, recurrent, bias)
        return np.concatenate([new_h, new_c])

    jacobian = bptt.lstm_step_jacobian(x_t, h, c, kernel, recurrent, bias)
    np.testing.assert_allclose(jacobian, _numerical_jacobian(step, np.concatenate([h, c])), atol=1e-6)
    forget = cells.sigmoid(
        x_t @ kernel[:, units : 2 * units] + h @ recurrent[:, units : 2 * units] + bias[units : 2 * units]
    )
    np.testing.assert_array_equal(jacobian[units:, units:], np.diag(forget))


def test_lstm_step_jacobians_follow_the_sequence():
    x, (kernel, recurrent, bias) = bptt.explorer_weights("LSTM b_f=1", 1.0)
    jacobians = bptt.lstm_step_jacobians(x[:5], kernel, recurrent, bias)
    h, c = cells.lstm_forward(x[None, :5], kernel, recurrent, bias, return_cell_states=True)
    assert len(jacobians) == 4
    np.testing.assert_allclose(jacobians[2], bptt.lstm_step_jacobian(x[3], h[0, 2], c[0, 2], kernel, recurrent, bias))


def test_lstm_cell_influence_matches_finite_differences():
    """dc_t/dc_1 moves c_1 and lets h_1 = o_1 tanh(c_1) follow it; at t = 2 it is the one-step derivative."""
    rng = np.random.default_rng(5)
    units, features, steps = 3, 2, 6
    kernel, recurrent = rng.normal(size=(features, 4 * units)), rng.normal(size=(units, 4 * units))
    bias, x = rng.normal(size=4 * units), rng.normal(size=(steps, features))
    o_1 = cells.sigmoid(x[0] @ kernel[:, 3 * units :] + bias[3 * units :])

    def cell_state_at(t, c_1):
        h, c = o_1 * np.tanh(c_1), c_1
        for x_t in x[1:t]:
            h, c = cells.lstm_step(x_t, h, c, kernel, recurrent, bias)
        return c

    _, c = cells.lstm_forward(x[None], kernel, recurrent, bias, return_cell_states=True)
    influence = bptt.lstm_cell_influence(x, kernel, recurrent, bias)
    assert len(influence) == steps
    np.testing.assert_allclose(influence[0], np.eye(units))
    for t in (2, steps):
        numeric = _numerical_jacobian(lambda c_1, t=t: cell_state_at(t, c_1), c[0, 0])
        np.testing.assert_allclose(influence[t - 1], numeric, atol=1e-6)
    step = bptt.lstm_step_jacobians(x, kernel, recurrent, bias)[0]
    dh_dc = bptt.cell_to_hidden(x[0], np.zeros(units), c[0, 0], kernel, recurrent, bias)
    np.testing.assert_allclose(influence[1], step[units:, units:] + step[units:, :units] * dh_dc)


def test_orthogonal_and_explorer_weights():
    q = bptt.orthogonal(6, seed=3)
    np.testing.assert_allclose(q @ q.T, np.eye(6), atol=1e-12)
    x, (kernel, recurrent, bias) = bptt.explorer_weights("tanh RNN", 1.25)
    assert x.shape == (60, 4) and kernel.shape == (4, 16) and recurrent.shape == (16, 16) and bias.shape == (16,)
    np.testing.assert_allclose(np.abs(np.linalg.eigvals(recurrent)), 1.25)
    x_lstm, (kernel, recurrent, bias) = bptt.explorer_weights("LSTM b_f=4", 0.5)
    np.testing.assert_array_equal(x_lstm, x)
    assert kernel.shape == (4, 64) and recurrent.shape == (16, 64)
    np.testing.assert_array_equal(bias, np.r_[np.zeros(16), np.full(16, 4.0), np.zeros(32)])
    with pytest.raises(ValueError, match="network must be one of"):
        bptt.explorer_weights("GRU", 1.0)
    with pytest.raises(ValueError, match="scale must be positive"):
        bptt.explorer_weights("tanh RNN", 0.0)
    with pytest.raises(ValueError, match="units must be an integer >= 1"):
        bptt.orthogonal(0)


def test_explorer_norms():
    full, belt = bptt.explorer_norms("linear RNN", 0.75)
    assert belt is None
    np.testing.assert_allclose(full, 0.75 ** np.arange(60))
    tanh, _ = bptt.explorer_norms("tanh RNN", 1.5)
    assert np.all(tanh <= 1.5 ** np.arange(60) * (1 + 1e-9))
    full, belt = bptt.explorer_norms("LSTM b_f=4", 1.0)
    assert full.shape == belt.shape == (60,) and belt[-1] < 1.0 < full[-1]
    x, weights = bptt.explorer_weights("LSTM b_f=4", 1.0)
    np.testing.assert_allclose(full, bptt.spectral_norms(bptt.lstm_cell_influence(x, *weights)))
    assert np.all(np.diff(belt) <= 0)  # a product of forget gates in (0, 1) only shrinks


def test_plots_draw_on_given_axes():
    ax = bptt.plot_unrolled_rnn(steps=3)
    assert ax.patches and ax.get_title()
    _, given = plt.subplots()
    assert bptt.plot_unrolled_rnn(ax=given) is given
    assert bptt.plot_norms({"a": np.ones(5), "b": 0.5 ** np.arange(5)}, ax=given) is given
    assert given.get_yscale() == "log"
    with pytest.raises(ValueError, match="steps must be an integer between 2 and 8"):
        bptt.plot_unrolled_rnn(steps=1)
    with pytest.raises(ValueError, match="curves must hold"):
        bptt.plot_norms({})


def test_gradient_explorer_links_two_toggles_to_thirty_views(monkeypatch):
    png = book_widgets.figure_png(plt.figure(figsize=(0.2, 0.2)))

    def quick_png(fig, colours=None):
        plt.close(fig)
        return png

    monkeypatch.setattr(bptt, "figure_png", quick_png)
    explorer = bptt.make_gradient_explorer("ReLU RNN", 1.5)
    toggles = [w for w in walk(explorer) if isinstance(w, widgets.ToggleButtons)]
    assert [list(t.options) for t in toggles] == [list(bptt.EXPLORER_NETWORKS), ["0.5", "0.75", "1", "1.25", "1.5"]]
    assert [t.value for t in toggles] == ["ReLU RNN", "1.5"]
    assert len(explorer.links) == 1 + len(bptt.EXPLORER_NETWORKS) and all(isinstance(k, Link) for k in explorer.links)
    images = {id(w) for w in walk(explorer) if isinstance(w, widgets.HTML) and "<img" in w.value}
    assert len(images) == 30
    assert "for the ReLU RNN with recurrent weight scale 1.5:" in _visible_alt(explorer)
    toggles[0].value, toggles[1].value = "LSTM b_f=0", "0.75"
    sync_links(explorer)
    assert "for the LSTM b_f=0 with recurrent weight scale 0.75:" in _visible_alt(explorer)
    assert repr(explorer) == repr(bptt.make_gradient_explorer()) and "0x" not in repr(explorer)
    with pytest.raises(ValueError, match="scale must be one of"):
        bptt.make_gradient_explorer(scale=2.0)


def _visible_alt(widget) -> str:
    if isinstance(widget, widgets.Stack):
        return _visible_alt(widget.children[widget.selected_index])
    if isinstance(widget, widgets.Box):
        return " ".join(_visible_alt(c) for c in widget.children)
    if isinstance(widget, widgets.HTML) and 'alt="' in widget.value:
        return widget.value.split('alt="')[1].split('"')[0]
    return ""


def test_rnn_jacobian_norms_match_finite_differences():
    rng = np.random.default_rng(5)
    x = rng.uniform(0, 1, size=(1, 8, 3))
    w, u, b = rng.normal(0, 0.6, size=(3, 4)), rng.normal(0, 0.6, size=(4, 4)), rng.normal(0, 0.1, size=4)
    h = cells.simple_rnn_forward(x, w, u, b)[0]
    norms = bptt.rnn_jacobian_norms(h, u)
    assert norms.shape == (8,) and norms[0] == pytest.approx(1.0)

    def last_state(h1: np.ndarray) -> np.ndarray:
        state = h1
        for t in range(1, 8):
            state = np.tanh(x[0, t] @ w + state @ u + b)
        return state

    eps = 1e-6
    jacobian = np.stack([(last_state(h[0] + eps * e) - last_state(h[0] - eps * e)) / (2 * eps) for e in np.eye(4)],
                        axis=1)
    assert norms[-1] == pytest.approx(np.linalg.norm(jacobian, 2), rel=1e-5)


def test_rnn_jacobian_norms_shrink_with_an_orthogonal_recurrent_kernel():
    rng = np.random.default_rng(6)
    u, _ = np.linalg.qr(rng.normal(size=(6, 6)))
    h = cells.simple_rnn_forward(rng.uniform(0, 1, size=(1, 30, 2)), rng.normal(size=(2, 6)), u, np.zeros(6))[0]
    norms = bptt.rnn_jacobian_norms(h, u)
    assert np.all(np.diff(norms) <= 1e-12) and norms[-1] < 1e-2
    zeros = np.zeros((30, 6))
    np.testing.assert_allclose(bptt.rnn_jacobian_norms(zeros, u), 1.0)


def test_rnn_jacobian_norms_reject_bad_shapes():
    with pytest.raises(ValueError, match=r"hidden_states must have shape \(time, units\)"):
        bptt.rnn_jacobian_norms(np.zeros((1, 3, 4)), np.eye(4))
    with pytest.raises(ValueError, match=r"recurrent_kernel must have shape \(units, units\) = \(4, 4\)"):
        bptt.rnn_jacobian_norms(np.zeros((3, 4)), np.eye(3))
