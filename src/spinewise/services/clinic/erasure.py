"""Erasing a patient's personal data: on request (administrators) or when the clinic's
retention period has run out (the retention job).

Medical records are kept for the retention period (the clinic's own, else the
setting) counted from the last clinical record (assessment, plan start, session):
an erasure inside it is refused with the day it ends. A patient with nothing clinical
recorded may be erased at any time; one with an open course (an active or suspended
plan) never is. The erasure is one transaction: the patient is pseudonymised and every
free text about them blanked, or nothing changes. The audit trail gains one event with
ids and a reason code only; earlier events stay as they are (they hold ids, not names).
What stays and why: ``docs/operators/retention-and-erasure.md``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from spinewise.errors import N_, ConflictError, FieldProblem, InputError, NotFoundError
from spinewise.services.access.actors import ADMINS, Actor, require
from spinewise.services.audit import Action, log
from spinewise.services.course.course_records import PlanStatus
from spinewise.services.unit import patient_of, unit
from spinewise.store import (
    CoursePlans,
    Erasure,
    Store,
    UnitOfWork,
    last_clinical_day,
    patients_kept,
    utc_now,
)

OPEN = (PlanStatus.ACTIVE.value, PlanStatus.SUSPENDED.value)


class ErasureReason(StrEnum):
    """Why a patient is erased (a code: the trail keeps no free text)."""

    PATIENT_REQUEST = "patient_request"
    REGISTERED_IN_ERROR = "registered_in_error"
    RETENTION_EXPIRED = "retention_expired"


class ErasureOutcome(BaseModel):
    """What the retention job did: patients erased, and those it had to leave."""

    model_config = ConfigDict(frozen=True)

    erased: list[int]
    refused: dict[int, str]


def _keep_until(last: dt.date, years: int) -> dt.date:
    try:
        return last.replace(year=last.year + years)
    except ValueError:  # 29 February
        return last.replace(year=last.year + years, day=28)


def retention_of(uow: UnitOfWork, clinic_id: int, default_years: int) -> int:
    clinic = uow.clinics.get(clinic_id)
    own = clinic.retention_years if clinic is not None else None
    return default_years if own is None else own


def _check_erasable(
    uow: UnitOfWork, actor: Actor, patient_id: int, today: dt.date, years: int
) -> None:
    row = patient_of(uow, actor, patient_id, lock=True)
    if row.erased_at is not None:
        raise ConflictError(
            N_("patient {patient_id} is already erased", patient_id=patient_id),
            field="patient",
        )
    for plan in CoursePlans(uow.session).of_patient(actor.clinic_id, patient_id):
        if plan.status in OPEN:
            raise ConflictError(
                N_(
                    "patient {patient_id} has an open course (plan {id} is {status}); the course must end before an erasure",
                    patient_id=patient_id,
                    id=plan.id,
                    status=plan.status,
                ),
                field="patient",
            )
    last = last_clinical_day(uow.session, actor.clinic_id, patient_id)
    if last is not None and today < _keep_until(last, years):
        raise ConflictError(
            N_(
                "patient {patient_id}'s records must be kept until {keep_until} ({years} years after the last clinical record, {last}); erasure refused",
                patient_id=patient_id,
                keep_until=_keep_until(last, years).isoformat(),
                years=years,
                last=last.isoformat(),
            ),
            field="retention",
        )


def erase_patient(
    store: Store,
    actor: Actor,
    patient_id: int,
    *,
    reason: ErasureReason,
    today: dt.date,
    retention_years: int,
) -> None:
    """Erase one patient's personal data, or refuse saying why (nothing changed)."""
    store.flush_audit()  # the reads spooled before it precede it in the trail
    with unit(store, actor) as uow:
        require(actor, ADMINS, N_("erase patients"))
        years = retention_of(uow, actor.clinic_id, retention_years)
        _check_erasable(uow, actor, patient_id, today, years)
        Erasure(uow.session, actor.clinic_id, patient_id).run(utc_now())
        log(
            uow,
            actor,
            Action.ERASE,
            "patient",
            patient_id,
            patient_id=patient_id,
            detail={"reason": reason.value, "retention_years": years},
        )


def _due(store: Store, actor: Actor, today: dt.date, default: int) -> list[int]:
    with unit(store, actor, read=True) as uow:
        require(actor, ADMINS, N_("run the retention job"))
        years = retention_of(uow, actor.clinic_id, default)
        due = []
        for patient_id, registered in patients_kept(uow.session, actor.clinic_id):
            last = last_clinical_day(uow.session, actor.clinic_id, patient_id)
            if today >= _keep_until(last or registered, years):
                due.append(patient_id)
        return due


def run_retention(
    store: Store,
    actor: Actor,
    *,
    today: dt.date,
    retention_years: int,
    advance: Callable[[int], None] | None = None,
) -> ErasureOutcome:
    """Erase every patient whose retention period has ended (each in its own
    transaction); a patient still in an open course is left and named. ``advance``
    (a progress bar's) is called with 1 after each patient."""
    erased: list[int] = []
    refused: dict[int, str] = {}
    for patient_id in _due(store, actor, today, retention_years):
        try:
            erase_patient(
                store,
                actor,
                patient_id,
                reason=ErasureReason.RETENTION_EXPIRED,
                today=today,
                retention_years=retention_years,
            )
        except ConflictError as error:
            refused[patient_id] = str(error)
        else:
            erased.append(patient_id)
        if advance is not None:
            advance(1)
    return ErasureOutcome(erased=erased, refused=refused)


def set_clinic_retention(store: Store, actor: Actor, years: int | None) -> None:
    """The clinic's own retention period (None: the deployment's setting)."""
    if years is not None and not 1 <= years <= 100:
        raise InputError([FieldProblem("years", N_("give between 1 and 100 years"))])
    with unit(store, actor) as uow:
        require(actor, ADMINS, N_("set the retention period"))
        clinic = uow.clinics.get(actor.clinic_id)
        if clinic is None:
            raise NotFoundError(N_("clinic"), actor.clinic_id)
        clinic.retention_years = years
        log(uow, actor, Action.CHANGE, "clinic", clinic.id, detail={"retention": years})


def clinic_retention(store: Store, actor: Actor) -> int | None:
    """The clinic's own retention period in years (None: the deployment's setting)."""
    with unit(store, actor, read=True) as uow:
        require(actor, ADMINS, N_("read the retention period"))
        clinic = uow.clinics.get(actor.clinic_id)
        return clinic.retention_years if clinic is not None else None
