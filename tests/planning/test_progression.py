"""The progression law and the session calendar (docs/clinical-basis.md#techniques)."""

from __future__ import annotations

import datetime as dt
import itertools

from hypothesis import given
from hypothesis import strategies as st

from spinewise.planning import session_dates, session_levels
from spinewise.planning.progression import measures_for, minutes_at


def test_sessions_one_and_two_are_at_level_one_then_one_level_at_a_time() -> None:
    assert session_levels(10, 2, 3) == [1, 1, 2, 3, 3, 3, 3, 3, 3, 3]


def test_a_cap_holds_for_the_whole_course() -> None:
    assert session_levels(8, 2, 1) == [1] * 8
    assert max(session_levels(10, 2, 2)) == 2


def test_a_slower_pace_climbs_every_second_session() -> None:
    assert session_levels(8, 2, 3, pace=2) == [1, 1, 1, 2, 2, 3, 3, 3]


@given(
    count=st.integers(1, 30),
    hold=st.integers(1, 5),
    cap=st.integers(1, 3),
    pace=st.integers(1, 4),
)
def test_levels_never_jump_and_never_pass_the_cap(
    count: int, hold: int, cap: int, pace: int
) -> None:
    levels = session_levels(count, hold, cap, pace)
    assert len(levels) == count
    assert all(level == 1 for level in levels[:hold])
    assert all(1 <= level <= cap for level in levels)
    assert all(0 <= b - a <= 1 for a, b in itertools.pairwise(levels))


def test_dates_follow_the_gaps_in_turn() -> None:
    start = dt.date(2026, 11, 23)
    days = [(d - start).days for d in session_dates(start, 6, [2, 2, 3])]
    assert days == [0, 2, 4, 7, 9, 11]


def test_minutes_grow_with_the_level_unless_kept_short() -> None:
    assert [minutes_at((5, 8), level, 3) for level in (1, 2, 3)] == [5, 6, 8]
    assert minutes_at((10, 15), 2, 2, shortest=True) == 10
    assert minutes_at((3, 5), 1, 1) == 3


def test_outcome_instruments_are_due_at_the_marked_sessions() -> None:
    every, tools = ["NRS"], ["ODI"]
    due = [
        n
        for n in range(1, 9)
        if "ODI" in measures_for(n, 8, every, [1, 5, "last"], tools)
    ]
    assert due == [1, 5, 8]
