"""An assessment's dates: none after the day it was assessed on, each named by its
field (the check runs on every read of a stored assessment, so its quick common case
must refuse exactly what the field-by-field walk refuses)."""

from __future__ import annotations

import pytest
from tests.factories import assessment_data

from spinewise.errors import InputError
from spinewise.models import Assessment, parse_model

ASSESSED_ON = "2026-11-24"
DATES = [
    ("symptoms", "onset_date"),
    ("history", "spinal_surgery_date"),
    ("history", "other_surgery_date"),
    ("history", "epidural_injection_date"),
]


def dated(section: str, field: str, day: str) -> dict[str, object]:
    data = assessment_data(assessed_on=ASSESSED_ON)
    data[section] = {**data[section], field: day}
    return data


@pytest.mark.parametrize(("section", "field"), DATES, ids=[f for _, f in DATES])
def test_a_date_after_the_assessment_is_refused_by_its_field(
    section: str, field: str
) -> None:
    with pytest.raises(InputError) as caught:
        parse_model(Assessment, dated(section, field, "2026-11-25"), file="case.json")
    assert [p.field for p in caught.value.problems] == [f"{section}.{field}"]
    assert "is after assessed_on 2026-11-24" in caught.value.problems[0].message


@pytest.mark.parametrize(("section", "field"), DATES, ids=[f for _, f in DATES])
def test_a_date_on_the_assessment_day_is_accepted(section: str, field: str) -> None:
    assessment = parse_model(Assessment, dated(section, field, ASSESSED_ON))
    assert str(assessment.assessed_on) == ASSESSED_ON


def test_of_two_late_dates_the_first_in_the_walk_is_named() -> None:
    data = dated("history", "epidural_injection_date", "2026-12-01")
    data["symptoms"] = {**data["symptoms"], "onset_date": "2026-12-02"}
    with pytest.raises(InputError) as caught:
        parse_model(Assessment, data, file="case.json")
    assert [p.field for p in caught.value.problems] == ["symptoms.onset_date"]
