"""Assessments of stored patients: submit (screened at once), amend, read, re-screen.

The body is the screening contract's assessment, as for ``POST /screen``; its
``clearance`` section is ignored: the physician's decision comes from the clearance
records (``/patients/{id}/clearances``), never from the submitted document.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
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
from spinewise.web.api.bodies import RecordId
from spinewise.web.api.schemas import error_responses
from spinewise.web.api.screen import REQUEST_BODY, read_assessment
from spinewise.web.deps import ApiActor, KbDep, StoreDep

router = APIRouter(tags=["assessments"])


@router.post(
    "/patients/{patient_id}/assessments",
    status_code=201,
    summary="Submit an assessment; it is screened and the decision stored",
    responses=error_responses(401, 403, 404, 413, 422),
    openapi_extra=REQUEST_BODY,
)
async def create_assessment(
    patient_id: RecordId,
    request: Request,
    store: StoreDep,
    actor: ApiActor,
    kb: KbDep,
) -> ScreeningResult:
    assessment = read_assessment(await request.body())
    return await run_in_threadpool(
        submit_assessment, store, actor, patient_id, assessment, kb
    )


@router.get(
    "/patients/{patient_id}/assessments",
    summary="The patient's latest assessment versions, newest first",
    responses=error_responses(401, 403, 404, 422),
)
def list_assessments(
    patient_id: RecordId,
    store: StoreDep,
    actor: ApiActor,
    limit: Annotated[int, Query(ge=1, le=500)] = 20,
) -> list[AssessmentRecord]:
    return latest_assessments(store, actor, patient_id, limit=limit)


@router.get(
    "/assessments/{assessment_id}",
    summary="One stored assessment version",
    responses=error_responses(401, 403, 404, 422),
)
def read_assessment_record(
    assessment_id: RecordId, store: StoreDep, actor: ApiActor
) -> AssessmentRecord:
    return get_assessment(store, actor, assessment_id)


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
