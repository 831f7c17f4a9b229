"""Registering and finding patients; every read is an audit event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict, Field

from spinewise.errors import N_, ConflictError
from spinewise.models import parse_model
from spinewise.services.access.actors import CLINICIANS, Actor, require
from spinewise.services.audit import Action, log, log_reads
from spinewise.services.clinic.plausible import check_birth_date
from spinewise.services.clinic.screening import clearance_in_force
from spinewise.services.convert import (
    assessment_record,
    decision_record,
    patient_record,
)
from spinewise.services.records import PatientOverview, PatientRecord
from spinewise.services.unit import patient_of, unit
from spinewise.store import Store


class NewPatient(BaseModel):
    """A patient as registered: the clinic's record number must be unique in it."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    record_number: str = Field(min_length=1, max_length=64, pattern=r"^\S+$")
    name: str = Field(min_length=1, max_length=200)
    birth_date: dt.date | None = None


def register_patient(
    store: Store, actor: Actor, details: NewPatient | Mapping[str, object]
) -> PatientRecord:
    """A new patient of the actor's clinic."""
    with unit(store, actor) as uow:
        require(actor, CLINICIANS, N_("register patients"))
        if not isinstance(details, NewPatient):
            details = parse_model(NewPatient, details)
        check_birth_date(details.birth_date)
        if uow.patients.by_record_number(actor.clinic_id, details.record_number):
            raise ConflictError(
                N_(
                    "record number {record_number!r} is already used in this clinic",
                    record_number=details.record_number,
                ),
                field="record_number",
            )
        row = uow.patients.add(
            clinic_id=actor.clinic_id,
            record_number=details.record_number,
            name=details.name,
            birth_date=details.birth_date,
            created_by=actor.user_id,
        )
        log(uow, actor, Action.CREATE, "patient", row.id, patient_id=row.id)
        return patient_record(row)


def get_patient(store: Store, actor: Actor, patient_id: int) -> PatientRecord:
    """One patient of the actor's clinic (another clinic's is "not found")."""
    with unit(store, actor, read=True) as uow:
        require(actor, CLINICIANS, N_("read patients"))
        row = patient_of(uow, actor, patient_id)
        log_reads(uow, actor, "patient", [(row.id, row.id)])
        return patient_record(row)


def find_patient(
    store: Store, actor: Actor, record_number: str
) -> PatientRecord | None:
    """The clinic's patient with this record number, if any."""
    with unit(store, actor, read=True) as uow:
        require(actor, CLINICIANS, N_("read patients"))
        row = uow.patients.by_record_number(actor.clinic_id, record_number)
        if row is None:
            return None
        log_reads(uow, actor, "patient", [(row.id, row.id)])
        return patient_record(row)


def list_patients(
    store: Store, actor: Actor, *, limit: int = 100, offset: int = 0
) -> list[PatientRecord]:
    """The clinic's patients in registration order (one audit event for the list)."""
    with unit(store, actor, read=True) as uow:
        require(actor, CLINICIANS, N_("list patients"))
        rows = uow.patients.of_clinic(actor.clinic_id, limit=limit, offset=offset)
        log_reads(uow, actor, "patient", [(r.id, r.id) for r in rows])
        return [patient_record(r) for r in rows]


def patient_overview(
    store: Store, actor: Actor, patient_id: int, *, limit: int = 5
) -> PatientOverview:
    """The patient, the latest assessment versions with their latest decisions, and
    the clearance in force for the current assessment."""
    with unit(store, actor, read=True) as uow:
        require(actor, CLINICIANS, N_("read patients"))
        row = patient_of(uow, actor, patient_id)
        assessments = uow.assessments.of_patient(actor.clinic_id, row.id, limit=limit)
        decisions = uow.decisions.latest_for(
            actor.clinic_id, [a.id for a in assessments]
        )
        clearance = (
            clearance_in_force(uow, actor.clinic_id, row.id, assessments[0].id)
            if assessments
            else None
        )
        log_reads(
            uow,
            actor,
            "patient",
            [(row.id, row.id)],
            detail={"assessments": [a.id for a in assessments]},
        )
        return PatientOverview(
            patient=patient_record(row),
            assessments=[assessment_record(a) for a in assessments],
            decisions={k: decision_record(v) for k, v in decisions.items()},
            clearance=clearance,
        )


class PatientChanges(BaseModel):
    """New details for a patient; a field left out stays as it is."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    record_number: str | None = Field(
        default=None, min_length=1, max_length=64, pattern=r"^\S+$"
    )
    name: str | None = Field(default=None, min_length=1, max_length=200)
    birth_date: dt.date | None = None


class PatientRevision(BaseModel):
    """The patient's details as they were before one edit, who changed them, when."""

    model_config = ConfigDict(frozen=True)

    changed_at: dt.datetime
    changed_by: int
    record_number: str
    name: str
    birth_date: dt.date | None


def update_patient(
    store: Store,
    actor: Actor,
    patient_id: int,
    changes: PatientChanges | Mapping[str, object],
) -> PatientRecord:
    """Change a patient's details; the previous ones are kept as a revision and the
    change is audited (with the names of the fields changed, never their values)."""
    with unit(store, actor) as uow:
        require(actor, CLINICIANS, N_("edit patients"))
        if not isinstance(changes, PatientChanges):
            changes = parse_model(PatientChanges, changes)
        row = patient_of(uow, actor, patient_id, lock=True)
        given = changes.model_dump(include=changes.model_fields_set)
        if given.get("record_number") is None:
            given.pop("record_number", None)
        if given.get("name") is None:
            given.pop("name", None)
        check_birth_date(given.get("birth_date"))
        number = given.get("record_number")
        if number and number != row.record_number:
            if uow.patients.by_record_number(actor.clinic_id, number):
                raise ConflictError(
                    N_(
                        "record number {number!r} is already used in this clinic",
                        number=number,
                    ),
                    field="record_number",
                )
        changed = {k: v for k, v in given.items() if getattr(row, k) != v}
        if changed:
            uow.patients.change(row, actor.user_id, **changed)
            log(
                uow, actor, Action.CHANGE, "patient", row.id, patient_id=row.id,
                detail={"fields": sorted(changed)},
            )  # fmt: skip
        return patient_record(row)


def patient_revisions(
    store: Store, actor: Actor, patient_id: int
) -> list[PatientRevision]:
    """What the patient's details were before each edit, oldest first."""
    with unit(store, actor) as uow:
        require(actor, CLINICIANS, N_("read patients"))
        row = patient_of(uow, actor, patient_id)
        found = uow.patients.revisions(actor.clinic_id, row.id)
        log_reads(uow, actor, "patient", [(row.id, row.id)], detail={"view": "history"})
        return [
            PatientRevision(
                changed_at=r.changed_at,
                changed_by=r.changed_by,
                record_number=r.previous["record_number"],
                name=r.previous["name"],
                birth_date=r.previous["birth_date"],
            )
            for r in found
        ]
