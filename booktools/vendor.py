"""``python -m booktools vendor``: refetch the JavaScript the published book serves itself, instead of CDNs.

The built book needs three browser libraries: require.js and the ipywidgets HTML manager (to render the
widgets whose state is embedded in the chapters, with no kernel) and MathJax (to typeset the maths). Jupyter
Book loads them from CDNs by default; this book serves them from ``book/_static/vendor/`` (wired in
``_config.yml``: ``html_static_path``, ``nb_ipywidgets_js``, ``mathjax_path``), so that the site works offline
and a reader's browser calls no third party.

The minimal files are committed, so building the book needs no npm step. This script is only for the
maintainer who bumps a version: it downloads each package from the npm registry with ``npm pack``, checks the
tarball against the registry's integrity hash, copies the few files the book needs with their licences, and
records versions and SHA-256 checksums in ``book/_static/vendor/MANIFEST.json``.

    python -m booktools vendor           # refetch with npm pack (needs npm and the registry)
    python -m booktools vendor --check   # verify the committed files against MANIFEST.json (offline)
"""

from __future__ import annotations

import base64
import fnmatch
import hashlib
import json
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from booktools import ROOT

VENDOR = ROOT / "book" / "_static" / "vendor"
MANIFEST = VENDOR / "MANIFEST.json"

MIT_REQUIREJS = """MIT License

Copyright jQuery Foundation and other contributors, https://jquery.org/

This software consists of voluntary contributions made by many individuals. For exact contribution history,
see the revision history available at https://github.com/requirejs/requirejs

Permission is hereby granted, free of charge, to any person obtaining a copy of this software and associated
documentation files (the "Software"), to deal in the Software without restriction, including without limitation
the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of the Software, and
to permit persons to whom the Software is furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or substantial portions
of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO
THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF
CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER
DEALINGS IN THE SOFTWARE.
"""

BSD3_IPYWIDGETS = """BSD 3-Clause License

Copyright (c) 2015 Project Jupyter Contributors
All rights reserved.

Redistribution and use in source and binary forms, with or without modification, are permitted provided that
the following conditions are met:

1. Redistributions of source code must retain the above copyright notice, this list of conditions and the
   following disclaimer.

2. Redistributions in binary form must reproduce the above copyright notice, this list of conditions and the
   following disclaimer in the documentation and/or other materials provided with the distribution.

3. Neither the name of the copyright holder nor the names of its contributors may be used to endorse or promote
   products derived from this software without specific prior written permission.

THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND ANY EXPRESS OR IMPLIED
WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A
PARTICULAR PURPOSE ARE DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE FOR ANY
DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL DAMAGES (INCLUDING, BUT NOT LIMITED TO,
PROCUREMENT OF SUBSTITUTE GOODS OR SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY, OR TORT (INCLUDING NEGLIGENCE OR
OTHERWISE) ARISING IN ANY WAY OUT OF THE USE OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH
DAMAGE.

The bundle embed-amd.js also contains third-party code (jQuery, jQuery UI, Lumino, and others) under the MIT
and BSD licences named in its comments and in THIRD-PARTY-NOTICES.txt; the font files are Font Awesome Free
fonts, licensed under the SIL Open Font License 1.1 (https://fontawesome.com/license/free).
"""

# Each package: the npm spec, the folder under book/_static/vendor/, which files of the tarball to keep
# (glob patterns relative to the tarball's package/ folder, mapped to a path under the folder) and licences.
PACKAGES: list[dict] = [
    {
        "spec": "requirejs@2.3.7",
        "folder": "requirejs",
        "files": {"require.js": "require.js"},
        "licence_files": {},
        "licence_texts": {"LICENSE": MIT_REQUIREJS},
    },
    {
        "spec": "@jupyter-widgets/html-manager@1.0.15",
        "folder": "html-manager",
        # the embedding bundle and the web fonts its stylesheet references; browsers take the first format
        # they support (woff2, then woff), so the legacy eot/ttf/svg copies are left out
        "files": {"dist/embed-amd.js": "", "dist/*.woff2": "", "dist/*.woff": ""},
        "licence_files": {"dist/embed.js.LICENSE.txt": "THIRD-PARTY-NOTICES.txt"},
        "licence_texts": {"LICENSE": BSD3_IPYWIDGETS},
    },
    {
        "spec": "mathjax@3.2.2",
        "folder": "mathjax",
        # TeX input with every TeX extension built in (nothing autoloaded), CommonHTML output and its fonts
        "files": {"es5/tex-chtml-full.js": "", "es5/output/chtml/fonts/woff-v2/*.woff": ""},
        "licence_files": {"LICENSE": "LICENSE"},
        "licence_texts": {},
    },
]


def sha256(path: Path) -> str:
    """Return the hex SHA-256 of a file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def npm_pack(spec: str, workdir: Path) -> tuple[Path, dict]:
    """Download one package tarball with npm pack; return its path and npm's metadata."""
    out = subprocess.run(
        ["npm", "pack", "--json", spec, "--pack-destination", str(workdir)],
        check=True,
        capture_output=True,
        text=True,
    )
    meta = json.loads(out.stdout)[0]
    tarball = workdir / meta["filename"]
    algo, _, digest = meta["integrity"].partition("-")
    actual = base64.b64encode(hashlib.new(algo, tarball.read_bytes()).digest()).decode()
    if actual != digest:
        raise RuntimeError(f"{spec}: tarball integrity mismatch, expected {digest}, got {actual}")
    return tarball, meta


def target_name(member: str, pattern: str, mapping: str) -> str:
    """Path under the package folder for a tarball member: the mapping, or the path without its first folder."""
    if mapping:
        return mapping
    parts = member.split("/")
    return "/".join(parts[1:]) if len(parts) > 1 else member


def vendor() -> dict:
    """Fetch every package, copy its selected files and licences, and write MANIFEST.json."""
    manifest: dict = {
        "about": "Files served by the book instead of CDNs; regenerate with python -m booktools vendor",
        "packages": {},
    }
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        for package in PACKAGES:
            tarball, meta = npm_pack(package["spec"], workdir)
            dest = VENDOR / package["folder"]
            if dest.exists():
                shutil.rmtree(dest)
            dest.mkdir(parents=True)
            wanted = {**package["files"], **package["licence_files"]}
            with tarfile.open(tarball) as tar:
                members = [m for m in tar.getmembers() if m.isfile()]
                for pattern, mapping in wanted.items():
                    hits = [m for m in members if fnmatch.fnmatch(m.name, f"package/{pattern}")]
                    if not hits:
                        raise RuntimeError(f"{package['spec']}: no file matches {pattern}")
                    for member in hits:
                        relative = member.name.removeprefix("package/")
                        out = dest / target_name(relative, pattern, mapping)
                        out.parent.mkdir(parents=True, exist_ok=True)
                        out.write_bytes(tar.extractfile(member).read())
            for name, text in package["licence_texts"].items():
                (dest / name).write_text(text, encoding="utf-8")
            files = sorted(p for p in dest.rglob("*") if p.is_file())
            manifest["packages"][package["folder"]] = {
                "npm": meta["id"],
                "tarball_integrity": meta["integrity"],
                "files": {p.relative_to(VENDOR).as_posix(): sha256(p) for p in files},
            }
            print(f"{meta['id']:<40} {len(files):3d} files  {sum(p.stat().st_size for p in files) / 1e6:5.2f} MB")
    MANIFEST.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def check() -> list[str]:
    """Compare the committed vendor files with MANIFEST.json; return a list of problems (empty when all match)."""
    if not MANIFEST.is_file():
        return [f"{MANIFEST} is missing"]
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    problems = []
    listed = set()
    for package in manifest["packages"].values():
        for name, digest in package["files"].items():
            listed.add(name)
            path = VENDOR / name
            if not path.is_file():
                problems.append(f"missing: {name}")
            elif sha256(path) != digest:
                problems.append(f"checksum differs: {name}")
    on_disk = {p.relative_to(VENDOR).as_posix() for p in VENDOR.rglob("*") if p.is_file() and p != MANIFEST}
    problems += [f"not in MANIFEST.json: {name}" for name in sorted(on_disk - listed)]
    return problems


def run(check_only: bool) -> int:
    """Refetch the vendored assets, or with ``check_only`` verify them; return the exit status."""
    if check_only:
        problems = check()
        for problem in problems:
            print(problem)
        print("vendored assets: OK" if not problems else f"vendored assets: {len(problems)} problem(s)")
        return 1 if problems else 0
    vendor()
    return 0
