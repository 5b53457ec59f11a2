"""Argument checks shared by the helpers, so that every bad input gets the same clear message."""

from __future__ import annotations

import numpy as np


def check_int(name: str, value, minimum: int = 1, maximum: int | None = None) -> int:
    """Return ``value`` as an int if it is an integer (Python or NumPy, not a bool) in [minimum, maximum].

    Raises ``ValueError`` naming the argument, the allowed range and the value given.
    """
    is_int = isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))
    if not is_int or value < minimum or (maximum is not None and value > maximum):
        allowed = f">= {minimum}" if maximum is None else f"between {minimum} and {maximum}"
        raise ValueError(f"{name} must be an integer {allowed}; got {value!r}")
    return int(value)


def check_positive_ints(**values) -> None:
    """Check that every keyword argument is an integer >= 1 (see :func:`check_int`)."""
    for name, value in values.items():
        check_int(name, value, 1)
