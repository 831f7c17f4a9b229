"""Patients: register, list with where each stands, read one."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool

from spinewise.services import (
    NewPatient,
    PatientRecord,
    PatientStatus,
    patient_status,
    patients_with_status,
    register_patient,
)
from spinewise.web.api.bodies import RecordId, body_doc, read_body
from spinewise.web.api.schemas import error_responses
from spinewise.web.deps import ApiActor, StoreDep

router = APIRouter(prefix="/patients", tags=["patients"])

NEW_PATIENT = body_doc(
    NewPatient,
    "The clinic's record number (unique in the clinic, no spaces), the name and, "
    "optionally, the birth date (ISO).",
    {"record_number": "P-0042", "name": "Anna Example", "birth_date": "1980-04-02"},
)


@router.get(
    "",
    summary="The clinic's patients, each with the current verdict and plan",
    responses=error_responses(401, 403, 422),
)
def list_patients(
    store: StoreDep,
    actor: ApiActor,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> list[PatientStatus]:
    return patients_with_status(store, actor, limit=limit, offset=offset)


@router.post(
    "",
    status_code=201,
    summary="Register a patient",
    responses=error_responses(401, 403, 409, 413, 422),
    openapi_extra=NEW_PATIENT,
)
async def create_patient(
    request: Request, store: StoreDep, actor: ApiActor
) -> PatientRecord:
    details = await read_body(request, NewPatient)
    return await run_in_threadpool(register_patient, store, actor, details)


@router.get(
    "/{patient_id}",
    summary="One patient, with the current verdict, clearance and plan",
    responses=error_responses(401, 403, 404, 422),
)
def read_patient(
    patient_id: RecordId, store: StoreDep, actor: ApiActor
) -> PatientStatus:
    return patient_status(store, actor, patient_id)
