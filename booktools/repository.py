"""``python -m booktools set-repo URL``: point the book at another GitHub repository, e.g. to publish a fork.

The repository's address is defined once, as ``repository.url`` in ``_config.yml`` (repository, issues and
launch buttons, Thebe). The hidden set-up cell of each chapter repeats it as ``REPOSITORY`` (Colab clones it to
get the helpers), and a few pages quote it in commands. ``set_repository`` rewrites all of them; then rebuild
the book. tests/test_notebooks.py checks that the notebooks and _config.yml agree.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from booktools import NOTEBOOKS, ROOT
from booktools.notebooks import write_notebook

URL_RE = re.compile(r"^https://github\.com/[\w.-]+/[\w.-]+$")
TEXT_FILES = ["README.md", "CONTRIBUTING.md", "book/intro.md", "book/running.md"]


def normalise_url(url: str) -> str:
    """Return the address without a trailing slash or ``.git``; a ValueError if it is not a GitHub repository's."""
    clean = url.rstrip("/").removesuffix(".git")
    if not URL_RE.match(clean):
        raise ValueError(f"expected an address https://github.com/<owner>/<name>, got {url!r}")
    return clean


def current_url() -> str:
    """Return repository.url from _config.yml."""
    import yaml

    return yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["repository"]["url"]


def set_config(url: str) -> None:
    """Rewrite the url line of the repository section of _config.yml, leaving comments and layout alone."""
    path = ROOT / "_config.yml"
    text = path.read_text(encoding="utf-8")
    new, count = re.subn(r"(?m)^(repository:\n(?:[ \t]*#.*\n)*[ \t]+url:[ \t]*)\S+", lambda m: m.group(1) + url, text)
    if count != 1:
        raise ValueError(f"expected one repository.url in _config.yml, found {count}")
    path.write_text(new, encoding="utf-8")


def set_notebooks(url: str) -> list[Path]:
    """Rewrite the REPOSITORY line of every chapter's set-up cell; return the notebooks changed."""
    changed = []
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        touched = False
        for cell in nb["cells"]:
            if cell["cell_type"] != "code":
                continue
            lines = cell["source"] if isinstance(cell["source"], list) else cell["source"].splitlines(True)
            new_lines = [re.sub(r'^REPOSITORY = ".*"', f'REPOSITORY = "{url}"', line) for line in lines]
            if new_lines != lines:
                cell["source"] = new_lines
                touched = True
        if touched:
            write_notebook(path, nb)
            changed.append(path)
    return changed


def set_text_files(old: str, url: str) -> list[Path]:
    """Replace the old address in the pages that quote it (clone commands); return the files changed."""
    changed = []
    for name in TEXT_FILES:
        path = ROOT / name
        if path.is_file() and old in (text := path.read_text(encoding="utf-8")):
            path.write_text(text.replace(old, url), encoding="utf-8")
            changed.append(path)
    return changed


def set_repository(url: str) -> int:
    """Set the repository address everywhere the book uses it; print the files changed."""
    old = current_url()
    set_config(url)
    for path in [ROOT / "_config.yml", *set_notebooks(url), *set_text_files(old, url)]:
        print(f"updated {path.relative_to(ROOT)}")
    print(f"repository: {old} -> {url}")
    return 0
