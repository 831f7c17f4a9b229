"""Frames cut into pieces (polars chunks), as a Parquet file's row groups are."""

from __future__ import annotations

from itertools import pairwise

import polars as pl


def in_pieces(series: pl.Series, cuts: list[int]) -> pl.Series:
    """The series as pieces (polars chunks) ending at the given rows."""
    edges = sorted({min(c, len(series)) for c in cuts} | {0, len(series)})
    parts = [series.slice(a, b - a) for a, b in pairwise(edges)]
    joined = parts[0] if parts else series
    for part in parts[1:]:
        joined = joined.append(part)
    return joined


def pieces_of(
    frame: pl.DataFrame, cuts: dict[str, list[int]], skip: int
) -> pl.DataFrame:
    """Each column cut where ``cuts`` says, the frame then sliced from ``skip``."""
    columns = [in_pieces(frame.get_column(n), cuts.get(n, [])) for n in frame.columns]
    return pl.DataFrame(columns).slice(skip)
