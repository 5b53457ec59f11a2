"""The command lines of the scripts in scripts/ (and the two Sphinx extensions' rewrites): clear errors for bad
arguments, the fast read-only modes, and the pure functions. Nothing here trains, downloads or writes the repository.

Chapter 6's scripts are tested in tests/test_mnist_scripts.py, measure_spread.py in tests/test_measure_spread.py,
sweep_memory.py in tests/test_sweep_memory.py.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.load_script import load_script as _load

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"


memory_clipping = _load("memory_clipping")
memory_live_spread = _load("memory_live_spread")
sweep_airline = _load("sweep_airline")
set_repository = _load("set_repository")
vendor_assets = _load("vendor_assets")
measure_spread = _load("measure_spread")
accessible_html = _load("accessible_html")
dedupe_inline_js = _load("dedupe_inline_js")


# ------------------------------------------------------------------------------------------- arguments


@pytest.mark.parametrize(
    ("script", "argv", "message"),
    [
        (memory_clipping, ["--seeds", "3"], "unrecognized arguments: --seeds 3"),
        (memory_live_spread, ["onednn-off"], "unrecognized arguments: onednn-off"),
        (sweep_airline, ["--part", "everything"], "argument --part: invalid choice: 'everything'"),
        (sweep_airline, ["lstm"], "unrecognized arguments: lstm"),
        (set_repository, [], "the following arguments are required: url"),
        (set_repository, ["http://github.com/me/fork"], "expected an address https://github.com/<owner>/<name>"),
        (set_repository, ["https://github.com/me"], "got 'https://github.com/me'"),
        (vendor_assets, ["--chek"], "unrecognized arguments: --chek"),
    ],
    ids=lambda value: value.__name__ if hasattr(value, "__name__") else None,
)
def test_bad_arguments_exit_with_a_message_naming_them(script, argv, message, capsys):
    with pytest.raises(SystemExit) as exit_:
        script.main(argv)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert message in err and err.startswith("usage:"), err


@pytest.mark.parametrize("script", [memory_clipping, memory_live_spread, sweep_airline, set_repository, vendor_assets])
def test_help_describes_the_script_and_runs_nothing(script, capsys):
    with pytest.raises(SystemExit) as exit_:
        script.main(["--help"])
    assert exit_.value.code == 0
    first_line = script.__doc__.splitlines()[0].split(",")[0].split(":")[0]
    assert " ".join(first_line.split()) in " ".join(capsys.readouterr().out.split())


@pytest.mark.parametrize("name", ["memory_clipping", "sweep_airline"])
def test_arguments_are_read_before_tensorflow_is_imported(name):
    """--help and argument errors answer at once: the training scripts import TensorFlow only to train."""
    code = (
        "import runpy, sys\n"
        f"sys.argv = [{str(SCRIPTS / f'{name}.py')!r}, '--help']\n"
        "try:\n    runpy.run_path(sys.argv[0], run_name='__main__')\n"
        "except SystemExit as exit_:\n    assert exit_.code == 0, exit_.code\n"
        "print('imported:', sorted({'tensorflow', 'keras', 'sklearn'} & set(sys.modules)))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "imported: []"


# ----------------------------------------------------------------------------------- what the scripts hold


def test_memory_live_spread_uses_the_settings_of_measure_spread():
    """The docstring promises measure_spread's "other machine" settings, under the same names."""
    for name, env in memory_live_spread.SETTINGS.items():
        assert measure_spread.PERTURBATIONS.get(name) == env, name
    assert {"onednn-off", "older-cpu", "one-thread"} <= set(memory_live_spread.SETTINGS)


def test_sweep_airline_plans_runs_on_training_months_only():
    assert sweep_airline.VAL_START < sweep_airline.TRAIN_SIZE < sweep_airline.TEST_MONTHS[0]
    assert all(origin >= sweep_airline.TRAIN_SIZE for origin in sweep_airline.ORIGINS)
    assert len(sweep_airline.TEST_MONTHS) == 46 and sweep_airline.TEST_MONTHS[-1] == 142


def test_set_repository_reads_an_address_it_could_write_back():
    assert set_repository.URL_RE.match(set_repository.current_url())


# ------------------------------------------------------------------------------------------ vendor_assets


def test_vendor_assets_check_mode_verifies_the_committed_files(capsys):
    assert vendor_assets.main(["--check"]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == "vendored assets: OK"


def test_vendor_assets_check_names_every_kind_of_problem(tmp_path, monkeypatch, capsys):
    vendor = tmp_path / "vendor"
    (vendor / "pkg").mkdir(parents=True)
    (vendor / "pkg" / "kept.js").write_text("kept")
    (vendor / "pkg" / "changed.js").write_text("changed after the manifest")
    (vendor / "pkg" / "extra.js").write_text("never listed")
    files = {
        "pkg/kept.js": hashlib.sha256(b"kept").hexdigest(),
        "pkg/changed.js": hashlib.sha256(b"as fetched").hexdigest(),
        "pkg/gone.js": hashlib.sha256(b"gone").hexdigest(),
    }
    manifest = vendor / "MANIFEST.json"
    manifest.write_text(json.dumps({"packages": {"pkg": {"files": files}}}))
    monkeypatch.setattr(vendor_assets, "VENDOR", vendor)
    monkeypatch.setattr(vendor_assets, "MANIFEST", manifest)
    assert vendor_assets.check() == [
        "checksum differs: pkg/changed.js",
        "missing: pkg/gone.js",
        "not in MANIFEST.json: pkg/extra.js",
    ]
    assert vendor_assets.main(["--check"]) == 1
    assert "vendored assets: 3 problem(s)" in capsys.readouterr().out
    manifest.unlink()
    assert vendor_assets.check() == [f"{manifest} is missing"]


# ------------------------------------------------------------------------------ the two Sphinx extensions


def test_accessible_html_rewrites_citations_and_hidden_cell_summaries():
    body = (
        '<div role="list" class="citation-list">'
        '<div class="citation" id="werbos1990" role="doc-biblioentry">W</div>'
        '<div class="citation" id="williams1990" role="doc-biblioentry">P</div></div>'
        '<details><summary aria-label="Toggle hidden content">Show code cell source</summary></details>'
        '<p role="doc-biblioentry">left alone: not a citation</p>'
    )
    context = {"body": body}
    accessible_html.fix_body(None, "page", "page.html", context, None)
    fixed = context["body"]
    assert fixed.count('role="listitem"') == 2 and fixed.count('role="doc-biblioentry"') == 1
    assert '<div class="citation" id="werbos1990" role="listitem">' in fixed
    assert "<summary>Show code cell source</summary>" in fixed and "aria-label" not in fixed
    untouched = {"body": None}
    accessible_html.fix_body(None, "page", "page.html", untouched, None)
    assert untouched == {"body": None}


def test_dedupe_inline_js_keeps_the_first_copy_of_each_script():
    def script(filename, **attributes):
        return SimpleNamespace(filename=filename, attributes=attributes)

    thebe = script(None, body="const THEBE_JS_URL = 1")
    again = script("", body="const THEBE_JS_URL = 1")  # Sphinx 7.4's second copy: file name "" instead of None
    other = script(None, body="const OTHER = 2")
    deferred = script("_static/a.js", defer="defer")
    plain = script("_static/a.js")  # the same file with other attributes: a different script
    scripts = [thebe, "_static/b.js", again, other, deferred, "_static/b.js", plain]
    context = {"script_files": scripts}
    dedupe_inline_js.drop_duplicate_scripts(None, "page", "page.html", context, None)
    assert context["script_files"] is scripts  # changed in place: Sphinx holds the list
    assert [id(s) for s in scripts] == [id(s) for s in (thebe, "_static/b.js", other, deferred, plain)]
    empty = {"script_files": None}
    dedupe_inline_js.drop_duplicate_scripts(None, "page", "page.html", empty, None)
    assert empty == {"script_files": None}


@pytest.mark.parametrize(("extension", "handler"), [(accessible_html, "fix_body"), (dedupe_inline_js, None)])
def test_extensions_register_for_every_html_page(extension, handler):
    connected = []
    app = SimpleNamespace(connect=lambda event, function, **options: connected.append((event, function, options)))
    assert extension.setup(app) == {"parallel_read_safe": True, "parallel_write_safe": True}
    [(event, function, options)] = connected
    assert event == "html-page-context"
    if handler:
        assert function is getattr(extension, handler)
    else:  # after the other extensions (default priority 500) have added their scripts
        assert function is extension.drop_duplicate_scripts and options == {"priority": 900}
