"""What the course services return: plans, signed session notes, re-screen flags,
questionnaire responses and links, outcome series. Frozen, detached from the session.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from spinewise.models import Modality
from spinewise.models.outcome import Change, Instrument, Score
from spinewise.models.plan import CoursePlan
from spinewise.models.session import SessionRecord, StopDecision, StopReason
from spinewise.store import (
    CoursePlanRow,
    QuestionnaireResponseRow,
    RescreenFlagRow,
    SessionNoteRow,
)


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, from_attributes=True)


class PlanStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    COMPLETED = "completed"
    SUPERSEDED = "superseded"


class PlanRecord(_Record):
    """An issued course plan and where it stands (suspended: waits for re-screening)."""

    id: int
    patient_id: int
    decision_id: int
    status: PlanStatus
    start_date: dt.date
    kb_version: str
    planner_version: str
    suspended_reason: str | None
    suspended_at: dt.datetime | None
    suspended_modalities: list[Modality]
    created_at: dt.datetime
    created_by: int
    plan: CoursePlan
    therapist_id: int | None = None


class SessionNoteRecord(_Record):
    """One signed version of a session note, with the stop rules' decision on it."""

    id: int
    patient_id: int
    plan_id: int
    session_number: int
    version: int
    amends_id: int | None
    record: SessionRecord
    stop: StopDecision
    amendment_reason: str | None
    signed_by: int
    signed_by_name: str | None
    signed_at: dt.datetime


class RescreenFlagRecord(_Record):
    """A session's stop rules asked for re-screening; open until a newer decision."""

    id: int
    patient_id: int
    plan_id: int
    session_note_id: int
    reasons: list[StopReason]
    raised_at: dt.datetime
    raised_by: int


class SessionOutcome(_Record):
    """A stored note, the plan after it, and the re-screen flag it raised (if any)."""

    note: SessionNoteRecord
    plan: PlanRecord
    flag: RescreenFlagRecord | None
    review_id: int | None = None
    """A "review before the next session" this note raised (pain rising)."""


class ResponseRecord(_Record):
    id: int
    patient_id: int
    instrument: Instrument
    answered_on: dt.date
    answers: list[int | None]
    score: Score
    via_link: bool
    created_at: dt.datetime
    created_by: int | None


class QuestionnaireLink(_Record):
    """A new link: ``token`` is shown once (stored only as a hash)."""

    id: int
    patient_id: int
    instrument: Instrument
    token: str
    expires_at: dt.datetime
    language: str = "en"
    title: str = ""
    text_pack_id: int | None = None


class LinkItem(_Record):
    """One item as the patient reads it; option ``i`` scores ``i``."""

    text: str
    options: tuple[str, ...]


class LinkView(_Record):
    """What the patient's form needs: which questionnaire, its texts, until when."""

    instrument: Instrument
    item_count: int
    expires_at: dt.datetime
    title: str = ""
    language: str = "en"
    items: tuple[LinkItem, ...] = ()


class OutcomeSeries(_Record):
    """One instrument's scores over time, changes from the baseline, and the chart."""

    instrument: Instrument
    name: str
    responses: list[ResponseRecord]
    changes: list[Change]
    latest: Change | None
    chart_svg: str | None
    note: str | None = None
    advisory: str | None = None


class SessionPain(_Record):
    """One signed session's pain ratings (the latest version of its note)."""

    session_number: int
    performed_on: dt.date
    before: int
    after: int


class OutcomesReport(_Record):
    patient_id: int
    series: list[OutcomeSeries]
    session_pain: list[SessionPain] = []
    session_pain_svg: str | None = None
    advisories: list[str] = []


def plan_record(row: CoursePlanRow) -> PlanRecord:
    """The row's columns as they are: pydantic validates status, modalities, plan."""
    return PlanRecord.model_validate(row)


def note_record(row: SessionNoteRow, signer: str | None) -> SessionNoteRecord:
    return SessionNoteRecord(
        id=row.id,
        patient_id=row.patient_id,
        plan_id=row.plan_id,
        session_number=row.session_number,
        version=row.version,
        amends_id=row.amends_id,
        record=SessionRecord.model_validate(row.record),
        stop=StopDecision.model_validate(row.stop_decision),
        amendment_reason=row.amendment_reason,
        signed_by=row.signed_by,
        signed_by_name=signer,
        signed_at=row.signed_at,
    )


def flag_record(row: RescreenFlagRow) -> RescreenFlagRecord:
    return RescreenFlagRecord.model_validate(row)


def response_record(row: QuestionnaireResponseRow) -> ResponseRecord:
    return ResponseRecord(
        id=row.id,
        patient_id=row.patient_id,
        instrument=Instrument(row.instrument),
        answered_on=row.answered_on,
        answers=list(row.answers),
        score=Score.model_validate(row.score),
        via_link=row.link_id is not None,
        created_at=row.created_at,
        created_by=row.created_by,
    )
