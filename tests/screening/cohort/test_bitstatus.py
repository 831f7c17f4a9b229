"""The statuses' Kleene or of many rules, folded in place, equals ``|`` pair by pair
and leaves its inputs as they were."""

from __future__ import annotations

from functools import reduce

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from spinewise.screening.cohort.bitstatus import _kleene_any
from spinewise.screening.cohort.kleene import Tri, known_test, pack

Truth = bool | None


def tri(values: list[Truth]) -> Tri:
    rows = len(values)
    test = pack(np.array([v is True for v in values], np.bool_), rows)
    known = pack(np.array([v is not None for v in values], np.bool_), rows)
    return known_test(test, known, rows)


@settings(max_examples=80, deadline=None)
@given(
    rows=st.integers(1, 150),
    count=st.integers(0, 6),
    data=st.data(),
)
def test_kleene_any_of_many_equals_or_pair_by_pair(
    rows: int, count: int, data: st.DataObject
) -> None:
    truths = st.lists(
        st.sampled_from([True, False, None]), min_size=rows, max_size=rows
    )
    states = [tri(data.draw(truths)) for _ in range(count)]
    before = [s.to_series("x", rows).to_list() for s in states]
    found = _kleene_any(states, rows)
    assert [s.to_series("x", rows).to_list() for s in states] == before
    if not states:
        assert found.to_series("x", rows).to_list() == [False] * rows
        return
    expected = reduce(lambda a, b: a | b, states)
    assert (
        found.to_series("x", rows).to_list() == expected.to_series("x", rows).to_list()
    )
