"""The intake form of a stored patient: a new assessment, or a corrected version.

The form is the quick screen's (``intake.html``), grouped as the contract groups it,
without the clearance section: a stored patient's clearance is the physician's
record, never an answer on the form. A failed submit comes back with every answer
kept and each problem beside its question. A new assessment starts from the previous
one's answers except the red flags, which are asked afresh (blank: unknown is never
"no"); a correction starts from the stored answers. ``/assessments/{id}`` shows any
assessment of the clinic read only: every answer, what changed since the one before,
and the decision with its rules (the physician's view from the clearance request).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from spinewise.errors import InputError, NotFoundError
from spinewise.i18n import format_date
from spinewise.services import (
    AssessmentRecord,
    PatientRecord,
    ScreeningResult,
    amend_assessment,
    get_assessment,
    get_patient,
    latest_assessments,
    recent_start_back,
    submit_assessment,
)
from spinewise.web.deps import KbDep, PageActor, RecordId, StoreDep
from spinewise.web.draft import Draft, PlacedProblems, place_problems
from spinewise.web.intake import intake_questions, intake_sections, level_groups
from spinewise.web.rendering import page_translator, render
from spinewise.web.words import N_

router = APIRouter()


def stored_sections() -> list[Any]:
    return [s for s in intake_sections() if s.key != "clearance"]


def _age_on(birth: dt.date | None, day: dt.date) -> str:
    if birth is None or birth > day:
        return ""
    years = day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
    return str(years)


def blank_draft(
    patient: PatientRecord, today: dt.date, previous: AssessmentRecord | None = None
) -> Draft:
    """A fresh form: the previous answers but the red flags, today's date, the age."""
    values: dict[str, tuple[str, ...]] = {}
    if previous is not None:
        stored = Draft.from_contract(previous.assessment.to_contract()).values
        values = {
            path: value
            for path, value in stored.items()
            if not path.startswith(("red_flags.", "clearance."))
        }
    values.update(Draft.blank(today).values)
    age = _age_on(patient.birth_date, today)
    if age:
        values["patient.age"] = (age,)
    return Draft(values)


def _page(
    request: Request,
    patient: PatientRecord,
    draft: Draft,
    *,
    action: str,
    heading: str,
    placed: PlacedProblems | None = None,
    previous: AssessmentRecord | None = None,
    notes: dict[str, str] | None = None,
) -> Response:
    context = {
        "previous": previous,
        "field_notes": notes or {},
        "patient": patient,
        "draft": draft,
        "placed": placed,
        "action": action,
        "heading": heading,
        "sections": stored_sections(),
        "questions": intake_questions(),
        "level_groups": level_groups(),
    }
    return render(
        request,
        "assessment_form.html",
        context,
        status_code=422 if placed else 200,
    )


async def _draft_of(request: Request) -> Draft:
    form = await request.form()
    return Draft.from_pairs(
        (name, value)
        for name, value in form.multi_items()
        if isinstance(value, str) and not name.startswith("clearance.")
    )


def _decided(result: ScreeningResult) -> RedirectResponse:
    decision = result.decision
    return RedirectResponse(
        f"/patients/{decision.patient_id}/decisions/{decision.id}", 303
    )


@router.get("/patients/{patient_id}/assessments/new")
def new_assessment(
    request: Request, patient_id: RecordId, store: StoreDep, actor: PageActor
) -> Response:
    patient = get_patient(store, actor, patient_id)
    latest = latest_assessments(store, actor, patient_id, limit=1)
    previous = latest[0] if latest else None
    today = dt.date.today()
    draft = blank_draft(patient, today, previous)
    notes: dict[str, str] = {}
    recent = recent_start_back(store, actor, patient_id, today)
    if recent is not None:  # a re-assessment: the stored risk group, with its date
        path = "condition.start_back_group"
        draft = Draft({**draft.values, path: (recent.group.value,)})
        tr = page_translator(request)
        notes[path] = tr.gettext(
            "Filled in from the STarT Back questionnaire of %(day)s (group %(group)s)."
        ) % {
            "day": format_date(recent.answered_on, tr.language, "medium"),
            "group": recent.group.value,
        }
    action = f"/patients/{patient_id}/assessments/new"
    return _page(
        request,
        patient,
        draft,
        action=action,
        heading=N_("Intake"),
        previous=previous,
        notes=notes,
    )


@router.post("/patients/{patient_id}/assessments/new")
async def submit(
    request: Request,
    patient_id: RecordId,
    store: StoreDep,
    actor: PageActor,
    kb: KbDep,
) -> Response:
    """Store and screen the answers; on invalid input, the form with its errors."""
    draft = await _draft_of(request)
    try:
        result = await run_in_threadpool(
            submit_assessment, store, actor, patient_id, draft.to_contract(), kb
        )
    except InputError as error:
        patient = await run_in_threadpool(get_patient, store, actor, patient_id)
        action = f"/patients/{patient_id}/assessments/new"
        placed = place_problems(error.problems)
        return _page(
            request, patient, draft, action=action, heading=N_("Intake"), placed=placed
        )
    return _decided(result)


def _stored(
    request: Request,
    store: StoreDep,
    actor: PageActor,
    patient_id: int,
    assessment_id: int,
) -> tuple[PatientRecord, Draft, str]:
    record = get_assessment(store, actor, assessment_id)
    if record.patient_id != patient_id:
        raise NotFoundError(N_("assessment"), assessment_id)
    patient = get_patient(store, actor, patient_id)
    draft = Draft.from_contract(record.assessment.to_contract())
    heading = page_translator(request).gettext("Correct assessment %(number)s")
    return patient, draft, heading % {"number": record.number}


@router.get("/patients/{patient_id}/assessments/{assessment_id}/amend")
def amend_form(
    request: Request,
    patient_id: RecordId,
    assessment_id: RecordId,
    store: StoreDep,
    actor: PageActor,
) -> Response:
    patient, draft, heading = _stored(request, store, actor, patient_id, assessment_id)
    action = f"/patients/{patient_id}/assessments/{assessment_id}/amend"
    return _page(request, patient, draft, action=action, heading=heading)


@router.post("/patients/{patient_id}/assessments/{assessment_id}/amend")
async def amend(
    request: Request,
    patient_id: RecordId,
    assessment_id: RecordId,
    store: StoreDep,
    actor: PageActor,
    kb: KbDep,
) -> Response:
    """Store a corrected version (the original stays) and screen it."""
    draft = await _draft_of(request)
    patient, _, heading = await run_in_threadpool(
        _stored, request, store, actor, patient_id, assessment_id
    )
    try:
        result = await run_in_threadpool(
            amend_assessment, store, actor, assessment_id, draft.to_contract(), kb
        )
    except InputError as error:
        action = f"/patients/{patient_id}/assessments/{assessment_id}/amend"
        placed = place_problems(error.problems)
        return _page(
            request, patient, draft, action=action, heading=heading, placed=placed
        )
    return _decided(result)
