"""pytest set-up shared by the unit tests and the nbval run of the notebooks."""

from __future__ import annotations

import os
from collections import defaultdict

# nbval's kernels inherit this environment. A non-interactive MPLBACKEND (say Agg) would stop the kernel from
# showing figures, and every plotting cell would then differ from its stored output.
os.environ.pop("MPLBACKEND", None)

NOTEBOOK_SECONDS: dict[str, float] = defaultdict(float)
# Tests that take minutes, or need a browser or the built site: every notebook cell under nbval, the site tests,
# chapter 1 run in JupyterLab (test_jupyterlab.py),
# and the widget tests that drive Chromium. `pytest -m "not slow"` leaves the unit tests: a loop of about a minute.
SLOW_FILES = {"test_site.py", "test_jupyterlab.py"}
SLOW_PREFIX = "test_browser_"


def pytest_collection_modifyitems(config, items):
    """Mark the slow tests (see SLOW_FILES) so that `-m "not slow"` can leave them out."""
    import pytest

    for item in items:
        name = item.path.name
        if name.endswith(".ipynb") or name in SLOW_FILES or item.name.startswith(SLOW_PREFIX):
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
