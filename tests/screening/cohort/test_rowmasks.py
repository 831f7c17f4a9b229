"""The row masks and set-bit lists that build ``missing`` match a per-row reference,
whole and a block of rows at a time."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spinewise.screening.cohort.kleene import pack
from spinewise.screening.cohort.rowmasks import flag_lists, row_masks, set_bits


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
