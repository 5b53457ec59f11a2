"""The book's own tooling, one package with one command (``python -m booktools --help``).

- ``notebooks``: ``sync`` — the rewrites a chapter needs after it is executed or edited (hidden cells collapsed in
  JupyterLab, the stored ``{eval}`` results, the list of references); ``sync --check`` changes nothing.
- ``sphinx``: the Sphinx extension of the book (``_config.yml``: ``sphinx.extra_extensions``).
- ``repository``: ``set-repo``, to publish a fork.
- ``vendor``: the JavaScript the site serves itself, refetched or checked.
- ``runner``: the resumable loop every precompute script in ``scripts/`` runs on.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
