"""Tests of the scripts in data/ that rebuild the shipped data sets from their sources."""

from __future__ import annotations

import numpy as np
import pytest

from data import build_mnist


def idx_bytes(arr: np.ndarray) -> bytes:
    magic = 2051 if arr.ndim == 3 else 2049
    header = magic.to_bytes(4, "big") + b"".join(n.to_bytes(4, "big") for n in arr.shape)
    return header + arr.astype(np.uint8).tobytes()


def test_read_idx_round_trip(tmp_path):
    build = build_mnist
    images = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    (tmp_path / "imgs").write_bytes(idx_bytes(images))
    np.testing.assert_array_equal(build.read_idx(tmp_path / "imgs"), images)


def test_read_idx_rejects_truncated_and_foreign_files(tmp_path):
    build = build_mnist
    labels = np.arange(10, dtype=np.uint8)
    (tmp_path / "short").write_bytes(idx_bytes(labels)[:-3])
    with pytest.raises(ValueError, match="header says"):
        build.read_idx(tmp_path / "short")
    (tmp_path / "png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(20))
    with pytest.raises(ValueError, match="not an IDX file"):
        build.read_idx(tmp_path / "png")


def test_write_npz_is_byte_for_byte_reproducible(tmp_path):
    build = build_mnist
    arrays = {"x_train": np.ones((2, 2), np.uint8), "y_train": np.zeros(2, np.uint8)}
    build.write_npz(arrays, tmp_path / "a.npz")
    build.write_npz(arrays, tmp_path / "b.npz")
    assert (tmp_path / "a.npz").read_bytes() == (tmp_path / "b.npz").read_bytes()
    with np.load(tmp_path / "a.npz") as npz:
        np.testing.assert_array_equal(npz["x_train"], arrays["x_train"])
