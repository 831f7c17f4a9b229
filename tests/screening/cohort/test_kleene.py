"""Kleene logic on bit-packed words agrees with a tiny three-valued reference.

Random three-valued columns (true, false, unknown) of any length, the bits past the
last row included, are combined with ``&``, ``|`` and ``~`` and read back row by row.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from spinewise.screening.cohort.kleene import (
    Columns,
    Tri,
    boolean_series,
    codes,
    constant,
    known_test,
    pack,
)

Truth = bool | None
truths = st.lists(st.sampled_from([True, False, None]), min_size=0, max_size=200)


def tri(values: list[Truth]) -> Tri:
    rows = len(values)
    test = pack(np.array([v is True for v in values], np.bool_), rows)
    known = pack(np.array([v is not None for v in values], np.bool_), rows)
    return known_test(test, known, rows)


def read(column: Tri, rows: int) -> list[Truth]:
    return column.to_series("x", rows).to_list()


def kleene_and(a: Truth, b: Truth) -> Truth:
    if a is False or b is False:
        return False
    return None if a is None or b is None else True


def kleene_or(a: Truth, b: Truth) -> Truth:
    if a is True or b is True:
        return True
    return None if a is None or b is None else False


def kleene_not(a: Truth) -> Truth:
    return None if a is None else not a


@st.composite
def column_pairs(draw: st.DrawFn) -> tuple[list[Truth], list[Truth]]:
    left = draw(truths)
    right = draw(
        st.lists(
            st.sampled_from([True, False, None]), min_size=len(left), max_size=len(left)
        )
    )
    return left, right


@settings(max_examples=200, deadline=None)
@given(pair=column_pairs())
def test_and_or_not_on_words_are_kleene_logic_row_by_row(
    pair: tuple[list[Truth], list[Truth]],
) -> None:
    left, right = pair
    rows = len(left)
    a, b = tri(left), tri(right)
    ops: list[tuple[Tri, Callable[[Truth, Truth], Truth]]] = [
        (a & b, kleene_and),
        (a | b, kleene_or),
    ]
    for column, reference in ops:
        assert read(column, rows) == [
            reference(x, y) for x, y in zip(left, right, strict=True)
        ]
    assert read(~a, rows) == [kleene_not(x) for x in left]


@settings(max_examples=100, deadline=None)
@given(pair=column_pairs())
def test_de_morgan_and_double_negation_hold_on_words(
    pair: tuple[list[Truth], list[Truth]],
) -> None:
    left, right = pair
    rows = len(left)
    a, b = tri(left), tri(right)
    assert read(~(a & b), rows) == read(~a | ~b, rows)
    assert read(~(a | b), rows) == read(~a & ~b, rows)
    assert read(~~a, rows) == left
    assert read(a & constant(True, rows), rows) == left
    assert read(a | constant(False, rows), rows) == left


@settings(max_examples=100, deadline=None)
@given(values=truths, mask=st.lists(st.booleans(), min_size=200, max_size=200))
def test_a_rule_outside_its_rows_is_known_false_never_unknown(
    values: list[Truth], mask: list[bool]
) -> None:
    rows = len(values)
    inside = pack(np.array(mask[:rows], np.bool_), rows)
    got = read(tri(values).within(inside), rows)
    assert got == [v if m else False for v, m in zip(values, mask, strict=False)]


@settings(max_examples=60, deadline=None)
@given(
    offset=st.integers(0, 70),
    values=st.lists(st.sampled_from([True, False, None]), min_size=1, max_size=150),
)
def test_a_boolean_column_is_read_from_its_own_bitmaps_at_any_offset(
    offset: int, values: list[Truth]
) -> None:
    frame = pl.DataFrame({"b": [None] * offset + values}, schema={"b": pl.Boolean})
    chunk = frame.slice(offset)
    assert read(Columns(chunk).booleans("b"), chunk.height) == values


@settings(max_examples=80, deadline=None)
@given(
    rows=st.integers(1, 200),
    planes=st.integers(0, 8),
    seed=st.integers(0, 2**16),
)
def test_codes_are_each_rows_bits_of_the_planes_weighted_by_plane(
    rows: int, planes: int, seed: int
) -> None:
    bits = np.random.default_rng(seed).integers(0, 2, (planes, rows)).astype(np.bool_)
    expected = [sum(int(bits[i, r]) << i for i in range(planes)) for r in range(rows)]
    found = codes([pack(b, rows) for b in bits], rows)
    assert found.dtype == np.uint8
    assert found.tolist() == expected


@settings(max_examples=40, deadline=None)
@given(values=st.lists(st.booleans(), min_size=1, max_size=200))
def test_a_boolean_series_of_a_bitmap_reads_back_its_rows_without_nulls(
    values: list[bool],
) -> None:
    rows = len(values)
    words = pack(np.array(values, np.bool_), rows)
    if rows % 64:
        words[-1] |= np.uint64(1) << np.uint64(63)  # past the last row: not read
    series = boolean_series("b", words, rows)
    assert series.dtype == pl.Boolean
    assert series.to_list() == values
    assert series.null_count() == 0
