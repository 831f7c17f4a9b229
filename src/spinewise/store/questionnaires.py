"""Repositories of questionnaire responses and questionnaire links (clinic-scoped).

A link is looked up by the hash of its token only, never by the token itself; using
it is a conditional update, so a link answers at most one questionnaire even when two
submissions race.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from spinewise.store.courses_tables import (
    QuestionnaireLinkRow,
    QuestionnaireResponseRow,
)


class QuestionnaireResponses:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, **values: Any) -> QuestionnaireResponseRow:
        """Insert a response; ``values`` are ``QuestionnaireResponseRow`` columns."""
        row = QuestionnaireResponseRow(**values)
        self._session.add(row)
        self._session.flush()
        return row

    def get(self, clinic_id: int, response_id: int) -> QuestionnaireResponseRow | None:
        query = select(QuestionnaireResponseRow).where(
            QuestionnaireResponseRow.id == response_id,
            QuestionnaireResponseRow.clinic_id == clinic_id,
        )
        return self._session.scalar(query)

    def of_patient(
        self, clinic_id: int, patient_id: int, instrument: str | None = None
    ) -> list[QuestionnaireResponseRow]:
        """The patient's responses in the order answered (date, then id)."""
        query = select(QuestionnaireResponseRow).where(
            QuestionnaireResponseRow.clinic_id == clinic_id,
            QuestionnaireResponseRow.patient_id == patient_id,
        )
        if instrument is not None:
            query = query.where(QuestionnaireResponseRow.instrument == instrument)
        query = query.order_by(
            QuestionnaireResponseRow.answered_on, QuestionnaireResponseRow.id
        )
        return list(self._session.scalars(query))


class QuestionnaireLinks:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, **values: Any) -> QuestionnaireLinkRow:
        row = QuestionnaireLinkRow(**values)
        self._session.add(row)
        self._session.flush()
        return row

    def by_token_hash(self, token_hash: str) -> QuestionnaireLinkRow | None:
        query = select(QuestionnaireLinkRow).where(
            QuestionnaireLinkRow.token_hash == token_hash
        )
        return self._session.scalar(query)

    def of_patient(self, clinic_id: int, patient_id: int) -> list[QuestionnaireLinkRow]:
        query = (
            select(QuestionnaireLinkRow)
            .where(
                QuestionnaireLinkRow.clinic_id == clinic_id,
                QuestionnaireLinkRow.patient_id == patient_id,
            )
            .order_by(QuestionnaireLinkRow.id.desc())
        )
        return list(self._session.scalars(query))

    def use(self, link_id: int, at: dt.datetime) -> bool:
        """Mark the link used unless it already was or has expired; True if it won."""
        result = self._session.execute(
            update(QuestionnaireLinkRow)
            .where(
                QuestionnaireLinkRow.id == link_id,
                QuestionnaireLinkRow.used_at.is_(None),
                QuestionnaireLinkRow.cancelled_at.is_(None),
                QuestionnaireLinkRow.expires_at > at,
            )
            .values(used_at=at)
            .execution_options(synchronize_session=False)
        )
        return bool(getattr(result, "rowcount", 0) == 1)

    def cancel(self, clinic_id: int, link_id: int, at: dt.datetime) -> bool:
        """Cancel an open link of the clinic; True if it was open."""
        result = self._session.execute(
            update(QuestionnaireLinkRow)
            .where(
                QuestionnaireLinkRow.id == link_id,
                QuestionnaireLinkRow.clinic_id == clinic_id,
                QuestionnaireLinkRow.used_at.is_(None),
                QuestionnaireLinkRow.cancelled_at.is_(None),
            )
            .values(cancelled_at=at)
            .execution_options(synchronize_session=False)
        )
        return bool(getattr(result, "rowcount", 0) == 1)
