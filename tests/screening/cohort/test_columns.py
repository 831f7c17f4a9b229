"""A chunk's columns read piece by piece say what the whole column says.

Frames are cut into pieces of any length (every column at rows of its own), then
sliced from any row, as a Parquet file's row groups and a chunk of them are; what
``Columns`` reads is compared, row by row, with the values the frame was made of.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.screening.cohort.pieces import pieces_of

from spinewise.screening.cohort.columns import Columns, compared, is_in, join_bits
from spinewise.screening.cohort.kleene import pack, unpack

Truth = bool | None
cut_lists = st.lists(st.integers(0, 200), max_size=6)
bit_pieces = st.lists(
    st.tuples(
        st.lists(st.booleans(), max_size=150),  # the piece's bits
        st.integers(0, 20),  # the bit of its buffer it starts at
        st.booleans(),  # no buffer: every bit set
    ),
    max_size=6,
)


@settings(max_examples=200, deadline=None)
@given(parts=bit_pieces, tail=st.integers(0, 70))
def test_joined_bits_are_the_pieces_bits_one_after_another(
    parts: list[tuple[list[bool], int, bool]], tail: int
) -> None:
    """Set bits lie around each piece in its buffer, and ``tail`` bits follow the
    last piece: none of them may be read."""
    given_bits, expected = [], []
    for bits, offset, absent in parts:
        if absent:
            given_bits.append((None, offset, len(bits)))
            expected += [True] * len(bits)
            continue
        around = [True] * offset + bits + [True] * 9
        data = np.packbits(np.array(around, np.bool_), bitorder="little")
        given_bits.append((data, offset, len(bits)))
        expected += bits
    rows = len(expected) + tail
    found = join_bits(given_bits, rows)
    if all(absent for _, _, absent in parts):
        assert found is None
        return
    assert found is not None
    assert unpack(found, rows).tolist() == expected + [False] * tail


@settings(max_examples=80, deadline=None)
@given(
    values=st.lists(st.sampled_from([True, False, None]), min_size=1, max_size=150),
    cuts=cut_lists,
    skip=st.integers(0, 70),
)
def test_a_boolean_column_is_read_from_its_own_bitmaps_in_any_pieces(
    values: list[Truth], cuts: list[int], skip: int
) -> None:
    whole = pl.DataFrame({"b": [None] * skip + values}, schema={"b": pl.Boolean})
    chunk = pieces_of(whole, {"b": cuts}, skip)
    found = Columns(chunk).booleans("b")
    assert found.to_series("b", chunk.height).to_list() == values


numbers = st.lists(
    st.one_of(st.none(), st.integers(-300, 300)), min_size=1, max_size=150
)


@settings(max_examples=80, deadline=None)
@given(
    a=numbers,
    b=numbers,
    cuts_a=cut_lists,
    cuts_b=cut_lists,
    skip=st.integers(0, 40),
)
def test_two_columns_cut_at_different_rows_are_read_row_by_row_together(
    a: list[int | None],
    b: list[int | None],
    cuts_a: list[int],
    cuts_b: list[int],
    skip: int,
) -> None:
    rows = min(len(a), len(b))
    a, b = a[:rows], b[:rows]
    whole = pl.DataFrame(
        {"a": [0] * skip + a, "b": [1] * skip + b},
        schema={"a": pl.Int16, "b": pl.Int32},
    )
    columns = Columns(pieces_of(whole, {"a": cuts_a, "b": cuts_b}, skip))
    sums = columns.rowwise(["a", "b"], np.add, np.int64)
    less = unpack(columns.test(["a"], compared(np.less, 5)), rows)
    among = unpack(columns.test(["b"], is_in([-1, 0, 7])), rows)
    valid = columns.validity("a")
    known = [True] * rows if valid is None else unpack(valid, rows).tolist()
    assert known == [x is not None for x in a]
    for row, (x, y) in enumerate(zip(a, b, strict=True)):
        if x is not None:
            assert less[row] == (x < 5)
        if y is not None:
            assert among[row] == (y in (-1, 0, 7))
        if x is not None and y is not None:
            assert sums[row] == x + y


@settings(max_examples=80, deadline=None)
@given(
    days=st.lists(st.integers(0, 30_000), min_size=1, max_size=150),
    cuts=cut_lists,
    skip=st.integers(0, 40),
    data=st.data(),
)
def test_values_are_taken_at_rows_across_pieces(
    days: list[int], cuts: list[int], skip: int, data: st.DataObject
) -> None:
    dates = [dt.date(1970, 1, 1) + dt.timedelta(days=d) for d in days]
    chunk = pieces_of(pl.DataFrame({"d": dates[:1] * skip + dates}), {"d": cuts}, skip)
    rows = sorted(data.draw(st.sets(st.integers(0, len(days) - 1))))
    taken = Columns(chunk).take("d", np.array(rows, np.intp))
    assert taken.tolist() == [days[r] for r in rows]


words = st.sampled_from(["classical", "vacuum", "hydromassage", "x" * 13, ""])


@settings(max_examples=60, deadline=None)
@given(
    lists=st.lists(
        st.one_of(st.none(), st.lists(st.one_of(st.none(), words), max_size=4)),
        min_size=1,
        max_size=100,
    ),
    cuts=cut_lists,
    skip=st.integers(0, 30),
)
def test_the_rows_whose_list_holds_a_word_are_found_in_any_pieces(
    lists: list[list[str | None] | None], cuts: list[int], skip: int
) -> None:
    whole = pl.DataFrame(
        {"l": [["vacuum"]] * skip + lists}, schema={"l": pl.List(pl.String)}
    )
    wanted = ["classical", "vacuum", "x" * 13]
    found = Columns(pieces_of(whole, {"l": cuts}, skip)).holding("l", wanted)
    for word, bits in zip(wanted, found, strict=True):
        expected = [items is not None and word in items for items in lists]
        assert unpack(bits, len(lists)).tolist() == expected


def test_a_column_of_one_piece_is_read_from_its_arrow_buffer_itself() -> None:
    frame = pl.DataFrame({"n": np.arange(1000, dtype=np.int32)})
    ((start, values),) = Columns(frame).values("n")
    buffer = frame.get_column("n").to_arrow().buffers()[1]
    assert start == 0 and values.ctypes.data == buffer.address
    assert pack(values < 10, 1000)[0] == np.uint64(2**10 - 1)
