"""The decision of a chunk in bits: the clearance, the verdict table, the statuses as
reported (``decision.py`` in polars, ``verdict.py`` per patient, say the same).

The physician's exclusions, the valid approval and the refusal are bitmaps read from
the clearance columns; the verdict is the one verdict table
(``screening/precedence.py``) asked with bitmaps for its tests, each row taking the
rows no earlier row took; the re-screen waits are computed only on the rows where
every modality is contraindicated (``bitwaits.py``). The verdict and the statuses are
unpacked once each, into their ``Enum`` codes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import numpy as np
import polars as pl
import pyarrow as pa

from spinewise.kb import KnowledgeBase
from spinewise.models import Modality, ModalityStatus, Verdict
from spinewise.screening.cohort.bitstatus import Statuses, status_codes
from spinewise.screening.cohort.bitwaits import Waits
from spinewise.screening.cohort.kleene import (
    ALL,
    Columns,
    Tri,
    Words,
    all_of,
    any_of,
    boolean_series,
    codes,
    pack,
    word_count,
)
from spinewise.screening.cohort.layout import (
    CLEARANCE_DATE,
    CLEARANCE_EXCLUDED,
    CLEARANCE_STATUS,
    CLEARANCE_VALID_UNTIL,
)
from spinewise.screening.cohort.wordlists import rows_holding
from spinewise.screening.precedence import (
    BLOCKS_EVERY_MODALITY,
    VERDICT_TABLE,
    Situation,
)

VERDICT = pl.Enum([v.value for v in Verdict])
_VERDICT_CODE = {v: i for i, v in enumerate(Verdict)}
_VERDICT_NAMES = pl.Series([v.value for v in Verdict], dtype=VERDICT)
_VERDICT_PLANES = [
    [v for v in Verdict if _VERDICT_CODE[v] >> bit & 1]
    for bit in range(max(_VERDICT_CODE.values()).bit_length())
]
"""Per bit of a verdict's code, the verdicts whose code has it."""
_CONTRAINDICATED = ModalityStatus.CONTRAINDICATED
ForNow = Callable[[Words], Words]
"""Of the rows asked, those whose soonest wait exists (``bitwaits.py``)."""


class Clearance:
    """A chunk's clearance as bitmaps: excluded per modality, approval valid on the
    assessment day, declined (``decision._clearance_exprs``)."""

    def __init__(self, columns: Columns) -> None:
        self.rows = rows = columns.rows
        codes, valid = columns.numbers(CLEARANCE_STATUS)
        words = list(columns.schema[CLEARANCE_STATUS].categories)  # type: ignore[attr-defined]
        known = valid if valid is not None else np.full(word_count(rows), ALL)

        def status_is(word: str) -> Words:
            return pack(codes == words.index(word), rows) & known

        approved, self.declined = status_is("approved"), status_is("declined")
        restricting = approved | self.declined
        lists = columns.arrow(CLEARANCE_EXCLUDED)
        held = rows_holding(lists, [m.value for m in Modality])
        self.excluded = {
            m: restricting & bits for m, bits in zip(Modality, held, strict=True)
        }
        on = columns.numbers("assessed_on")[0]
        on_known = columns.valid("assessed_on")
        self.approval_valid = approved
        for path, holds in ((CLEARANCE_DATE, np.less_equal), (CLEARANCE_VALID_UNTIL, np.greater_equal)):  # fmt: skip
            # Kleene: a null date holds; a known one holds when the day is known
            # and inside it (as ``decision._clearance_exprs`` after fill_null)
            date, date_known = columns.numbers(path)[0], columns.valid(path)
            inside = pack(holds(date, on), rows) & date_known & on_known
            self.approval_valid = self.approval_valid & (~date_known | inside)


class _Situation:
    """The verdict table's tests as bitmaps (``precedence.Situation[Words]``)."""

    def __init__(
        self, statuses: Statuses, clearance: Clearance, for_now: ForNow
    ) -> None:
        self.statuses, self.clearance, self._for_now = statuses, clearance, for_now
        self.left = np.full(word_count(clearance.rows), ALL, np.uint64)
        """The rows no earlier row of the table took (``verdict_bits`` sets it)."""
        by = statuses.by_modality
        usable = {
            m: by[m][ModalityStatus.ALLOWED] | by[m][ModalityStatus.WITH_PRECAUTIONS]
            for m in Modality
        }
        excluded = clearance.excluded
        would_allow = any_of(list(usable.values()))
        all_excluded = all_of([~usable[m] | excluded[m] for m in Modality])
        self._declined = clearance.declined | (would_allow & all_excluded)
        self.contraindicated = all_of(
            [excluded[m] | by[m][_CONTRAINDICATED] for m in Modality]
        )

    def red_flag_fired(self) -> Words:
        return self.statuses.red_flag_fired

    def red_flags_open(self) -> Words:
        return self.statuses.red_flags_open

    def declined(self) -> Words:
        return self._declined

    def all_contraindicated_for_now(self) -> Words:
        """Asked only on the rows still left: the waits are computed there alone
        (the other rows' answer is never read)."""
        return self._for_now(self.contraindicated & self.left)

    def all_contraindicated(self) -> Words:
        return self.contraindicated

    def some_undetermined(self) -> Words:
        by, excluded = self.statuses.by_modality, self.clearance.excluded
        return any_of(
            [~excluded[m] & by[m][ModalityStatus.UNDETERMINED] for m in Modality]
        )

    def no_valid_approval(self) -> Words:
        return ~self.clearance.approval_valid


class TableSituation(Situation[Words], Protocol):
    """The table's tests as bitmaps, told which rows no earlier row took."""

    left: Words


def verdict_bits(situation: TableSituation, rows: int) -> dict[Verdict, Words]:
    """Per verdict, the rows whose first row of the table that holds gives it (each
    row takes the rows still left where its test holds; the last takes the rest)."""
    left = np.full(word_count(rows), ALL, np.uint64)
    chosen = {v: np.zeros(word_count(rows), np.uint64) for v in Verdict}
    for row in VERDICT_TABLE:
        situation.left = left
        test = row.holds(situation)
        taken = left if test is True else left & test
        chosen[row.verdict] |= taken
        left = left & ~taken
    return chosen


def _verdict_codes(chosen: dict[Verdict, Words], rows: int) -> pl.Series:
    planes = [any_of([chosen[v] for v in verdicts]) for verdicts in _VERDICT_PLANES]
    return _VERDICT_NAMES[pl.Series(codes(planes, rows))]  # not .gather: a lazy query


class BitDecision:
    """The verdict, re-screen days, approval, statuses and exclusions of a chunk."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.waits = Waits(kb)

    def series(
        self, columns: Columns, states: dict[str, Tri], statuses: Statuses
    ) -> list[pl.Series]:
        """``verdict``, ``rescreen_after_days``, ``approval_valid``,
        ``status.<modality>`` and ``excluded.<modality>``, in this order."""
        rows = columns.rows
        clearance = Clearance(columns)
        days = np.zeros(rows, np.int32)

        def for_now(asked: Words) -> Words:
            excluded = clearance.excluded
            return self.waits.for_now(columns, states, excluded, asked, days)

        chosen = verdict_bits(_Situation(statuses, clearance, for_now), rows)
        not_now = chosen[Verdict.NOT_NOW]
        rescreen = pa.Array.from_buffers(
            pa.int32(), rows, [pa.py_buffer(not_now), pa.py_buffer(days)]
        )
        blocked = any_of([chosen[v] for v in sorted(BLOCKS_EVERY_MODALITY)])
        series = [
            _verdict_codes(chosen, rows).alias("verdict"),
            pl.Series("rescreen_after_days", rescreen),
            boolean_series("approval_valid", clearance.approval_valid, rows),
        ]
        for m in Modality:
            forced = blocked | clearance.excluded[m]
            found = status_codes(statuses.by_modality[m], forced, rows)
            series.append(found.alias(f"status.{m.value}"))
        series += [
            boolean_series(f"excluded.{m.value}", clearance.excluded[m], rows)
            for m in Modality
        ]
        return series
