"""Kleene logic on bit-packed words agrees with a tiny three-valued reference.

Random three-valued columns (true, false, unknown) of any length, the bits past the
last row included, are combined with ``&``, ``|`` and ``~`` and read back row by row;
the row masks and set-bit lists that build ``missing`` match a per-row reference.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spinewise.screening.cohort.kleene import (
    Columns,
    Tri,
    constant,
    flag_lists,
    known_test,
    pack,
    row_masks,
    set_bits,
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


@settings(max_examples=60, deadline=None)
@given(
    rows=st.integers(0, 140),
    width=st.integers(1, 64),
    seed=st.integers(0, 2**16),
)
def test_flags_turned_sideways_give_each_row_a_mask_of_its_flags(
    rows: int, width: int, seed: int
) -> None:
    flags = np.random.default_rng(seed).random((width, rows)) < 0.3
    masks = row_masks([pack(f, rows) for f in flags], rows)
    assert masks.tolist() == [
        sum(1 << i for i in range(width) if flags[i, row]) for row in range(rows)
    ]


@settings(max_examples=60, deadline=None)
@given(masks=st.lists(st.integers(0, 2**64 - 1), max_size=80))
def test_the_set_bits_of_each_mask_are_listed_lowest_first(masks: list[int]) -> None:
    offsets, found = set_bits(np.array(masks, np.uint64))
    assert offsets.tolist()[0] == 0
    listed = [found[offsets[r] : offsets[r + 1]].tolist() for r in range(len(masks))]
    assert listed == [[i for i in range(64) if m >> i & 1] for m in masks]


@settings(max_examples=60, deadline=None)
@given(
    rows=st.integers(0, 140),
    width=st.integers(1, 64),
    seed=st.integers(0, 2**16),
)
def test_flags_turned_sideways_give_each_rows_set_flags_in_order(
    rows: int, width: int, seed: int
) -> None:
    flags = np.random.default_rng(seed).random((width, rows)) < 0.3
    offsets, found = set_bits(row_masks([pack(f, rows) for f in flags], rows))
    assert len(offsets) == rows + 1
    for row in range(rows):
        mine = found[offsets[row] : offsets[row + 1]].tolist()
        assert mine == [i for i in range(width) if flags[i, row]]


@settings(max_examples=60, deadline=None)
@given(
    rows=st.integers(0, 300),
    width=st.integers(1, 64),
    block=st.sampled_from([64, 128, 192]),
    seed=st.integers(0, 2**16),
)
def test_flags_listed_a_block_of_rows_at_a_time_give_the_same_lists(
    rows: int, width: int, block: int, seed: int
) -> None:
    flags = [
        pack(f, rows) for f in np.random.default_rng(seed).random((width, rows)) < 0.3
    ]
    offsets, found = flag_lists(flags, rows, block)
    whole_offsets, whole_found = set_bits(row_masks(flags, rows))
    assert offsets.tolist() == whole_offsets.tolist()
    assert found.tolist() == whole_found.tolist()


def test_more_than_64_flags_do_not_fit_a_row_mask() -> None:
    flags = [pack(np.zeros(3, np.bool_), 3)] * 65
    with pytest.raises(ValueError, match="64 flags"):
        row_masks(flags, 3)


def test_a_block_of_rows_is_whole_words() -> None:
    with pytest.raises(ValueError, match="multiple of 64"):
        flag_lists([pack(np.zeros(3, np.bool_), 3)], 3, block=100)
