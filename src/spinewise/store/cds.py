"""CDS Hooks cards shown to EHR users and the feedback on them (per rule).

Registered on the same ``Base.metadata`` as ``tables.py`` (found by
``complete_metadata``), created by revision 0003.

* ``cds_cards_shown``: one row per card returned by a hook call (its ``card_uuid`` is
  what the EHR's feedback names), with the rule it rests on (or ``missing``,
  ``verdict``, ``no-assessment``, ``unreadable-assessment``). Written when the cards
  are returned, so "shown" counts are real; never changed.
* ``cds_feedback``: each accepted / overridden outcome the EHR reported, with the
  override reason and the clinician's comment; never changed (a card may get several).

Build the repository on a unit of work's session: ``CdsCards(uow.session)``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    case,
    func,
    insert,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from spinewise.store.columns import UtcDateTime, utc_now
from spinewise.store.tables import Base

OUTCOMES = ("accepted", "overridden")


class CdsCardRow(Base):
    __tablename__ = "cds_cards_shown"
    __table_args__ = (Index(None, "clinic_id", "shown_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    card_uuid: Mapped[str] = mapped_column(String(64), unique=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"))
    service_id: Mapped[str] = mapped_column(String(64))
    rule: Mapped[str] = mapped_column(String(64))
    indicator: Mapped[str] = mapped_column(String(16))
    overridable: Mapped[bool] = mapped_column(Boolean)
    hook_instance: Mapped[str] = mapped_column(String(128))
    issuer: Mapped[str] = mapped_column(String(255))
    shown_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)


class CdsFeedbackRow(Base):
    __tablename__ = "cds_feedback"
    __table_args__ = (
        CheckConstraint("outcome IN ('accepted', 'overridden')", name="outcome_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"))
    card_id: Mapped[int] = mapped_column(ForeignKey("cds_cards_shown.id"), index=True)
    outcome: Mapped[str] = mapped_column(String(16))
    reason_code: Mapped[str | None] = mapped_column(String(128))
    reason_system: Mapped[str | None] = mapped_column(String(255))
    reason_display: Mapped[str | None] = mapped_column(String(255))
    comment: Mapped[str | None] = mapped_column(Text)
    outcome_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    received_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)


class CdsCards:
    """The cards shown and their feedback, scoped to a clinic."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add_shown(self, rows: list[dict[str, Any]]) -> int:
        """Insert cards (``CdsCardRow`` columns) whose uuid is new; the number added.

        A hook call the EHR repeats (same ``hookInstance``) gives the same card uuids:
        those are shown once.
        """
        uuids = [r["card_uuid"] for r in rows]
        known: set[str] = set(
            self._session.scalars(
                select(CdsCardRow.card_uuid).where(CdsCardRow.card_uuid.in_(uuids))
            )
        )
        new = []
        for row in rows:  # a repeated call in the same batch counts once too
            if row["card_uuid"] not in known:
                known.add(row["card_uuid"])
                new.append(row)
        if new:
            at = utc_now()
            self._session.execute(
                insert(CdsCardRow), [{"shown_at": at, **r} for r in new]
            )
        return len(new)

    def by_uuid(self, clinic_id: int, uuids: Iterable[str]) -> dict[str, CdsCardRow]:
        """The clinic's cards with these uuids."""
        query = select(CdsCardRow).where(
            CdsCardRow.clinic_id == clinic_id, CdsCardRow.card_uuid.in_(list(uuids))
        )
        return {row.card_uuid: row for row in self._session.scalars(query)}

    def add_feedback(self, rows: list[dict[str, Any]]) -> None:
        """Insert feedback (``CdsFeedbackRow`` columns) in one statement."""
        if rows:
            at = utc_now()
            self._session.execute(
                insert(CdsFeedbackRow), [{"received_at": at, **r} for r in rows]
            )

    def shown_counts(
        self, clinic_id: int, since: dt.datetime | None = None
    ) -> dict[str, tuple[int, int]]:
        """Rule -> (cards shown, of which overridable) of the clinic since ``since``."""
        overridable = func.sum(case((CdsCardRow.overridable, 1), else_=0))
        query = (
            select(CdsCardRow.rule, func.count(), overridable)
            .where(CdsCardRow.clinic_id == clinic_id)
            .group_by(CdsCardRow.rule)
        )
        if since is not None:
            query = query.where(CdsCardRow.shown_at >= since)
        rows = self._session.execute(query).tuples()
        return {rule: (int(n), int(o or 0)) for rule, n, o in rows}

    def feedback(
        self, clinic_id: int, since: dt.datetime | None = None
    ) -> list[tuple[CdsFeedbackRow, CdsCardRow]]:
        """The feedback on the clinic's cards shown since ``since``, with its card,
        in the order it was received."""
        query = (
            select(CdsFeedbackRow, CdsCardRow)
            .join(CdsCardRow, CdsFeedbackRow.card_id == CdsCardRow.id)
            .where(CdsCardRow.clinic_id == clinic_id)
            .order_by(CdsFeedbackRow.id)
        )
        if since is not None:
            query = query.where(CdsCardRow.shown_at >= since)
        return [(f, c) for f, c in self._session.execute(query).tuples()]
