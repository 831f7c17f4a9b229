"""Retention and erasure for the clinic's administrator: erase one patient (with a
confirmation), run the retention job, set the clinic's retention period."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from spinewise.errors import N_, ConflictError, FieldProblem, InputError
from spinewise.models import INT32_MAX, integer_problem
from spinewise.services import (
    Actor,
    ErasureOutcome,
    ErasureReason,
    Store,
    clinic_retention,
    erase_patient,
    run_retention,
    set_clinic_retention,
)
from spinewise.web.deps import PageActor, SettingsDep, StoreDep
from spinewise.web.pages.forms import FormErrors, FormValues, form_errors
from spinewise.web.rendering import render

router = APIRouter()

ERASE_FORM = {"patient_id": "Patient id", "reason": "Reason", "confirm": "Confirmation"}
PERIOD_FORM = {"years": "Years"}


def _done(value: str) -> str:
    """The erased patient's id from the redirect (digits only, else nothing)."""
    return value if value.isascii() and value.isdigit() and len(value) < 11 else ""


def _page(
    request: Request,
    store: Store,
    actor: Actor,
    default_years: int,
    **context: object,
) -> Response:
    status_code = int(str(context.pop("status_code", 200)))
    own = clinic_retention(store, actor)
    full = {
        "own_years": own,
        "default_years": default_years,
        "reasons": [r.value for r in ErasureReason],
        "values": FormValues({"reason": (ErasureReason.PATIENT_REQUEST.value,)}),
        "errors": FormErrors(labels=ERASE_FORM),
        "period_errors": FormErrors(labels=PERIOD_FORM),
        "done": _done(request.query_params.get("done", "")),
        "outcome": None,
        **context,
    }
    return render(request, "erasure.html", full, status_code=status_code)


@router.get("/erasure")
def erasure_page(
    request: Request, store: StoreDep, actor: PageActor, settings: SettingsDep
) -> Response:
    return _page(request, store, actor, settings.retention_years)


def _erase_input(values: FormValues) -> tuple[int, ErasureReason]:
    problems = []
    number, problem = integer_problem(values.value("patient_id"), low=1, high=INT32_MAX)
    if number is None:
        problems.append(FieldProblem("patient_id", problem or "give a patient id"))
    try:
        reason = ErasureReason(values.value("reason"))
    except ValueError:
        reason = ErasureReason.PATIENT_REQUEST
        problems.append(FieldProblem("reason", N_("choose a reason")))
    if values.value("confirm") != "yes":
        problems.append(
            FieldProblem("confirm", N_("tick the box to confirm the erasure"))
        )
    if problems or number is None:
        raise InputError(problems)
    return number, reason


@router.post("/erasure")
async def erase(
    request: Request, store: StoreDep, actor: PageActor, settings: SettingsDep
) -> Response:
    """Erase one patient; a refusal (open course, retention) stays on the page."""
    values = FormValues.of(await request.form(), ERASE_FORM)
    try:
        patient_id, reason = _erase_input(values)
        await run_in_threadpool(
            lambda: erase_patient(
                store, actor, patient_id, reason=reason, today=dt.date.today(),
                retention_years=settings.retention_years,
            )
        )  # fmt: skip
    except (InputError, ConflictError) as error:
        status = 422 if isinstance(error, InputError) else 409
        if isinstance(error, ConflictError):  # about the patient the id names
            error = ConflictError(str(error), field="patient_id")
        errors = form_errors(error, ERASE_FORM)
        return await run_in_threadpool(
            lambda: _page(
                request, store, actor, settings.retention_years, values=values,
                errors=errors, status_code=status,
            )
        )  # fmt: skip
    return RedirectResponse(f"/erasure?done={patient_id}", status_code=303)


@router.post("/erasure/expired")
def run_job(
    request: Request, store: StoreDep, actor: PageActor, settings: SettingsDep
) -> Response:
    """The retention job, now: every patient past the period (open courses left)."""
    outcome: ErasureOutcome = run_retention(
        store, actor, today=dt.date.today(), retention_years=settings.retention_years
    )
    return _page(request, store, actor, settings.retention_years, outcome=outcome)


@router.post("/erasure/period")
async def set_period(
    request: Request, store: StoreDep, actor: PageActor, settings: SettingsDep
) -> Response:
    """The clinic's own period (blank: the deployment's setting)."""
    values = FormValues.of(await request.form(), PERIOD_FORM)
    text = values.value("years")
    years, problem = (
        (None, None) if not text else integer_problem(text, low=1, high=100)
    )
    try:
        if text and years is None:
            raise InputError([FieldProblem("years", problem or "give 1 to 100")])
        await run_in_threadpool(set_clinic_retention, store, actor, years)
    except InputError as error:
        period_errors = form_errors(error, PERIOD_FORM)
        return await run_in_threadpool(
            lambda: _page(
                request, store, actor, settings.retention_years,
                period_errors=period_errors, status_code=422,
            )
        )  # fmt: skip
    return RedirectResponse("/erasure", status_code=303)
