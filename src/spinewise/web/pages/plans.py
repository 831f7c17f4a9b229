"""The course plan page: issue a plan from the latest decision, read it with its body
chart, and download the therapist's plan and the patient's care sheet as PDF.

The body chart is an ``<img>`` of an SVG route (no inline markup, so its ids never
clash and the CSP stays strict); its description becomes the image's text
alternative. Downloads are audited as exports by the services.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from spinewise.errors import InputError, NotFoundError, PlanRefusedError
from spinewise.i18n import Translator
from spinewise.kb import KnowledgeBase
from spinewise.models import Modality, Verdict, parse_date
from spinewise.planning import (
    Area,
    CoursePlan,
    Step,
    area_label,
    describe_where,
    reworded_check,
)
from spinewise.reports import render_body_chart
from spinewise.services import (
    Actor,
    PlanRecord,
    Store,
    current_plan,
    export_care_sheet_pdf,
    export_plan_pdf,
    get_decision,
    get_plan,
    issue_plan,
    patient_status,
)
from spinewise.web.deps import KbDep, PageActor, RecordId, StoreDep
from spinewise.web.pages.forms import FormErrors, FormValues, form_errors
from spinewise.web.pages.steps import next_step
from spinewise.web.presentation import MODALITY_NAMES, kb_words, svg_description
from spinewise.web.rendering import page_kb, page_language, render
from spinewise.web.words import N_

router = APIRouter()

ISSUE_FORM = {"start_date": N_("First session on"), "modalities": N_("Modalities")}


def _plan_of(store: Store, actor: Actor, patient_id: int, plan_id: int) -> PlanRecord:
    plan = get_plan(store, actor, plan_id)
    if plan.patient_id != patient_id:
        raise NotFoundError(N_("course plan"), plan_id)
    return plan


def _chart(plan: CoursePlan, kb: KnowledgeBase, language: str) -> str:
    """The plan's body chart in ``language`` (the stored plan's English texts of the
    knowledge base looked up in it)."""
    words = kb_words(kb, language)
    return render_body_chart(
        plan, language=language, kb_text=lambda text: words.get(text, text)
    )


def _plan_words(kb: KnowledgeBase, language: str) -> dict[str, Any]:
    """The words the planner composes (where a step works, an area's name, its own
    checks), put together in the page's language from the stored plan's data."""
    tr = Translator(language)
    words = kb_words(kb, language)

    def check(text: str) -> str:
        return reworded_check(text, tr, lambda kb_text: words.get(kb_text, kb_text))

    def where(step: Step) -> str:
        return describe_where(step, tr)

    def area(place: Area) -> str:
        return area_label(place, tr)

    return {"where": where, "area": area, "check": check}


def _context(
    request: Request, store: Store, actor: Actor, patient_id: int
) -> dict[str, Any]:
    status = patient_status(store, actor, patient_id)
    plan = current_plan(store, actor, patient_id)
    usable: list[Modality] = []
    if status.decision_id and status.verdict is Verdict.PROCEED:
        usable = get_decision(
            store, actor, status.decision_id
        ).decision.usable_modalities()
    standing = (
        plan is not None
        and plan.decision_id == status.decision_id
        and plan.status == "active"
    )
    kb, language = page_kb(request)
    chart = _chart(plan.plan, kb, language) if plan else ""
    return {
        **_plan_words(kb, language),
        "patient": status.patient,
        "status": status,
        "plan": plan,
        "chart_alt": svg_description(
            chart, Translator(language).gettext("Body chart of the plan.")
        ),
        "step": next_step(
            status, actor.role.value, dt.date.today(), page_language(request)
        ),
        "can_issue": bool(usable) and not standing,
        "usable": [(m.value, MODALITY_NAMES[m]) for m in usable],
    }


def _render(
    request: Request,
    context: dict[str, Any],
    *,
    values: FormValues | None = None,
    errors: FormErrors | None = None,
    refused: str = "",
    status_code: int = 200,
) -> Response:
    chosen = values or FormValues(
        {
            "start_date": (dt.date.today().isoformat(),),
            "modalities": tuple(v for v, _ in context["usable"]),
        }
    )
    return render(
        request,
        "plan.html",
        {
            **context,
            "values": chosen,
            "errors": errors or FormErrors(labels=ISSUE_FORM),
            "refused": refused,
        },
        status_code=status_code,
    )


@router.get("/patients/{patient_id}/plan")
def plan_page(
    request: Request, patient_id: RecordId, store: StoreDep, actor: PageActor
) -> Response:
    return _render(request, _context(request, store, actor, patient_id))


@router.post("/patients/{patient_id}/plan")
async def issue(
    request: Request,
    patient_id: RecordId,
    store: StoreDep,
    actor: PageActor,
    kb: KbDep,
) -> Response:
    """Issue a plan from the latest decision (a refusal says why, on the page)."""
    values = FormValues.of(await request.form(), ISSUE_FORM)
    try:
        start = _start_date(values)
        known = {m.value for m in Modality}
        modalities = [Modality(m) for m in values.all("modalities") if m in known]
        await run_in_threadpool(
            lambda: issue_plan(
                store,
                actor,
                patient_id,
                kb,
                start_date=start,
                modalities=modalities or None,
            )
        )
    except (InputError, PlanRefusedError) as error:
        context = await run_in_threadpool(_context, request, store, actor, patient_id)
        if isinstance(error, PlanRefusedError):
            return _render(
                request, context, values=values, refused=str(error), status_code=409
            )
        errors = form_errors(error, ISSUE_FORM)
        return _render(request, context, values=values, errors=errors, status_code=422)
    return RedirectResponse(f"/patients/{patient_id}/plan", 303)


def _start_date(values: FormValues) -> dt.date:
    return parse_date(values.value("start_date"), "start_date")


@router.get("/patients/{patient_id}/plans/{plan_id}/body-chart.svg")
def body_chart(
    request: Request,
    patient_id: RecordId,
    plan_id: RecordId,
    store: StoreDep,
    actor: PageActor,
) -> Response:
    """The body chart the plan page shows, in the reader's language."""
    plan = _plan_of(store, actor, patient_id, plan_id)
    kb, language = page_kb(request)
    return Response(
        _chart(plan.plan, kb, language),
        media_type="image/svg+xml",
        headers={"Content-Language": language},
    )


def _pdf(content: bytes, filename: str) -> Response:
    return Response(
        content,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/patients/{patient_id}/plans/{plan_id}/plan.pdf")
def plan_pdf(
    request: Request,
    patient_id: RecordId,
    plan_id: RecordId,
    store: StoreDep,
    actor: PageActor,
    kb: KbDep,
) -> Response:
    """The therapist's plan, in the reader's language."""
    plan = _plan_of(store, actor, patient_id, plan_id)
    language = page_language(request)
    content = export_plan_pdf(store, actor, plan.id, kb=kb, language=language)
    return _pdf(content, f"plan-{plan.patient_id}-{plan.id}.pdf")


@router.get("/patients/{patient_id}/plans/{plan_id}/care-sheet.pdf")
def care_sheet_pdf(
    patient_id: RecordId,
    plan_id: RecordId,
    store: StoreDep,
    actor: PageActor,
    kb: KbDep,
) -> Response:
    """The patient's care sheet, in the patient's language."""
    plan = _plan_of(store, actor, patient_id, plan_id)
    content = export_care_sheet_pdf(store, actor, plan.id, kb=kb)
    return _pdf(content, f"care-sheet-{plan.patient_id}-{plan.id}.pdf")
