"""Stored decisions: each with the exact input it was made from.

Language: as for ``POST /screen``, ``?lang=ru`` or ``Accept-Language`` asks for the
summary and the findings' messages in that language (codes stay codes), and the
answer says which (``"lang"``; ``lang_warning`` when a language we do not offer was
asked for: English then). Without either, the answer is exactly the stored record.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from spinewise.i18n import SUPPORTED_LANGUAGES
from spinewise.screening import translate_decision
from spinewise.services import DecisionRecord, decisions_of_patient, get_decision
from spinewise.web.api.bodies import RecordId
from spinewise.web.api.schemas import error_responses
from spinewise.web.api.screen import requested_language
from spinewise.web.deps import ApiActor, KbDep, StoreDep

router = APIRouter(tags=["decisions"])

LangQuery = Annotated[
    str | None,
    Query(
        description="language of the summary and messages (en, ru); an unknown one "
        "is answered in English with `lang_warning`"
    ),
]


def _in_language(
    request: Request, kb: KbDep, records: list[DecisionRecord], lang: str | None
) -> list[dict[str, Any]] | None:
    """The records as JSON with their words in the asked language, or None when no
    language was asked for (the records go out unchanged)."""
    enabled = getattr(request.app.state, "languages", SUPPORTED_LANGUAGES)
    language, warning = requested_language(
        lang, request.headers.get("accept-language"), enabled
    )
    if language is None:
        return None
    shown = []
    for record in records:
        decision = translate_decision(record.decision, kb, language)
        document = record.model_copy(update={"decision": decision}).model_dump(
            mode="json", by_alias=True
        )
        document["lang"] = language
        if warning is not None:
            document["lang_warning"] = warning
        shown.append(document)
    return shown


@router.get(
    "/patients/{patient_id}/decisions",
    summary="The patient's decisions, newest first",
    response_model=list[DecisionRecord],
    responses=error_responses(401, 403, 404, 422),
)
def list_decisions(
    request: Request,
    patient_id: RecordId,
    store: StoreDep,
    kb: KbDep,
    actor: ApiActor,
    limit: Annotated[int, Query(ge=1, le=500)] = 20,
    lang: LangQuery = None,
) -> list[DecisionRecord] | JSONResponse:
    records = decisions_of_patient(store, actor, patient_id, limit=limit)
    shown = _in_language(request, kb, records, lang)
    return records if shown is None else JSONResponse(shown)


@router.get(
    "/decisions/{decision_id}",
    summary="One stored decision",
    response_model=DecisionRecord,
    responses=error_responses(401, 403, 404, 422),
)
def read_decision(
    request: Request,
    decision_id: RecordId,
    store: StoreDep,
    kb: KbDep,
    actor: ApiActor,
    lang: LangQuery = None,
) -> DecisionRecord | JSONResponse:
    record = get_decision(store, actor, decision_id)
    shown = _in_language(request, kb, [record], lang)
    return record if shown is None else JSONResponse(shown[0])
