"""The lists of set flags that build ``missing`` match a per-row reference, for any
number of flags up to 64, any density and any block of rows."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spinewise.screening.cohort.kleene import pack
from spinewise.screening.cohort.rowmasks import flag_lists


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
