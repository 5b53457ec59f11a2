"""Unit tests of scripts/measure_spread.py: arguments, glue extraction, resuming and the summary."""

from __future__ import annotations

import nbformat
import pytest

from scripts import measure_spread


def test_unknown_chapter_is_refused_with_the_known_ones(capsys):
    with pytest.raises(SystemExit):
        measure_spread.parse_args(["99_nope"])
    err = capsys.readouterr().err
    assert "no notebook notebooks/99_nope.ipynb" in err and "01_roommate" in err


def test_negative_seeds_are_refused(capsys):
    with pytest.raises(SystemExit):
        measure_spread.parse_args(["01_roommate", "--seeds", "-1"])
    assert "--seeds must be >= 0" in capsys.readouterr().err


def test_glued_values_are_read_from_scrapbook_outputs():
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("glue(...)")
    cell.outputs = [
        nbformat.v4.new_output(
            "display_data",
            data={"application/papermill.record/text/plain": "0.965"},
            metadata={"scrapbook": {"name": "accuracy"}},
        ),
        nbformat.v4.new_output("stream", text="not a glue\n"),
    ]
    nb.cells.append(cell)
    assert measure_spread.glued_values(nb) == {"accuracy": "0.965"}


def test_summary_reports_machine_and_seed_spread_and_skips_deterministic_keys(tmp_path):
    path = tmp_path / "ch.spread.csv"
    path.write_text(
        "setting,seed_offset,key,value\n"
        "stored,0,loss,1.40\nonednn-off,0,loss,1.43\nstored,1,loss,1.30\n"
        "stored,0,count,6\nonednn-off,0,count,6\nstored,1,count,6\n"
        "stored,0,name,LSTM\n",
        encoding="utf-8",
    )
    lines = measure_spread.summary(path).splitlines()
    assert len(lines) == 2 and lines[1].split() == ["loss", "1.4", "0.03", "0.1"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["01_roommate", "--timeout", "0"], "--timeout must be a positive number of seconds; got 0"),
        (["01_roommate", "02_rnn_uses"], "several chapters only with --check"),
    ],
)
def test_main_rejects_bad_arguments_before_running_anything(argv, message, capsys):
    with pytest.raises(SystemExit) as exit_:
        measure_spread.main(argv)
    assert exit_.value.code == 2
    assert message in capsys.readouterr().err


def test_summary_mode_reads_the_committed_file_and_runs_nothing(capsys, monkeypatch):
    monkeypatch.setattr(measure_spread, "run_once", lambda *args: pytest.fail("--summary ran the notebook"))
    assert measure_spread.main(["02_rnn_uses", "--summary"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:2] == ["key", "stored"] and len(lines) > 1


def test_summary_mode_without_a_spread_file_says_how_to_make_one(capsys, monkeypatch, tmp_path):
    (tmp_path / "09_new.ipynb").write_text("{}")
    monkeypatch.setattr(measure_spread, "NOTEBOOKS", tmp_path)
    assert measure_spread.main(["09_new", "--summary"]) == 1
    err = capsys.readouterr().err
    assert "no spread file" in err and "run without --summary first" in err


def notebook_printing(*texts: tuple[str, list[str]]):
    """A notebook whose code cells printed these texts, with these tags."""
    nb = nbformat.v4.new_notebook()
    for text, cell_tags in texts:
        cell = nbformat.v4.new_code_cell("print(...)", metadata={"tags": cell_tags})
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=text)]
        nb.cells.append(cell)
    return nb


def test_check_finds_strict_cells_that_print_another_text_and_ignores_the_rest():
    stored = notebook_printing(("diff 9.2e-09\n", []), ("loss 0.31\n", ["nbval-ignore-output"]), ("took 3.1 s\n", []))
    here = notebook_printing(("diff 9.3e-09\n", []), ("loss 0.29\n", ["nbval-ignore-output"]), ("took 4.7 s\n", []))
    assert measure_spread.strict_mismatches(stored, here) == [0]
