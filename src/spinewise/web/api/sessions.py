"""Session notes: signed by the therapist, checked by the stop rules at once.

A note that trips a stop rule suspends the plan (or a modality) and may raise a
re-screen flag, in the same step; the answer says so (``note.stop``, ``flag``).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from spinewise.models.session import SessionRecord
from spinewise.services import (
    SessionNoteRecord,
    SessionOutcome,
    amend_session,
    record_session,
    session_notes,
)
from spinewise.web.api.bodies import RecordId, body_doc, parse_body
from spinewise.web.api.schemas import error_responses
from spinewise.web.deps import ApiActor, KbDep, StoreDep

router = APIRouter(tags=["sessions"])

EXAMPLE = {
    "session_number": 1,
    "performed_on": "2026-12-01",
    "modality": "classical",
    "steps_done": [1, 2, 3, 4, 5, 6],
    "pain_nrs_before": 5,
    "pain_nrs_after": 4,
    "soap": {"subjective": "Less pain in the mornings."},
}


class SessionAmendment(BaseModel):
    """A corrected note (a new signed version) and what it corrects."""

    model_config = ConfigDict(extra="forbid")

    record: SessionRecord
    reason: str = Field(min_length=1, max_length=4000)


@router.post(
    "/patients/{patient_id}/sessions",
    status_code=201,
    summary="Record a planned session (therapists); the stop rules apply at once",
    responses=error_responses(401, 403, 404, 409, 413, 422),
    openapi_extra=body_doc(SessionRecord, "The session as it happened.", EXAMPLE),
)
async def create_session(
    patient_id: RecordId,
    request: Request,
    store: StoreDep,
    actor: ApiActor,
    kb: KbDep,
) -> SessionOutcome:
    record = parse_body(await request.body(), SessionRecord)
    return await run_in_threadpool(record_session, store, actor, patient_id, record, kb)


@router.get(
    "/patients/{patient_id}/sessions",
    summary="Every signed version of every session note of the patient",
    responses=error_responses(401, 403, 404, 422),
)
def list_sessions(
    patient_id: RecordId, store: StoreDep, actor: ApiActor
) -> list[SessionNoteRecord]:
    return session_notes(store, actor, patient_id)


@router.post(
    "/session-notes/{note_id}/amendments",
    status_code=201,
    summary="Amend a session note: a new signed version (the original stays)",
    responses=error_responses(401, 403, 404, 409, 413, 422),
    openapi_extra=body_doc(
        SessionAmendment,
        "The whole corrected record and the reason for the amendment.",
        {"record": EXAMPLE, "reason": "Pain after the session was 3, not 4."},
    ),
)
async def amend(
    note_id: RecordId,
    request: Request,
    store: StoreDep,
    actor: ApiActor,
    kb: KbDep,
) -> SessionOutcome:
    change = parse_body(await request.body(), SessionAmendment)
    return await run_in_threadpool(
        amend_session, store, actor, note_id, change.record, change.reason, kb
    )
