"""The patient's consents: to treatment, to data processing, to being contacted,
each with its text, the current state (who recorded it, when, which text version)
and a form to record it given or withdrawn. Nothing is assumed for a patient with
no record; no plan is issued without consent to treatment."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from spinewise.services import get_patient, patient_consents, record_consent
from spinewise.web.deps import PageActor, RecordId, StoreDep
from spinewise.web.pages.forms import FormValues
from spinewise.web.rendering import render

router = APIRouter()

NAMES = {
    "treatment": "Consent to treatment",
    "data_processing": "Consent to data processing",
    "contact": "Consent to be contacted",
}


@router.get("/patients/{patient_id}/consent")
def consent_page(
    request: Request, patient_id: RecordId, store: StoreDep, actor: PageActor
) -> Response:
    return render(
        request,
        "consent.html",
        {
            "patient": get_patient(store, actor, patient_id),
            "states": patient_consents(store, actor, patient_id),
            "names": NAMES,
        },
    )


@router.post("/patients/{patient_id}/consent")
async def record(
    request: Request, patient_id: RecordId, store: StoreDep, actor: PageActor
) -> Response:
    values = FormValues.of(await request.form(), ("kind", "given", "note"))
    await run_in_threadpool(
        lambda: record_consent(
            store,
            actor,
            patient_id,
            values.value("kind"),
            given=values.value("given") == "yes",
            note=values.value("note"),
        )
    )
    return RedirectResponse(f"/patients/{patient_id}/consent", 303)
