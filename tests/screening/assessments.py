"""Hypothesis strategy: valid contract assessments, biased towards clean answers so
that every verdict is reached, with every field the contract lets be unknown."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from spinewise.models import Region, assessment_fields, levels_for

ASSESSED_ON = dt.date(2026, 11, 24)
MOSTLY_NO = st.sampled_from([False] * 6 + [True])
NULLABLE_HISTORY_DATES = (
    "spinal_surgery_date",
    "other_surgery_date",
    "epidural_injection_date",
)


def _days_back(low: int, high: int) -> st.SearchStrategy[str]:
    return st.integers(low, high).map(
        lambda d: (ASSESSED_ON - dt.timedelta(d)).isoformat()
    )


def _value(path: str) -> st.SearchStrategy[Any]:
    spec = assessment_fields()[path]
    if spec.kind == "bool":
        return MOSTLY_NO
    if spec.kind == "enum":
        return st.sampled_from(spec.values)
    if path == "patient.pregnancy_weeks":
        return st.integers(0, 42)
    raise AssertionError(f"no strategy for {path}")


@st.composite
def assessments(draw: st.DrawFn, with_clearance: bool = True) -> dict[str, Any]:
    """Contract JSON of a valid assessment with known answers (no nulls)."""
    region = draw(st.sampled_from(list(Region)))
    data: dict[str, Any] = {
        "schema": "spinewise.assessment/1",
        "assessed_on": ASSESSED_ON.isoformat(),
        "patient": {"age": draw(st.sampled_from([draw(st.integers(0, 120)), 46]))},
        "hernia": {
            "region": region.value,
            "levels": [draw(st.sampled_from(levels_for(region)))],
        },
        "symptoms": {
            "onset_date": draw(_days_back(0, 200)),
            "pain_nrs": draw(st.integers(0, 10)),
        },
        "history": {
            name: draw(st.none() | _days_back(0, 400))
            for name in NULLABLE_HISTORY_DATES
        },
        "medications": {"analgesics": []},
    }
    for path, spec in assessment_fields().items():
        section, _, name = path.partition(".")
        if not name or name in NULLABLE_HISTORY_DATES or not spec.nullable:
            continue
        if spec.kind == "date" or spec.kind == "list":
            continue
        data.setdefault(section, {})[name] = draw(_value(path))
    if with_clearance:
        data["clearance"] = draw(clearances())
    return data


@st.composite
def clearances(draw: st.DrawFn) -> dict[str, Any] | None:
    """Absent, pending, approved (valid, expired or future) or declined clearances."""
    status = draw(
        st.sampled_from([None, "approved", "approved", "declined", "pending"])
    )
    if status is None:
        return None
    start = draw(st.integers(-60, 5))
    until = draw(st.none() | st.integers(start, 60))
    day = lambda n: (ASSESSED_ON + dt.timedelta(n)).isoformat()  # noqa: E731
    excluded = draw(
        st.lists(
            st.sampled_from(["classical", "vacuum", "hydromassage"]),
            unique=True,
            max_size=3,
        )
    )
    return {
        "status": status,
        "physician": "Dr. Test",
        "date": day(start),
        "valid_until": None if until is None else day(until),
        "excluded_modalities": excluded,
    }


def nullable_known_paths(data: dict[str, Any]) -> list[str]:
    """Answered fields that the contract allows to be unknown (history dates excluded)."""
    found = []
    for path, spec in assessment_fields().items():
        section, _, name = path.partition(".")
        if not name or not spec.nullable or spec.kind in ("date", "list"):
            continue
        if data.get(section, {}).get(name) is not None:
            found.append(path)
    return found
