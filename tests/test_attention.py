"""Unit tests of helpers.attention (the position table, the attention recall model, its training) and of
scripts/sweep_attention.py's plan (its resuming is booktools.runner's, tested there)."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from helpers import attention, data, recall
from scripts import sweep_attention as sweep


def test_position_embedding_adds_one_vector_per_position():
    layer = attention.PositionEmbedding(4)
    x = np.zeros((2, 4, 3), dtype="float32")
    out = layer(x).numpy()
    table = layer.table.numpy()
    assert table.shape == (4, 3)
    np.testing.assert_allclose(out[0], table)
    np.testing.assert_allclose(out[1], table)
    assert layer.get_config()["steps"] == 4


def test_position_embedding_rejects_a_wrong_length():
    with pytest.raises(ValueError, match="4 steps"):
        attention.PositionEmbedding(4)(np.zeros((1, 5, 3), dtype="float32"))
    with pytest.raises(ValueError, match="steps"):
        attention.PositionEmbedding(0)


def test_model_answers_with_a_distribution_over_dishes():
    model = attention.make_attention_recall_model(7, dishes=4, units=5)
    probs = model(np.zeros((3, 7, 4), dtype="float32")).numpy()
    assert probs.shape == (3, 4)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-5)
    assert isinstance(model.get_layer("attention"), keras.layers.Attention)
    with pytest.raises(ValueError, match="dishes"):
        attention.make_attention_recall_model(7, dishes=1)


def _data(delay, seed, n=300):
    return {
        "train": recall.make_recall_data(n, delay, seed=seed),
        "validation": recall.make_recall_data(200, delay, seed=10_000 + seed),
        "test": recall.make_recall_data(200, delay, seed=20_000),
    }


@pytest.mark.slow  # trains or renders for seconds: in the full run only
def test_train_attention_learns_a_short_recall_and_is_seeded():
    first = attention.train_attention(_data(5, 1), seed=1, max_epochs=3)
    again = attention.train_attention(_data(5, 1), seed=1, max_epochs=3)
    assert first["accuracy"] > recall.chance_level(3)
    assert first["val_accuracy"] == again["val_accuracy"]
    assert first["epochs"] == len(first["val_accuracy"]) <= 3


def test_train_attention_rejects_incomplete_data():
    with pytest.raises(ValueError, match="missing"):
        attention.train_attention({"train": recall.make_recall_data(10, 3)})
    bad = _data(3, 1) | {"train": (np.zeros((4, 3)), np.zeros(4))}
    with pytest.raises(ValueError, match="shape"):
        attention.train_attention(bad)


def test_sweep_plan_has_five_seeds_per_delay_with_chapter_5s_recipe():
    runs = sweep.plan()
    keys = [tuple(run[c] for c in data.RESULTS["attention_sweep"].key) for run in runs]
    assert len(set(keys)) == len(keys) == 5 * len(sweep.DELAYS)
    assert all(run["lr"] == recall.RECIPES["chapter"]["lr"] for run in runs)
    assert all(run["num_train"] == 3000 and run["max_epochs"] == 20 for run in runs)
