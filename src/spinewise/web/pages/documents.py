"""Documents about a patient, as PDF downloads: the progress report and the discharge
letter to the attending physician, and the readable right-of-access record.

They are written in the reader's language (the page's: the user's, else the browser's)
and audited as exports by the services, which also keep them to the clinic's clinicians.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from spinewise.kb import KnowledgeBase
from spinewise.reports import LetterKind
from spinewise.services import Actor, Store, export_patient_pdf, physician_letter
from spinewise.web.deps import KbDep, PageActor, RecordId, StoreDep
from spinewise.web.rendering import page_language

router = APIRouter()


def pdf_download(content: bytes, filename: str) -> Response:
    return Response(
        content,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


def _letter(
    request: Request,
    patient_id: int,
    kind: LetterKind,
    store: Store,
    actor: Actor,
    kb: KnowledgeBase,
) -> Response:
    content = physician_letter(
        store, actor, patient_id, kind, kb, language=page_language(request)
    )
    return pdf_download(content, f"{kind.value}-letter-{patient_id}.pdf")


@router.get("/patients/{patient_id}/letters/progress.pdf")
def progress_letter_pdf(
    request: Request, patient_id: RecordId, store: StoreDep, actor: PageActor, kb: KbDep
) -> Response:
    """The progress report to the attending physician."""
    return _letter(request, patient_id, LetterKind.PROGRESS, store, actor, kb)


@router.get("/patients/{patient_id}/letters/discharge.pdf")
def discharge_letter_pdf(
    request: Request, patient_id: RecordId, store: StoreDep, actor: PageActor, kb: KbDep
) -> Response:
    """The discharge letter to the attending physician."""
    return _letter(request, patient_id, LetterKind.DISCHARGE, store, actor, kb)


@router.get("/patients/{patient_id}/record.pdf")
def record_pdf(
    request: Request, patient_id: RecordId, store: StoreDep, actor: PageActor, kb: KbDep
) -> Response:
    """Everything held about the patient, readable (right of access)."""
    content = export_patient_pdf(
        store, actor, patient_id, language=page_language(request), kb=kb
    )
    return pdf_download(content, f"patient-{patient_id}.pdf")
