"""Repository of consents given and withdrawn (clinic-scoped, append-only)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from spinewise.store.outreach_tables import ConsentRow


class Consents:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, **values: Any) -> ConsentRow:
        row = ConsentRow(**values)
        self._session.add(row)
        self._session.flush()
        return row

    def of_patient(self, clinic_id: int, patient_id: int) -> list[ConsentRow]:
        """Every consent event of the patient, oldest first."""
        return list(
            self._session.scalars(
                select(ConsentRow)
                .where(
                    ConsentRow.clinic_id == clinic_id,
                    ConsentRow.patient_id == patient_id,
                )
                .order_by(ConsentRow.id)
            )
        )

    def current(self, clinic_id: int, patient_id: int, kind: str) -> ConsentRow | None:
        """The newest event of one kind (None: never asked)."""
        return self._session.scalar(
            select(ConsentRow)
            .where(
                ConsentRow.clinic_id == clinic_id,
                ConsentRow.patient_id == patient_id,
                ConsentRow.kind == kind,
            )
            .order_by(ConsentRow.id.desc())
            .limit(1)
        )
