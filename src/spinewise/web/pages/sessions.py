"""Recording a session of the course plan, and the patient's session notes.

The therapist picks the planned session (modality and number), ticks the steps
done, and records pain before and after, adverse events, new neurological symptoms
and the cauda equina questions. The note is signed by the service, which applies
the stop rules in the same step: a stop suspends the plan and the notes page says
so at once, with the rule and its source. Nothing is ticked in advance: the note
says what the therapist confirms, never what the plan assumed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from spinewise.errors import ConflictError, InputError
from spinewise.i18n import format_date
from spinewise.models import Modality, integer_problem
from spinewise.models.session import (
    CES_RED_FLAGS,
    RED_FLAG_FIELDS,
    AdverseEventKind,
    NeuroSymptom,
)
from spinewise.planning import CoursePlan
from spinewise.services import (
    Actor,
    PlanRecord,
    Store,
    current_plan,
    patient_status,
    record_session,
    session_notes,
)
from spinewise.web.deps import KbDep, PageActor, RecordId, StoreDep
from spinewise.web.intake import intake_questions
from spinewise.web.pages.forms import FormErrors, FormValues, form_errors
from spinewise.web.presentation import MODALITY_NAMES
from spinewise.web.rendering import page_language, render
from spinewise.web.words import N_

router = APIRouter()

SOAP = ("subjective", "objective", "assessment", "plan")
SESSION_FORM = {
    "modality": N_("Modality"),
    "session_number": N_("Session"),
    "performed_on": N_("Date of the session"),
    "steps_done": N_("Steps done"),
    "pain_nrs_before": N_("Pain before the session, 0 to 10"),
    "pain_nrs_after": N_("Pain after the session, 0 to 10"),
    "red_flags": N_("Cauda equina questions asked at this session"),
    "neurological_symptoms": N_(
        "New or worse neurological symptoms since the last session"
    ),
    "adverse_events": N_("Adverse events"),
    "adverse_details": N_("Details of the adverse events"),
    "patient_asked_to_stop": N_("The patient asked to stop"),
    "deviations": N_("Deviations from the plan"),
    **{f"soap.{part}": f"SOAP: {part}" for part in SOAP},
}
SESSION_FLAGS = tuple(f for f in RED_FLAG_FIELDS if f in CES_RED_FLAGS)


def _words(value: str) -> str:
    return value.replace("_", " ").capitalize()


def _recorded(store: Store, actor: Actor, patient_id: int, plan_id: int) -> set[int]:
    notes = session_notes(store, actor, patient_id)
    return {n.session_number for n in notes if n.plan_id == plan_id}


def choose_session(
    plan: CoursePlan, done: set[int], suspended: list[Modality], query: FormValues
) -> tuple[Modality | None, int | None]:
    """The planned session asked for, else the first open one of the first course."""
    open_courses = [c for c in plan.courses if c.modality not in suspended]
    wanted = query.value("modality")
    course = next((c for c in open_courses if c.modality.value == wanted), None)
    course = course or (open_courses[0] if open_courses else None)
    if course is None:
        return None, None
    numbers = [s.number for s in course.sessions if s.number not in done]
    asked = query.value("number")
    number, _ = integer_problem(asked, low=1)
    number = number if number in numbers else None
    return course.modality, number or (numbers[0] if numbers else None)


def _context(
    store: Store, actor: Actor, patient_id: int, query: FormValues, language: str
) -> dict[str, Any]:
    status = patient_status(store, actor, patient_id)
    plan: PlanRecord | None = current_plan(store, actor, patient_id)
    context: dict[str, Any] = {"patient": status.patient, "plan": plan, "course": None}
    if plan is None or plan.status != "active":
        return context
    done = _recorded(store, actor, patient_id, plan.id)
    modality, number = choose_session(plan.plan, done, plan.suspended_modalities, query)
    if modality is None or number is None:
        return {**context, "done": done}
    course = plan.plan.course(modality)
    return {
        **context,
        "done": done,
        "course": course,
        "session": course.sessions[number - 1],
        "choices": [
            (c.modality.value, MODALITY_NAMES[c.modality])
            for c in plan.plan.courses
            if c.modality not in plan.suspended_modalities
        ],
        "numbers": [
            (str(s.number), f"{s.number} ({format_date(s.date, language, 'medium')})")
            for s in course.sessions
            if s.number not in done
        ],
        "flags": [
            (f, intake_questions()[f"red_flags.{f}"].label) for f in SESSION_FLAGS
        ],
        "symptoms": [(s.value, _words(s.value)) for s in NeuroSymptom],
        "events": [(e.value, _words(e.value)) for e in AdverseEventKind],
        "soap": SOAP,
    }


def _render(
    request: Request,
    context: dict[str, Any],
    values: FormValues,
    errors: FormErrors | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "session_new.html",
        {
            **context,
            "values": values,
            "errors": errors or FormErrors(labels=SESSION_FORM),
        },
        status_code=status_code,
    )


@router.get("/patients/{patient_id}/sessions/new")
def new_session(
    request: Request, patient_id: RecordId, store: StoreDep, actor: PageActor
) -> Response:
    query = FormValues.of(request.query_params, ("modality", "number"))
    context = _context(store, actor, patient_id, query, page_language(request))
    values = FormValues({"performed_on": (dt.date.today().isoformat(),)})
    return _render(request, context, values)


def _number(text: str) -> int | str:
    """An ASCII whole number within the database's range, else the text for the
    service to refuse by field."""
    number, _ = integer_problem(text)
    return text if number is None else number


def session_input(values: FormValues) -> dict[str, Any]:
    """The form as ``SessionRecord`` fields (the service validates and names them)."""
    details = values.value("adverse_details")
    return {
        "session_number": _number(values.value("session_number")),
        "performed_on": values.value("performed_on"),
        "modality": values.value("modality"),
        "steps_done": [_number(v) for v in values.all("steps_done")],
        "pain_nrs_before": _number(values.value("pain_nrs_before")),
        "pain_nrs_after": _number(values.value("pain_nrs_after")),
        "adverse_events": [
            {"kind": kind, "description": details}
            for kind in values.all("adverse_events")
        ],
        "red_flags": {
            flag: values.value(f"red_flags.{flag}") == "yes"
            for flag in SESSION_FLAGS
            if values.value(f"red_flags.{flag}") in ("yes", "no")
        },
        "neurological_symptoms": values.all("neurological_symptoms"),
        "patient_asked_to_stop": values.value("patient_asked_to_stop") == "yes",
        "deviations": [
            line.strip()
            for line in values.value("deviations").splitlines()
            if line.strip()
        ],
        "soap": {part: values.value(f"soap.{part}") for part in SOAP},
    }


@router.post("/patients/{patient_id}/sessions/new")
async def sign(
    request: Request,
    patient_id: RecordId,
    store: StoreDep,
    actor: PageActor,
    kb: KbDep,
) -> Response:
    """Sign the note; the notes page then shows what the stop rules decided."""
    names = [*SESSION_FORM, *(f"red_flags.{f}" for f in SESSION_FLAGS)]
    values = FormValues.of(await request.form(), names)
    try:
        outcome = await run_in_threadpool(
            record_session, store, actor, patient_id, session_input(values), kb
        )
    except (InputError, ConflictError) as error:
        query = FormValues(
            {
                "modality": (values.value("modality"),),
                "number": (values.value("session_number"),),
            }
        )
        language = page_language(request)
        context = await run_in_threadpool(
            _context, store, actor, patient_id, query, language
        )
        errors = form_errors(error, SESSION_FORM)
        code = 422 if isinstance(error, InputError) else 409
        return _render(request, context, values, errors, code)
    note = outcome.note.id
    return RedirectResponse(
        f"/patients/{patient_id}/sessions?note={note}#note-{note}", 303
    )


@router.get("/patients/{patient_id}/sessions")
def notes_page(
    request: Request,
    patient_id: RecordId,
    store: StoreDep,
    actor: PageActor,
    note: int | None = None,
) -> Response:
    status = patient_status(store, actor, patient_id)
    notes = session_notes(store, actor, patient_id)
    plan = current_plan(store, actor, patient_id)
    return render(
        request,
        "sessions.html",
        {
            "patient": status.patient,
            "notes": list(reversed(notes)),
            "plan": plan,
            "just": next((n for n in notes if n.id == note), None),
            "can_record": actor.role.value == "therapist"
            and plan is not None
            and plan.status == "active",
        },
    )
