"""The synthetic cohort the cohort benchmarks read, generated once and reused.

    .venv/bin/python bench/generate.py [ROWS] [FILE]

Without FILE the cohort goes to the temporary folder (never into the repository),
named by rows, seed and polars version (the generator's hashes are stable within
one polars version).
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

import polars as pl

from spinewise.screening import generate_cohort

ASSESSED_ON = dt.date(2026, 11, 24)
SEED = 1


def cohort_path(rows: int, seed: int = SEED) -> Path:
    folder = Path(tempfile.gettempdir()) / "spinewise-bench"
    return folder / f"cohort-{rows}-seed{seed}-polars{pl.__version__}.parquet"


def write_cohort(rows: int, path: Path, seed: int = SEED) -> float:
    """Generate and write; returns the seconds it took."""
    start = time.perf_counter()
    path.parent.mkdir(parents=True, exist_ok=True)
    generate_cohort(rows, assessed_on=ASSESSED_ON, seed=seed).write_parquet(path)
    return time.perf_counter() - start


def ensure_cohort(rows: int, seed: int = SEED) -> Path:
    path = cohort_path(rows, seed)
    if not path.exists():
        print(f"generating {rows:,} assessments into {path} ...", flush=True)
        write_cohort(rows, path, seed)
    return path


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    path = Path(sys.argv[2]) if len(sys.argv) > 2 else cohort_path(rows)
    seconds = write_cohort(rows, path)
    size = path.stat().st_size / 1e6
    print(f"wrote {rows:,} assessments to {path} ({size:.1f} MB) in {seconds:.2f} s")


if __name__ == "__main__":
    main()
