"""Whole-cohort screening in columnar form: every rule, status and verdict as columns.

``screen_cohort(cohort, kb)`` reads a cohort in the layout of ``cohort_layout`` (a
polars DataFrame or an Arrow table, e.g. from Parquet or a store export) and returns
one row per assessment, in the cohort's order:

* ``patient_id`` when the cohort has one;
* ``verdict`` (Enum), ``rescreen_after_days`` (Int32), ``approval_valid``;
* ``status.classical``, ``status.vacuum``, ``status.hydromassage`` (Enum) and
  ``excluded.<modality>`` (excluded by the physician's clearance);
* ``missing`` (sorted; a list of an Enum of the candidate paths, which reads as
  strings), unless ``with_missing=False``;
* ``rule.<ID>`` per rule: true fired, false not fired, null undetermined;
* with ``rescreen_by_rule``, ``rescreen.<ID>`` per temporary rule (days when fired).

Every column agrees with ``screen()`` on the same assessment (tests/screening/
test_agreement.py). Long cohorts are screened in chunks, reporting progress.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl
import pyarrow as pa

from spinewise.kb import KnowledgeBase
from spinewise.screening.cohort.decision import decision_stages
from spinewise.screening.cohort.layout import PATIENT_ID, conform_cohort

DEFAULT_CHUNK_ROWS = 100_000
Progress = Callable[[int], None]
"""Called with the number of rows just screened, once per chunk."""


def cohort_plan(
    kb: KnowledgeBase, *, rescreen_by_rule: bool = False, with_missing: bool = True
) -> Callable[[pl.LazyFrame], pl.LazyFrame]:
    """The screening of ``kb`` as a lazy query over a conformed cohort frame."""
    stages, outputs = decision_stages(
        kb, rescreen_by_rule=rescreen_by_rule, with_missing=with_missing
    )

    def plan(frame: pl.LazyFrame) -> pl.LazyFrame:
        keep = [PATIENT_ID] if PATIENT_ID in frame.collect_schema() else []
        for stage in stages:
            frame = frame.with_columns(stage)
        return frame.select(*keep, *outputs)

    return plan


def cohort_screener(
    kb: KnowledgeBase, *, rescreen_by_rule: bool = False, with_missing: bool = True
) -> Callable[[pl.DataFrame | pa.Table], pl.DataFrame]:
    """``screen_cohort`` of ``kb`` with its query built once, for many chunks (e.g.
    each chunk of a store read as it arrives): one call screens one frame whole."""
    plan = cohort_plan(kb, rescreen_by_rule=rescreen_by_rule, with_missing=with_missing)

    def screen(cohort: pl.DataFrame | pa.Table) -> pl.DataFrame:
        return plan(conform_cohort(cohort, kb).lazy()).collect()

    return screen


def screen_cohort(
    cohort: pl.DataFrame | pa.Table,
    kb: KnowledgeBase,
    *,
    rescreen_by_rule: bool = False,
    with_missing: bool = True,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    progress: Progress | None = None,
) -> pl.DataFrame:
    """Screen every assessment of the cohort with ``kb``; one result row per row."""
    frame = conform_cohort(cohort, kb)
    plan = cohort_plan(kb, rescreen_by_rule=rescreen_by_rule, with_missing=with_missing)
    if chunk_rows < 1:
        raise ValueError("chunk_rows must be at least 1")
    parts = []
    for offset in range(0, max(frame.height, 1), chunk_rows):
        chunk = frame.slice(offset, chunk_rows)
        parts.append(plan(chunk.lazy()).collect())
        if progress is not None:
            progress(chunk.height)
    return pl.concat(parts, rechunk=False) if len(parts) > 1 else parts[0]
