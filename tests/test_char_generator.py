"""Tests of helpers.char_generator: the character-level generator and its temperature slider."""

from __future__ import annotations

import ipywidgets as widgets
import keras
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
