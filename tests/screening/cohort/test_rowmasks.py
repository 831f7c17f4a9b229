"""The lists of set flags that build ``missing`` match a per-row reference, for any
number of flags up to 64, any density and any block of rows; so do the row masks
they are listed from, and the bit transpose the masks are made with."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spinewise.screening.cohort.kleene import pack, word_count
from spinewise.screening.cohort.rowmasks import (
    _sideways,
    _transpose8,
    flag_lists,
)


def listed_row_by_row(flags: npt.NDArray[np.bool_]) -> list[list[int]]:
    width, rows = flags.shape
    return [[i for i in range(width) if flags[i, row]] for row in range(rows)]


@settings(max_examples=100, deadline=None)
@given(
    rows=st.integers(0, 300),
    width=st.integers(1, 64),
    density=st.sampled_from([0.05, 0.3, 0.9]),
    block=st.sampled_from([64, 128, 192, 1 << 17]),
    seed=st.integers(0, 2**16),
)
def test_each_rows_set_flags_are_listed_in_order_a_block_at_a_time(
    rows: int, width: int, density: float, block: int, seed: int
) -> None:
    flags = np.random.default_rng(seed).random((width, rows)) < density
    offsets, found = flag_lists([pack(f, rows) for f in flags], rows, block)
    assert offsets.tolist()[0] == 0
    assert len(offsets) == rows + 1
    listed = [found[offsets[r] : offsets[r + 1]].tolist() for r in range(rows)]
    assert listed == listed_row_by_row(flags)


def masks_row_by_row(flags: npt.NDArray[np.bool_]) -> list[int]:
    width, rows = flags.shape
    return [sum(1 << i for i in range(width) if flags[i, row]) for row in range(rows)]


@settings(max_examples=100, deadline=None)
@given(
    words=st.integers(1, 5),
    width=st.integers(1, 8),
    seed=st.integers(0, 2**16),
)
def test_a_groups_bits_are_transposed_byte_by_byte_across_its_arrays(
    words: int, width: int, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    group = [rng.integers(0, 2**64, words, np.uint64) for _ in range(width)]
    before = [g.copy() for g in group]
    zero = np.zeros(words, np.uint64)
    out = _transpose8(group, zero, np.empty((9, words), np.uint64))
    bits_in = np.zeros((8, words * 64), np.bool_)  # [flag, bit of its words]
    for k, g in enumerate(group):
        bits_in[k] = np.unpackbits(g.view(np.uint8), bitorder="little")
    for i, words_i in enumerate(out):
        bits = np.unpackbits(words_i.view(np.uint8), bitorder="little")
        for byte in range(words * 8):
            # bit k of byte b of array i is bit i of byte b of flag k
            assert bits[byte * 8 : byte * 8 + 8].tolist() == (
                bits_in[:, byte * 8 + i].tolist()
            )
    assert all(np.array_equal(g, b) for g, b in zip(group, before, strict=True))
    assert not zero.any()


@settings(max_examples=100, deadline=None)
@given(
    rows=st.integers(1, 300),
    width=st.integers(1, 64),
    density=st.sampled_from([0.05, 0.5]),
    seed=st.integers(0, 2**16),
)
def test_each_rows_mask_holds_its_flags_as_bits_where_the_table_keeps_it(
    rows: int, width: int, density: float, seed: int
) -> None:
    flags = np.random.default_rng(seed).random((width, rows)) < density
    held = word_count(rows) * 64
    table = np.zeros((8, held // 8, 8), np.uint8)
    _sideways([pack(f, rows) for f in flags], table)
    masks = table.view(np.uint64).reshape(8, -1)  # [i, p]: row 8p + i
    assert [int(masks[r % 8, r // 8]) for r in range(rows)] == masks_row_by_row(flags)


def test_all_64_flags_of_a_row_are_listed() -> None:
    flags = np.ones((64, 3), np.bool_)
    offsets, found = flag_lists([pack(f, 3) for f in flags], 3)
    assert offsets.tolist() == [0, 64, 128, 192]
    assert found.tolist() == list(range(64)) * 3


def test_more_than_64_flags_do_not_fit_a_row_mask() -> None:
    flags = [pack(np.zeros(3, np.bool_), 3)] * 65
    with pytest.raises(ValueError, match="64 flags"):
        flag_lists(flags, 3)


def test_a_block_of_rows_is_whole_words() -> None:
    with pytest.raises(ValueError, match="multiple of 64"):
        flag_lists([pack(np.zeros(3, np.bool_), 3)], 3, block=100)
