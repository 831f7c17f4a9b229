"""The knowledge-base page: version, counts, and the clinical basis rule by rule."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response

from spinewise.kb import render_clinical_basis
from spinewise.models import Severity
from spinewise.screening import ENGINE_VERSION
from spinewise.web.deps import KbDep, PageUser
from spinewise.web.presentation import SEVERITIES
from spinewise.web.rendering import render

router = APIRouter()

HEADINGS = {
    Severity.RED_FLAG: "Red flags: urgent referral, no massage",
    Severity.DEFER: "Defers: temporary, every modality",
    Severity.CONTRAINDICATION: "Contraindications",
    Severity.PRECAUTION: "Precautions: allowed with changes",
    Severity.INFO: "Information",
}


@router.get("/kb")
def kb_page(request: Request, kb: KbDep, _user: PageUser) -> Response:
    groups = [
        (severity, HEADINGS[severity], SEVERITIES[severity],
         [r for r in kb.rules if r.severity is severity])
        for severity in Severity
    ]  # fmt: skip
    return render(
        request,
        "kb.html",
        {
            "kb": kb,
            "engine_version": ENGINE_VERSION,
            "counts": kb.counts_by_severity(),
            "groups": groups,
        },
    )


@router.get("/kb/clinical-basis.md")
def clinical_basis(kb: KbDep, _user: PageUser) -> PlainTextResponse:
    """The clinical-basis document as Markdown, to download and review."""
    return PlainTextResponse(
        render_clinical_basis(kb),
        media_type="text/markdown; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="clinical-basis-{kb.version}.md"'
        },
    )
