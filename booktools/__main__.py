"""``python -m booktools COMMAND``: the book's maintenance commands (``--help`` lists them).

Nothing here imports TensorFlow: every command answers at once.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def parser() -> argparse.ArgumentParser:
    """Return the command line: one sub-command per task."""
    main = argparse.ArgumentParser(prog="python -m booktools", description="The book's maintenance commands.")
    commands = main.add_subparsers(dest="command", required=True, metavar="COMMAND")
    sync = commands.add_parser(
        "sync",
        help="after executing or editing a chapter: collapse hidden cells, store {eval} results, list references",
        description="Bring the chapters' notebook files up to date (see booktools/notebooks.py).",
    )
    sync.add_argument("--check", action="store_true", help="change nothing; exit 1 if a notebook would change")
    sync.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/[0-9][0-9]_*.ipynb")
    commands.add_parser(
        "check",
        help="change nothing; exit 1 if a notebook is out of sync or a vendored file differs from its manifest",
        description="sync --check on every chapter and vendor --check.",
    )
    vendor = commands.add_parser(
        "vendor",
        help="refetch the JavaScript the site serves itself (npm pack), or --check it offline",
        description="Refetch book/_static/vendor/ (see booktools/vendor.py).",
    )
    vendor.add_argument("--check", action="store_true", help="verify the files against MANIFEST.json, offline")
    repo = commands.add_parser(
        "set-repo",
        help="point the book at another GitHub repository (_config.yml, every set-up cell, the pages that quote it)",
        description="Set the repository address everywhere the book uses it (see booktools/repository.py).",
    )
    repo.add_argument("url", help="https://github.com/<owner>/<name>")
    return main


def main(argv: list[str] | None = None) -> int:
    """Run one command; return its exit status."""
    cli = parser()
    args = cli.parse_args(argv)
    if args.command == "sync":
        from booktools.notebooks import sync

        return sync(args.notebooks, check=args.check)
    if args.command == "check":
        from booktools import vendor
        from booktools.notebooks import sync

        return max(sync(check=True), vendor.run(check_only=True))
    if args.command == "vendor":
        from booktools import vendor

        return vendor.run(check_only=args.check)
    from booktools.repository import normalise_url, set_repository

    try:
        url = normalise_url(args.url)
    except ValueError as exc:
        cli.error(str(exc))
    return set_repository(url)


if __name__ == "__main__":
    sys.exit(main())
