"""The knowledge-base page: version, counts, and the clinical basis rule by rule."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response

from spinewise.i18n import Translator
from spinewise.kb import render_clinical_basis
from spinewise.kb.wording import describe_condition, describe_expression
from spinewise.models import Severity
from spinewise.screening import ENGINE_VERSION
from spinewise.web.deps import KbDep, PageUser
from spinewise.web.presentation import SEVERITIES
from spinewise.web.rendering import page_language, render
from spinewise.web.words import N_

router = APIRouter()

HEADINGS = {
    Severity.RED_FLAG: N_("Red flags: urgent referral, no massage"),
    Severity.DEFER: N_("Defers: temporary, every modality"),
    Severity.CONTRAINDICATION: N_("Contraindications"),
    Severity.PRECAUTION: N_("Precautions: allowed with changes"),
    Severity.INFO: N_("Information"),
}


@router.get("/kb")
def kb_page(request: Request, kb: KbDep, _user: PageUser) -> Response:
    """Every rule with its source, its words in the page's language (ids, figures
    and citations as published)."""
    language = page_language(request)
    tr = Translator(language)
    kb = kb.in_language(language)
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
            "conditions": {r.id: describe_condition(r.when, tr) for r in kb.rules},
            "rescreens": {
                r.id: describe_expression(r.rescreen_after, tr)
                for r in kb.rules
                if r.rescreen_after is not None
            },
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
