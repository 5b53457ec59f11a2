"""The page is the one source of the code a chapter teaches (d2l's ``#@save``).

A chapter defines its lesson in visible cells; when a later chapter or a script needs the same function, the cell
starts with ``#@save helpers/<module>.py``. ``python -m booktools sync`` then writes every function that cell
defines, exactly as the page has it, into ``helpers/<module>.py``, between two marker lines that name the
notebook::

    # >>> exported from notebooks/04_bptt.ipynb by `python -m booktools sync`: edit the page, not these lines
    def rnn_states(...):
        ...
    # <<< end of the code exported from notebooks/04_bptt.ipynb

The rest of the module (imports, constants, plumbing) is written by hand. ``sync --check`` (run by the tests and
the pre-commit hook) fails while a module's block differs from its page, so the two cannot drift apart.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

from booktools import ROOT

MARK = re.compile(r"^#@save helpers/(\w+)\.py\b")
BEGIN = "# >>> exported from {notebook} by `python -m booktools sync`: edit the page, not these lines"
END = "# <<< end of the code exported from {notebook}"


class ExportError(ValueError):
    """A marked cell or a module's exported block is not as the export expects."""


def saved_functions(path: Path) -> dict[str, list[str]]:
    """Return, per module, the source of every function the notebook's ``#@save`` cells define, in page order."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    found: dict[str, list[str]] = {}
    for index, cell in enumerate(notebook["cells"]):
        text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        match = MARK.match(text)
        if cell["cell_type"] != "code" or not match:
            continue
        tree = ast.parse(text)
        functions = [node for node in tree.body if isinstance(node, ast.FunctionDef)]
        if not functions:
            raise ExportError(f"{path.name}, cell {index}: marked {match.group(0)!r} but defines no function")
        lines = text.splitlines()
        for node in functions:
            start = min([node.lineno, *(d.lineno for d in node.decorator_list)]) - 1
            found.setdefault(match.group(1), []).append("\n".join(lines[start : node.end_lineno]))
    return found


def block(notebook: str, functions: list[str]) -> str:
    """Return a module's exported block for one notebook: the markers around its functions."""
    body = "\n\n\n".join(functions)
    return f"{BEGIN.format(notebook=notebook)}\n{body}\n{END.format(notebook=notebook)}"


def block_pattern(notebook: str) -> re.Pattern:
    """Match a notebook's exported block in a module's text."""
    begin, end = (re.escape(line.format(notebook=notebook)) for line in (BEGIN, END))
    return re.compile(rf"^{begin}\n.*?^{end}$", re.S | re.M)


def shown(module: Path) -> str:
    """Return a module's path as a message names it (relative to the repository where it is inside)."""
    return str(module.relative_to(ROOT)) if module.is_relative_to(ROOT) else str(module)


def exported_text(module: Path, blocks: dict[str, str]) -> str:
    """Return the module's text with each notebook's block replaced by its current version."""
    text = module.read_text(encoding="utf-8")
    for notebook, new in blocks.items():
        pattern = block_pattern(notebook)
        if not pattern.search(text):
            raise ExportError(
                f"{shown(module)} has no block exported from {notebook}; add the two marker lines "
                f"where its functions belong:\n{BEGIN.format(notebook=notebook)}\n{END.format(notebook=notebook)}"
            )
        match = pattern.search(text)
        text = text[: match.start()] + new + text[match.end() :]
    for notebook in re.findall(r"^# >>> exported from (\S+) ", text, flags=re.M):
        if notebook not in blocks:
            raise ExportError(
                f"{shown(module)} holds a block exported from {notebook}, but no cell of it is marked "
                f"'#@save helpers/{module.name}'; mark the cell again or remove the block"
            )
    return text


def sync_exports(notebooks: list[Path], helpers: Path | None = None, check: bool = False) -> list[str]:
    """Bring every ``helpers`` module up to date with the ``#@save`` cells of ``notebooks``; return the changes."""
    helpers = helpers or ROOT / "helpers"
    per_module: dict[str, dict[str, str]] = {}
    for path in notebooks:
        for module, functions in saved_functions(path).items():
            per_module.setdefault(module, {})[f"notebooks/{path.name}"] = block(f"notebooks/{path.name}", functions)
    for target in helpers.glob("*.py"):  # a module that still holds blocks of cells no longer marked
        if ">>> exported from" in target.read_text(encoding="utf-8"):
            per_module.setdefault(target.stem, {})
    changed = []
    for module, blocks in sorted(per_module.items()):
        target = helpers / f"{module}.py"
        if not target.is_file():
            raise ExportError(f"a cell is marked '#@save helpers/{module}.py', but there is no {target}")
        new = exported_text(target, blocks)
        if new != target.read_text(encoding="utf-8"):
            changed.append(f"helpers/{module}.py: exported functions updated from {', '.join(sorted(blocks))}")
            if not check:
                target.write_text(new, encoding="utf-8")
    return changed
