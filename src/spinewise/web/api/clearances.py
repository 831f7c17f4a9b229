"""Physician clearance: the queue, requests by clinicians, decisions by physicians.

Recording a decision re-screens the patient's current assessment with it; the
answer carries both the clearance and that new decision.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from spinewise.services import (
    AwaitingPhysician,
    ClearanceDecision,
    ClearanceOutcome,
    ClearanceRecord,
    awaiting_physician,
    clearance_history,
    record_clearance,
    request_clearance,
)
from spinewise.web.api.bodies import RecordId, body_doc, parse_body
from spinewise.web.api.schemas import error_responses
from spinewise.web.deps import ApiActor, KbDep, StoreDep

router = APIRouter(tags=["clearances"])


class ClearanceRequest(BaseModel):
    """A clinician's request for the physician's clearance."""

    model_config = ConfigDict(extra="forbid")

    note: str | None = Field(default=None, max_length=4000)


REQUEST_DOC = body_doc(
    ClearanceRequest,
    "An optional note for the physician (an empty body is no note).",
    {"note": "Lumbar protrusion L4-L5, no red flags; please review for massage."},
)
REQUEST_DOC["requestBody"]["required"] = False
DECISION_DOC = body_doc(
    ClearanceDecision,
    "Approve (optionally excluding modalities and until a date) or decline; a "
    "reason is required to decline or to exclude a modality.",
    {
        "status": "approved",
        "valid_until": "2027-03-31",
        "excluded_modalities": ["vacuum"],
        "reason": "Anticoagulated: no cupping.",
    },
)


@router.get(
    "/clearances",
    summary="The clearance queue: pending requests on current assessments",
    responses=error_responses(401, 403),
)
def clearance_queue(store: StoreDep, actor: ApiActor) -> list[AwaitingPhysician]:
    return awaiting_physician(store, actor)


@router.post(
    "/patients/{patient_id}/clearance-requests",
    status_code=201,
    summary="Ask a physician to clear the patient's current assessment",
    responses=error_responses(401, 403, 404, 409, 413, 422),
    openapi_extra=REQUEST_DOC,
)
async def create_request(
    patient_id: RecordId, request: Request, store: StoreDep, actor: ApiActor
) -> ClearanceRecord:
    body = await request.body()
    asked = parse_body(body, ClearanceRequest) if body.strip() else ClearanceRequest()
    return await run_in_threadpool(
        request_clearance, store, actor, patient_id, note=asked.note
    )


@router.post(
    "/patients/{patient_id}/clearances",
    status_code=201,
    summary="Record the physician's decision (physicians only); re-screens",
    responses=error_responses(401, 403, 404, 409, 413, 422),
    openapi_extra=DECISION_DOC,
)
async def create_clearance(
    patient_id: RecordId,
    request: Request,
    store: StoreDep,
    actor: ApiActor,
    kb: KbDep,
) -> ClearanceOutcome:
    decision = parse_body(await request.body(), ClearanceDecision)
    return await run_in_threadpool(
        record_clearance, store, actor, patient_id, decision, kb
    )


@router.get(
    "/patients/{patient_id}/clearances",
    summary="Every clearance request and decision of the patient, newest first",
    responses=error_responses(401, 403, 404, 422),
)
def list_clearances(
    patient_id: RecordId, store: StoreDep, actor: ApiActor
) -> list[ClearanceRecord]:
    return clearance_history(store, actor, patient_id)
