"""Rebuild data/airline-passengers.csv from the copy that the sktime wheel ships.

    pip download --no-deps sktime==1.2.0
    unzip sktime-1.2.0-py3-none-any.whl 'sktime/datasets/data/Airline/*'
    python data/build_airline.py sktime/datasets/data/Airline/Airline.csv
"""

from __future__ import annotations

import argparse
import csv
import hashlib
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="sktime's Airline.csv (columns Date,Passengers)")
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("airline-passengers.csv"))
    args = parser.parse_args()
    with args.source.open(newline="") as f:
        rows = [(r["Date"], int(float(r["Passengers"]))) for r in csv.DictReader(f)]
    if len(rows) != 144 or rows[0][0] != "1949-01" or rows[-1][0] != "1960-12":
        raise ValueError(f"expected 144 months from 1949-01 to 1960-12, got {len(rows)} rows")
    with args.out.open("w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["month", "passengers"])
        writer.writerows(rows)
    values = [v for _, v in rows]
    print(f"wrote {args.out}: {len(values)} months, first {values[:5]}, last {values[-1]}, sum {sum(values)}")
    print("sha256", hashlib.sha256(args.out.read_bytes()).hexdigest())


if __name__ == "__main__":
    main()
