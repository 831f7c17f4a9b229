"""Rows to records: what leaves a unit of work is detached, validated and frozen."""

from __future__ import annotations

from typing import Any

from spinewise.models import Assessment, ClearanceStatus, Decision, Modality
from spinewise.services.records import (
    AssessmentRecord,
    ClearanceRecord,
    DecisionRecord,
    PatientRecord,
)
from spinewise.store import (
    ClearanceRow,
    ClearanceView,
    DecisionRow,
    PatientRow,
    StoredAssessment,
)


def patient_record(row: PatientRow) -> PatientRecord:
    return PatientRecord.model_validate(row)


_ASSESSMENT_RECORD_FIELDS = frozenset(AssessmentRecord.model_fields)
_validated_assessment = Assessment.__pydantic_validator__.validate_python
"""``Assessment.model_validate`` without its keyword handling (the same validator,
every check; a third of a microsecond on every assessment read)."""


def _built(values: dict[str, Any]) -> AssessmentRecord:
    """An ``AssessmentRecord`` of values already of their fields' types, set as
    pydantic's own constructor sets them (a quarter of ``model_construct``'s time,
    which loops over the fields in Python)."""
    record = AssessmentRecord.__new__(AssessmentRecord)
    setattr_ = object.__setattr__
    setattr_(record, "__dict__", values)
    setattr_(record, "__pydantic_fields_set__", set(_ASSESSMENT_RECORD_FIELDS))
    setattr_(record, "__pydantic_extra__", None)
    setattr_(record, "__pydantic_private__", None)
    return record


def assessment_record(row: StoredAssessment) -> AssessmentRecord:
    """The record of a stored row: the document validated in full (the contract's
    every check), the record around it built without validation (its fields are the
    store's typed columns; validating would run the assessment's model validators a
    second time). tests/services/test_convert.py holds it equal to the validated
    build on generated assessments."""
    return _built(
        {
            "id": row.id,
            "patient_id": row.patient_id,
            "number": row.number,
            "version": row.version,
            "amends_id": row.amends_id,
            "assessed_on": row.assessed_on,
            "submitted_at": row.submitted_at,
            "submitted_by": row.submitted_by,
            "assessment": _validated_assessment(row.document),
        }
    )


def decision_record(row: DecisionRow) -> DecisionRecord:
    return DecisionRecord(
        id=row.id,
        patient_id=row.patient_id,
        assessment_id=row.assessment_id,
        created_at=row.created_at,
        created_by=row.created_by,
        kb_version=row.kb_version,
        engine_version=row.engine_version,
        input=Assessment.model_validate(row.input),
        decision=Decision.model_validate(row.output),
    )


def clearance_record(
    row: ClearanceRow | ClearanceView, physician_name: str | None
) -> ClearanceRecord:
    return ClearanceRecord(
        id=row.id,
        patient_id=row.patient_id,
        assessment_id=row.assessment_id,
        status=ClearanceStatus(row.status),
        requested_by=row.requested_by,
        requested_at=row.requested_at,
        request_note=row.request_note,
        physician_id=row.physician_id,
        physician_name=physician_name,
        decided_at=row.decided_at,
        valid_from=row.valid_from,
        valid_until=row.valid_until,
        excluded_modalities=[Modality(m) for m in row.excluded_modalities],
        reason=row.reason,
    )
