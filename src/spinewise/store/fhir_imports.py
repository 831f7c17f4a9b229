"""Where imported FHIR data came from, so importing it again adds nothing.

Registered on the same ``Base.metadata`` as ``tables.py`` (found by
``complete_metadata``), created by revision 0007.

* ``patient_identifiers``: the identifiers (system + value) a patient is known by in
  other systems (an EHR's record number), unique per clinic: an import finds its
  patient by any of them.
* ``fhir_imports``: one row per imported resource version: its type, FHIR id and
  source (``meta.source``, else the Bundle's), the digest of what it said, and the
  assessment it became. The same id and source again with the same digest is
  already there; with another digest it is stored as an amendment of that
  assessment (the original stays). Rows are only ever added.

Build the repository on a unit of work's session: ``FhirImports(uow.session)``.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, ForeignKeyConstraint, Index, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from spinewise.store.columns import UtcDateTime, utc_now
from spinewise.store.tables import Base


class PatientIdentifierRow(Base):
    __tablename__ = "patient_identifiers"
    __table_args__ = (
        ForeignKeyConstraint(
            ["patient_id", "clinic_id"], ["patients.id", "patients.clinic_id"]
        ),
        Index(None, "clinic_id", "system", "value", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"))
    patient_id: Mapped[int] = mapped_column(index=True)
    system: Mapped[str] = mapped_column(String(255))
    value: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)


class FhirImportRow(Base):
    __tablename__ = "fhir_imports"
    __table_args__ = (
        ForeignKeyConstraint(
            ["patient_id", "clinic_id"], ["patients.id", "patients.clinic_id"]
        ),
        Index(None, "clinic_id", "resource_type", "source", "fhir_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"))
    patient_id: Mapped[int] = mapped_column()
    resource_type: Mapped[str] = mapped_column(String(64))
    fhir_id: Mapped[str] = mapped_column(String(255))
    source: Mapped[str] = mapped_column(String(255))
    digest: Mapped[str] = mapped_column(String(64))
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"))
    imported_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    imported_by: Mapped[int] = mapped_column(ForeignKey("users.id"))


class FhirImports:
    """The identifiers and import provenance of a clinic's patients."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def patient_by_identifier(
        self, clinic_id: int, identifiers: list[tuple[str, str]]
    ) -> set[int]:
        """The ids of the clinic's patients known by any of ``identifiers``."""
        found: set[int] = set()
        for system, value in identifiers:
            query = select(PatientIdentifierRow.patient_id).where(
                PatientIdentifierRow.clinic_id == clinic_id,
                PatientIdentifierRow.system == system,
                PatientIdentifierRow.value == value,
            )
            found.update(self._session.scalars(query))
        return found

    def add_identifiers(
        self, clinic_id: int, patient_id: int, identifiers: list[tuple[str, str]]
    ) -> None:
        """Record the identifiers the patient does not have yet."""
        for system, value in identifiers:
            if not self.patient_by_identifier(clinic_id, [(system, value)]):
                self._session.add(
                    PatientIdentifierRow(
                        clinic_id=clinic_id,
                        patient_id=patient_id,
                        system=system,
                        value=value,
                    )
                )
        self._session.flush()

    def latest(
        self, clinic_id: int, resource_type: str, source: str, fhir_id: str
    ) -> FhirImportRow | None:
        """The last import of this resource from this source, if any."""
        query = (
            select(FhirImportRow)
            .where(
                FhirImportRow.clinic_id == clinic_id,
                FhirImportRow.resource_type == resource_type,
                FhirImportRow.source == source,
                FhirImportRow.fhir_id == fhir_id,
            )
            .order_by(FhirImportRow.id.desc())
            .limit(1)
        )
        return self._session.scalar(query)

    def add(self, **values: object) -> FhirImportRow:
        """Record one imported resource version (``FhirImportRow`` columns)."""
        row = FhirImportRow(**values)
        self._session.add(row)
        self._session.flush()
        return row
