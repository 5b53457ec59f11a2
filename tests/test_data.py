"""Tests of helpers.data: the shipped data sets load, match their checksums, and fail loudly when damaged."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers import data


@pytest.fixture(scope="module")
def mnist():
    return data.load_mnist()


def test_mnist_shapes_and_dtype(mnist):
    (x_train, y_train), (x_test, y_test) = mnist
    assert x_train.shape == (60000, 28, 28) and x_test.shape == (10000, 28, 28)
    assert y_train.shape == (60000,) and y_test.shape == (10000,)
    assert {a.dtype for a in (x_train, y_train, x_test, y_test)} == {np.dtype(np.uint8)}


def test_mnist_label_counts(mnist):
    (_, y_train), (_, y_test) = mnist
    assert np.bincount(y_train).tolist() == [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
    assert np.bincount(y_test).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    assert y_train[:10].tolist() == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]


def test_mnist_missing_file_names_file_and_fix(tmp_path):
    missing = tmp_path / "mnist.npz"
    with pytest.raises(data.DataError, match=r"mnist\.npz is missing.*build_mnist\.py"):
        data.load_mnist(missing)


def test_mnist_truncated_file_is_corrupt(tmp_path):
    bad = tmp_path / "mnist.npz"
    bad.write_bytes((data.DATA_DIR / "mnist.npz").read_bytes()[:100_000])
    with pytest.raises(data.DataError, match=r"corrupt.*build_mnist\.py"):
        data.load_mnist(bad)


def test_mnist_flipped_pixel_fails_checksum(tmp_path, mnist):
    (x_train, y_train), (x_test, y_test) = mnist
    x_bad = x_train.copy()
    x_bad[0, 14, 14] ^= 1
    bad = tmp_path / "mnist.npz"
    np.savez(bad, x_train=x_bad, y_train=y_train, x_test=x_test, y_test=y_test)
    with pytest.raises(data.DataError, match=r"x_train does not match its SHA-256"):
        data.load_mnist(bad)


def test_mnist_wrong_shape_is_reported(tmp_path, mnist):
    (x_train, y_train), (x_test, y_test) = mnist
    bad = tmp_path / "mnist.npz"
    np.savez(bad, x_train=x_train[:10], y_train=y_train, x_test=x_test, y_test=y_test)
    with pytest.raises(data.DataError, match=r"x_train should be uint8 of shape \(60000, 28, 28\)"):
        data.load_mnist(bad)


def test_mnist_unknown_source():
    with pytest.raises(ValueError, match="source must be one of 'book', 'keras'; got 'web'"):
        data.load_mnist(source="web")


def test_airline_values():
    series = data.load_airline()
    assert isinstance(series, pd.Series) and len(series) == 144
    assert series.iloc[:5].tolist() == [112, 118, 132, 129, 121]
    assert series.iloc[-1] == 432 and series.sum() == 40363
    assert str(series.index[0]) == "1949-01" and str(series.index[-1]) == "1960-12"


def test_airline_missing_and_edited(tmp_path):
    with pytest.raises(data.DataError, match=r"airline-passengers\.csv is missing"):
        data.load_airline(tmp_path / "airline-passengers.csv")
    edited = tmp_path / "airline-passengers.csv"
    shutil.copy(data.DATA_DIR / "airline-passengers.csv", edited)
    edited.write_text(edited.read_text().replace("1949-01,112", "1949-01,113"))
    with pytest.raises(data.DataError, match="does not match its SHA-256 digest"):
        data.load_airline(edited)


def test_verses_load_and_are_checked(tmp_path):
    text = data.load_verses()
    assert text.startswith("all that we are is the result of what we have thought")
    assert text.endswith("whose perfections are all perfect.\n")
    assert text == text.lower() and not any(ch.isdigit() for ch in text[-200:])
    assert len(data.load_verses(chapters=1)) < len(text)
    copy = tmp_path / "verses.txt"
    shutil.copy(data.DATA_DIR / data.VERSES_FILE, copy)
    assert data.sha256_of(copy.read_bytes()) == data.VERSES_SHA256
    copy.write_bytes(copy.read_bytes() + b" ")
    with pytest.raises(data.DataError, match="SHA-256"):
        data.load_verses(copy)
    with pytest.raises(data.DataError, match="missing"):
        data.load_verses(tmp_path / "nope.txt")
    with pytest.raises(ValueError, match="between 1 and 26"):
        data.load_verses(chapters=27)


def test_readme_lists_the_checksums_the_loaders_check():
    readme = (Path(data.DATA_DIR) / "README.md").read_text()
    for digest in [*data.MNIST_SHA256.values(), data.AIRLINE_SHA256, data.VERSES_SHA256]:
        assert digest in readme
    listed = set(re.findall(r"`([0-9a-f]{64})`", readme))
    assert listed >= set(data.MNIST_SHA256.values())


def test_readme_describes_every_shipped_data_file():
    readme = (Path(data.DATA_DIR) / "README.md").read_text()
    headings = "\n".join(line for line in readme.splitlines() if line.startswith("## "))
    shipped = [p.name for p in Path(data.DATA_DIR).iterdir() if p.is_file() and p.suffix not in (".md", ".py")]
    undescribed = [name for name in shipped if f"`{name}`" not in headings]
    assert not undescribed, f"data/README.md has no section for {undescribed}"


@pytest.mark.parametrize("name", sorted(data.RESULTS))
def test_results_files_load_and_bad_ones_name_the_file_and_the_script(tmp_path, name):
    results = data.RESULTS[name]
    table = data.load_results(name)
    assert set(table.columns) >= set(results.columns) and len(table)
    missing = f"{re.escape(results.path.name)} is missing.*{re.escape(results.rebuild)}"
    with pytest.raises(data.DataError, match=missing):
        data.load_results(name, tmp_path / results.path.name)
    bad = tmp_path / "bad.csv"
    bad.write_text("seed,model\n1,LSTM\n")
    with pytest.raises(data.DataError, match=f"lacks the columns.*{re.escape(results.rebuild)}"):
        data.load_results(name, bad)
    if results.unique:
        twice = tmp_path / "twice.csv"
        pd.concat([table.head(1)] * 2)[list(results.columns)].to_csv(twice, index=False)
        with pytest.raises(data.DataError, match=f"holds the same {', '.join(results.key)} twice"):
            data.load_results(name, twice)


def test_an_unknown_results_name_is_refused():
    with pytest.raises(ValueError, match="name must be one of"):
        data.load_results("sweep")


@pytest.mark.parametrize("name", sorted(data.RESULTS))
def test_a_truncated_or_edited_results_file_is_refused_naming_the_rebuild(tmp_path, monkeypatch, name):
    """data/results.json records each results file's rows and SHA-256: a cut or changed file does not load."""
    results = data.RESULTS[name]
    folder = tmp_path / "data"
    folder.mkdir()
    copy = folder / results.path.name
    raw = results.path.read_bytes()
    manifest = json.loads(data.RESULTS_MANIFEST.read_text(encoding="utf-8"))
    assert manifest[results.path.name] == data.results_record(results.path), "run data.record_results on it"
    (folder / "results.json").write_text(json.dumps({copy.name: manifest[copy.name]}))
    monkeypatch.setattr(data, "DATA_DIR", folder)
    monkeypatch.setattr(data, "RESULTS_MANIFEST", folder / "results.json")
    copy.write_bytes(raw)
    data.load_results(name, copy)
    copy.write_bytes(b"".join(raw.splitlines(keepends=True)[:-1]))  # the last row lost
    with pytest.raises(data.DataError, match=rf"{copy.name} holds \d+ rows, results.json records.*truncated.*"
                       + re.escape(results.rebuild)):
        data.load_results(name, copy)
    copy.write_bytes(raw.replace(b"1", b"2", 1))
    with pytest.raises(data.DataError, match=f"does not match its SHA-256.*{re.escape(results.rebuild)}"):
        data.load_results(name, copy)
    (folder / "results.json").write_text("{}")
    with pytest.raises(data.DataError, match="is not recorded in"):
        data.load_results(name, copy)


def test_mnist_best_seeds_are_complete_and_checked(tmp_path):
    seeds = data.load_results("mnist_best_seeds")
    assert len(seeds) >= 2 and (seeds["train_images"] == 50_000).all()
    last = [v[-1] for v in seeds["val_by_epoch"]]
    assert last == pytest.approx(seeds["val_accuracy"].tolist(), abs=1e-4)
    header = ",".join(data.RESULTS["mnist_best_seeds"].columns)
    bad = tmp_path / "bad.csv"
    bad.write_text(header + "\n1,10,50000,3,0.9,0.9,0.8;0.9,60\n")
    with pytest.raises(data.DataError, match="one number per epoch.*--seeds 1 2"):
        data.load_results("mnist_best_seeds", bad)
    bad.write_text(header + "\n1,10,50000,2,0.9,0.9,0.8;high,60\n")
    with pytest.raises(data.DataError, match="numbers joined"):
        data.load_results("mnist_best_seeds", bad)


def test_mnist_best_weights_are_checked(tmp_path):
    assert data.check_mnist_best_weights() == data.MNIST_BEST_WEIGHTS
    assert data.sha256_of(data.MNIST_BEST_WEIGHTS.read_bytes()) == data.MNIST_BEST_WEIGHTS_SHA256
    assert data.MNIST_BEST_WEIGHTS.stat().st_size <= 5 * 1024 * 1024
    with pytest.raises(data.DataError, match=r"absent\.weights\.h5 is missing.*train_mnist_best\.py"):
        data.check_mnist_best_weights(tmp_path / "absent.weights.h5")
    bad = tmp_path / "bad.weights.h5"
    bad.write_bytes(b"not weights")
    with pytest.raises(data.DataError, match="SHA-256.*MNIST_BEST_WEIGHTS_SHA256"):
        data.check_mnist_best_weights(bad)
    assert data.check_mnist_best_weights(bad, data.sha256_of(b"not weights")) == bad


def test_airline_sweep_forecasts_load_as_arrays():
    frame = data.load_results("airline_sweep")
    assert set(frame.phase) <= {"validation", "test"}
    tests = frame[frame.phase == "test"]
    assert len(tests) and all(len(p) == 46 for p in tests.test_pred) and all(len(p) == 48 for p in tests.year_pred)
    assert all(len(r) == 4 for r in tests.year_rmse)
    assert not frame.duplicated(["phase", "model", "window", "units", "lr", "epochs", "seed"]).any()


def test_a_bad_number_in_the_airline_sweep_names_the_file_row_and_column(tmp_path):
    table = pd.read_csv(data.RESULTS["airline_sweep"].path)
    rows = table[table.phase == "test"].head(1).copy()
    rows["test_pred"] = "101.5 lots 99.0"
    bad = tmp_path / "bad.csv"
    rows.to_csv(bad, index=False)
    with pytest.raises(data.DataError, match=r"bad.csv, row 1, column test_pred: expected numbers.*sweep_airline"):
        data.load_results("airline_sweep", bad)
