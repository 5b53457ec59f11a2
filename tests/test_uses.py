"""Tests of helpers.uses: the five shapes of sequence models and the character-level generator (chapter 2)."""

from __future__ import annotations

import hashlib
import shutil

import ipywidgets as widgets
import keras
import numpy as np
import pytest

from helpers import uses
from helpers.data import DataError

EXPECTED_SHAPES = {
    "one-to-one": ((None, 3), (None, 2)),
    "one-to-many": ((None, 3), (None, 4, 2)),
    "many-to-one": ((None, 5, 3), (None, 2)),
    "many-to-many (aligned)": ((None, 5, 3), (None, 5, 2)),
    "many-to-many (encoder-decoder)": ((None, 5, 3), (None, 4, 2)),
}


@pytest.mark.parametrize("shape", uses.SHAPE_NAMES)
def test_shape_models_have_the_expected_input_and_output(shape):
    model = uses.make_shape_model(shape)
    assert (model.input_shape, model.output_shape) == EXPECTED_SHAPES[shape]
    batch = np.zeros((2,) + model.input_shape[1:], dtype="float32")
    assert model.predict(batch, verbose=0).shape == (2,) + model.output_shape[1:]


def test_shape_models_take_sizes():
    model = uses.make_encoder_decoder_model(steps_in=7, features=2, steps_out=3, units=6, outputs=1)
    assert model.input_shape == (None, 7, 2) and model.output_shape == (None, 3, 1)
    # encoder SimpleRNN 6*(6+2)+6, decoder 6*(6+6)+6, Dense 6+1
    assert model.count_params() == 54 + 78 + 7


@pytest.mark.parametrize(
    "call",
    [
        lambda: uses.make_shape_model("two-to-two"),
        lambda: uses.make_one_to_one_model(features=0),
        lambda: uses.make_one_to_many_model(steps_out=-1),
        lambda: uses.make_many_to_one_model(units=2.5),
        lambda: uses.make_aligned_model(outputs=True),
        lambda: uses.make_encoder_decoder_model(steps_in=0),
    ],
)
def test_shape_models_reject_bad_arguments(call):
    with pytest.raises(ValueError, match="must be"):
        call()


def test_shapes_table_is_deterministic_text():
    models = {name: uses.make_shape_model(name) for name in uses.SHAPE_NAMES}
    table = uses.make_shapes_table(models)
    assert list(table.index) == list(uses.SHAPE_NAMES)
    assert table.loc["one-to-many", "output"] == "(batch, 4, 2)"
    assert table.loc["many-to-one", "layers"] == "SimpleRNN(4) → Dense(2)"
    assert table.loc["many-to-many (aligned)", "layers"].startswith("SimpleRNN(4, return_sequences=True)")
    assert table["parameters"].tolist() == [8, 42, 42, 42, 78]
    assert table.index.name is None  # no blank index-name row on the page


def test_layer_table_lists_every_layer():
    table = uses.make_layer_table(uses.make_one_to_many_model())
    assert table.index.tolist() == [
        "Input",
        "RepeatVector(4)",
        "SimpleRNN(4, return_sequences=True)",
        "TimeDistributed(Dense(2))",
    ]
    assert table["output shape"].tolist() == ["(batch, 3)", "(batch, 4, 3)", "(batch, 4, 4)", "(batch, 4, 2)"]
    assert table.index.name is None


def test_layer_table_names_bidirectional_and_stacked_layers():
    model = keras.Sequential(
        [
            keras.Input(shape=(5, 3)),
            keras.layers.SimpleRNN(4, return_sequences=True),
            keras.layers.Bidirectional(keras.layers.SimpleRNN(4, return_sequences=True)),
        ]
    )
    table = uses.make_layer_table(model)
    assert table.index.tolist()[1:] == [
        "SimpleRNN(4, return_sequences=True)",
        "Bidirectional(SimpleRNN(4, return_sequences=True))",
    ]
    assert table["output shape"].tolist()[-1] == "(batch, 5, 8)"
    assert table["parameters"].tolist()[-1] == 2 * (4 * (4 + 4) + 4)


def test_tables_reject_bad_input():
    with pytest.raises(ValueError, match="non-empty"):
        uses.make_shapes_table({})
    with pytest.raises(ValueError, match="keras.Model"):
        uses.make_shapes_table({"x": "not a model"})
    with pytest.raises(ValueError, match="keras.Model"):
        uses.make_layer_table(None)


def test_uses_table_places_every_use_on_a_known_shape():
    table = uses.make_uses_table()
    assert set(table["shape"]) <= set(uses.SHAPE_NAMES)
    assert table.loc["MNIST digits", "shape"] == "many-to-one"
    assert table.loc["airline passengers", "shape"] == "many-to-one"
    assert table.index.name is None


def test_verses_load_and_are_checked(tmp_path):
    text = uses.load_verses()
    assert text.startswith("all that we are is the result of what we have thought")
    assert text.endswith("whose perfections are all perfect.\n")
    assert text == text.lower() and not any(ch.isdigit() for ch in text[-200:])
    assert len(uses.load_verses(chapters=1)) < len(text)
    copy = tmp_path / "verses.txt"
    shutil.copy(uses.DATA_DIR / uses.VERSES_FILE, copy)
    assert hashlib.sha256(copy.read_bytes()).hexdigest() == uses.VERSES_SHA256
    copy.write_bytes(copy.read_bytes() + b" ")
    with pytest.raises(DataError, match="SHA-256"):
        uses.load_verses(copy)
    with pytest.raises(DataError, match="missing"):
        uses.load_verses(tmp_path / "nope.txt")
    with pytest.raises(ValueError, match="between 1 and 26"):
        uses.load_verses(chapters=27)


def test_vocabulary_round_trip():
    vocabulary = uses.make_vocabulary("abca\n")
    assert vocabulary == ["\n", "a", "b", "c"]
    ids = uses.encode_text("cab\n", vocabulary)
    assert ids.tolist() == [3, 1, 2, 0] and ids.dtype == np.int32
    assert uses.decode_ids(ids, vocabulary) == "cab\n"
    with pytest.raises(ValueError, match="unknown"):
        uses.encode_text("xyz", vocabulary)
    with pytest.raises(ValueError, match="indices"):
        uses.decode_ids([4], vocabulary)
    with pytest.raises(ValueError, match="non-empty"):
        uses.make_vocabulary("")


def test_char_windows_shift_by_one():
    x, y = uses.make_char_windows(np.arange(11), 3)
    assert x.tolist() == [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
    assert y.tolist() == [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
    with pytest.raises(ValueError, match="at least"):
        uses.make_char_windows(np.arange(3), 3)
    with pytest.raises(ValueError, match="1-D"):
        uses.make_char_windows(np.zeros((2, 5)), 2)
    with pytest.raises(ValueError, match="must be an integer >= 1"):
        uses.make_char_windows(np.arange(10), 0)


def test_apply_temperature():
    logits = np.log(np.array([0.5, 0.3, 0.2]))
    np.testing.assert_allclose(uses.apply_temperature(logits, 1.0), [0.5, 0.3, 0.2])
    cold, hot = uses.apply_temperature(logits, 0.1), uses.apply_temperature(logits, 10.0)
    assert cold[0] > 0.99 and np.ptp(hot) < 0.05
    np.testing.assert_allclose(uses.apply_temperature(np.array([[1000.0, 0.0]]), 1.0).sum(), 1.0)
    for bad in (0.0, -1.0, float("nan")):
        with pytest.raises(ValueError, match="positive"):
            uses.apply_temperature(logits, bad)


@pytest.fixture(scope="module")
def char_model():
    keras.utils.set_random_seed(3)
    vocabulary = uses.make_vocabulary("he who is wise\n")
    return uses.make_char_model(len(vocabulary), embedding=4, units=8), vocabulary


def test_numpy_steps_match_keras(char_model):
    model, vocabulary = char_model
    ids = uses.encode_text("he who is", vocabulary)
    expected = model.predict(ids[None, :], verbose=0)[0]
    np.testing.assert_allclose(uses.next_char_logits(model, ids), expected, atol=1e-5)


def test_sample_text_is_reproducible_and_checked(char_model):
    model, vocabulary = char_model
    first = uses.sample_text(model, vocabulary, "he ", 40, 1.0, np.random.default_rng(0))
    again = uses.sample_text(model, vocabulary, "he ", 40, 1.0, np.random.default_rng(0))
    assert first == again and len(first) == 40 and set(first) <= set(vocabulary)
    cold = uses.sample_text(model, vocabulary, "he ", 40, 1e-3, np.random.default_rng(1))
    logits = uses.next_char_logits(model, uses.encode_text("he ", vocabulary))
    assert cold[0] == vocabulary[int(np.argmax(logits[-1]))]
    with pytest.raises(ValueError, match="temperature"):
        uses.sample_text(model, vocabulary, "he ", 5, 0.0, np.random.default_rng(0))
    with pytest.raises(ValueError, match="Generator"):
        uses.sample_text(model, vocabulary, "he ", 5, 1.0, 42)
    with pytest.raises(ValueError, match="prompt"):
        uses.sample_text(model, vocabulary, "", 5, 1.0, np.random.default_rng(0))
    with pytest.raises(ValueError, match="Embedding"):
        uses.sample_text(uses.make_many_to_one_model(), vocabulary, "he", 5, 1.0, np.random.default_rng(0))


def test_temperature_widget_links_slider_to_stack():
    box = uses.make_temperature_widget({0.5: "abc", 1.0: "a<b"}, prompt="he ")
    slider, stack = box.children
    assert isinstance(slider, widgets.SelectionSlider) and isinstance(stack, widgets.Stack)
    assert box.link.source == (slider, "index") and box.link.target == (stack, "selected_index")
    assert "a&lt;b" in stack.children[1].value
    assert repr(box) == "Temperature slider over 2 precomputed samples: 0.5, 1"
    with pytest.raises(ValueError, match="at least one"):
        uses.make_temperature_widget({})
    with pytest.raises(ValueError, match="temperature"):
        uses.make_temperature_widget({-1.0: "x"})


def test_real_word_share():
    assert uses.real_word_share("the wise, the xqz", "The wise man") == 0.75
    with pytest.raises(ValueError, match="at least one word"):
        uses.real_word_share("12 ,", "text")
    with pytest.raises(ValueError, match="strings"):
        uses.real_word_share(None, "text")
