"""One error shape for the web: Spinewise errors mapped once to HTTP status codes.

JSON (under ``/api/``)::

    {"ok": false, "status": 422, "error": "invalid input",
     "errors": [{"field": "hernia.levels[0]", "message": "..."}]}

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
    ConflictError,
    FieldProblem,
    InputError,
    NotFoundError,
    PermissionDeniedError,
    PlanRefusedError,
    SpinewiseError,
)
from spinewise.web.auth import AuthenticationRequiredError, ThrottledError
from spinewise.web.cds_errors import cds_error, is_cds_path
from spinewise.web.rendering import render_error
from spinewise.web.security import CsrfError

logger = logging.getLogger("spinewise.web")

API_PREFIX = "/api/"
GENERIC_500 = "something went wrong on our side; it has been logged"
_LOCATIONS = frozenset({"body", "query", "path", "header", "cookie"})


class ContentTooLargeError(Exception):
    """The request body is over the app's limit."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"the request body is over the limit of {limit} bytes")


class BodyTimeoutError(Exception):
    """The client stopped sending the request body (a slow or stalled client)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(
            f"the request body did not arrive within {seconds:g} s; send it again"
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
) -> Response:
    """The API's error answer."""
    body = {
        "ok": False,
        "status": status,
        "error": error,
        "errors": [{"field": p.field, "message": p.message} for p in problems],
    }
    return Response(orjson.dumps(body), status, headers, media_type="application/json")


def describe(exc: Exception) -> tuple[int, str, list[FieldProblem]]:
    """Status, message and field problems of any exception (500 for the unexpected)."""
    if isinstance(exc, InputError):
        return 422, "invalid input", list(exc.problems)
    if isinstance(exc, NotFoundError):
        return 404, str(exc), []
    if isinstance(exc, PermissionDeniedError):
        return 403, str(exc) or "your role may not do this", []
    if isinstance(exc, ConflictError):
        problems = [FieldProblem(exc.field, str(exc))] if exc.field else []
        return 409, str(exc), problems
    if isinstance(exc, PlanRefusedError):
        return 409, str(exc) or "no plan can be issued", []
    if isinstance(exc, AuthenticationRequiredError):
        return 401, str(exc) or "sign in first", []
    if isinstance(exc, CsrfError):
        return 403, "the form expired or did not come from this site; reload it", []
    if isinstance(exc, ThrottledError):
        return 429, str(exc), []
    if isinstance(exc, ContentTooLargeError):
        return 413, str(exc), []
    if isinstance(exc, BodyTimeoutError):
        return 408, str(exc), []
    if isinstance(exc, RequestValidationError):
        return 422, "invalid input", validation_problems(exc.errors())
    if isinstance(exc, StarletteHTTPException):
        return exc.status_code, str(exc.detail).lower(), []
    return 500, GENERIC_500, []


def validation_problems(errors: Sequence[Any]) -> list[FieldProblem]:
    """FastAPI's request errors as dotted field paths without the ``body.`` prefix."""
    problems = []
    for error in errors:
        loc = list(error.get("loc", ()))
        if loc and loc[0] in _LOCATIONS:
            loc = loc[1:]
        if error.get("type") == "json_invalid":
            problems.append(FieldProblem("(document)", "not valid JSON"))
            continue
        path = ""
        for part in loc:
            path += (
                f"[{part}]"
                if isinstance(part, int)
                else (f".{part}" if path else str(part))
            )
        message = str(error.get("msg", "invalid"))
        if error.get("type") == "missing":
            message = "required; this field must be given"
        problems.append(FieldProblem(path or "(document)", message))
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
        return error_json(status, message, problems, headers)
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
