"""The tables (SQLAlchemy 2 declarative): shapes, keys and constraints, no domain rules.

Every constraint is named through ``NAMING`` so later Alembic revisions can alter it on
SQLite (batch mode) and PostgreSQL alike. New tables (questionnaire links, course plans,
sessions) subclass ``Base`` in their own module and arrive as new Alembic revisions.

Tenancy is carried on every clinical row: ``clinic_id`` sits beside ``patient_id`` and a
composite foreign key to ``patients (id, clinic_id)`` keeps the two consistent, so every
query can filter on the clinic directly.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    mapped_column,
)

from spinewise.store.columns import UtcDateTime, utc_now
from spinewise.store.packing import unpack_answers, unpack_outcome

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

AuditId = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dt.datetime: UtcDateTime,
        dict[str, Any]: JSON,
    }


def _created() -> Mapped[dt.datetime]:
    return mapped_column(UtcDateTime, default=utc_now)


class ClinicRow(Base):
    __tablename__ = "clinics"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[dt.datetime] = _created()
    # Revision 0009d: the clinic's own retention period in years (None: the setting).
    retention_years: Mapped[int | None] = mapped_column(Integer)


class UserRow(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"), index=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = _created()
    # Accounts (revision 0005): a temporary password must be changed at next sign-in;
    # a TOTP secret is pending until confirmed with a code (``totp_enabled``);
    # ``totp_last_step`` is the last accepted time step, so a code works only once.
    must_change_password: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    password_changed_at: Mapped[dt.datetime | None]
    # the secret is stored encrypted, ``v1:<key id>:<base64>`` (revision 0011t: wider)
    totp_secret: Mapped[str | None] = mapped_column(String(160))
    totp_enabled: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    # Languages (revision 0009i): the language the user's pages are written in; none
    # chosen: the browser's (Accept-Language).
    language: Mapped[str | None] = mapped_column(String(16))


class ApiTokenRow(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = _created()
    expires_at: Mapped[dt.datetime | None]
    revoked_at: Mapped[dt.datetime | None]
    last_used_at: Mapped[dt.datetime | None]


class PatientRow(Base):
    __tablename__ = "patients"
    __table_args__ = (
        UniqueConstraint("clinic_id", "record_number"),
        UniqueConstraint("id", "clinic_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"))
    record_number: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    birth_date: Mapped[dt.date | None] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = _created()
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    search_key: Mapped[str] = mapped_column(Text, server_default="")
    """Name, record number and birth date normalised for search (``store.search``)."""

    # Outcome loop (revision 0008o): optional e-mail and the language of the
    # patient's questionnaires and messages.
    email: Mapped[str | None] = mapped_column(String(320))
    language: Mapped[str] = mapped_column(String(64), default="en", server_default="en")
    # Revision 0009d: when the personal data was erased; ``erasing`` is true only
    # inside the erasing transaction (the guards on signed rows let it through).
    erased_at: Mapped[dt.datetime | None]
    erasing: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )


class PatientRevisionRow(Base):
    """A patient's details as they were before one edit (newest edit last)."""

    __tablename__ = "patient_revisions"
    __table_args__ = (
        ForeignKeyConstraint(
            ["patient_id", "clinic_id"], ["patients.id", "patients.clinic_id"]
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"))
    patient_id: Mapped[int] = mapped_column(Integer, index=True)
    changed_at: Mapped[dt.datetime] = _created()
    changed_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    previous: Mapped[dict[str, Any]] = mapped_column(JSON)


def _of_patient() -> ForeignKeyConstraint:
    return ForeignKeyConstraint(
        ["patient_id", "clinic_id"], ["patients.id", "patients.clinic_id"]
    )


class AssessmentRow(Base):
    """One submitted version of one assessment; never updated (a trigger refuses it)."""

    __tablename__ = "assessments"
    __table_args__ = (
        _of_patient(),
        UniqueConstraint("patient_id", "number", "version"),
        CheckConstraint("number >= 1", name="number_positive"),
        CheckConstraint("version >= 1", name="version_positive"),
        Index(None, "clinic_id", "patient_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"))
    patient_id: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer)
    amends_id: Mapped[int | None] = mapped_column(ForeignKey("assessments.id"))
    assessed_on: Mapped[dt.date] = mapped_column(Date)
    submitted_at: Mapped[dt.datetime] = _created()
    submitted_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # Compact storage (revision 0009s): the document as packed answers (store.packing).
    answers: Mapped[str] = mapped_column(Text)

    @property
    def document(self) -> dict[str, Any]:
        """The submitted contract document."""
        return unpack_answers(self.answers)


class DecisionRow(Base):
    """A screening decision with its full input and the versions it was made with."""

    __tablename__ = "decisions"
    __table_args__ = (
        _of_patient(),
        CheckConstraint("kb_version <> ''", name="kb_version_not_empty"),
        CheckConstraint("engine_version <> ''", name="engine_version_not_empty"),
        Index(None, "clinic_id", "patient_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"))
    patient_id: Mapped[int] = mapped_column(Integer)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), index=True)
    verdict: Mapped[str] = mapped_column(String(32))
    kb_version: Mapped[str] = mapped_column(String(64))
    engine_version: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[dt.datetime] = _created()
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # Compact storage (revision 0009s): the input as packed answers, the output
    # deflated (store.packing).
    answers: Mapped[str] = mapped_column(Text)
    outcome: Mapped[bytes] = mapped_column(LargeBinary)
    # Revision 0011r: the input's cohort fields as a fixed-width record and its
    # lists as JSON (store.cohort_record); null when the input is outside the layout.
    cohort: Mapped[bytes | None] = mapped_column(LargeBinary)
    cohort_lists: Mapped[str | None] = mapped_column(Text)

    @property
    def input(self) -> dict[str, Any]:
        """The assessment screened, with the clearance the store supplied."""
        return unpack_answers(self.answers)

    @property
    def output(self) -> dict[str, Any]:
        """The decision's contract document."""
        return unpack_outcome(self.outcome)


class ClearanceRow(Base):
    """A physician clearance: requested (pending), then decided once."""

    __tablename__ = "clearances"
    __table_args__ = (_of_patient(), Index(None, "clinic_id", "status"))

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"))
    patient_id: Mapped[int] = mapped_column(Integer, index=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"))
    status: Mapped[str] = mapped_column(String(16))
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[dt.datetime] = _created()
    request_note: Mapped[str | None] = mapped_column(Text)
    physician_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[dt.datetime | None]
    valid_from: Mapped[dt.date | None] = mapped_column(Date)
    valid_until: Mapped[dt.date | None] = mapped_column(Date)
    excluded_modalities: Mapped[list[str]] = mapped_column(JSON, default=list)
    reason: Mapped[str | None] = mapped_column(Text)


class AuditRow(Base):
    """One audit event; append-only (triggers refuse UPDATE and DELETE).

    ``client_address`` is where the request came from (``local`` for the command
    line); ``patient_ids`` lists, as ``,3,17,``, the patients a list page showed
    (one event for the whole list), so a search by patient finds that read too.

    No foreign keys: the trail must outlive anything it mentions.
    """

    __tablename__ = "audit_log"
    __table_args__ = (Index(None, "clinic_id", "at"), Index(None, "patient_id"))

    id: Mapped[int] = mapped_column(AuditId, primary_key=True)
    at: Mapped[dt.datetime] = _created()
    clinic_id: Mapped[int | None] = mapped_column(Integer)
    user_id: Mapped[int | None] = mapped_column(Integer)
    username: Mapped[str | None] = mapped_column(String(64))
    role: Mapped[str | None] = mapped_column(String(32))
    interface: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(32))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str | None] = mapped_column(String(64))
    patient_id: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[dict[str, Any] | None]
    client_address: Mapped[str | None] = mapped_column(String(64))
    patient_ids: Mapped[str | None] = mapped_column(Text)


metadata = Base.metadata
