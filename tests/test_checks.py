"""helpers.checks: one wording for every bad integer argument."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.checks import check_int, check_positive_ints


def test_check_int_accepts_numpy_integers_and_rejects_bools_floats_and_out_of_range():
    assert check_int("n", np.int64(3)) == 3 and isinstance(check_int("n", np.int64(3)), int)
    assert check_int("n", 8, 2, 8) == 8
    for bad in (True, np.bool_(True), 0, 2.0, "3"):
        with pytest.raises(ValueError, match=r"n must be an integer >= 1; got"):
            check_int("n", bad)
    with pytest.raises(ValueError, match="steps must be an integer between 2 and 8; got 9"):
        check_int("steps", 9, 2, 8)
    with pytest.raises(ValueError, match="units must be an integer >= 1; got -1"):
        check_positive_ints(features=3, units=-1)
