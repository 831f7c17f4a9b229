"""The patient's consents: to treatment, to data processing, to being contacted,
each with its text, the current state (who recorded it, when, which text version)
and a form to record it given or withdrawn. Nothing is assumed for a patient with
no record; no plan is issued without consent to treatment."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from spinewise.i18n import Translator
from spinewise.services import get_patient, patient_consents, record_consent
from spinewise.web.deps import PageActor, RecordId, StoreDep
from spinewise.web.pages.forms import FormValues
from spinewise.web.rendering import render
from spinewise.web.words import N_

router = APIRouter()

NAMES = {
    "treatment": N_("Consent to treatment"),
    "data_processing": N_("Consent to data processing"),
    "contact": N_("Consent to be contacted"),
}


@router.get("/patients/{patient_id}/consent")
def consent_page(
    request: Request, patient_id: RecordId, store: StoreDep, actor: PageActor
) -> Response:
    patient = get_patient(store, actor, patient_id)
    spoken = Translator(patient.language)  # the texts are read to the patient
    states = [
        s.model_copy(update={"text": spoken.gettext(s.text)})
        for s in patient_consents(store, actor, patient_id)
    ]
    return render(
        request,
        "consent.html",
        {"patient": patient, "states": states, "names": NAMES},
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
