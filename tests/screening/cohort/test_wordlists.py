"""Lists of words read as Arrow string views find the rows a per-row reference finds.

Random lists (null lists, empty lists, null items, duplicate words, words longer than
a view holds inline, words that share a prefix with the words asked) are built by
polars and by pyarrow, sliced at any row and with their flat values sliced too; each
word's rows equal Python's ``word in list`` row by row.
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from spinewise.models import Modality
from spinewise.screening.cohort.kleene import unpack
from spinewise.screening.cohort.wordlists import inline_view, rows_holding

ASKED = [
    *(m.value for m in Modality),
    "",
    "hydromassage!",  # 13 bytes: compared as strings, not inline
    "vacuum massage of the lower back",
]
OTHERS = ["vacuu", "vacuum ", "classical\x00", "hydromassagE", "hydromassage!!"]
words = st.one_of(st.sampled_from(ASKED + OTHERS), st.none())
lists = st.one_of(st.none(), st.lists(words, max_size=5))

Lists = list[list[str | None] | None]
HIDDEN: list[str | None] = [m.value for m in Modality]


def expected(rows: Lists, word: str) -> list[bool]:
    return [row is not None and word in row for row in rows]


def found(array: pa.Array) -> dict[str, list[bool]]:
    held = rows_holding(array, ASKED)
    return {w: unpack(h, len(array)).tolist() for w, h in zip(ASKED, held, strict=True)}


@settings(max_examples=80)
@given(rows=st.lists(lists, max_size=60), skip=st.integers(0, 9))
def test_a_polars_list_column_finds_the_rows_holding_each_word(
    rows: Lists, skip: int
) -> None:
    padding: Lists = [["vacuum", None, "x" * 20]] * skip
    series = pl.Series(padding + rows, dtype=pl.List(pl.String())).slice(skip)
    array = series.to_arrow(compat_level=pl.CompatLevel.newest())
    assert pa.types.is_string_view(array.type.value_type)
    assert found(array) == {w: expected(rows, w) for w in ASKED}


@settings(max_examples=80)
@given(
    rows=st.lists(lists, max_size=60),
    skip=st.integers(0, 9),
    items_before=st.integers(0, 9),
    kind=st.sampled_from([pa.string_view(), pa.large_string(), pa.string()]),
    large=st.booleans(),
)
def test_an_arrow_list_sliced_anywhere_finds_the_rows_holding_each_word(
    rows: Lists, skip: int, items_before: int, kind: pa.DataType, large: bool
) -> None:
    """The lists start past the flat values' first items, the array is sliced, and a
    null list spans items (Arrow allows it; they are not its words)."""
    padded: Lists = [["classical"]] * skip + rows
    spans = [HIDDEN if row is None else row for row in padded]
    flat = ["vacuum"] * items_before + [w for row in spans for w in row]
    values = pa.array(flat, kind).slice(items_before)
    offsets = np.cumsum([0] + [len(row) for row in spans])
    nulls = pa.array([row is None for row in padded], pa.bool_())
    build = pa.LargeListArray if large else pa.ListArray
    array = build.from_arrays(offsets, values, mask=nulls).slice(skip)
    assert found(array) == {w: expected(rows, w) for w in ASKED}


def test_a_null_item_is_never_the_word_whatever_its_view_holds() -> None:
    """Arrow leaves a null item's view unspecified: here it is the word's own view."""
    low, high = inline_view("vacuum")  # type: ignore[misc]
    views = np.array([low, high, low, high], np.uint64)
    validity = pa.array([False, True]).buffers()[1]
    items = pa.Array.from_buffers(
        pa.string_view(), 2, [validity, pa.py_buffer(views)], null_count=1
    )
    array = pa.LargeListArray.from_arrays(pa.array([0, 1, 2], pa.int64()), items)
    held = rows_holding(array, ["vacuum"])[0]
    assert unpack(held, 2).tolist() == [False, True]


def test_every_modality_is_compared_inline_in_its_view() -> None:
    assert all(inline_view(m.value) is not None for m in Modality)
    assert inline_view("x" * 13) is None
