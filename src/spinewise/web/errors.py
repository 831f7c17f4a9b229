"""One error shape for the web: Spinewise errors mapped once to HTTP status codes.

JSON (under ``/api/``)::

    {"ok": false, "status": 422, "error": "invalid input",
     "errors": [{"field": "hernia.levels[0]", "message": "..."}]}

Words are translated at this edge: a page's error in the page's language, the API's
``error`` and ``message`` texts in the language asked with ``?lang`` or
``Accept-Language`` (then the body says which: ``"lang"``; ``"lang_warning"`` for a
language not offered). Field paths and status codes are never translated.

Pages get the same status with an HTML page (401 becomes a redirect to the login
page). Unexpected exceptions are logged and answered 500 with a generic message,
never a stack trace.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, Literal
from urllib.parse import quote

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.routing import iter_route_contexts
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import RedirectResponse, Response
from starlette.routing import compile_path

from spinewise.errors import (
    N_,
    ConflictError,
    FieldProblem,
    InputError,
    Message,
    NotFoundError,
    PermissionDeniedError,
    PlanRefusedError,
    SpinewiseError,
)
from spinewise.i18n import SUPPORTED_LANGUAGES, Translator
from spinewise.models import message_of
from spinewise.web.auth import AuthenticationRequiredError, ThrottledError
from spinewise.web.cds_errors import cds_error, is_cds_path
from spinewise.web.rendering import render_error
from spinewise.web.security import CsrfError

logger = logging.getLogger("spinewise.web")

API_PREFIX = "/api/"
GENERIC_500 = N_("something went wrong on our side; it has been logged")
INVALID_INPUT = N_("invalid input")
_LOCATIONS = frozenset({"body", "query", "path", "header", "cookie"})


class ContentTooLargeError(Exception):
    """The request body is over the app's limit."""

    def __init__(self, limit: int) -> None:
        super().__init__(
            N_("the request body is over the limit of {limit} bytes", limit=limit)
        )


class BodyTimeoutError(Exception):
    """The client stopped sending the request body (a slow or stalled client)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(
            N_(
                "the request body did not arrive within {seconds} s; send it again",
                seconds=f"{seconds:g}",
            )
        )


class ErrorItem(BaseModel):
    field: str
    message: str


class ErrorBody(BaseModel):
    """The body of every error answer of the JSON API."""

    ok: Literal[False] = False
    status: int
    error: str
    errors: list[ErrorItem] = []


def error_json(
    status: int,
    error: str,
    problems: Sequence[FieldProblem] = (),
    headers: dict[str, str] | None = None,
    language: tuple[str | None, str | None] = (None, None),
) -> Response:
    """The API's error answer; ``language`` is (the language asked for, a warning
    about an unknown one): its words in that language, saying which."""
    asked, warning = language
    tr = Translator(asked or "en")
    body: dict[str, object] = {
        "ok": False,
        "status": status,
        "error": tr.message(error),
        "errors": [
            {"field": p.field, "message": tr.message(p.message)} for p in problems
        ],
    }
    if asked is not None:
        body["lang"] = asked
    if warning is not None:
        body["lang_warning"] = warning
    return Response(orjson.dumps(body), status, headers, media_type="application/json")


def _asked_language(request: Request) -> tuple[str | None, str | None]:
    """The API's language of an error answer: ``?lang``, then Accept-Language
    (read as ``POST /screen`` reads them; imported here, as that module's schemas
    import this one)."""
    from spinewise.web.api.screen import requested_language

    enabled = getattr(request.app.state, "languages", SUPPORTED_LANGUAGES)
    return requested_language(
        request.query_params.get("lang"),
        request.headers.get("accept-language"),
        tuple(enabled),
    )


def describe(exc: Exception) -> tuple[int, str, list[FieldProblem]]:
    """Status, message and field problems of any exception (500 for the unexpected)."""
    if isinstance(exc, InputError):
        return 422, INVALID_INPUT, list(exc.problems)
    if isinstance(exc, NotFoundError):
        return 404, _text(exc), []
    if isinstance(exc, PermissionDeniedError):
        return 403, _text(exc) or N_("your role may not do this"), []
    if isinstance(exc, ConflictError):
        problem = exc.problem
        return 409, _text(exc), [problem] if problem else []
    if isinstance(exc, PlanRefusedError):
        return 409, _text(exc) or N_("no plan can be issued"), []
    if isinstance(exc, AuthenticationRequiredError):
        return 401, _text(exc) or N_("sign in first"), []
    if isinstance(exc, CsrfError):
        return 403, N_("the form expired or did not come from this site; reload it"), []
    if isinstance(exc, ThrottledError | ContentTooLargeError | BodyTimeoutError):
        status = {ThrottledError: 429, ContentTooLargeError: 413}.get(type(exc), 408)
        return status, _text(exc), []
    if isinstance(exc, RequestValidationError):
        return 422, INVALID_INPUT, validation_problems(exc.errors())
    if isinstance(exc, StarletteHTTPException):
        detail = str(exc.detail).lower()
        return exc.status_code, _HTTP_WORDS.get(detail, detail), []
    return 500, GENERIC_500, []


_HTTP_WORDS = {
    "not found": N_("not found"),
    "method not allowed": N_("method not allowed"),
    "bad request": N_("bad request"),
}
"""Starlette's own details, as translatable words."""


def _text(exc: Exception) -> str:
    """The error's message: its ``Message`` (translatable) when it has one."""
    first = exc.args[0] if len(exc.args) == 1 else None
    return first if isinstance(first, Message) else str(exc)


def validation_problems(errors: Sequence[Any]) -> list[FieldProblem]:
    """FastAPI's request errors as dotted field paths without the ``body.`` prefix,
    each message translatable (``message_of``)."""
    problems = []
    for error in errors:
        loc = list(error.get("loc", ()))
        if loc and loc[0] in _LOCATIONS:
            loc = loc[1:]
        if error.get("type") == "json_invalid":
            problems.append(FieldProblem("(document)", N_("not valid JSON")))
            continue
        path = ""
        for part in loc:
            path += (
                f"[{part}]"
                if isinstance(part, int)
                else (f".{part}" if path else str(part))
            )
        problems.append(FieldProblem(path or "(document)", message_of(error)))
    return problems


def _headers(exc: Exception) -> dict[str, str] | None:
    if isinstance(exc, AuthenticationRequiredError):
        return {"WWW-Authenticate": "Bearer"}
    if isinstance(exc, ThrottledError):
        return {"Retry-After": str(exc.retry_after)}
    if isinstance(exc, StarletteHTTPException) and exc.headers:
        return dict(exc.headers)
    return None


def allowed_methods(request: Request) -> str:
    """Every method some route of the app answers at this path (for ``Allow``).

    Starlette names only the first route whose path matched, but a path such as
    ``/api/v1/patients`` has one route per method.
    """
    methods: set[str] = set()
    for route in iter_route_contexts(request.app.routes):
        if route.path and route.methods:
            if compile_path(route.path)[0].match(request.url.path):
                methods |= set(route.methods)
    return ", ".join(sorted(methods))


def error_response(request: Request, exc: Exception) -> Response:
    """The answer to ``exc``: JSON under /api/, an OperationOutcome under
    /cds-services, an HTML page (or the login) elsewhere."""
    status, message, problems = describe(exc)
    headers = _headers(exc)
    if status == 405 and "app" in request.scope:
        headers = {**(headers or {}), "Allow": allowed_methods(request)}
    if status >= 500:
        logger.error(
            "unexpected error on %s %s",
            request.method,
            request.url.path,
            exc_info=(type(exc), exc, exc.__traceback__),
        )
    if request.url.path.startswith(API_PREFIX):
        language = _asked_language(request)
        return error_json(status, message, problems, headers, language)
    if is_cds_path(request.url.path):
        return cds_error(status, message, problems, headers)
    if status == 401:
        target = quote(request.url.path, safe="/")
        return RedirectResponse(f"/login?next={target}", status_code=303)
    return render_error(request, status, message, problems, headers)


async def _handle(request: Request, exc: Exception) -> Response:
    return error_response(request, exc)


def install_error_handlers(app: FastAPI) -> None:
    """Route every known error class through ``error_response``."""
    for kind in (
        SpinewiseError,
        AuthenticationRequiredError,
        BodyTimeoutError,
        ContentTooLargeError,
        CsrfError,
        ThrottledError,
        RequestValidationError,
        StarletteHTTPException,
    ):
        app.add_exception_handler(kind, _handle)
