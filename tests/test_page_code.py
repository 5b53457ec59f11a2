"""The code a chapter teaches is on its page, and the package's copy is the same code.

A chapter defines the functions that are its lesson in visible cells (d2l's pattern); later chapters import the
same functions from ``helpers``. A cell whose first line reads ``# Also in helpers/<module>.py`` declares that
every function it defines is also defined in that module, and this test compares the two syntax trees
(formatting and comments aside, docstrings included), so the page and the package cannot drift apart.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
MARKER = re.compile(r"^# Also in helpers/(\w+)\.py\b")


def page_definitions() -> list[tuple[str, str, str, ast.FunctionDef]]:
    """Return (notebook, module, function name, definition) for every function in a marked cell."""
    found = []
    for path in NOTEBOOKS:
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            text = "".join(cell["source"])
            match = MARKER.match(text)
            if cell["cell_type"] != "code" or not match:
                continue
            defs = [node for node in ast.parse(text).body if isinstance(node, ast.FunctionDef)]
            assert defs, f"{path.name}: a cell marked '# Also in helpers/{match.group(1)}.py' defines no function"
            found += [(path.name, match.group(1), node.name, node) for node in defs]
    return found


def module_definition(module: str, name: str) -> ast.FunctionDef | None:
    """Return the top-level definition of ``name`` in helpers/<module>.py, if any."""
    tree = ast.parse((ROOT / "helpers" / f"{module}.py").read_text(encoding="utf-8"))
    return next((n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == name), None)


DEFINITIONS = page_definitions()


def test_chapters_show_their_code():
    """The lessons of chapters 3 (NumPy cells), 4 (Jacobians) and 5 (recall training, gradient measure) are on pages."""
    shown = {name for _, _, name, _ in DEFINITIONS}
    lessons = {"simple_rnn_forward", "lstm_step", "lstm_forward", "gru_forward", "train_recall", "gradient_by_distance"}
    lessons |= {"activate", "slope", "rnn_states", "rnn_step_jacobians", "jacobian_products", "spectral_norms"}
    lessons |= {"lstm_step_jacobian", "lstm_step_jacobians"}
    assert lessons <= shown, sorted(lessons - shown)


@pytest.mark.parametrize(
    ("notebook", "module", "name", "node"), DEFINITIONS, ids=[f"{nb}:{name}" for nb, _, name, _ in DEFINITIONS]
)
def test_page_and_package_define_the_same_function(notebook, module, name, node):
    """The definition on the page and the one in helpers/ are the same code."""
    other = module_definition(module, name)
    assert other is not None, f"{notebook} says {name} is also in helpers/{module}.py, but it is not there"
    page, package = ast.dump(node, annotate_fields=False), ast.dump(other, annotate_fields=False)
    assert page == package, (
        f"{name} on the page of {notebook} differs from helpers/{module}.py's; make them identical "
        f"(the page is what readers learn from, the module what later chapters import)"
    )
