"""Tables of the course: plans, signed session notes, re-screen flags, questionnaires.

Registered on the same ``Base.metadata`` as ``tables.py`` (imported by
``spinewise.store``), created by revision 0002. Like every clinical row they carry
``clinic_id`` beside ``patient_id`` with a composite foreign key to the patient.

* ``course_plans``: the issued plan (JSON of ``CoursePlan``) and the decision it came
  from; only ``status`` and the suspension columns ever change (a trigger refuses a
  change of the plan itself).
* ``session_notes``: one row per signed version; an amendment is a new row with
  ``version + 1`` and ``amends_id``; triggers refuse UPDATE and DELETE.
* ``rescreen_flags``: raised when a session's stop rules suspend the plan; open until
  an assessment submitted after it (newer than ``assessment_id``) has been screened.
* ``questionnaire_responses`` (immutable) and ``questionnaire_links`` (single use: only
  ``used_at`` and ``response_id`` are ever set, once).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from spinewise.store.columns import UtcDateTime, utc_now
from spinewise.store.tables import Base

PLAN_STATUSES = ("active", "suspended", "completed", "superseded")
INSTRUMENTS = ("nrs", "odi", "rmdq", "ndi", "startback")


def _of_patient() -> ForeignKeyConstraint:
    return ForeignKeyConstraint(
        ["patient_id", "clinic_id"], ["patients.id", "patients.clinic_id"]
    )


def _one_of(column: str, values: tuple[str, ...], name: str) -> CheckConstraint:
    listed = ", ".join(f"'{v}'" for v in values)
    return CheckConstraint(f"{column} IN ({listed})", name=name)


def _created() -> Mapped[dt.datetime]:
    return mapped_column(UtcDateTime, default=utc_now)


class CoursePlanRow(Base):
    __tablename__ = "course_plans"
    __table_args__ = (
        _of_patient(),
        _one_of("status", PLAN_STATUSES, "status_known"),
        Index(None, "clinic_id", "patient_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"))
    patient_id: Mapped[int] = mapped_column(Integer)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"))
    start_date: Mapped[dt.date] = mapped_column(Date)
    kb_version: Mapped[str] = mapped_column(String(64))
    planner_version: Mapped[str] = mapped_column(String(32))
    plan: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(16))
    suspended_reason: Mapped[str | None] = mapped_column(Text)
    suspended_at: Mapped[dt.datetime | None]
    suspended_modalities: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[dt.datetime] = _created()
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # Revision 0009d: the therapist who carries the plan (None: nobody yet).
    therapist_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class SessionNoteRow(Base):
    """One signed version of one session note; never updated, never deleted."""

    __tablename__ = "session_notes"
    __table_args__ = (
        _of_patient(),
        UniqueConstraint("plan_id", "session_number", "version"),
        CheckConstraint("session_number >= 1", name="session_number_positive"),
        CheckConstraint("version >= 1", name="version_positive"),
        CheckConstraint("pain_before BETWEEN 0 AND 10", name="pain_before_nrs"),
        CheckConstraint("pain_after BETWEEN 0 AND 10", name="pain_after_nrs"),
        Index(None, "clinic_id", "patient_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"))
    patient_id: Mapped[int] = mapped_column(Integer)
    plan_id: Mapped[int] = mapped_column(ForeignKey("course_plans.id"))
    session_number: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer)
    amends_id: Mapped[int | None] = mapped_column(ForeignKey("session_notes.id"))
    performed_on: Mapped[dt.date] = mapped_column(Date)
    modality: Mapped[str] = mapped_column(String(16))
    pain_before: Mapped[int] = mapped_column(Integer)
    pain_after: Mapped[int] = mapped_column(Integer)
    record: Mapped[dict[str, Any]]
    stop_decision: Mapped[dict[str, Any]]
    amendment_reason: Mapped[str | None] = mapped_column(Text)
    signed_at: Mapped[dt.datetime] = _created()
    signed_by: Mapped[int] = mapped_column(ForeignKey("users.id"))


class RescreenFlagRow(Base):
    """A session's stop rules asked for re-screening; open until a newer assessment
    (one submitted after the flag) has a screening decision."""

    __tablename__ = "rescreen_flags"
    __table_args__ = (_of_patient(), Index(None, "clinic_id", "patient_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"))
    patient_id: Mapped[int] = mapped_column(Integer)
    plan_id: Mapped[int] = mapped_column(ForeignKey("course_plans.id"))
    session_note_id: Mapped[int] = mapped_column(ForeignKey("session_notes.id"))
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"))
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    raised_at: Mapped[dt.datetime] = _created()
    raised_by: Mapped[int] = mapped_column(ForeignKey("users.id"))


class QuestionnaireLinkRow(Base):
    """A single-use, expiring link for one patient to answer one questionnaire."""

    __tablename__ = "questionnaire_links"
    __table_args__ = (
        _of_patient(),
        _one_of("instrument", INSTRUMENTS, "instrument_known"),
        Index(None, "clinic_id", "patient_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"))
    patient_id: Mapped[int] = mapped_column(Integer)
    instrument: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = _created()
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Revision 0008o: the language and text pack the link shows (no pack: the
    # built-in wording); a cancelled link opens no more.
    language: Mapped[str] = mapped_column(String(64), default="en", server_default="en")
    text_pack_id: Mapped[int | None] = mapped_column(
        ForeignKey("questionnaire_text_packs.id")
    )
    cancelled_at: Mapped[dt.datetime | None]


class QuestionnaireResponseRow(Base):
    """A patient's answers with their score; never updated."""

    __tablename__ = "questionnaire_responses"
    __table_args__ = (
        _of_patient(),
        _one_of("instrument", INSTRUMENTS, "instrument_known"),
        Index(None, "clinic_id", "patient_id", "instrument"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"))
    patient_id: Mapped[int] = mapped_column(Integer)
    instrument: Mapped[str] = mapped_column(String(16))
    answered_on: Mapped[dt.date] = mapped_column(Date)
    answers: Mapped[list[int | None]] = mapped_column(JSON)
    score: Mapped[dict[str, Any]]
    link_id: Mapped[int | None] = mapped_column(
        ForeignKey("questionnaire_links.id"), unique=True
    )
    created_at: Mapped[dt.datetime] = _created()
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
