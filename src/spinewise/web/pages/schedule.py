"""A plan's schedule page and moving one planned session (date, optional time,
reason); refusals are shown on the form (422 or 409), nothing changed."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from spinewise.errors import N_, ConflictError, FieldProblem, InputError, NotFoundError
from spinewise.models import INT32_MAX, integer_problem
from spinewise.services import (
    Actor,
    PlannedDate,
    Store,
    assign_therapist,
    clinic_therapists,
    get_patient,
    get_plan,
    planned_dates,
    reschedule_session,
)
from spinewise.web.deps import PageActor, RecordId, StoreDep
from spinewise.web.pages.forms import FormErrors, FormValues, form_errors
from spinewise.web.rendering import render

router = APIRouter()

ASSIGN_FORM = {"therapist_id": "Therapist"}
MOVE_FORM = {"date": "New date", "time": "Time", "reason": "Reason"}


def _dates(
    store: Store, actor: Actor, patient_id: int, plan_id: int
) -> list[PlannedDate]:
    if get_plan(store, actor, plan_id).patient_id != patient_id:
        raise NotFoundError(N_("course plan"), plan_id)
    return planned_dates(store, actor, plan_id)


@router.get("/patients/{patient_id}/plans/{plan_id}/schedule")
def schedule_page(
    request: Request,
    patient_id: RecordId,
    plan_id: RecordId,
    store: StoreDep,
    actor: PageActor,
) -> Response:
    return _schedule(request, store, actor, patient_id, plan_id)


def _schedule(
    request: Request,
    store: Store,
    actor: Actor,
    patient_id: int,
    plan_id: int,
    errors: FormErrors | None = None,
    status_code: int = 200,
) -> Response:
    dates = _dates(store, actor, patient_id, plan_id)
    therapists = clinic_therapists(store, actor)
    context = {
        "patient": get_patient(store, actor, patient_id),
        "plan_id": plan_id,
        "plan": get_plan(store, actor, plan_id),
        "dates": dates,
        "therapists": therapists,
        "therapist_options": [(str(t.id), t.display_name) for t in therapists],
        "errors": errors or FormErrors(labels=ASSIGN_FORM),
    }
    return render(request, "schedule.html", context, status_code=status_code)


@router.post("/patients/{patient_id}/plans/{plan_id}/therapist")
async def assign(
    request: Request,
    patient_id: RecordId,
    plan_id: RecordId,
    store: StoreDep,
    actor: PageActor,
) -> Response:
    """Give the plan to a therapist of the clinic, then back to the schedule."""
    values = FormValues.of(await request.form(), ASSIGN_FORM)
    chosen, problem = integer_problem(
        values.value("therapist_id"), low=1, high=INT32_MAX
    )
    try:
        await run_in_threadpool(_dates, store, actor, patient_id, plan_id)
        if chosen is None:
            raise InputError(
                [FieldProblem("therapist_id", problem or N_("choose one"))]
            )
        await run_in_threadpool(assign_therapist, store, actor, plan_id, chosen)
    except InputError as error:
        errors = form_errors(error, ASSIGN_FORM)
        return await run_in_threadpool(
            _schedule, request, store, actor, patient_id, plan_id, errors, 422
        )
    return RedirectResponse(
        f"/patients/{patient_id}/plans/{plan_id}/schedule", status_code=303
    )


def _move_page(
    request: Request,
    store: Store,
    actor: Actor,
    ids: tuple[int, int, int],
    values: FormValues | None = None,
    errors: FormErrors | None = None,
    status_code: int = 200,
) -> Response:
    patient_id, plan_id, number = ids
    found = _dates(store, actor, patient_id, plan_id)
    current = next((d for d in found if d.session_number == number), None)
    if current is None:
        raise NotFoundError(N_("planned session"), f"{plan_id}/{number}")
    context = {
        "patient": get_patient(store, actor, patient_id),
        "plan_id": plan_id,
        "current": current,
        "values": values
        or FormValues(
            {"date": (current.date.isoformat(),), "time": (current.time or "",)}
        ),
        "errors": errors or FormErrors(labels=MOVE_FORM),
    }
    return render(request, "session_move.html", context, status_code=status_code)


@router.get("/patients/{patient_id}/plans/{plan_id}/sessions/{number}/move")
def move_form(
    request: Request,
    patient_id: RecordId,
    plan_id: RecordId,
    number: RecordId,
    store: StoreDep,
    actor: PageActor,
) -> Response:
    return _move_page(request, store, actor, (patient_id, plan_id, number))


@router.post("/patients/{patient_id}/plans/{plan_id}/sessions/{number}/move")
async def move(
    request: Request,
    patient_id: RecordId,
    plan_id: RecordId,
    number: RecordId,
    store: StoreDep,
    actor: PageActor,
) -> Response:
    """Move the session, then back to the schedule; a refusal stays on the form."""
    values = FormValues.of(await request.form(), MOVE_FORM)
    data = {
        "date": values.value("date") or None,
        "time": values.optional("time"),
        "reason": values.value("reason"),
    }
    ids = (patient_id, plan_id, number)
    try:
        await run_in_threadpool(_dates, store, actor, patient_id, plan_id)
        await run_in_threadpool(
            reschedule_session, store, actor, plan_id, number, data, dt.date.today()
        )
    except (InputError, ConflictError) as error:
        status = 422 if isinstance(error, InputError) else 409
        errors = form_errors(error, MOVE_FORM)
        return await run_in_threadpool(
            _move_page, request, store, actor, ids, values, errors, status
        )
    return RedirectResponse(
        f"/patients/{patient_id}/plans/{plan_id}/schedule", status_code=303
    )
