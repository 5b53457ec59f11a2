"""The command lines of chapter 6's scripts: their plans, and clear errors for bad arguments."""

from __future__ import annotations

import pytest

from helpers import mnist
from helpers.data import MNIST_RESULTS
from tests.load_script import load_script

best = load_script("train_mnist_best")
sweep = load_script("sweep_mnist")


@pytest.mark.parametrize(
    ("script", "argv", "message"),
    [
        ("train_mnist_best", [], "one of the arguments"),
        ("train_mnist_best", ["--grid", "--seeds", "1"], "not allowed with"),
        ("train_mnist_best", ["--seeds", "-1"], "--seeds must be integers >= 0"),
        ("train_mnist_best", ["--grid", "--minutes", "0"], "--minutes must be positive"),
        ("train_mnist_best", ["--seeds", "one"], "invalid int value"),
        ("train_mnist_best", ["--grid", "--refit"], "--refit goes with --seeds"),
        ("sweep_mnist", ["--only", "everything"], "invalid choice"),
        ("sweep_mnist", ["--models", "LSTM(31)"], "unknown --models ['LSTM(31)']"),
        ("sweep_mnist", ["--minutes", "-5"], "--minutes must be positive"),
    ],
)
def test_bad_arguments_are_refused_by_name(script, argv, message, capsys):
    with pytest.raises(SystemExit):
        {"train_mnist_best": best, "sweep_mnist": sweep}[script].main(argv)
    assert message in capsys.readouterr().err


def test_train_mnist_best_writes_to_the_files_the_chapter_reads():
    for name, path, fields in [
        ("best_grid", best.GRID_CSV, best.GRID_FIELDS),
        ("best_seeds", best.SEEDS_CSV, best.SEEDS_FIELDS),
        ("best_refit", best.REFIT_CSV, best.REFIT_FIELDS),
    ]:
        assert (path, tuple(fields)) == MNIST_RESULTS[name][:2]


def test_sweep_mnist_plan_has_no_run_twice_and_covers_every_experiment():
    runs = sweep.plan()
    assert len(set(runs)) == len(runs), "two runs share a key: the resume logic would skip one"
    assert (sweep.CSV, tuple(sweep.FIELDS)) == MNIST_RESULTS["sweep"][:2]
    assert {e for e, _, _ in runs} == {"article", "converged", "baselines", "matched", "ablation"}
    assert sum(e == "article" and m == "LSTM(30)" for e, m, _ in runs) >= 5
    assert {m for e, m, _ in runs if e == "ablation"} == set(mnist.ABLATION_VARIANTS)


def test_sweep_mnist_list_runs_nothing(capsys):
    assert sweep.main(["--list", "--only", "article"]) == 0
    assert "runs done" in capsys.readouterr().out
