"""Point the book at another GitHub repository, e.g. to publish a fork.

The repository's address is defined once, as ``repository.url`` in ``_config.yml`` (repository, issues and
launch buttons, Thebe). The hidden set-up cell of each chapter repeats it as ``REPOSITORY`` (Colab clones it to
get the helpers), and a few pages quote it in commands. This script rewrites all of them:

    python scripts/set_repository.py https://github.com/<you>/<your-fork>

then rebuild the book. tests/test_notebooks.py checks that the notebooks and _config.yml agree.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
URL_RE = re.compile(r"^https://github\.com/[\w.-]+/[\w.-]+$")
TEXT_FILES = ["README.md", "CONTRIBUTING.md", "book/intro.md", "book/running.md"]


def current_url() -> str:
    """Return repository.url from _config.yml."""
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
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        raw = path.read_text(encoding="utf-8")
        nb = json.loads(raw)
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
            # the same layout as Jupyter and nbconvert write, so the diff shows only the changed line
            path.write_text(json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
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


def main(argv: list[str] | None = None) -> int:
    """Set the repository address everywhere the book uses it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="https://github.com/<owner>/<name>, without a trailing slash or .git")
    args = parser.parse_args(argv)
    url = args.url.rstrip("/").removesuffix(".git")
    if not URL_RE.match(url):
        parser.error(f"expected an address https://github.com/<owner>/<name>, got {args.url!r}")
    old = current_url()
    set_config(url)
    changed = [ROOT / "_config.yml", *set_notebooks(url), *set_text_files(old, url)]
    for path in changed:
        print(f"updated {path.relative_to(ROOT)}")
    print(f"repository: {old} -> {url}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
