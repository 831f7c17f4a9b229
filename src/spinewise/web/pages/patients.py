"""The patient list (each with the current verdict and what awaits action), registering
a patient, and the patient page with its next step."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from spinewise.errors import ConflictError, InputError
from spinewise.models import Decision, Profile, StartBackRisk
from spinewise.services import (
    Actor,
    PatientStatus,
    RecentStartBack,
    Store,
    patient_overview,
    patient_status,
    recent_start_back,
    register_patient,
    search_patients,
)
from spinewise.web.deps import PageActor, RecordId, StoreDep
from spinewise.web.pages.forms import FormErrors, FormValues, form_errors
from spinewise.web.pages.steps import next_step
from spinewise.web.presentation import VERDICTS, view_decision
from spinewise.web.rendering import page_kb, page_language, page_translator, render
from spinewise.web.words import N_

router = APIRouter()
MAX_QUERY = 200

NEW_PATIENT = {
    "record_number": N_("Record number"),
    "name": N_("Full name"),
    "birth_date": N_("Date of birth"),
}


def _rows(
    statuses: list[PatientStatus], role: str, language: str
) -> list[dict[str, Any]]:
    today = dt.date.today()
    return [
        {
            "status": s,
            "look": VERDICTS[s.verdict] if s.verdict else None,
            "step": next_step(s, role, today, language),
        }
        for s in statuses
    ]


PAGE_SIZE = 50
SORT_LABELS = {
    "name": N_("Name"),
    "record": N_("Record number"),
    "recent": N_("Newest first"),
}


@router.get("/patients")
def patient_list(
    request: Request,
    store: StoreDep,
    actor: PageActor,
    q: str = "",
    sort: str = "name",
    page: int = 1,
) -> Response:
    """The clinic's patients, searched as you type (the results part alone when the
    request comes from the search box's script: ``HX-Request``)."""
    note = ""
    if len(q) > MAX_QUERY:
        q, note = (
            q[:MAX_QUERY],
            page_translator(request).gettext(
                "Only the first %(num)s characters are searched."
            )
            % {"num": MAX_QUERY},
        )
    sort = sort if sort in SORT_LABELS else "name"
    page = min(max(page, 1), 100_000)
    found = search_patients(
        store, actor, q, sort=sort, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
    )
    context = {
        "rows": _rows(found.items, actor.role.value, page_language(request)),
        "total": found.total,
        "q": q,
        "sort": sort,
        "sorts": SORT_LABELS,
        "page": page,
        "pages": max(1, -(-found.total // PAGE_SIZE)),
        "first": (page - 1) * PAGE_SIZE + 1,
        "note": note,
    }
    partial = request.headers.get("HX-Request") == "true"
    return render(request, "patient_rows.html" if partial else "patients.html", context)


@router.get("/patients/new")
def new_patient_form(request: Request, actor: PageActor) -> Response:
    return render(
        request,
        "patient_new.html",
        {"values": FormValues(), "errors": FormErrors(labels=NEW_PATIENT)},
    )


@router.post("/patients")
async def register(request: Request, store: StoreDep, actor: PageActor) -> Response:
    """Register the patient, then go straight to their intake form."""
    values = FormValues.of(await request.form(), NEW_PATIENT)
    details = {
        "record_number": values.value("record_number"),
        "name": values.value("name"),
        "birth_date": values.optional("birth_date"),
    }
    try:
        patient = await run_in_threadpool(register_patient, store, actor, details)
    except (InputError, ConflictError) as error:
        errors = form_errors(error, NEW_PATIENT)
        return render(
            request,
            "patient_new.html",
            {"values": values, "errors": errors},
            status_code=422 if isinstance(error, InputError) else 409,
        )
    return RedirectResponse(f"/patients/{patient.id}/assessments/new", 303)


def _start_back_high(
    store: Store, actor: Actor, patient_id: int, decision: Decision | None
) -> RecentStartBack | None:
    """A recent STarT Back high risk group, shown as an advisory for a disc
    herniation (the non-specific profile's rule PC-SBT-01 acts on it instead)."""
    if decision is not None and decision.profile is not Profile.DISC_HERNIATION:
        return None
    if actor.role.value not in ("therapist", "physician"):
        return None
    recent = recent_start_back(store, actor, patient_id, dt.date.today())
    return recent if recent and recent.group is StartBackRisk.HIGH else None


@router.get("/patients/{patient_id}")
def patient_page(
    request: Request, patient_id: RecordId, store: StoreDep, actor: PageActor
) -> Response:
    status = patient_status(store, actor, patient_id)
    overview = patient_overview(store, actor, patient_id, limit=10)
    current = overview.decisions.get(status.assessment_id or 0)
    history = []
    for assessment in overview.assessments:
        decided = overview.decisions.get(assessment.id)
        look = VERDICTS[decided.decision.verdict] if decided else None
        history.append((assessment, decided, look))
    return render(
        request,
        "patient.html",
        {
            "status": status,
            "patient": status.patient,
            "start_back_high": _start_back_high(
                store, actor, patient_id, current.decision if current else None
            ),
            "step": next_step(
                status, actor.role.value, dt.date.today(), page_language(request)
            ),
            "view": view_decision(current.decision, *page_kb(request))
            if current
            else None,
            "history": history,
        },
    )
