"""Rows to records: the trusted build of a stored assessment's record equals the
validated one."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from tests.conftest import ALL_CASE_FILES
from tests.factories import assessment_data
from tests.strategies import assessment_documents

from spinewise.models import Assessment
from spinewise.services.convert import assessment_record
from spinewise.services.records import AssessmentRecord
from spinewise.store import StoredAssessment
from spinewise.store.packing import pack_answers

AT = dt.datetime(2026, 12, 5, 8, 30, tzinfo=dt.UTC)


def _validated(row: StoredAssessment) -> AssessmentRecord:
    """The record as pydantic builds it from plain values, every field checked."""
    return AssessmentRecord.model_validate(
        {
            "id": row.id,
            "patient_id": row.patient_id,
            "number": row.number,
            "version": row.version,
            "amends_id": row.amends_id,
            "assessed_on": row.assessed_on,
            "submitted_at": row.submitted_at,
            "submitted_by": row.submitted_by,
            "assessment": row.document,
        }
    )


def _row(
    document: dict[str, Any], amends: int | None, at: dt.datetime
) -> StoredAssessment:
    contract = Assessment.model_validate(document).model_dump(mode="json")
    return StoredAssessment(
        id=7, clinic_id=1, patient_id=3, number=2, version=1 if amends is None else 2,
        amends_id=amends, assessed_on=dt.date.fromisoformat(contract["assessed_on"]),
        submitted_at=at, submitted_by=5, answers=pack_answers(contract),
    )  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(
    document=assessment_documents(),
    amends=st.none() | st.integers(1, 10**9),
    at=st.datetimes(timezones=st.just(dt.UTC)),
)
def test_a_stored_assessments_record_equals_the_validated_build(
    document: dict[str, Any], amends: int | None, at: dt.datetime
) -> None:
    row = _row(document, amends, at)
    trusted, validated = assessment_record(row), _validated(row)
    assert trusted == validated
    assert trusted.model_dump(mode="json") == validated.model_dump(mode="json")
    assert trusted.model_fields_set == validated.model_fields_set
    assert type(trusted.assessment) is Assessment
    assert list(trusted.__dict__) == list(AssessmentRecord.model_fields)
    assert repr(trusted) == repr(validated)


@pytest.mark.parametrize("case", ALL_CASE_FILES, ids=[c.stem for c in ALL_CASE_FILES])
def test_every_golden_case_reads_back_as_its_validated_record(case: Any) -> None:
    row = _row(yaml.safe_load(case.read_text()), None, AT)
    trusted, validated = assessment_record(row), _validated(row)
    assert trusted == validated
    assert repr(trusted) == repr(validated)


@pytest.mark.parametrize(
    "change",
    [
        {"symptoms": {**assessment_data()["symptoms"], "onset_date": "2026-11-25"}},
        {"hernia": {**assessment_data()["hernia"], "levels": ["C4-C5"]}},
        {"condition": {"region": "cervical"}},
        {"patient": {**assessment_data()["patient"], "age": 121}},
    ],
    ids=["late-onset", "level-of-another-region", "region-mismatch", "age"],
)
def test_a_stored_document_the_contract_refuses_is_refused_on_reading(
    change: dict[str, Any],
) -> None:
    document = {**assessment_data(), **change}
    row = StoredAssessment._make(
        [7, 1, 3, 2, 1, None, dt.date(2026, 11, 24), AT, 5, ""]
    )
    row = row._replace(answers=pack_answers(document))
    with pytest.raises(ValidationError):
        assessment_record(row)
