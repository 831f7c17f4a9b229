"""The decision page: verdict, a card per modality, findings with their sources, and
missing answers linking back to their question on the correction form.

An urgent referral opens with the referral itself: the red flags that fired and
what to do, before anything else.
"""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from fastapi.responses import Response

from spinewise.errors import N_, NotFoundError
from spinewise.models import Severity, Verdict
from spinewise.services import get_decision, patient_status
from spinewise.web.deps import PageActor, RecordId, StoreDep
from spinewise.web.pages.steps import next_step
from spinewise.web.presentation import view_decision
from spinewise.web.rendering import page_kb, page_language, render

router = APIRouter()


@router.get("/patients/{patient_id}/decisions/{decision_id}")
def decision_page(
    request: Request,
    patient_id: RecordId,
    decision_id: RecordId,
    store: StoreDep,
    actor: PageActor,
) -> Response:
    record = get_decision(store, actor, decision_id)
    if record.patient_id != patient_id:
        raise NotFoundError(N_("decision"), decision_id)
    status = patient_status(store, actor, patient_id)
    decision = record.decision
    view = view_decision(decision, *page_kb(request))
    referral = decision.verdict is Verdict.URGENT_REFERRAL
    return render(
        request,
        "decision_page.html",
        {
            "patient": status.patient,
            "status": status,
            "record": record,
            "view": view,
            "current": status.decision_id == record.id,
            "referral": referral,
            "red_flags": [
                f for f in decision.findings if f.severity is Severity.RED_FLAG
            ],
            "step": next_step(
                status, actor.role.value, dt.date.today(), page_language(request)
            ),
            "form_url": f"/patients/{patient_id}/assessments/{record.assessment_id}/amend",
        },
    )
