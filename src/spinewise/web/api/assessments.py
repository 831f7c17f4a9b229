"""Assessments of stored patients: submit (screened at once), amend, read, re-screen.

The body is the screening contract's assessment, as for ``POST /screen``; its
``clearance`` section is ignored: the physician's decision comes from the clearance
records (``/patients/{id}/clearances``), never from the submitted document.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from spinewise.services import (
    AssessmentRecord,
    DecisionRecord,
    ScreeningResult,
    amend_assessment,
    get_assessment,
    latest_assessments,
    screen_assessment,
    submit_assessment,
)
from spinewise.web.api.answers import answered
from spinewise.web.api.bodies import RecordId
from spinewise.web.api.schemas import error_responses
from spinewise.web.api.screen import REQUEST_BODY, read_assessment
from spinewise.web.deps import ApiActor, KbDep, StoreDep

router = APIRouter(tags=["assessments"])


# The three routes a clinic's integrations call most answer in one pass
# (``answered``: the service call and its JSON in one worker-thread hop).
@router.post(
    "/patients/{patient_id}/assessments",
    status_code=201,
    summary="Submit an assessment; it is screened and the decision stored",
    responses=error_responses(401, 403, 404, 413, 422),
    openapi_extra=REQUEST_BODY,
    response_model=ScreeningResult,
)
async def create_assessment(
    patient_id: RecordId,
    request: Request,
    store: StoreDep,
    actor: ApiActor,
    kb: KbDep,
) -> Response:
    assessment = read_assessment(await request.body())
    return await answered(
        lambda: submit_assessment(store, actor, patient_id, assessment, kb), 201
    )


@router.get(
    "/patients/{patient_id}/assessments",
    summary="The patient's latest assessment versions, newest first",
    responses=error_responses(401, 403, 404, 422),
    response_model=list[AssessmentRecord],
)
async def list_assessments(
    patient_id: RecordId,
    store: StoreDep,
    actor: ApiActor,
    limit: Annotated[int, Query(ge=1, le=500)] = 20,
) -> Response:
    return await answered(
        lambda: latest_assessments(store, actor, patient_id, limit=limit)
    )


@router.get(
    "/assessments/{assessment_id}",
    summary="One stored assessment version",
    responses=error_responses(401, 403, 404, 422),
    response_model=AssessmentRecord,
)
async def read_assessment_record(
    assessment_id: RecordId, store: StoreDep, actor: ApiActor
) -> Response:
    return await answered(lambda: get_assessment(store, actor, assessment_id))


@router.post(
    "/assessments/{assessment_id}/amendments",
    status_code=201,
    summary="Store a corrected version of an assessment (the original stays)",
    responses=error_responses(401, 403, 404, 413, 422),
    openapi_extra=REQUEST_BODY,
)
async def amend(
    assessment_id: RecordId,
    request: Request,
    store: StoreDep,
    actor: ApiActor,
    kb: KbDep,
) -> ScreeningResult:
    assessment = read_assessment(await request.body())
    return await run_in_threadpool(
        amend_assessment, store, actor, assessment_id, assessment, kb
    )


@router.post(
    "/assessments/{assessment_id}/screening",
    summary="Screen the current assessment again (knowledge base and clearance now)",
    responses=error_responses(401, 403, 404, 409, 422),
)
def rescreen(
    assessment_id: RecordId, store: StoreDep, actor: ApiActor, kb: KbDep
) -> DecisionRecord:
    return screen_assessment(store, actor, assessment_id, kb)
