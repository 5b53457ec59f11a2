"""Reference values and tolerances for results that vary from machine to machine.

Floating-point training is not bit-reproducible across CPUs, instruction sets, thread counts and kernel
libraries, so a chapter cannot compare a freshly trained loss or accuracy with a stored digit. Instead each
chapter keeps, in one small file a reader can open (``notebooks/reference/<chapter>.toml``), the value the
book's stored run gave for every such number and the tolerance measured for it (seed to seed and machine to
machine), and its hidden cells check the live result against it::

    ref = load_reference("06_mnist")
    ref.check("article_test_accuracy", test_accuracy)   # AssertionError with the numbers if outside
    glue("article_tolerance", ref.tolerance("article_test_accuracy"), display=False)

A file looks like this (``value`` and ``tolerance`` are required; ``measured`` says where the tolerance
comes from)::

    [article_test_accuracy]
    value = 0.965
    tolerance = 0.01
    measured = "5 seeds x 4 machine settings: 0.958-0.972 (scripts/measure_spread.py)"
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from pathlib import Path

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "notebooks" / "reference"


class ReferenceFileError(ValueError):
    """A reference file is missing, malformed, or has no entry of the name asked for."""


@dataclass(frozen=True)
class Reference:
    """One chapter's reference values: ``name -> (value, tolerance, measured)``."""

    path: Path
    entries: dict[str, dict]

    def _entry(self, name: str) -> dict:
        try:
            return self.entries[name]
        except KeyError:
            known = ", ".join(sorted(self.entries)) or "none"
            raise ReferenceFileError(
                f"{self.path.name} has no entry [{name}]; add one (value, tolerance, measured) or use one of: {known}"
            ) from None

    def value(self, name: str) -> float:
        """Return the stored run's value of ``name``."""
        return float(self._entry(name)["value"])

    def tolerance(self, name: str) -> float:
        """Return the measured tolerance (absolute, same unit as the value) of ``name``."""
        return float(self._entry(name)["tolerance"])

    def within(self, name: str, actual: float) -> bool:
        """Return whether ``actual`` lies within the tolerance of the reference value of ``name``."""
        return abs(float(actual) - self.value(name)) <= self.tolerance(name)

    def check(self, name: str, actual: float) -> None:
        """Raise ``AssertionError`` unless ``actual`` is within tolerance of ``name``'s value.

        It returns nothing, on purpose: a check that ends a cell must not become the cell's displayed result,
        since the live value differs from machine to machine and nbval would compare it digit for digit.
        """
        actual = float(actual)
        if not math.isfinite(actual) or not self.within(name, actual):
            entry = self._entry(name)
            raise AssertionError(
                f"{name} = {actual:.6g}, outside the reference {self.value(name):.6g} ± "
                f"{self.tolerance(name):.3g} of {self.path.relative_to(self.path.parents[2])} "
                f"(measured: {entry.get('measured', 'not stated')})"
            )


def load_reference(chapter: str, directory: Path | None = None) -> Reference:
    """Read ``notebooks/reference/<chapter>.toml`` and check every entry has a value and a tolerance."""
    path = (directory or REFERENCE_DIR) / f"{chapter}.toml"
    if not path.is_file():
        raise ReferenceFileError(f"no reference file {path}; create it (see helpers/reference.py for the format)")
    try:
        entries = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ReferenceFileError(f"{path} is not valid TOML: {error}") from None
    for name, entry in entries.items():
        if not isinstance(entry, dict) or not {"value", "tolerance"} <= entry.keys():
            raise ReferenceFileError(f"{path.name}: [{name}] needs both `value` and `tolerance`")
        for key in ("value", "tolerance"):
            if isinstance(entry[key], bool) or not isinstance(entry[key], int | float):
                raise ReferenceFileError(f"{path.name}: [{name}] {key} must be a number; got {entry[key]!r}")
        if entry["tolerance"] < 0:
            raise ReferenceFileError(f"{path.name}: [{name}] tolerance must be >= 0; got {entry['tolerance']}")
    return Reference(path=path, entries=entries)
