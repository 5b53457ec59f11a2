"""The plans of scripts/sweep_memory.py: what each sweep runs, and a clear error for an unknown block."""

from __future__ import annotations

import pytest

from booktools.runner import Budget
from helpers.data import Results
from scripts import sweep_memory as sweep


def test_conditions_plan_has_five_seeds_per_model_and_block():
    runs = sweep.conditions_plan()
    expected = sum(len(models) for _, _, models, _ in sweep.CONDITIONS_BLOCKS) * len(sweep.SEEDS)
    assert len(runs) == expected
    keys = [tuple(run[c] for c in sweep.CONDITIONS_FILE.key) for run in runs]
    assert len(set(keys)) == len(keys), "two runs share a key: the resume logic would skip one"
    adding = [run for run in runs if run["task"] == "adding"]
    assert adding and all(run["dishes"] == 0 and run["num_train"] == 10000 for run in adding)
    assert {run["delay"] for run in runs} == {sweep.HEADLINE_DELAY}


def test_conditions_plan_selects_blocks_and_rejects_unknown_names():
    only = sweep.conditions_plan(["60 dishes"])
    assert only and all(run["condition"] == "60 dishes" and run["dishes"] == 60 for run in only)
    with pytest.raises(SystemExit, match="unknown condition"):
        sweep.conditions_plan(["sixty dishes"])


def test_seeds_plan_runs_every_network_at_the_headline_delay_with_both_recipes():
    runs = sweep.seeds_plan()
    at_60 = {(run["recipe"], run["model"]) for run in runs if run["delay"] == sweep.HEADLINE_DELAY}
    for recipe in ("keras", "chapter"):
        assert {model for r, model in at_60 if r == recipe} == set(sweep.SEED_MODELS)


def test_sweep_appends_each_run_rounded_and_resumes(tmp_path, capsys):
    trained = []

    def fake_train(run):
        trained.append(run["seed"])
        return {"epochs": 3, "accuracy": 0.123456}

    plan = [run for run in sweep.conditions_plan(["no clipping"])][:2]
    out = Results(tmp_path / "runs.csv", sweep.CONDITIONS_FILE.columns, sweep.CONDITIONS_FILE.key, "")
    sweep.sweep(plan, out, fake_train, Budget())
    rows = out.path.read_text().splitlines()
    assert rows[0].split(",")[:2] == ["task", "condition"] and len(rows) == 3
    assert rows[1].endswith(",3,0.1235," + rows[1].split(",")[-1]) and trained == [1, 2]
    sweep.sweep(plan, out, fake_train, Budget())
    assert len(out.path.read_text().splitlines()) == 3 and trained == [1, 2]  # resumed: nothing trained twice
    assert "2 runs already in runs.csv, 0 to go" in capsys.readouterr().out
