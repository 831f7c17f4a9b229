"""The physician's clearance: the queue, a patient's requests and decisions, and the
physician's form (approve / approve with exclusions / decline, valid until, reason).

Clinicians request clearance; only physicians decide (the service refuses anyone
else; the page shows the form to physicians only). Recording a decision re-screens
the current assessment, and the page goes on to that new decision.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from spinewise.errors import FieldProblem, InputError
from spinewise.models import Modality
from spinewise.services import (
    Actor,
    Store,
    awaiting_physician,
    clearance_history,
    get_decision,
    patient_status,
    record_clearance,
    request_clearance,
)
from spinewise.web.deps import KbDep, PageActor, RecordId, StoreDep
from spinewise.web.pages.forms import FormErrors, FormValues, form_errors
from spinewise.web.pages.steps import next_step
from spinewise.web.presentation import MODALITY_NAMES, VERDICTS, view_decision
from spinewise.web.rendering import page_kb, page_language, render
from spinewise.web.words import N_

router = APIRouter()

CLEARANCE_FORM = {
    "decision": N_("Physician's decision"),
    "excluded_modalities": N_("Modalities excluded"),
    "valid_until": N_("Valid until"),
    "reason": N_("Reason"),
}
DECISIONS = (
    ("approve", N_("Approve massage")),
    ("restrict", N_("Approve with exclusions (restrict)")),
    ("decline", N_("Decline massage")),
)
STATUS_OF = {"approve": "approved", "restrict": "approved", "decline": "declined"}


@router.get("/clearances")
def clearance_queue(request: Request, store: StoreDep, actor: PageActor) -> Response:
    waiting = awaiting_physician(store, actor)
    rows = [(w, VERDICTS[w.verdict] if w.verdict else None) for w in waiting]
    return render(request, "clearances.html", {"rows": rows})


def _page_context(
    request: Request, store: Store, actor: Actor, patient_id: int
) -> dict[str, Any]:
    status = patient_status(store, actor, patient_id)
    current = (
        get_decision(store, actor, status.decision_id) if status.decision_id else None
    )
    return {
        "patient": status.patient,
        "status": status,
        "view": view_decision(current.decision, *page_kb(request)) if current else None,
        "history": clearance_history(store, actor, patient_id),
        "step": next_step(
            status, actor.role.value, dt.date.today(), page_language(request)
        ),
        "decisions": DECISIONS,
        "modalities": [(m.value, MODALITY_NAMES[m]) for m in Modality],
    }


def _render(
    request: Request,
    context: dict[str, Any],
    values: FormValues | None = None,
    errors: FormErrors | None = None,
) -> Response:
    errors = errors or FormErrors(labels=CLEARANCE_FORM)
    return render(
        request,
        "clearance.html",
        {**context, "values": values or FormValues(), "errors": errors},
        status_code=422 if errors else 200,
    )


@router.get("/patients/{patient_id}/clearance")
def clearance_page(
    request: Request, patient_id: RecordId, store: StoreDep, actor: PageActor
) -> Response:
    return _render(request, _page_context(request, store, actor, patient_id))


@router.post("/patients/{patient_id}/clearance-requests")
async def ask(
    request: Request, patient_id: RecordId, store: StoreDep, actor: PageActor
) -> Response:
    values = FormValues.of(await request.form(), ("note",))
    await run_in_threadpool(
        request_clearance, store, actor, patient_id, note=values.optional("note")
    )
    return RedirectResponse(f"/patients/{patient_id}/clearance", 303)


def clearance_input(values: FormValues) -> dict[str, Any]:
    """The form as ``services.ClearanceDecision`` fields (InputError when unclear)."""
    choice = values.value("decision")
    excluded = values.all("excluded_modalities")
    problems = []
    if choice not in STATUS_OF:
        problems.append(
            FieldProblem(
                "decision", N_("choose approve, approve with exclusions or decline")
            )
        )
    if choice == "restrict" and not excluded:
        problems.append(
            FieldProblem(
                "excluded_modalities", N_("tick each modality the physician excludes")
            )
        )
    if problems:
        raise InputError(problems)
    return {
        "status": STATUS_OF[choice],
        "valid_until": values.optional("valid_until"),
        "excluded_modalities": excluded,
        "reason": values.optional("reason"),
    }


def _renamed(error: InputError) -> InputError:
    """The service names the choice ``status``; the form calls it ``decision``."""
    return InputError(
        [
            FieldProblem("decision" if p.field == "status" else p.field, p.message)
            for p in error.problems
        ]
    )


@router.post("/patients/{patient_id}/clearance")
async def decide(
    request: Request,
    patient_id: RecordId,
    store: StoreDep,
    actor: PageActor,
    kb: KbDep,
) -> Response:
    """Record the physician's decision, then show the decision it leads to."""
    values = FormValues.of(await request.form(), CLEARANCE_FORM)
    try:
        data = clearance_input(values)
        outcome = await run_in_threadpool(
            record_clearance, store, actor, patient_id, data, kb
        )
    except InputError as error:
        context = await run_in_threadpool(
            _page_context, request, store, actor, patient_id
        )
        errors = form_errors(_renamed(error), CLEARANCE_FORM)
        return _render(request, context, values, errors)
    decision = outcome.screening
    return RedirectResponse(f"/patients/{patient_id}/decisions/{decision.id}", 303)
