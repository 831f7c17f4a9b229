"""Editing a patient's details (the earlier ones kept) and the right-of-access export."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from spinewise.errors import ConflictError, InputError
from spinewise.services import (
    PatientRecord,
    export_patient,
    get_patient,
    patient_revisions,
    update_patient,
)
from spinewise.web.deps import PageActor, RecordId, StoreDep
from spinewise.web.pages.forms import FormErrors, FormValues, form_errors
from spinewise.web.rendering import render
from spinewise.web.words import N_

router = APIRouter()

DETAILS = {
    "record_number": N_("Record number"),
    "name": N_("Full name"),
    "birth_date": N_("Date of birth"),
}


def _values(patient: PatientRecord) -> FormValues:
    born = patient.birth_date.isoformat() if patient.birth_date else ""
    return FormValues(
        {
            "record_number": (patient.record_number,),
            "name": (patient.name,),
            "birth_date": (born,),
        }
    )


def _page(
    request: Request,
    store: StoreDep,
    actor: PageActor,
    patient: PatientRecord,
    values: FormValues,
    errors: FormErrors,
    status_code: int = 200,
) -> Response:
    context = {
        "patient": patient,
        "values": values,
        "errors": errors,
        "revisions": patient_revisions(store, actor, patient.id),
    }
    return render(request, "patient_edit.html", context, status_code=status_code)


@router.get("/patients/{patient_id}/edit")
def edit_form(
    request: Request, patient_id: RecordId, store: StoreDep, actor: PageActor
) -> Response:
    patient = get_patient(store, actor, patient_id)
    errors = FormErrors(labels=DETAILS)
    return _page(request, store, actor, patient, _values(patient), errors)


@router.post("/patients/{patient_id}/edit")
async def edit(
    request: Request, patient_id: RecordId, store: StoreDep, actor: PageActor
) -> Response:
    """Save the new details (the old ones are kept), then back to the patient."""
    values = FormValues.of(await request.form(), DETAILS)
    changes = {
        "record_number": values.value("record_number"),
        "name": values.value("name"),
        "birth_date": values.optional("birth_date"),
    }
    try:
        await run_in_threadpool(update_patient, store, actor, patient_id, changes)
    except (InputError, ConflictError) as error:
        patient = await run_in_threadpool(get_patient, store, actor, patient_id)
        status = 422 if isinstance(error, InputError) else 409
        errors = form_errors(error, DETAILS)
        return await run_in_threadpool(
            _page, request, store, actor, patient, values, errors, status
        )
    return RedirectResponse(f"/patients/{patient_id}", 303)


@router.get("/patients/{patient_id}/export.json")
def export(patient_id: RecordId, store: StoreDep, actor: PageActor) -> Response:
    """Everything held about the patient, as a JSON download (audited as an export)."""
    document = export_patient(store, actor, patient_id)
    return JSONResponse(
        document,
        headers={
            "Content-Disposition": f'attachment; filename="patient-{patient_id}.json"',
            "Cache-Control": "no-store",
        },
    )
