"""Ending a course early from the plan page: a confirmation page that says what will
be cancelled, then the ending (completed early or discontinued, a reason, a note).
Refusals stay on the form (422 bad input, 409 when the course is no longer open)."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from spinewise.errors import ConflictError, InputError, NotFoundError
from spinewise.services import (
    Actor,
    CourseEnding,
    EndReason,
    PlanRecord,
    PlanStatus,
    Store,
    end_course,
    get_patient,
    get_plan,
)
from spinewise.web.deps import PageActor, RecordId, StoreDep
from spinewise.web.pages.forms import FormErrors, FormValues, form_errors
from spinewise.web.rendering import render
from spinewise.web.words import N_

router = APIRouter()

END_FORM = {"ending": "How the course ends", "reason": "Reason", "note": "Note"}
ENDINGS = {
    CourseEnding.COMPLETED_EARLY: N_("Completed early"),
    CourseEnding.DISCONTINUED: N_("Discontinued"),
}
REASONS = {
    EndReason.GOALS_MET: N_("The goals of the course are met"),
    EndReason.PATIENT_REQUEST: N_("At the patient's request"),
    EndReason.NO_IMPROVEMENT: N_("No improvement"),
    EndReason.WORSENING: N_("Symptoms worsened"),
    EndReason.REFERRED: N_("Referred elsewhere"),
    EndReason.UNABLE_TO_ATTEND: N_("The patient cannot attend"),
    EndReason.OTHER: N_("Other (say why in the note)"),
}


def _plan(store: Store, actor: Actor, patient_id: int, plan_id: int) -> PlanRecord:
    plan = get_plan(store, actor, plan_id)
    if plan.patient_id != patient_id:
        raise NotFoundError(N_("course plan"), plan_id)
    return plan


def _end_page(
    request: Request,
    store: Store,
    actor: Actor,
    ids: tuple[int, int],
    values: FormValues | None = None,
    errors: FormErrors | None = None,
    status_code: int = 200,
) -> Response:
    patient_id, plan_id = ids
    plan = _plan(store, actor, patient_id, plan_id)
    endings = [(e.value, label) for e, label in ENDINGS.items()]
    if plan.status is PlanStatus.SUSPENDED:  # stopped by a stop rule: discontinued
        endings = [
            (CourseEnding.DISCONTINUED.value, ENDINGS[CourseEnding.DISCONTINUED])
        ]
    context = {
        "patient": get_patient(store, actor, patient_id),
        "plan": plan,
        "endings": endings,
        "reasons": [(r.value, label) for r, label in REASONS.items()],
        "values": values or FormValues({}),
        "errors": errors or FormErrors(labels=END_FORM),
    }
    return render(request, "course_end.html", context, status_code=status_code)


@router.get("/patients/{patient_id}/plans/{plan_id}/end")
def end_form(
    request: Request,
    patient_id: RecordId,
    plan_id: RecordId,
    store: StoreDep,
    actor: PageActor,
) -> Response:
    return _end_page(request, store, actor, (patient_id, plan_id))


@router.post("/patients/{patient_id}/plans/{plan_id}/end")
async def end(
    request: Request,
    patient_id: RecordId,
    plan_id: RecordId,
    store: StoreDep,
    actor: PageActor,
) -> Response:
    """End the course, then back to the plan page; a refusal stays on the form."""
    values = FormValues.of(await request.form(), END_FORM)
    data = {
        "ending": values.value("ending"),
        "reason": values.value("reason"),
        "note": values.optional("note"),
    }
    ids = (patient_id, plan_id)
    try:
        await run_in_threadpool(_plan, store, actor, patient_id, plan_id)
        await run_in_threadpool(
            end_course, store, actor, plan_id, data, dt.date.today()
        )
    except (InputError, ConflictError) as error:
        status = 422 if isinstance(error, InputError) else 409
        errors = form_errors(error, END_FORM)
        return await run_in_threadpool(
            _end_page, request, store, actor, ids, values, errors, status
        )
    return RedirectResponse(f"/patients/{patient_id}/plan", status_code=303)
