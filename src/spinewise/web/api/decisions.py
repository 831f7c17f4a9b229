"""Stored decisions: each with the exact input it was made from."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from spinewise.services import DecisionRecord, decisions_of_patient, get_decision
from spinewise.web.api.bodies import RecordId
from spinewise.web.api.schemas import error_responses
from spinewise.web.deps import ApiActor, StoreDep

router = APIRouter(tags=["decisions"])


@router.get(
    "/patients/{patient_id}/decisions",
    summary="The patient's decisions, newest first",
    responses=error_responses(401, 403, 404, 422),
)
def list_decisions(
    patient_id: RecordId,
    store: StoreDep,
    actor: ApiActor,
    limit: Annotated[int, Query(ge=1, le=500)] = 20,
) -> list[DecisionRecord]:
    return decisions_of_patient(store, actor, patient_id, limit=limit)


@router.get(
    "/decisions/{decision_id}",
    summary="One stored decision",
    responses=error_responses(401, 403, 404, 422),
)
def read_decision(
    decision_id: RecordId, store: StoreDep, actor: ApiActor
) -> DecisionRecord:
    return get_decision(store, actor, decision_id)
