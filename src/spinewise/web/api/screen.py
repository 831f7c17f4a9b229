"""``POST /api/v1/screen``: screen one assessment without storing it (for integrators).

The raw body is validated as strict JSON in one pass (``model_validate_json``, which
also makes it fast): dates must be ISO strings and answers true / false / null, so
``0`` is not a date and ``"no"`` is not an answer. Errors go through the same
translator as ``parse_model`` (``problems_of``) and name contract fields
(``hernia.levels[0]``). The decision is serialised straight to bytes.

Language: ``?lang=ru`` or an ``Accept-Language`` header asks for the summary and the
findings' messages in that language (codes stay codes) and adds ``"lang"``; a language
we do not offer is answered in English, with ``lang_warning`` saying so, never an error.
Without either, the answer is exactly the engine's contract JSON.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from pydantic import Field, ValidationError
from starlette.datastructures import QueryParams
from starlette.requests import ClientDisconnect
from starlette.types import Receive, Scope, Send

from spinewise.errors import FieldProblem, InputError, UnknownLanguageError
from spinewise.i18n import (
    DEFAULT_LANGUAGE,
    SUPPORTED_LANGUAGES,
    negotiate_language,
    parse_language,
)
from spinewise.kb import KnowledgeBase
from spinewise.models import Assessment, Decision, problems_of
from spinewise.screening import decision_document, screen
from spinewise.web.api.schemas import error_responses
from spinewise.web.deps import bearer_token, token_actor

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


SECURITY_AND_LANG: dict[str, Any] = {
    "security": [{"token": []}],
    "parameters": [
        {
            "name": "lang",
            "in": "query",
            "required": False,
            "schema": {
                "anyOf": [{"type": "string"}, {"type": "null"}],
                "title": "Lang",
            },
            "description": "language of the summary and messages (en, ru); "
            "an unknown one is answered in English with `lang_warning`",
        }
    ],
}

MAX_MESSAGE = 300


class ScreenedDecision(Decision):
    """The decision; with ``lang`` when a language was asked for."""

    lang: str | None = Field(
        default=None,
        description="the language of `summary` and the findings' `message` "
        "(present when `?lang=` or Accept-Language asked for one)",
    )
    lang_warning: str | None = Field(
        default=None,
        description="why the answer is in English although another language was "
        "asked for",
    )


def requested_language(
    lang: str | None, accept_language: str | None, enabled: tuple[str, ...]
) -> tuple[str | None, str | None]:
    """(language, warning): ``?lang=`` first, then Accept-Language; (None, None) when
    neither asks; an unknown language is English with a warning."""
    known = ", ".join(enabled)
    if lang is not None:
        try:
            return parse_language(lang, field="lang", enabled=enabled), None
        except UnknownLanguageError:
            shown = lang if len(lang) <= 35 else lang[:34] + "…"
            return DEFAULT_LANGUAGE, (
                f"lang: unknown language {shown!r} (known: {known}); "
                "answered in English"
            )
    if accept_language is None:
        return None, None
    chosen = negotiate_language(accept_language, enabled)
    if chosen is None:
        return DEFAULT_LANGUAGE, (
            f"Accept-Language: none of its languages is offered (known: {known}); "
            "answered in English"
        )
    return chosen, None


def _translated_body(
    decision: Decision, kb: KnowledgeBase, language: str, warning: str | None
) -> bytes:
    document = decision_document(decision, kb, language)
    if warning is not None:
        document["lang_warning"] = warning
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


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


def screened(
    app: Any, body: bytes, lang: str | None, accept_language: str | None
) -> tuple[bytes, str | None]:
    """The decision's JSON for the assessment in ``body``, and its language (None:
    the engine's contract JSON, no language asked for)."""
    kb: KnowledgeBase = app.state.kb
    decision = screen(read_assessment(body), kb)
    enabled = getattr(app.state, "languages", SUPPORTED_LANGUAGES)
    language, warning = requested_language(lang, accept_language, enabled)
    if language is None:
        return decision.__pydantic_serializer__.to_json(decision, by_alias=True), None
    return _translated_body(decision, kb, language, warning), language


async def screen_assessment(request: Request) -> Response:
    """The decision for the assessment: verdict, modality statuses, findings, missing."""
    # Served by ``screen_endpoint``; this one documents the route (OpenAPI) and
    # answers the same, should it ever be reached.
    await token_actor(request.app, bearer_token(request.scope))
    body, language = screened(
        request.app,
        await request.body(),
        request.query_params.get("lang"),
        request.headers.get("accept-language"),
    )
    headers = None if language is None else {"Content-Language": language}
    return Response(body, media_type="application/json", headers=headers)


class ScreenEndpoint:
    """``POST /api/v1/screen`` as a plain ASGI app (issue 19): the token, ``lang``,
    Accept-Language and the body are read straight from the scope and ``receive``,
    the answer sent as two messages; no Request, dependency solving or Response
    object. An error is raised to the app's handlers, as any route's. (A class: a
    Starlette route calls a plain function with a Request.)"""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await _screen(scope, receive, send)


async def _screen(scope: Scope, receive: Receive, send: Send) -> None:
    app = scope["app"]
    authorization, accept_language = None, None
    for name, value in scope["headers"]:
        if name == b"authorization" and authorization is None:
            authorization = value
        elif name == b"accept-language" and accept_language is None:
            accept_language = value.decode("latin-1")
    token = (
        None
        if authorization is None
        else bearer_token({"headers": [(b"authorization", authorization)]})
    )
    await token_actor(app, token)
    query = scope.get("query_string", b"")
    lang = QueryParams(query).get("lang") if query else None
    body, language = screened(app, await read_body(receive), lang, accept_language)
    headers = [
        (b"content-length", str(len(body)).encode()),
        (b"content-type", b"application/json"),
    ]
    if language is not None:
        headers.append((b"content-language", language.encode()))
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def read_body(receive: Receive) -> bytes:
    """The whole request body (``ClientDisconnect`` if the client goes first)."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnect
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


PATH = "/screen"
# ``app.add_api_route(API_V1 + PATH, screen_assessment, **ROUTE)`` documents the
# route; ``screen_endpoint`` serves it (web.api.install_api)
ROUTE: dict[str, Any] = {
    "methods": ["POST"],
    "tags": ["screening"],
    "summary": "Screen an assessment (nothing is stored)",
    "response_model": ScreenedDecision,
    "responses": error_responses(401, 413, 422),
    "openapi_extra": {**REQUEST_BODY, **SECURITY_AND_LANG},
}
