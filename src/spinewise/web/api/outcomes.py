"""Outcome questionnaires and the change they show.

Staff enter a questionnaire answered at the clinic, or create a link the patient
opens on a phone without an account: signed, expiring, for one patient and one
questionnaire, answered once (``/q/{token}``, a page, not part of this API).
"""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict
from starlette.concurrency import run_in_threadpool

from spinewise.models.outcome import Instrument, QuestionnaireResponse
from spinewise.services import (
    OutcomesReport,
    ResponseRecord,
    create_questionnaire_link,
    list_outcomes,
    questionnaire_url,
    record_response,
)
from spinewise.web.api.bodies import RecordId, body_doc, parse_body
from spinewise.web.api.schemas import error_responses
from spinewise.web.deps import ApiActor, SecretDep, SettingsDep, StoreDep, public_base

router = APIRouter(tags=["outcomes"])


class NewLink(BaseModel):
    model_config = ConfigDict(extra="forbid")

    instrument: Instrument


class LinkCreated(BaseModel):
    """A new questionnaire link: ``url`` is shown once (only a hash is stored)."""

    id: int
    patient_id: int
    instrument: Instrument
    url: str
    expires_at: dt.datetime


@router.post(
    "/patients/{patient_id}/questionnaires",
    status_code=201,
    summary="Record a questionnaire answered at the clinic; it is scored",
    responses=error_responses(401, 403, 404, 413, 422),
    openapi_extra=body_doc(
        QuestionnaireResponse,
        "Answers in item order; null is a skipped item.",
        {"instrument": "nrs", "answered_on": "2026-12-01", "answers": [6]},
    ),
)
async def create_response(
    patient_id: RecordId, request: Request, store: StoreDep, actor: ApiActor
) -> ResponseRecord:
    response = parse_body(await request.body(), QuestionnaireResponse)
    return await run_in_threadpool(record_response, store, actor, patient_id, response)


@router.post(
    "/patients/{patient_id}/questionnaire-links",
    status_code=201,
    summary="Create a link for the patient to answer one questionnaire",
    responses=error_responses(401, 403, 404, 409, 413, 422),
    openapi_extra=body_doc(NewLink, "Which questionnaire.", {"instrument": "odi"}),
)
async def create_link(
    patient_id: RecordId,
    request: Request,
    store: StoreDep,
    actor: ApiActor,
    settings: SettingsDep,
    secret: SecretDep,
) -> LinkCreated:
    wanted = parse_body(await request.body(), NewLink)
    link = await run_in_threadpool(
        lambda: create_questionnaire_link(
            store,
            actor,
            patient_id,
            wanted.instrument,
            secret=secret,
            valid_days=settings.questionnaire_link_days,
        )
    )
    return LinkCreated(
        id=link.id,
        patient_id=link.patient_id,
        instrument=link.instrument,
        url=questionnaire_url(public_base(request, settings), link.token),
        expires_at=link.expires_at,
    )


@router.get(
    "/patients/{patient_id}/outcomes",
    summary="Each questionnaire's scores over time and the change from the baseline",
    responses=error_responses(401, 403, 404, 422),
)
def read_outcomes(
    patient_id: RecordId, store: StoreDep, actor: ApiActor
) -> OutcomesReport:
    return list_outcomes(store, actor, patient_id)
