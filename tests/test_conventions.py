"""The conventions a reader or a maintainer would notice broken: ruff-clean code (notebooks included), colours
only in style.py (contrast is checked there), data read only through data.py (checksums), imports of helpers/ in
one direction (no cycles), every module listed in CONTRIBUTING.md with a docstring saying what it is for, and
every library it imports declared in pyproject.toml."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HELPERS = ROOT / "helpers"

# Modules any chapter may use. They import only one another.
SHARED = {"checks", "cells", "data", "glued", "reference", "style", "training", "widgets"}
# A subject's modules import shared modules and each other, never another subject's.
SUBJECTS = {
    "the roommate": {"roommate", "roommate_widgets"},
    "sequence shapes": {"sequence_shapes"},
    "character generator": {"char_generator"},
    "cell diagrams": {"cell_diagrams"},
    "backpropagation through time": {"bptt"},
    "long memory": {"recall", "adding_problem", "recall_plots"},
    "MNIST row by row": {"mnist"},
    "airline forecasts": {"forecast"},
    "attention": {"attention"},
}
SUBJECT_OF = {module: subject for subject, modules in SUBJECTS.items() for module in modules}
MODULES = sorted(p.stem for p in HELPERS.glob("*.py") if p.stem != "__init__")


def _tree(module: str) -> ast.Module:
    return ast.parse((HELPERS / f"{module}.py").read_text(encoding="utf-8"))


def _helpers_imports(module: str) -> set[str]:
    """The helpers modules ``module`` imports, at the top or inside functions."""
    found = set()
    for node in ast.walk(_tree(module)):
        if isinstance(node, ast.ImportFrom) and node.module == "helpers":
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("helpers."):
            found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("helpers.")}
    return found - {module}


def test_every_module_is_shared_or_belongs_to_one_subject():
    unknown = sorted(set(MODULES) - SHARED - set(SUBJECT_OF))
    assert not unknown, f"classify these helpers modules in {Path(__file__).name} (SHARED or SUBJECTS): {unknown}"
    gone = sorted((SHARED | set(SUBJECT_OF)) - set(MODULES))
    assert not gone, f"modules listed here but not in helpers/: {gone}"


@pytest.mark.parametrize("module", MODULES)
def test_imports_go_one_way(module):
    """Shared modules import only shared modules; a subject's modules import shared ones and their own subject's."""
    allowed = SHARED if module in SHARED else SHARED | SUBJECTS.get(SUBJECT_OF.get(module), set())
    wrong = sorted(_helpers_imports(module) - allowed)
    assert not wrong, f"helpers/{module}.py imports {wrong}: move what it needs into a shared module"


@pytest.mark.parametrize("module", MODULES)
def test_module_docstring_says_what_it_is_for(module):
    docstring = ast.get_docstring(_tree(module))
    assert docstring and len(docstring.split()) >= 5, f"helpers/{module}.py needs a docstring saying what it is for"
    tags = re.findall(
        r"\((?:all chapters|chapters? \d+(?:\s*(?:[-–,]|and)\s*\d+)*)\)",
        (HELPERS / f"{module}.py").read_text(encoding="utf-8"),
    )
    assert not tags, f"helpers/{module}.py carries chapter tags that go stale: {tags[:3]}"


@pytest.mark.parametrize("module", sorted(set(MODULES) - {"data"}))
def test_only_data_py_finds_the_data_folder(module):
    """Only data.py names DATA_DIR or builds a path into data/: every file in it is read through helpers.data."""
    text = (HELPERS / f"{module}.py").read_text(encoding="utf-8")
    found = re.findall(r"""\bDATA_DIR\b|/\s*["']data["']|["']data/\w""", text)
    assert not found, f"helpers/{module}.py locates data/ itself ({found[:3]}); load through helpers.data"


# a colour written as a literal: a hex code, or a named colour given to a colour argument
_HEX = re.compile(r"#[0-9A-Fa-f]{3}(?:[0-9A-Fa-f]{3})?\b")
_COLOUR_ARGUMENTS = {"color", "colour", "c", "edgecolor", "facecolor", "ec", "fc", "mec", "mfc", "background"}
_COLOUR_NAMES = {"black", "white", "grey", "gray", "red", "green", "blue", "yellow", "orange", "purple"}


@pytest.mark.parametrize("module", sorted(set(MODULES) - {"style"}))
def test_colours_live_only_in_style_py(module):
    literals = []
    for node in ast.walk(_tree(module)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and _HEX.search(node.value):
            literals.append(node.value[:40])
        elif isinstance(node, ast.Constant) and node.value in _COLOUR_NAMES:
            literals.append(repr(node.value))
        if isinstance(node, ast.keyword) and node.arg in _COLOUR_ARGUMENTS and isinstance(node.value, ast.Constant):
            literals.append(f"{node.arg}={node.value.value!r}")
    assert not literals, f"helpers/{module}.py writes colours itself (name them in style.py): {literals[:5]}"


def test_contributing_lists_every_module():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    missing = [m for m in MODULES if f"`{m}.py`" not in text]
    assert not missing, f"CONTRIBUTING.md does not list: {missing}"


def _declared_distributions() -> set[str]:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {re.split(r"[<>=!~ \[;]", d, maxsplit=1)[0].lower() for d in project["dependencies"]}


def test_pyproject_declares_every_library_helpers_imports():
    """Every third-party module a helpers module imports (at the top or in a function) is a declared dependency."""
    from importlib.metadata import packages_distributions

    providers = packages_distributions()
    declared = _declared_distributions()
    undeclared = {}
    for module in MODULES:
        for node in ast.walk(_tree(module)):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                if top in sys.stdlib_module_names or top in ("helpers", "__future__"):
                    continue
                if not {d.lower() for d in providers.get(top, [top])} & declared:
                    undeclared.setdefault(top, set()).add(module)
    assert not undeclared, f"declare in pyproject.toml's dependencies: {undeclared}"


def test_ruff_check_is_clean():
    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    result = subprocess.run([ruff, "check", "--no-cache", "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
