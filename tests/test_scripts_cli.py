"""The precompute scripts in scripts/: what they plan, and that their command lines answer at once.

Chapter 6's scripts are tested in tests/test_mnist_scripts.py, measure_spread.py in tests/test_measure_spread.py,
sweep_memory.py in tests/test_sweep_memory.py; the runner they share in tests/test_booktools.py.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from booktools import ROOT
from scripts import sweep_airline


@pytest.mark.parametrize("name", ["memory_clipping", "sweep_airline"])
def test_arguments_are_read_before_tensorflow_is_imported(name):
    """--help and argument errors answer at once: the training scripts import TensorFlow only to train."""
    code = (
        "import runpy, sys\n"
        f"sys.argv = [{str(ROOT / 'scripts' / f'{name}.py')!r}, '--help']\n"
        "try:\n    runpy.run_path(sys.argv[0], run_name='__main__')\n"
        "except SystemExit as exit_:\n    assert exit_.code == 0, exit_.code\n"
        "print('imported:', sorted({'tensorflow', 'keras', 'sklearn'} & set(sys.modules)))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "imported: []"


def test_sweep_airline_plans_runs_on_training_months_only():
    assert sweep_airline.VAL_START < sweep_airline.TRAIN_SIZE < sweep_airline.TEST_MONTHS[0]
    assert all(origin >= sweep_airline.TRAIN_SIZE for origin in sweep_airline.ORIGINS)
    assert len(sweep_airline.TEST_MONTHS) == 46 and sweep_airline.TEST_MONTHS[-1] == 142
