"""pytest set-up shared by the unit tests and the nbval run of the notebooks."""

from __future__ import annotations

import os
from collections import defaultdict

# nbval's kernels inherit this environment. A non-interactive MPLBACKEND (say Agg) would stop the kernel from
# showing figures, and every plotting cell would then differ from its stored output.
os.environ.pop("MPLBACKEND", None)

NOTEBOOK_SECONDS: dict[str, float] = defaultdict(float)


def pytest_collection_modifyitems(config, items):
    """Mark every notebook cell under nbval slow, so that `-m "not slow"` leaves the chapters out (the browser
    tests and the built site's carry the marker themselves: `pytest.mark.slow`)."""
    import pytest

    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.slow)


def pytest_collectstart(collector):
    """Compare notebooks on stdout and results, not on stderr (TensorFlow's log noise)."""
    path = getattr(collector, "path", None)
    if path is not None and path.suffix == ".ipynb":
        collector.skip_compare += ("stderr",)


def pytest_runtest_logreport(report):
    """Add up each notebook's cell times (setup, call, teardown); runs where the reports arrive, with or without
    pytest-xdist's workers."""
    path = report.nodeid.split("::")[0]
    if path.endswith(".ipynb"):
        NOTEBOOK_SECONDS[os.path.basename(path)] += report.duration


def pytest_terminal_summary(terminalreporter):
    """Print how long each notebook took to execute, and the total."""
    if not NOTEBOOK_SECONDS:
        return
    terminalreporter.section("notebook execution times")
    for name, seconds in sorted(NOTEBOOK_SECONDS.items()):
        terminalreporter.write_line(f"{name:<32} {seconds:7.1f} s")
    terminalreporter.write_line(f"{'total':<32} {sum(NOTEBOOK_SECONDS.values()):7.1f} s")
