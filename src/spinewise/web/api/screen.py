"""``POST /api/v1/screen``: screen one assessment without storing it (for integrators).

The raw body is validated as strict JSON in one pass (``model_validate_json``, which
also makes it fast): dates must be ISO strings and answers true / false / null, so
``0`` is not a date and ``"no"`` is not an answer. Errors go through the same
translator as ``parse_model`` (``problems_of``) and name contract fields
(``hernia.levels[0]``). The decision is serialised straight to bytes.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import ValidationError

from spinewise.errors import FieldProblem, InputError
from spinewise.models import Assessment, Decision, problems_of
from spinewise.screening import screen
from spinewise.web.api.schemas import error_responses
from spinewise.web.deps import ApiUser, KbDep

router = APIRouter(tags=["screening"])

EXAMPLE: dict[str, Any] = {
    "schema": "spinewise.assessment/1",
    "assessed_on": "2026-11-24",
    "patient": {"age": 46, "sex": "female"},
    "hernia": {"region": "lumbar", "levels": ["L4-L5"]},
    "symptoms": {"onset_date": "2026-09-01", "pain_nrs": 3},
    "red_flags": {"saddle_anaesthesia": True},
}
REQUEST_BODY = {
    "requestBody": {
        "required": True,
        "description": "An assessment (`spinewise.assessment/1`) as strict JSON: "
        "ISO dates, answers true / false / null (null or absent means unknown, "
        "never no).",
        "content": {
            "application/json": {
                "schema": {"$ref": "#/components/schemas/Assessment"},
                "example": EXAMPLE,
            }
        },
    }
}


MAX_MESSAGE = 300


def _short(problem: FieldProblem) -> FieldProblem:
    """The problem with its message cut to a readable length (it may echo the input)."""
    if len(problem.message) <= MAX_MESSAGE:
        return problem
    return FieldProblem(problem.field, problem.message[: MAX_MESSAGE - 1] + "…")


def read_assessment(body: bytes) -> Assessment:
    """Validate a JSON body as an assessment, or an InputError naming every field."""
    try:
        return Assessment.model_validate_json(body, strict=True)
    except ValidationError as exc:
        errors = exc.errors(include_url=False, include_input=False)
        syntax = [e["msg"] for e in errors if e["type"] == "json_invalid"]
        if syntax:
            raise InputError([FieldProblem("(document)", syntax[0])]) from None
        raise InputError([_short(p) for p in problems_of(exc)]) from None


@router.post(
    "/screen",
    summary="Screen an assessment (nothing is stored)",
    response_model=Decision,
    responses=error_responses(401, 413, 422),
    openapi_extra=REQUEST_BODY,
)
async def screen_assessment(request: Request, kb: KbDep, _user: ApiUser) -> Response:
    """The decision for the assessment: verdict, modality statuses, findings, missing."""
    decision = screen(read_assessment(await request.body()), kb)
    return Response(
        decision.__pydantic_serializer__.to_json(decision, by_alias=True),
        media_type="application/json",
    )
