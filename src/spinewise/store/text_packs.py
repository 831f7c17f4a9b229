"""Repository of the clinic's questionnaire text packs (clinic-scoped, append-only)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from spinewise.store.outreach_tables import TextPackRow


class TextPacks:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, **values: Any) -> TextPackRow:
        row = TextPackRow(**values)
        self._session.add(row)
        self._session.flush()
        return row

    def get(self, clinic_id: int, pack_id: int) -> TextPackRow | None:
        return self._session.scalar(
            select(TextPackRow).where(
                TextPackRow.id == pack_id, TextPackRow.clinic_id == clinic_id
            )
        )

    def current(
        self, clinic_id: int, instrument: str, language: str
    ) -> TextPackRow | None:
        """The newest import of the instrument in the language (None: none yet)."""
        return self._session.scalar(
            select(TextPackRow)
            .where(
                TextPackRow.clinic_id == clinic_id,
                TextPackRow.instrument == instrument,
                TextPackRow.language == language,
            )
            .order_by(TextPackRow.id.desc())
            .limit(1)
        )

    def of_clinic(self, clinic_id: int) -> list[TextPackRow]:
        """Every import of the clinic, newest first."""
        return list(
            self._session.scalars(
                select(TextPackRow)
                .where(TextPackRow.clinic_id == clinic_id)
                .order_by(TextPackRow.id.desc())
            )
        )
