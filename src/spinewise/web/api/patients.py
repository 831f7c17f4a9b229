"""Patients: register, list with where each stands, read one."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from spinewise.services import (
    NewPatient,
    PatientRecord,
    PatientStatus,
    patient_status,
    register_patient,
    search_patients,
)
from spinewise.web.api.bodies import RecordId, body_doc, read_body
from spinewise.web.api.cursors import MAX_CURSOR, make_cursor, read_cursor
from spinewise.web.api.schemas import error_responses
from spinewise.web.deps import ApiActor, SecretDep, StoreDep

MAX_QUERY = 200

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
    description=(
        "Search by name, record number or birth date (`q`, any case, Cyrillic and "
        "Latin alike; `%` and `_` are plain characters), sorted by `name`, `record` "
        "or `recent`. The body is one page; `X-Total-Count` says how many match and "
        "`X-Next-Cursor` (also a `Link: rel=next`) continues the list. A cursor is "
        "bound to the clinic and the sort: another's, or a forged one, is a 422."
    ),
    responses=error_responses(401, 403, 422),
)
def list_patients(
    request: Request,
    response: Response,
    store: StoreDep,
    actor: ApiActor,
    secret: SecretDep,
    q: Annotated[str, Query(max_length=MAX_QUERY)] = "",
    sort: Annotated[Literal["name", "record", "recent"], Query()] = "name",
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    cursor: Annotated[str | None, Query(max_length=MAX_CURSOR)] = None,
) -> list[PatientStatus]:
    after = read_cursor(secret, actor.clinic_id, sort, cursor) if cursor else None
    page = search_patients(
        store, actor, q, sort=sort, limit=limit, after=after, offset=offset
    )
    response.headers["X-Total-Count"] = str(page.total)
    if page.next_after is not None:
        token = make_cursor(secret, actor.clinic_id, sort, page.next_after)
        response.headers["X-Next-Cursor"] = token
        following = request.url.include_query_params(cursor=token).remove_query_params(
            "offset"
        )
        response.headers["Link"] = f'<{following}>; rel="next"'
    return page.items


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
