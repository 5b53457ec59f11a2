"""Unit tests of helpers/roommate.py (chapter 1)."""

from __future__ import annotations

import itertools

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from helpers import roommate

CASES = {
    ("apple pie", "sunny"): "apple pie",
    ("apple pie", "rainy"): "burger",
    ("burger", "sunny"): "burger",
    ("burger", "rainy"): "chicken",
    ("chicken", "sunny"): "chicken",
    ("chicken", "rainy"): "apple pie",
}


def test_one_hot_round_trip():
    for i, meal in enumerate(roommate.MEALS):
        np.testing.assert_array_equal(roommate.one_hot_meal(meal), np.eye(3, dtype=int)[i])
        assert roommate.meal_from_vector(roommate.one_hot_meal(meal)) == meal
    np.testing.assert_array_equal(roommate.one_hot_weather("sunny"), [1, 0])
    np.testing.assert_array_equal(roommate.one_hot_weather("rainy"), [0, 1])


def test_single_input_networks():
    assert roommate.predict_from_weather("sunny") == "apple pie"
    assert roommate.predict_from_weather("rainy") == "burger"
    assert [roommate.predict_from_yesterday(m) for m in roommate.MEALS] == ["burger", "chicken", "apple pie"]


@pytest.mark.parametrize(("yesterday", "weather"), list(CASES))
def test_all_six_cases(yesterday, weather):
    assert roommate.predict(yesterday, weather) == CASES[(yesterday, weather)]
    assert roommate.rule(yesterday, weather) == CASES[(yesterday, weather)]


def test_worked_example():
    steps = roommate.explain("apple pie", "rainy")
    np.testing.assert_array_equal(steps["food"], [1, 0, 0, 0, 1, 0])
    np.testing.assert_array_equal(steps["weather_part"], [0, 0, 0, 1, 1, 1])
    np.testing.assert_array_equal(steps["sum"], [1, 0, 0, 1, 2, 1])
    np.testing.assert_array_equal(steps["hidden"], [0, 0, 0, 0, 1, 0])
    np.testing.assert_array_equal(steps["today"], [0, 1, 0])


def test_nonlinearity_keeps_only_twos():
    np.testing.assert_array_equal(roommate.nonlinearity(np.array([0, 1, 2, 1, 0, 2])), [0, 0, 1, 0, 0, 1])


def test_week():
    weathers = ["sunny", "rainy", "rainy", "sunny", "rainy", "sunny", "rainy"]
    assert roommate.week("apple pie", weathers) == [
        "apple pie",
        "burger",
        "chicken",
        "chicken",
        "apple pie",
        "apple pie",
        "burger",
    ]
    assert roommate.week("chicken", ("rainy",)) == ["apple pie"]


def test_week_matches_rule_on_every_short_sequence():
    for first in roommate.MEALS:
        for weathers in itertools.product(roommate.WEATHERS, repeat=4):
            dish, expected = first, []
            for w in weathers:
                dish = roommate.rule(dish, w)
                expected.append(dish)
            assert roommate.week(first, list(weathers)) == expected


@pytest.mark.parametrize(
    ("call", "options"),
    [
        (lambda: roommate.predict("pizza", "sunny"), "'apple pie', 'burger', 'chicken'"),
        (lambda: roommate.predict("apple pie", "snowy"), "'sunny', 'rainy'"),
        (lambda: roommate.predict(1, "sunny"), "'apple pie', 'burger', 'chicken'"),
        (lambda: roommate.predict("burger", None), "'sunny', 'rainy'"),
        (lambda: roommate.predict("", "sunny"), "'apple pie', 'burger', 'chicken'"),
        (lambda: roommate.explain("pizza", "rainy"), "'apple pie', 'burger', 'chicken'"),
        (lambda: roommate.explain("burger", "snowy"), "'sunny', 'rainy'"),
        (lambda: roommate.week("pizza", ["sunny"]), "'apple pie', 'burger', 'chicken'"),
        (lambda: roommate.week("burger", ["sunny", "snowy"]), "'sunny', 'rainy'"),
        (lambda: roommate.week("burger", []), "'sunny', 'rainy'"),
        (lambda: roommate.week("burger", "rainy"), "'sunny', 'rainy'"),
        (lambda: roommate.week("burger", None), "'sunny', 'rainy'"),
        (lambda: roommate.week("burger", 3), "'sunny', 'rainy'"),
        (lambda: roommate.one_hot_meal("pizza"), "'apple pie', 'burger', 'chicken'"),
        (lambda: roommate.one_hot_weather("snowy"), "'sunny', 'rainy'"),
    ],
)
def test_bad_inputs_name_the_options(call, options):
    with pytest.raises(ValueError, match=options):
        call()


def test_bad_vectors_and_numbers():
    with pytest.raises(ValueError, match="shape"):
        roommate.meal_from_vector(np.array([1, 0]))
    with pytest.raises(ValueError, match="one-hot"):
        roommate.meal_from_vector(np.array([1, 1, 0]))
    with pytest.raises(ValueError, match="1-D"):
        roommate.nonlinearity(np.array([]))
    with pytest.raises(ValueError, match="must be an integer >= 1"):
        roommate.random_weathers(0)
    with pytest.raises(ValueError, match="p_rain"):
        roommate.random_weathers(3, p_rain=2.0)
    with pytest.raises(ValueError, match="callable"):
        roommate.hidden_responses(3)
    with pytest.raises(ValueError, match="shape"):
        roommate.plot_matrix_graph(np.eye(2), ["a"], ["b"])
    with pytest.raises(ValueError, match="shape"):
        roommate.plot_hidden_responses(np.eye(3))
    with pytest.raises(ValueError, match="unit_labels"):
        roommate.plot_hidden_responses(np.eye(6), unit_labels=["a"])


def test_training_pairs_follow_the_rule():
    weathers = roommate.random_weathers(30, seed=1)
    assert set(weathers) <= set(roommate.WEATHERS)
    assert roommate.random_weathers(30, seed=1) == weathers
    x, y = roommate.make_training_pairs("burger", weathers)
    assert x.shape == (30, 5) and y.shape == (30, 3)
    for row, target in zip(x, y, strict=True):
        yesterday = roommate.meal_from_vector(row[:3].astype(int))
        weather = roommate.WEATHERS[int(np.argmax(row[3:]))]
        assert roommate.meal_from_vector(target.astype(int)) == roommate.rule(yesterday, weather)


def test_hidden_responses_of_the_hand_set_network():
    weights = np.hstack([roommate.FOOD_MATRIX, roommate.WEATHER_MATRIX])
    responses = roommate.hidden_responses(lambda x: np.maximum(x @ weights.T - 1, 0))
    assert responses.shape == (6, 6)
    np.testing.assert_array_equal(responses.sum(axis=1), np.ones(6))
    np.testing.assert_array_equal(responses.sum(axis=0), np.ones(6))


@pytest.mark.parametrize(
    "draw",
    [
        lambda ax: roommate.plot_matrix_graph(roommate.WEATHER_ONLY_MATRIX, roommate.WEATHERS, roommate.MEALS, ax=ax),
        lambda ax: roommate.plot_matrix_graph(roommate.CYCLE_MATRIX, roommate.MEALS, roommate.MEALS, ax=ax),
        lambda ax: roommate.plot_rnn_graph(ax=ax),
        lambda ax: roommate.plot_week("apple pie", ["sunny", "rainy", "rainy"], ax=ax),
        lambda ax: roommate.plot_hidden_responses(np.eye(6), ax=ax),
        lambda ax: roommate.plot_hidden_responses(np.ones((6, 4)), ax=ax, unit_labels=list("abcd")),
    ],
)
def test_plots_smoke(draw):
    fig, ax = plt.subplots()
    assert draw(ax) is ax
    assert ax.get_title()
    plt.close(fig)


def test_plots_create_their_own_axes():
    for ax in (
        roommate.plot_matrix_graph(roommate.CYCLE_MATRIX, roommate.MEALS, roommate.MEALS),
        roommate.plot_rnn_graph(),
        roommate.plot_week("burger", ["rainy"] * 7),
    ):
        assert ax.get_title()
        plt.close(ax.figure)


def test_heat_map_numbers_are_short():
    fig, axes = plt.subplots(1, 2)
    roommate.plot_hidden_responses(np.eye(6), ax=axes[0])
    roommate.plot_hidden_responses(np.full((6, 6), 0.26), ax=axes[1])
    assert {t.get_text() for t in axes[0].texts} == {"0", "1"}
    assert {t.get_text() for t in axes[1].texts} == {"0.3"}
    assert min(t.get_fontsize() for t in axes[0].texts) >= 12
    plt.close(fig)


def test_rnn_graph_hidden_labels_sit_in_boxes():
    ax = roommate.plot_rnn_graph()
    labels = [t for t in ax.texts if t.get_text() in roommate.HIDDEN_LABELS]
    assert len(labels) == 6 and len(ax.patches) == 6
    plt.close(ax.figure)
