"""Course plans: issue from the latest decision, read, print (PDF), the body chart.

A plan is refused (409) while the verdict is not "proceed" with a valid physician
approval, or while a session's stop rules wait for re-screening.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from spinewise.errors import N_, NotFoundError
from spinewise.models import Modality
from spinewise.reports import render_body_chart
from spinewise.services import (
    PlanRecord,
    RescreenFlagRecord,
    current_plan,
    export_care_sheet_pdf,
    export_plan_pdf,
    get_plan,
    issue_plan,
    rescreen_flags,
)
from spinewise.web.api.bodies import MAX_ID, RecordId, body_doc, parse_body
from spinewise.web.api.schemas import error_responses
from spinewise.web.deps import ApiActor, KbDep, StoreDep

router = APIRouter(tags=["course plans"])


class NewPlan(BaseModel):
    """What to plan: from which day, with which of the usable modalities."""

    model_config = ConfigDict(extra="forbid")

    start_date: dt.date | None = Field(default=None, description="default: today")
    modalities: list[Modality] | None = Field(
        default=None,
        min_length=1,
        description="default: every modality the decision allows",
    )


NEW_PLAN_DOC = body_doc(
    NewPlan,
    "Optional: the first day and the modalities (an empty body plans every usable "
    "modality from today).",
    {"start_date": "2026-12-01", "modalities": ["classical"]},
)
NEW_PLAN_DOC["requestBody"]["required"] = False


def binary(media_type: str, description: str) -> dict[int | str, dict[str, Any]]:
    return {
        200: {
            "description": description,
            "content": {media_type: {"schema": {"type": "string", "format": "binary"}}},
        }
    }


@router.post(
    "/patients/{patient_id}/plans",
    status_code=201,
    summary="Issue a course plan from the patient's latest decision",
    responses=error_responses(401, 403, 404, 409, 413, 422),
    openapi_extra=NEW_PLAN_DOC,
)
async def create_plan(
    patient_id: RecordId,
    request: Request,
    store: StoreDep,
    actor: ApiActor,
    kb: KbDep,
) -> PlanRecord:
    body = await request.body()
    wanted = parse_body(body, NewPlan) if body.strip() else NewPlan()
    return await run_in_threadpool(
        lambda: issue_plan(
            store,
            actor,
            patient_id,
            kb,
            start_date=wanted.start_date,
            modalities=wanted.modalities,
        )
    )


@router.get(
    "/patients/{patient_id}/plan",
    summary="The patient's newest course plan (whatever its status)",
    responses=error_responses(401, 403, 404, 422),
)
def read_current_plan(
    patient_id: RecordId, store: StoreDep, actor: ApiActor
) -> PlanRecord:
    plan = current_plan(store, actor, patient_id)
    if plan is None:
        raise NotFoundError(N_("course plan of patient"), patient_id)
    return plan


@router.get(
    "/plans/{plan_id}",
    summary="One course plan",
    responses=error_responses(401, 403, 404, 422),
)
def read_plan(plan_id: RecordId, store: StoreDep, actor: ApiActor) -> PlanRecord:
    return get_plan(store, actor, plan_id)


@router.get(
    "/plans/{plan_id}/plan.pdf",
    summary="The therapist's printable course plan (PDF)",
    response_class=Response,
    responses={
        **binary("application/pdf", "The plan as PDF"),
        **error_responses(401, 403, 404, 422),
    },
)
def plan_pdf(plan_id: RecordId, store: StoreDep, actor: ApiActor) -> Response:
    return pdf_response(export_plan_pdf(store, actor, plan_id), f"plan-{plan_id}.pdf")


@router.get(
    "/plans/{plan_id}/care-sheet.pdf",
    summary="The patient's one-page care sheet (PDF, in the patient's language)",
    response_class=Response,
    responses={
        **binary("application/pdf", "The care sheet as PDF"),
        **error_responses(401, 403, 404, 422),
    },
)
def care_sheet_pdf(
    plan_id: RecordId, store: StoreDep, actor: ApiActor, kb: KbDep
) -> Response:
    content = export_care_sheet_pdf(store, actor, plan_id, kb=kb)
    return pdf_response(content, f"care-sheet-{plan_id}.pdf")


@router.get(
    "/plans/{plan_id}/body-chart.svg",
    summary="The plan's body chart: areas to treat and zones to avoid (SVG)",
    response_class=Response,
    responses={
        200: {
            "description": "The body chart",
            "content": {"image/svg+xml": {"schema": {"type": "string"}}},
        },
        **error_responses(401, 403, 404, 422),
    },
)
def body_chart(plan_id: RecordId, store: StoreDep, actor: ApiActor) -> Response:
    plan = get_plan(store, actor, plan_id)
    return svg_response(render_body_chart(plan.plan))


@router.get(
    "/rescreen-flags",
    summary="Open re-screen flags raised by sessions (of one patient, or all)",
    responses=error_responses(401, 403, 404, 422),
)
def open_flags(
    store: StoreDep,
    actor: ApiActor,
    patient_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> list[RescreenFlagRecord]:
    return rescreen_flags(store, actor, patient_id)


def pdf_response(content: bytes, filename: str) -> Response:
    return Response(
        content,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def svg_response(svg: str) -> Response:
    return Response(svg, media_type="image/svg+xml")
