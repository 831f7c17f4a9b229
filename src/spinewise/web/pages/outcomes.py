"""Outcomes: each questionnaire's scores over time with its chart and the change
from the baseline; entering a questionnaire answered at the clinic; sending the
patient a link to answer one on their phone.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from spinewise.errors import N_, FieldProblem, InputError, NotFoundError
from spinewise.models.outcome import Instrument
from spinewise.outcomes import INSTRUMENTS
from spinewise.services import (
    course_reviews,
    create_questionnaire_link,
    get_patient,
    list_outcomes,
    open_links,
    qr_svg,
    questionnaire_url,
    record_response,
    resolve_course_review,
)
from spinewise.web.deps import (
    PageActor,
    RecordId,
    SecretDep,
    SettingsDep,
    StoreDep,
    public_base,
)
from spinewise.web.pages.forms import FormErrors, FormValues, form_errors
from spinewise.web.pages.questionnaire import answers_of, item_labels, items_of
from spinewise.web.presentation import svg_description
from spinewise.web.rendering import page_language, page_translator, render

router = APIRouter()


def instruments() -> list[tuple[str, str]]:
    return [(i.value, INSTRUMENTS[i].name) for i in Instrument]


def _instrument(value: str) -> Instrument:
    try:
        return Instrument(value)
    except ValueError:
        raise NotFoundError(N_("questionnaire"), value) from None


@router.get("/patients/{patient_id}/outcomes")
def outcomes_page(
    request: Request, patient_id: RecordId, store: StoreDep, actor: PageActor
) -> Response:
    patient = get_patient(store, actor, patient_id)
    tr = page_translator(request)
    report = list_outcomes(store, actor, patient_id, tr.language)
    charts = {
        s.instrument: svg_description(s.chart_svg, tr.gettext(s.name))
        for s in report.series
        if s.chart_svg
    }
    pain = report.session_pain_svg
    return render(
        request,
        "outcomes.html",
        {
            "patient": patient,
            "series": report.series,
            "chart_alts": charts,
            "instruments": instruments(),
            "session_pain": report.session_pain,
            "pain_alt": svg_description(pain, "") if pain else None,
            "advisories": report.advisories,
            "reviews": course_reviews(store, actor, patient_id, tr.language),
            "open_links": open_links(store, actor, patient_id),
        },
    )


@router.post("/patients/{patient_id}/reviews/{review_id}")
async def resolve_review(
    request: Request,
    patient_id: RecordId,
    review_id: RecordId,
    store: StoreDep,
    actor: PageActor,
) -> Response:
    """Resolve a "review before the next session" (re-screened, or why it goes on)."""
    values = FormValues.of(await request.form(), ("resolution", "note"))
    await run_in_threadpool(
        lambda: resolve_course_review(
            store, actor, review_id, values.value("resolution"), values.value("note")
        )
    )
    return RedirectResponse(f"/patients/{patient_id}/outcomes", 303)


@router.get("/patients/{patient_id}/outcomes/{instrument}.svg")
def outcome_chart(
    request: Request,
    patient_id: RecordId,
    instrument: str,
    store: StoreDep,
    actor: PageActor,
) -> Response:
    """A chart of the outcomes page, in the page's language (its ``<img>`` loads it
    with the same cookie and user setting)."""
    report = list_outcomes(store, actor, patient_id, page_language(request))
    if instrument == "session-pain":
        if report.session_pain_svg is None:
            raise NotFoundError(N_("session pain chart"), patient_id)
        return Response(report.session_pain_svg, media_type="image/svg+xml")
    chosen = _instrument(instrument)
    series = next((s for s in report.series if s.instrument is chosen), None)
    if series is None or series.chart_svg is None:
        raise NotFoundError(N_("outcome chart"), instrument)
    return Response(series.chart_svg, media_type="image/svg+xml")


def _entry(
    request: Request,
    patient: Any,
    instrument: Instrument,
    values: FormValues,
    errors: FormErrors | None = None,
) -> Response:
    return render(
        request,
        "questionnaire_entry.html",
        {
            "patient": patient,
            "instrument": instrument,
            "name": INSTRUMENTS[instrument].name,
            "items": items_of(instrument, language=patient.language),
            "values": values,
            "errors": errors or FormErrors(labels=item_labels(instrument)),
        },
        status_code=422 if errors else 200,
    )


@router.get("/patients/{patient_id}/questionnaires/new")
def entry_form(
    request: Request,
    patient_id: RecordId,
    store: StoreDep,
    actor: PageActor,
    instrument: str = "nrs",
) -> Response:
    chosen = _instrument(instrument)
    patient = get_patient(store, actor, patient_id)
    values = FormValues({"answered_on": (dt.date.today().isoformat(),)})
    return _entry(request, patient, chosen, values)


@router.post("/patients/{patient_id}/questionnaires/new")
async def enter(
    request: Request,
    patient_id: RecordId,
    store: StoreDep,
    actor: PageActor,
    instrument: str = "nrs",
) -> Response:
    """Score and store a questionnaire the patient answered at the clinic."""
    chosen = _instrument(instrument)
    values = FormValues.of(await request.form(), item_labels(chosen))
    try:
        response = {
            "instrument": chosen.value,
            "answered_on": values.value("answered_on"),
            "answers": answers_of(values, chosen),
        }
        await run_in_threadpool(record_response, store, actor, patient_id, response)
    except InputError as error:
        patient = await run_in_threadpool(get_patient, store, actor, patient_id)
        errors = form_errors(error, item_labels(chosen))
        return _entry(request, patient, chosen, values, errors)
    return RedirectResponse(f"/patients/{patient_id}/outcomes", 303)


@router.post("/patients/{patient_id}/questionnaire-links")
async def send_link(
    request: Request,
    patient_id: RecordId,
    store: StoreDep,
    actor: PageActor,
    settings: SettingsDep,
    secret: SecretDep,
) -> Response:
    """A new link for the patient; its address is shown once, here."""
    values = FormValues.of(await request.form(), ("instrument",))
    try:
        chosen = Instrument(values.value("instrument"))
    except ValueError:
        raise InputError(
            [FieldProblem("instrument", N_("choose a questionnaire"))]
        ) from None
    link = await run_in_threadpool(
        lambda: create_questionnaire_link(
            store,
            actor,
            patient_id,
            chosen,
            secret=secret,
            valid_days=settings.questionnaire_link_days,
        )
    )
    patient = await run_in_threadpool(get_patient, store, actor, patient_id)
    url = questionnaire_url(public_base(request, settings), link.token)
    return render(
        request,
        "questionnaire_link.html",
        {
            "patient": patient,
            "name": INSTRUMENTS[chosen].name,
            "url": url,
            "qr_svg": qr_svg(url),
            "expires_at": link.expires_at,
        },
        status_code=201,
    )
