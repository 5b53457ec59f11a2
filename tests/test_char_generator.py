"""Tests of helpers.char_generator: the character-level generator and its temperature slider."""

from __future__ import annotations

import ipywidgets as widgets
import keras
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from ipywidgets.widgets.widget_link import Link
from widget_tools import sync_links, visible_text

from helpers import char_generator as gen


def test_vocabulary_round_trip():
    vocabulary = gen.make_vocabulary("abca\n")
    assert vocabulary == ["\n", "a", "b", "c"]
    ids = gen.encode_text("cab\n", vocabulary)
    assert ids.tolist() == [3, 1, 2, 0] and ids.dtype == np.int32
    assert gen.decode_ids(ids, vocabulary) == "cab\n"
    with pytest.raises(ValueError, match="unknown"):
        gen.encode_text("xyz", vocabulary)
    with pytest.raises(ValueError, match="indices"):
        gen.decode_ids([4], vocabulary)
    with pytest.raises(ValueError, match="non-empty"):
        gen.make_vocabulary("")


def test_char_windows_shift_by_one():
    x, y = gen.make_char_windows(np.arange(11), 3)
    assert x.tolist() == [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
    assert y.tolist() == [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
    with pytest.raises(ValueError, match="at least"):
        gen.make_char_windows(np.arange(3), 3)
    with pytest.raises(ValueError, match="1-D"):
        gen.make_char_windows(np.zeros((2, 5)), 2)
    with pytest.raises(ValueError, match="must be an integer >= 1"):
        gen.make_char_windows(np.arange(10), 0)


def test_apply_temperature():
    logits = np.log(np.array([0.5, 0.3, 0.2]))
    np.testing.assert_allclose(gen.apply_temperature(logits, 1.0), [0.5, 0.3, 0.2])
    cold, hot = gen.apply_temperature(logits, 0.1), gen.apply_temperature(logits, 10.0)
    assert cold[0] > 0.99 and np.ptp(hot) < 0.05
    np.testing.assert_allclose(gen.apply_temperature(np.array([[1000.0, 0.0]]), 1.0).sum(), 1.0)
    for bad in (0.0, -1.0, float("nan")):
        with pytest.raises(ValueError, match="positive"):
            gen.apply_temperature(logits, bad)


@pytest.fixture(scope="module")
def char_model():
    keras.utils.set_random_seed(3)
    vocabulary = gen.make_vocabulary("he who is wise\n")
    return gen.make_char_model(len(vocabulary), embedding=4, units=8), vocabulary


def test_char_model_layers_and_parameters(char_model):
    model, vocabulary = char_model
    v = len(vocabulary)
    assert [type(layer).__name__ for layer in model.layers] == ["Embedding", "LSTM", "Dense"]
    # Embedding v*4, LSTM 4*8*(8+4+1), Dense (8+1)*v
    assert model.count_params() == v * 4 + 4 * 8 * (8 + 4 + 1) + (8 + 1) * v
    with pytest.raises(ValueError, match="must be an integer >= 1"):
        gen.make_char_model(0)


def test_numpy_steps_match_keras(char_model):
    model, vocabulary = char_model
    ids = gen.encode_text("he who is", vocabulary)
    expected = model.predict(ids[None, :], verbose=0)[0]
    np.testing.assert_allclose(gen.next_char_logits(model, ids), expected, atol=1e-5)


def test_sample_text_is_reproducible_and_checked(char_model):
    model, vocabulary = char_model
    first = gen.sample_text(model, vocabulary, "he ", 40, 1.0, np.random.default_rng(0))
    again = gen.sample_text(model, vocabulary, "he ", 40, 1.0, np.random.default_rng(0))
    assert first == again and len(first) == 40 and set(first) <= set(vocabulary)
    cold = gen.sample_text(model, vocabulary, "he ", 40, 1e-3, np.random.default_rng(1))
    logits = gen.next_char_logits(model, gen.encode_text("he ", vocabulary))
    assert cold[0] == vocabulary[int(np.argmax(logits[-1]))]
    with pytest.raises(ValueError, match="temperature"):
        gen.sample_text(model, vocabulary, "he ", 5, 0.0, np.random.default_rng(0))
    with pytest.raises(ValueError, match="Generator"):
        gen.sample_text(model, vocabulary, "he ", 5, 1.0, 42)
    with pytest.raises(ValueError, match="prompt"):
        gen.sample_text(model, vocabulary, "", 5, 1.0, np.random.default_rng(0))
    many_to_one = keras.Sequential([keras.Input(shape=(5, 3)), keras.layers.SimpleRNN(4), keras.layers.Dense(2)])
    with pytest.raises(ValueError, match="Embedding"):
        gen.sample_text(many_to_one, vocabulary, "he", 5, 1.0, np.random.default_rng(0))


def test_temperature_widget_links_slider_to_stack():
    box = gen.make_temperature_widget({0.5: "abc", 1.0: "a<b"}, prompt="he ")
    slider, stack = box.children
    assert isinstance(slider, widgets.SelectionSlider) and isinstance(stack, widgets.Stack)
    assert slider.description == "temperature"  # the slider's accessible name
    assert [label for label, _ in slider.options] == ["0.5", "1"]
    (link,) = box.links
    assert isinstance(link, Link)
    assert link.source == (slider, "index") and link.target == (stack, "selected_index")
    assert "a&lt;b" in stack.children[1].value
    assert repr(box) == "Temperature slider over 2 precomputed samples: 0.5, 1"
    assert visible_text(box).endswith("he abc")
    slider.index = 1
    sync_links(box)
    assert visible_text(box).endswith("he a<b")
    with pytest.raises(ValueError, match="at least one"):
        gen.make_temperature_widget({})
    with pytest.raises(ValueError, match="temperature"):
        gen.make_temperature_widget({-1.0: "x"})


def test_real_word_share():
    assert gen.real_word_share("the wise, the xqz", "The wise man") == 0.75
    with pytest.raises(ValueError, match="at least one word"):
        gen.real_word_share("12 ,", "text")
    with pytest.raises(ValueError, match="strings"):
        gen.real_word_share(None, "text")


def test_char_states_match_keras_and_the_logits(char_model):
    model, vocabulary = char_model
    ids = gen.encode_text("he who is\nwise", vocabulary)
    h, c = gen.char_states(model, ids)
    assert h.shape == c.shape == (len(ids), 8)
    lstm = model.layers[1]
    sequence = keras.Sequential([keras.Input(shape=(None,), dtype="int32"), model.layers[0], lstm])
    np.testing.assert_allclose(h, sequence.predict(ids[None, :], verbose=0)[0], atol=1e-5)
    _, _, _, _, dense_kernel, dense_bias = gen.char_weights(model)
    np.testing.assert_allclose(h @ dense_kernel + dense_bias, gen.next_char_logits(model, ids), atol=1e-12)
    with pytest.raises(ValueError, match="non-empty 1-D"):
        gen.char_states(model, [])
    with pytest.raises(ValueError, match="indices in"):
        gen.char_states(model, [0, len(vocabulary)])


def test_plot_losses_draws_both_curves_and_the_baseline():
    ax = gen.plot_losses([3.0, 2.0, 1.5], [2.8, 2.1, 1.7], baseline=2.9)
    assert len(ax.lines) == 3
    np.testing.assert_allclose(ax.lines[1].get_ydata(), [2.8, 2.1, 1.7])
    assert ax.get_title() and ax.get_xlabel() == "epoch" and "nats" in ax.get_ylabel()
    _, given = plt.subplots()
    assert gen.plot_losses([1.0], [1.0], 2.0, ax=given) is given
    with pytest.raises(ValueError, match="same length"):
        gen.plot_losses([1.0, 2.0], [1.0], 2.0)
    with pytest.raises(ValueError, match="non-empty"):
        gen.plot_losses([], [], 2.0)
    plt.close("all")


def test_plot_unit_over_text_colours_each_character_with_readable_text():
    from helpers.style import MIN_TEXT_CONTRAST, contrast_ratio

    text = "ab cd\nefgh"
    ax = gen.plot_unit_over_text(text, np.linspace(-1, 1, len(text)), width=3, title="unit 0")
    assert len(ax.patches) == len(text) and len(ax.texts) == len(text)
    shown = [t.get_text() for t in ax.texts]
    assert shown[2] == "·" and shown[5] == "⏎"
    rows = sorted({round(t.get_position()[1], 3) for t in ax.texts})
    assert len(rows) == 4  # "ab·", "cd⏎", "efg", "h": wrapped at 3 and after the newline
    for patch, label in zip(ax.patches, ax.texts, strict=True):
        fill = matplotlib.colors.to_hex(patch.get_facecolor())
        assert contrast_ratio(matplotlib.colors.to_hex(label.get_color()), fill) >= MIN_TEXT_CONTRAST
    assert ax.get_title() == "unit 0"
    with pytest.raises(ValueError, match="one number per character"):
        gen.plot_unit_over_text("abc", [1.0, 2.0])
    with pytest.raises(ValueError, match="must be an integer >= 1"):
        gen.plot_unit_over_text("abc", [1.0, 2.0, 3.0], width=0)
    plt.close("all")
