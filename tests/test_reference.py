"""Unit tests of helpers.reference: reading reference files and checking live results against them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers.reference import REFERENCE_DIR, ReferenceFileError, load_reference

GOOD = """\
[accuracy]
value = 0.965
tolerance = 0.01
measured = "5 seeds"

[loss]
value = 1.4
tolerance = 0
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "ch.toml").write_text(GOOD, encoding="utf-8")
    return tmp_path


def test_values_and_tolerances_are_read(folder):
    ref = load_reference("ch", folder)
    assert ref.value("accuracy") == 0.965 and ref.tolerance("accuracy") == 0.01
    assert ref.value("loss") == 1.4 and ref.tolerance("loss") == 0.0


def test_check_accepts_the_edges_of_the_band_and_returns_nothing(folder):
    ref = load_reference("ch", folder)
    assert ref.check("accuracy", 0.9551) is None
    assert ref.check("accuracy", 0.9749) is None
    assert ref.check("loss", 1.4) is None


@pytest.mark.parametrize("actual", [0.954, 0.976, float("nan"), float("inf")])
def test_check_rejects_values_outside_the_band_with_the_numbers(folder, actual):
    ref = load_reference("ch", folder)
    with pytest.raises(AssertionError, match=r"accuracy = .*outside the reference 0\.965 ± 0\.01.*5 seeds"):
        ref.check("accuracy", actual)


def test_unknown_key_names_the_known_ones(folder):
    ref = load_reference("ch", folder)
    with pytest.raises(ReferenceFileError, match=r"no entry \[acuracy\].*accuracy, loss"):
        ref.value("acuracy")


def test_missing_file_says_how_to_create_it(tmp_path):
    with pytest.raises(ReferenceFileError, match="no reference file .*create it"):
        load_reference("nope", tmp_path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[a]\nvalue = 1\n", "needs both `value` and `tolerance`"),
        ('[a]\nvalue = "1"\ntolerance = 0.1\n', "value must be a number"),
        ("[a]\nvalue = 1\ntolerance = true\n", "tolerance must be a number"),
        ("[a]\nvalue = 1\ntolerance = -0.1\n", "tolerance must be >= 0"),
        ("[a\nvalue = 1\n", "not valid TOML"),
        ("a = 1\n", "needs both"),
    ],
)
def test_malformed_files_are_refused(tmp_path, text, message):
    (tmp_path / "bad.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ReferenceFileError, match=re.escape(message)):
        load_reference("bad", tmp_path)


@pytest.mark.parametrize("path", sorted(REFERENCE_DIR.glob("*.toml")), ids=lambda p: p.stem)
def test_the_books_reference_files_are_valid(path):
    ref = load_reference(path.stem)
    assert ref.entries, f"{path} is empty"
    for name, entry in ref.entries.items():
        assert entry.get("measured"), f"{path.name}: [{name}] should say where its tolerance comes from (measured)"


def test_the_error_is_a_value_error_and_leaves_the_builtin_alone():
    import builtins

    from helpers import reference

    assert issubclass(ReferenceFileError, ValueError) and ReferenceFileError is not builtins.ReferenceError
    assert not hasattr(reference, "ReferenceError")
