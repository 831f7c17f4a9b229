"""The decision's bit stages agree with their per-row references.

The verdict table asked with bitmaps gives, row by row, the verdict of the scalar
``first_that_holds`` on random truth values of its tests; the clearance's bitmaps
(exclusions, valid approval, refusal) equal the polars clearance columns on random
clearances, nulls and slices included; the soonest waits in bits equal the waits
computed number by number, row by row; and the whole bit path equals the all-polars
``cohort_plan`` column for column on generated cohorts, chunked anywhere.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.screening.cohort.pieces import pieces_of

from spinewise.kb import Const, DaysSinceValue, Expression, FieldValue, KnowledgeBase
from spinewise.models import Modality, Verdict, assessment_fields
from spinewise.screening.cohort import (
    cohort_plan,
    cohort_schema,
    conform_cohort,
    generate_cohort,
    screen_cohort,
)
from spinewise.screening.cohort.bitdecision import Clearance, verdict_bits
from spinewise.screening.cohort.bitrules import BitRules
from spinewise.screening.cohort.bitwaits import Waits
from spinewise.screening.cohort.decision import _clearance_exprs
from spinewise.screening.cohort.kleene import (
    ALL,
    Columns,
    Tri,
    pack,
    unpack,
    word_count,
)
from spinewise.screening.cohort.layout import (
    CLEARANCE_DATE,
    CLEARANCE_EXCLUDED,
    CLEARANCE_STATUS,
    CLEARANCE_VALID_UNTIL,
)
from spinewise.screening.operators import arithmetic_of
from spinewise.screening.precedence import first_that_holds

TESTS = [
    "red_flag_fired",
    "red_flags_open",
    "declined",
    "all_contraindicated_for_now",
    "all_contraindicated",
    "some_undetermined",
    "no_valid_approval",
]
DAY = dt.date(2026, 3, 1)
RED_FLAG_PATHS = [p for p in assessment_fields() if p.startswith("red_flags.")]


class _Row:
    """One row's tests as Python truth values (``Situation[bool]``)."""

    def __init__(self, values: dict[str, bool]) -> None:
        self.values = values

    def __getattr__(self, name: str) -> Any:
        return lambda: self.values[name]


class _Bits:
    """Every row's tests as bitmaps (``TableSituation``)."""

    def __init__(self, table: np.ndarray[Any, Any], rows: int) -> None:
        self.words = {t: pack(table[:, i], rows) for i, t in enumerate(TESTS)}
        self.left = np.full(word_count(rows), ALL, np.uint64)

    def __getattr__(self, name: str) -> Any:
        return lambda: self.words[name]


@settings(max_examples=60, deadline=None)
@given(rows=st.integers(1, 200), seed=st.integers(0, 2**16))
def test_the_verdict_table_in_bits_gives_each_row_its_first_row_that_holds(
    rows: int, seed: int
) -> None:
    table = np.random.default_rng(seed).random((rows, len(TESTS))) < 0.3
    chosen = verdict_bits(_Bits(table, rows), rows)  # type: ignore[arg-type]
    unpacked = {v: unpack(w, rows) for v, w in chosen.items()}
    for row in range(rows):
        expected = first_that_holds(_Row(dict(zip(TESTS, table[row], strict=True))))
        got = [v for v in Verdict if unpacked[v][row]]
        assert got == [expected]


dates = st.one_of(st.none(), st.dates(DAY - dt.timedelta(9), DAY + dt.timedelta(9)))
words = st.sampled_from([*(m.value for m in Modality), "vacuu", "hydromassage, deep"])
CLEARANCE = [
    "assessed_on",
    CLEARANCE_STATUS,
    CLEARANCE_DATE,
    CLEARANCE_VALID_UNTIL,
    CLEARANCE_EXCLUDED,
]
clearances = st.fixed_dictionaries(
    {
        "assessed_on": st.one_of(st.just(DAY), st.none()),
        CLEARANCE_STATUS: st.sampled_from([None, "approved", "declined", "pending"]),
        CLEARANCE_DATE: dates,
        CLEARANCE_VALID_UNTIL: dates,
        CLEARANCE_EXCLUDED: st.one_of(
            st.none(), st.lists(st.one_of(words, st.none()), max_size=3)
        ),
    }
)


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(clearances, min_size=1, max_size=90),
    skip=st.integers(0, 20),
    cuts=st.dictionaries(
        st.sampled_from(list(CLEARANCE)), st.lists(st.integers(0, 110), max_size=4)
    ),
)
def test_the_clearance_bits_equal_the_polars_clearance_columns(
    rows: list[dict[str, Any]], skip: int, cuts: dict[str, list[int]]
) -> None:
    """In any pieces: each column cut at rows of its own."""
    schema = {k: cohort_schema()[k] for k in rows[0]}
    frame = pieces_of(pl.DataFrame(rows[:1] * skip + rows, schema=schema), cuts, skip)
    expected = frame.select(_clearance_exprs())
    found = Clearance(Columns(frame))
    n = frame.height
    for m in Modality:
        got = unpack(found.excluded[m], n).tolist()
        assert got == expected[f"_excluded.{m.value}"].to_list()
    assert (
        unpack(found.approval_valid, n).tolist() == expected["approval_valid"].to_list()
    )
    assert unpack(found.declined, n).tolist() == expected["_declined"].to_list()


@settings(max_examples=8, deadline=None)
@given(
    seed=st.integers(0, 2**16),
    chunk=st.integers(1, 700),
    cuts=st.lists(st.integers(0, 700), max_size=5),
)
def test_the_bit_path_equals_the_polars_plan_column_for_column(
    kb: KnowledgeBase, seed: int, chunk: int, cuts: list[int]
) -> None:
    """Chunked anywhere, from a frame in pieces (as a Parquet file's row groups)."""
    whole = generate_cohort(700, assessed_on=DAY, seed=seed)
    frame = pieces_of(whole, dict.fromkeys(whole.columns, cuts), 0)
    by_bits = screen_cohort(frame, kb, chunk_rows=chunk, rescreen_by_rule=True)
    plan = cohort_plan(kb, rescreen_by_rule=True)
    assert by_bits.equals(plan(conform_cohort(frame, kb).lazy()).collect())


def _number(columns: Columns, expr: Expression, row: int) -> int | None:
    """A number expression at one row, None where a part is null."""
    if isinstance(expr, Const):
        return expr.const
    if isinstance(expr, FieldValue | DaysSinceValue):
        paths = (
            [expr.field] if isinstance(expr, FieldValue) else ["assessed_on", expr.days_since]
        )  # fmt: skip
        found = []
        for path in paths:
            value = columns.frame.get_column(path).to_physical()[row]
            if value is None:
                return None
            found.append(int(value))
        return found[0] if len(found) == 1 else found[0] - found[1]
    word, left, right = arithmetic_of(expr)
    a, b = _number(columns, left, row), _number(columns, right, row)
    return None if a is None or b is None else word.apply(a, b)


def _soonest_row_by_row(
    kb: KnowledgeBase,
    columns: Columns,
    states: dict[str, Tri],
    excluded: dict[Modality, Any],
) -> list[int | None]:
    """Each row's soonest wait, one row at a time: per modality not excluded, the
    largest re-screen value among its fired blocking rules (none when one of them is
    lasting or its value is unknown, or none fired); the smallest of these."""
    rows = columns.rows
    blocking = [r for r in kb.rules if r.severity.blocks]
    fired = {r.id: unpack(states[r.id].value, rows) for r in blocking}
    out = {m: unpack(excluded[m], rows) for m in Modality}
    soonest: list[int | None] = []
    for row in range(rows):
        waits = []
        for m in Modality:
            if out[m][row]:
                continue
            values = [
                None if r.rescreen_after is None else _number(columns, r.rescreen_after, row)
                for r in blocking
                if m in r.targets and fired[r.id][row]
            ]  # fmt: skip
            if values and None not in values:
                waits.append(max(v for v in values if v is not None))
        soonest.append(min(waits) if waits else None)
    return soonest


@settings(max_examples=20, deadline=None)
@given(
    seed=st.integers(0, 2**16),
    skip=st.integers(0, 70),
    forced=st.booleans(),
    cuts=st.lists(st.integers(0, 600), max_size=4),
)
def test_the_waits_in_bits_equal_the_waits_row_by_row(
    kb: KnowledgeBase, seed: int, skip: int, forced: bool, cuts: list[int]
) -> None:
    """``forced``: rules of computed value also fire on random rows, where their
    value may be unknown (no wait for their modalities); the columns in pieces."""
    frame = conform_cohort(generate_cohort(600, assessed_on=DAY, seed=seed), kb)
    chunk = pieces_of(frame, dict.fromkeys(frame.columns, cuts), skip)
    found = BitRules(kb, RED_FLAG_PATHS).evaluate(chunk, with_missing=False)
    excluded = Clearance(found.columns).excluded
    rows, states = chunk.height, dict(found.states)
    random = np.random.default_rng(seed)
    for rule in kb.rules if forced else []:
        if rule.rescreen_after is not None and not isinstance(
            rule.rescreen_after, Const
        ):
            fired = states[rule.id].value | pack(random.random(rows) < 0.3, rows)
            states[rule.id] = Tri(fired, states[rule.id].known | fired)
    days = np.zeros(rows, np.int32)
    every = np.full(word_count(rows), ALL, np.uint64)
    has = unpack(Waits(kb).for_now(found.columns, states, excluded, every, days), rows)
    expected = _soonest_row_by_row(kb, found.columns, states, excluded)
    assert [int(d) if h else None for d, h in zip(days, has, strict=True)] == [
        None if w is None else max(w, 1) for w in expected
    ]


def test_the_frames_cut_for_these_tests_are_in_pieces_each_column_its_own() -> None:
    whole = pl.DataFrame({"a": range(100), "b": range(100)})
    frame = pieces_of(whole, {"a": [10, 50], "b": [30]}, 5)
    assert frame.get_column("a").n_chunks() == 3
    assert frame.get_column("b").n_chunks() == 2
    assert frame.equals(whole.slice(5))
