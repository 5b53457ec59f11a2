"""The command lines of chapter 6's scripts: their plans, and clear errors for bad arguments."""

from __future__ import annotations

import pytest

from helpers import mnist
from scripts import sweep_mnist as sweep
from scripts import train_mnist_best as best


@pytest.mark.parametrize(
    ("script", "argv", "message"),
    [
        ("train_mnist_best", ["--seeds", "-1"], "--seeds must be integers >= 0"),
        ("train_mnist_best", ["--grid", "--refit"], "--refit goes with --seeds"),
        ("sweep_mnist", ["--models", "LSTM(31)"], "unknown --models ['LSTM(31)']"),
    ],
)
def test_bad_arguments_are_refused_by_name(script, argv, message, capsys):
    with pytest.raises(SystemExit):
        {"train_mnist_best": best, "sweep_mnist": sweep}[script].main(argv)
    assert message in capsys.readouterr().err


def test_sweep_mnist_plan_has_no_run_twice_and_covers_every_experiment():
    runs = sweep.plan()
    assert len(set(runs)) == len(runs), "two runs share a key: the resume logic would skip one"
    assert {e for e, _, _ in runs} == {"article", "converged", "baselines", "matched", "ablation"}
    assert sum(e == "article" and m == "LSTM(30)" for e, m, _ in runs) >= 5
    assert {m for e, m, _ in runs if e == "ablation"} == set(mnist.ABLATION_VARIANTS)


def test_sweep_mnist_list_runs_nothing(capsys):
    assert sweep.main(["--list", "--only", "article"]) == 0
    assert "runs done" in capsys.readouterr().out
