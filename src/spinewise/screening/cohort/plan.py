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

How: the rules, the red-flag summary, the statuses before the clearance and the
``missing`` flags are evaluated once per node as three-valued bitmaps, 64 rows a word
(``kleene.py``, compiled from the KB in ``bitrules.py`` and ``bitstatus.py``), and
unpacked only into the result columns; the clearance, the re-screen waits and the
verdict table are polars stages (``decision.py``). ``cohort_plan`` is the same
screening all in polars (the reference the bit evaluator replaced).
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl
import pyarrow as pa

from spinewise.kb import KnowledgeBase
from spinewise.models import Profile, assessment_fields
from spinewise.screening.cohort.bitdecision import BitDecision
from spinewise.screening.cohort.bitrules import BitRules
from spinewise.screening.cohort.decision import PROFILE, decision_stages
from spinewise.screening.cohort.kleene import Columns, boolean_series
from spinewise.screening.cohort.layout import PATIENT_ID, conform_cohort
from spinewise.screening.cohort.rescreen import rescreen_columns
from spinewise.screening.cohort.rules import PROFILE_COLUMN, days_expr, days_paths

DEFAULT_CHUNK_ROWS = 500_000
"""Rows screened at once: two chunks a million rows (each has a fixed cost of a few
milliseconds in Python); the ``missing`` lists work in blocks of their own within it.
The peak memory stays near the cohort's size (bench/cohort.py)."""
_HERNIATION = pl.Series("profile", [Profile.DISC_HERNIATION.value], dtype=PROFILE)
"""The profile screened when none is given."""
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


class _Screener:
    """The rules, ``missing`` and the decision over bit-packed Kleene columns
    (``bitrules.py``, ``bitdecision.py``); only the per-rule re-screen columns, when
    asked, are a polars stage."""

    def __init__(
        self, kb: KnowledgeBase, *, rescreen_by_rule: bool, with_missing: bool
    ) -> None:
        red_flag_paths = [p for p in assessment_fields() if p.startswith("red_flags.")]
        self.kb = kb
        self.with_missing = with_missing
        self.bits = BitRules(kb, red_flag_paths)
        self.decision = BitDecision(kb)
        self.rescreen = (
            [days_expr(p) for p in days_paths(kb.rules)],
            rescreen_columns(kb) if rescreen_by_rule else [],
        )

    def conformed(self, frame: pl.DataFrame) -> pl.DataFrame:
        """Screen a frame already conformed to the layout."""
        found = self.bits.evaluate(frame, with_missing=self.with_missing)
        keep = [frame.get_column(PATIENT_ID)] if PATIENT_ID in frame.columns else []
        columns = [
            *keep,
            self._profile(frame, found.columns),
            *self.decision.series(found.columns, found.states, found.statuses),
            *([] if found.missing is None else [found.missing]),
            *found.rules,
        ]
        days, by_rule = self.rescreen
        if by_rule:
            lazy = frame.with_columns(found.rules).lazy().with_columns(days)
            columns += lazy.select(by_rule).collect().get_columns()
        return pl.DataFrame(columns)

    @staticmethod
    def _profile(frame: pl.DataFrame, columns: Columns) -> pl.Series:
        """The profile screened: the row's, a disc herniation where none is given.
        Taken where the column's validity says (a polars ``fill_null`` is a query
        a call: 0.2-0.5 ms a chunk, where this is a select of its values)."""
        profile = frame.get_column(PROFILE_COLUMN)
        if profile.dtype != PROFILE:  # the layout's Enum has the same words
            profile = profile.cast(PROFILE)
        given = boolean_series("", columns.valid(PROFILE_COLUMN), columns.rows)
        return profile.zip_with(given, _HERNIATION).alias("profile")

    def __call__(self, cohort: pl.DataFrame | pa.Table) -> pl.DataFrame:
        return self.conformed(conform_cohort(cohort, self.kb))


_COMPILED: dict[tuple[int, bool, bool], _Screener] = {}
_KEEP_COMPILED = 8


def _compiled(
    kb: KnowledgeBase, rescreen_by_rule: bool, with_missing: bool
) -> _Screener:
    """The screener of ``kb`` (a frozen model), compiled once and kept for the next
    calls (the last few only; each holds its KB, so an id is never reused)."""
    key = (id(kb), rescreen_by_rule, with_missing)
    kept = _COMPILED.get(key)
    if kept is not None and kept.kb is kb:
        return kept
    screener = _Screener(
        kb, rescreen_by_rule=rescreen_by_rule, with_missing=with_missing
    )
    while len(_COMPILED) >= _KEEP_COMPILED:
        del _COMPILED[next(iter(_COMPILED))]
    _COMPILED[key] = screener
    return screener


def cohort_screener(
    kb: KnowledgeBase, *, rescreen_by_rule: bool = False, with_missing: bool = True
) -> Callable[[pl.DataFrame | pa.Table], pl.DataFrame]:
    """``screen_cohort`` of ``kb`` compiled once, for many chunks (e.g. each chunk of
    a store read as it arrives): one call screens one frame whole."""
    return _Screener(kb, rescreen_by_rule=rescreen_by_rule, with_missing=with_missing)


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
    screener = _compiled(kb, rescreen_by_rule, with_missing)
    if chunk_rows < 1:
        raise ValueError("chunk_rows must be at least 1")
    parts = []
    for offset in range(0, max(frame.height, 1), chunk_rows):
        chunk = frame.slice(offset, chunk_rows)
        parts.append(screener.conformed(chunk))
        if progress is not None:
            progress(chunk.height)
    return pl.concat(parts, rechunk=False) if len(parts) > 1 else parts[0]
