"""What services return: frozen pydantic records, detached from the database session.

FastAPI can serve them as response models; the CLI prints them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from spinewise.models import (
    Assessment,
    Clearance,
    ClearanceStatus,
    Decision,
    Modality,
    ModalityStatus,
    RuleState,
    Verdict,
)
from spinewise.services.access.actors import Role


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, from_attributes=True)


class ClinicRecord(_Record):
    id: int
    name: str


class UserRecord(_Record):
    id: int
    clinic_id: int
    username: str
    display_name: str
    role: Role
    active: bool
    must_change_password: bool = False
    totp_enabled: bool = False


class IssuedToken(_Record):
    """A new API token: ``token`` is shown once and stored only as a hash."""

    id: int
    user_id: int
    label: str
    token: str
    expires_at: dt.datetime | None


class PatientRecord(_Record):
    id: int
    clinic_id: int
    record_number: str
    name: str
    birth_date: dt.date | None
    created_at: dt.datetime
    email: str | None = None
    language: str = "en"


class AssessmentRecord(_Record):
    """One stored version of an assessment (number N, version V amends ``amends_id``)."""

    id: int
    patient_id: int
    number: int
    version: int
    amends_id: int | None
    assessed_on: dt.date
    submitted_at: dt.datetime
    submitted_by: int
    assessment: Assessment


class DecisionRecord(_Record):
    """A stored decision with the exact input it was made from (clearance included)."""

    id: int
    patient_id: int
    assessment_id: int
    created_at: dt.datetime
    created_by: int
    kb_version: str
    engine_version: str
    input: Assessment
    decision: Decision


class ScreeningResult(_Record):
    assessment: AssessmentRecord
    decision: DecisionRecord


class ClearanceRecord(_Record):
    """A physician clearance: requested (pending), then approved or declined once."""

    id: int
    patient_id: int
    assessment_id: int
    status: ClearanceStatus
    requested_by: int | None
    requested_at: dt.datetime
    request_note: str | None
    physician_id: int | None
    physician_name: str | None
    decided_at: dt.datetime | None
    valid_from: dt.date | None
    valid_until: dt.date | None
    excluded_modalities: list[Modality]
    reason: str | None

    def is_expired(self, today: dt.date) -> bool:
        """An approval whose validity ended before ``today``."""
        return (
            self.status is ClearanceStatus.APPROVED
            and self.valid_until is not None
            and self.valid_until < today
        )

    def to_contract(self) -> Clearance:
        """The assessment's ``clearance`` section the engine reads."""
        if self.status is ClearanceStatus.PENDING:
            return Clearance(status=ClearanceStatus.PENDING)
        return Clearance(
            status=self.status,
            physician=self.physician_name,
            date=self.valid_from,
            valid_until=self.valid_until,
            excluded_modalities=list(self.excluded_modalities),
        )


class ClearanceOutcome(_Record):
    """A recorded clearance and the decision re-screened with it."""

    clearance: ClearanceRecord
    screening: DecisionRecord


class AwaitingPhysician(_Record):
    """A pending clearance request on a patient's current assessment."""

    patient: PatientRecord
    clearance: ClearanceRecord
    assessment: AssessmentRecord
    verdict: Verdict | None


class PatientOverview(_Record):
    """A patient with the latest assessments, their latest decisions, the clearance."""

    patient: PatientRecord
    assessments: list[AssessmentRecord]
    decisions: dict[int, DecisionRecord]
    clearance: ClearanceRecord | None


class AuditEntry(_Record):
    id: int
    at: dt.datetime
    clinic_id: int | None
    user_id: int | None
    username: str | None
    role: str | None
    interface: str
    action: str
    entity: str
    entity_id: str | None
    patient_id: int | None
    detail: dict[str, Any] | None
    client_address: str | None = None
    patient_ids: list[int] = Field(
        default_factory=list, description="the patients a list showed (one event)"
    )

    @field_validator("patient_ids", mode="before")
    @classmethod
    def _listed(cls, value: object) -> object:
        if value is None:
            return []
        if isinstance(value, str):
            return [int(part) for part in value.strip(",").split(",") if part]
        return value


class RuleChange(_Record):
    rule: str
    before: RuleState
    after: RuleState


class ReplayChange(_Record):
    """One stored decision that the knowledge base in force would decide otherwise."""

    patient_id: int
    record_number: str
    assessment_id: int
    number: int
    version: int
    current: bool
    decision_id: int
    kb_version_before: str
    verdict_before: Verdict
    verdict_after: Verdict
    modalities: dict[Modality, tuple[ModalityStatus, ModalityStatus]]
    rules: list[RuleChange]


class ReplayReport(_Record):
    kb_version: str
    engine_version: str
    checked: int
    changes: list[ReplayChange]

    def patient_ids(self) -> list[int]:
        """The affected patients, each once, in id order."""
        return sorted({c.patient_id for c in self.changes})


class DatabaseStatus(_Record):
    backend: str
    url: str
    revision: str | None
    head: str

    @property
    def up_to_date(self) -> bool:
        return self.revision == self.head
