"""The gentle progression across a course and the session calendar (docs/clinical-basis.md#techniques).

Planned levels are ceilings: the therapist goes up only when the previous session
was tolerated, and steps down after a pain rise (the session records decide that).
"""

from __future__ import annotations

import datetime as dt


def session_levels(count: int, hold: int, cap: int, pace: int = 1) -> list[int]:
    """Level of each session: ``hold`` sessions at level 1, then up one level every
    ``pace`` sessions at most, never above ``cap``."""
    levels = []
    for number in range(1, count + 1):
        rise = max(0, number - hold) // pace
        levels.append(max(1, min(cap, 1 + rise)))
    return levels


def session_dates(start: dt.date, count: int, gaps: list[int]) -> list[dt.date]:
    """``count`` dates from ``start``, the gaps (in days) taken in turn."""
    dates = [start]
    for index in range(count - 1):
        dates.append(dates[-1] + dt.timedelta(days=gaps[index % len(gaps)]))
    return dates


def minutes_at(
    span: tuple[int, int], level: int, top: int, *, shortest: bool = False
) -> int:
    """Minutes of a step at ``level``: its least at level 1 (or always with
    ``shortest``), its most at the modality's ``top`` level, linear between (rounded down)."""
    low, high = span
    if shortest or top <= 1:
        return low
    return low + (high - low) * (min(level, top) - 1) // (top - 1)


def measures_for(
    number: int, count: int, every: list[str], at: list[int | str], tools: list[str]
) -> list[str]:
    """What to measure at session ``number`` of ``count`` (5.1 re-assessment)."""
    marks = {count if mark == "last" else mark for mark in at}
    due = number in marks
    return [*every, *(tools if due else [])]
