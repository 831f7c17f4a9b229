"""The body of a hook call or of a feedback request, read and validated.

A body must be a JSON object of the request's shape (``interop.HookRequest``,
``interop.FeedbackRequest``); anything else is an ``InputError`` naming each field
(``(document)`` when the body is not a JSON object at all).
"""

from __future__ import annotations

from typing import Any

import orjson
from pydantic import ValidationError

from spinewise.errors import FieldProblem, InputError
from spinewise.interop import FeedbackRequest, HookRequest
from spinewise.interop.cds.rules import check_feedback
from spinewise.models import problems_of


def _document(body: bytes) -> object:
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise InputError([FieldProblem("(document)", f"not JSON: {exc}")]) from None


def _parse(model: type[HookRequest] | type[FeedbackRequest], body: bytes) -> Any:
    data = _document(body)
    if not isinstance(data, dict):
        raise InputError([FieldProblem("(document)", "expected a JSON object")])
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InputError(problems_of(exc)) from None


def hook_request(body: bytes, hook: str) -> tuple[HookRequest, str]:
    """The call's request, for the service's ``hook``, and the EHR's patient id
    (``context.patientId``)."""
    request: HookRequest = _parse(HookRequest, body)
    if request.hook != hook:
        raise InputError(
            [FieldProblem("hook", f"this service answers {hook}, not {request.hook}")]
        )
    patient_id = request.context.get("patientId")
    if not isinstance(patient_id, str) or not patient_id:
        raise InputError([FieldProblem("context.patientId", "required: a string")])
    return request, patient_id


def feedback_request(body: bytes) -> FeedbackRequest:
    """The feedback request, its items checked (``interop.cds.rules``)."""
    request: FeedbackRequest = _parse(FeedbackRequest, body)
    check_feedback(request)
    return request
