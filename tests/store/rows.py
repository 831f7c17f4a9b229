"""Rows the store tests write straight through a unit of work's repositories: a
patient, an assessment of it, a decision on that assessment. Only what a test varies
is a parameter; the rest is one valid value."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.pg import World

from spinewise.store import UnitOfWork, utc_now

ASSESSED_ON = dt.date(2026, 11, 24)


def add_patient(
    uow: UnitOfWork, world: World, record_number: str = "R-1", name: str = "Store Test"
) -> int:
    """A patient of clinic A, made by its therapist; the patient's id."""
    return uow.patients.add(
        clinic_id=world.clinic_a,
        record_number=record_number,
        name=name,
        birth_date=None,
        created_by=world.therapist_a.user_id,
    ).id


def add_assessment(
    uow: UnitOfWork,
    world: World,
    patient_id: int,
    document: dict[str, Any],
    *,
    number: int = 1,
    version: int = 1,
    clinic_b: bool = False,
) -> int:
    """An assessment stored as given (no validation: the store's own checks run);
    by clinic A's therapist, or clinic B's with ``clinic_b``; its id."""
    clinic_id, actor = (
        (world.clinic_b, world.therapist_b)
        if clinic_b
        else (world.clinic_a, world.therapist_a)
    )
    return uow.assessments.add(
        clinic_id=clinic_id,
        patient_id=patient_id,
        number=number,
        version=version,
        amends_id=None,
        assessed_on=ASSESSED_ON,
        document=document,
        submitted_by=actor.user_id,
    ).id


def add_decision(
    uow: UnitOfWork,
    world: World,
    patient_id: int,
    assessment_id: int,
    given: dict[str, Any],
    output: dict[str, Any] | None = None,
    *,
    kb_version: str = "kb",
) -> None:
    """A decision of clinic A on ``assessment_id`` with ``given`` as its input."""
    uow.decisions.add(
        clinic_id=world.clinic_a,
        patient_id=patient_id,
        assessment_id=assessment_id,
        verdict="proceed",
        kb_version=kb_version,
        engine_version="1",
        input=given,
        output=output or {},
        created_by=world.therapist_a.user_id,
    )


def spool_event(entity_id: str) -> dict[str, Any]:
    """A read's audit event as a reading unit spools it (a CLI read of a patient)."""
    return {
        "at": utc_now(),
        "interface": "cli",
        "action": "read",
        "entity": "patient",
        "entity_id": entity_id,
    }
