"""Tables of the outcome loop (revision 0008o): text packs, consents, due
questionnaires, the outbox and the review a worsening outcome asks for.

* ``questionnaire_text_packs``: a clinic's licensed item texts, one row per import
  (the newest of an instrument and language is in force; older rows stay for links
  issued with them).
* ``consents``: an append-only log of consents given and withdrawn (who, when, which
  text version); the newest row of a patient and kind is the current state.
* ``questionnaire_due``: one dated questionnaire of a plan's schedule (baseline,
  mid-course, discharge, follow-up); unique per plan, instrument and milestone.
* ``outbox``: every message to a patient with its status, attempts, last error and
  next attempt; ``dedupe_key`` is unique, so a message is queued at most once.
* ``course_reviews``: "review before the next session", open until resolved.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from spinewise.store.courses_tables import _created, _of_patient, _one_of
from spinewise.store.tables import Base

CONSENT_KINDS = ("treatment", "data_processing", "contact")
OUTBOX_STATUSES = ("pending", "sent", "logged", "failed", "cancelled")
MILESTONES = ("baseline", "mid_course", "discharge", "follow_up")


class TextPackRow(Base):
    __tablename__ = "questionnaire_text_packs"
    __table_args__ = (Index(None, "clinic_id", "instrument", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"))
    instrument: Mapped[str] = mapped_column(String(16))
    version: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(Text)
    licence: Mapped[str] = mapped_column(Text)
    pack: Mapped[dict[str, Any]]
    digest: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[dt.datetime] = _created()
    imported_by: Mapped[int] = mapped_column(ForeignKey("users.id"))


class ConsentRow(Base):
    """One consent given or withdrawn; never updated."""

    __tablename__ = "consents"
    __table_args__ = (
        _of_patient(),
        _one_of("kind", CONSENT_KINDS, "kind_known"),
        Index(None, "clinic_id", "patient_id", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"))
    patient_id: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(32))
    given: Mapped[bool] = mapped_column(Boolean)
    text_version: Mapped[str] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[dt.datetime] = _created()
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class DueItemRow(Base):
    __tablename__ = "questionnaire_due"
    __table_args__ = (
        _of_patient(),
        _one_of("milestone", MILESTONES, "milestone_known"),
        UniqueConstraint("plan_id", "instrument", "milestone"),
        Index(None, "clinic_id", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"))
    patient_id: Mapped[int] = mapped_column(Integer)
    plan_id: Mapped[int] = mapped_column(ForeignKey("course_plans.id"))
    instrument: Mapped[str] = mapped_column(String(16))
    milestone: Mapped[str] = mapped_column(String(16))
    due_on: Mapped[dt.date] = mapped_column(Date)
    link_id: Mapped[int | None] = mapped_column(ForeignKey("questionnaire_links.id"))
    response_id: Mapped[int | None] = mapped_column(
        ForeignKey("questionnaire_responses.id")
    )
    reminded_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = _created()
    # revision 0010t: set when the course ended before the item was answered
    cancelled_at: Mapped[dt.datetime | None]


class OutboxRow(Base):
    __tablename__ = "outbox"
    __table_args__ = (
        _of_patient(),
        _one_of("status", OUTBOX_STATUSES, "status_known"),
        Index(None, "status", "next_attempt_at"),
        Index(None, "clinic_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"))
    patient_id: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(32))
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    to_address: Mapped[str | None] = mapped_column(String(320))
    language: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    link_id: Mapped[int | None] = mapped_column(ForeignKey("questionnaire_links.id"))
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[dt.datetime | None]
    claimed_until: Mapped[dt.datetime | None]
    sent_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = _created()
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class CourseReviewRow(Base):
    """An outcome asked for a review before the next session; open until resolved."""

    __tablename__ = "course_reviews"
    __table_args__ = (_of_patient(), Index(None, "clinic_id", "patient_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"))
    patient_id: Mapped[int] = mapped_column(Integer)
    plan_id: Mapped[int] = mapped_column(ForeignKey("course_plans.id"))
    trigger: Mapped[str] = mapped_column(String(200), default="")
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    raised_at: Mapped[dt.datetime] = _created()
    resolved_at: Mapped[dt.datetime | None]
    resolved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolution: Mapped[str | None] = mapped_column(String(16))
    resolution_note: Mapped[str | None] = mapped_column(Text)
