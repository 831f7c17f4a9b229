"""CDS Hooks 2.0 endpoints, mounted at ``/cds-services`` (``services.CdsHooks`` does
the work; this module is HTTP only).

* ``GET /cds-services``: discovery (public: it holds no patient data);
* ``POST /cds-services/{id}``: a hook call, answered ``{"cards": [...]}``;
* ``POST /cds-services/{id}/feedback``: accepted/overridden outcomes of cards.

Calls and feedback need the CDS Hooks client JWT (``Authorization: Bearer``), whose
``aud`` is the endpoint's public URL (``settings.public_url`` + path; for feedback the
service's URL is accepted too). Errors follow the spec, not the web app's error pages:
an ``OperationOutcome`` JSON body naming each problem (``issue[].expression`` is the
field), with 400 for a malformed request, 401 for a missing or bad JWT (the reason
is logged, not told), 404 for an unknown service, 405 for a wrong method, 413 for a
body over the limit, 412 when the FHIR data can be neither prefetched nor fetched,
422 for feedback the spec does not allow, 503 when the app has no database or no
``cds_clinic`` and 500 (logged) otherwise (``web.cds_errors``; the app's error
handlers use the same shape on these paths).

The service object is built on first use from ``app.state`` (settings, store, kb)
unless ``app.state.cds`` was set (tests and benchmarks inject one with their seams).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, cast

import orjson
from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from spinewise.errors import FieldProblem, InputError, NotFoundError
from spinewise.interop import CdsAuthError
from spinewise.interop.cds.rules import UnprocessableFeedbackError
from spinewise.services import CdsHooks, CdsNotConfiguredError, EhrUnavailableError
from spinewise.web.cds_errors import JSON, PREFIX, UNAUTHORIZED, cds_error, outcome
from spinewise.web.errors import GENERIC_500

logger = logging.getLogger("spinewise.web")


def error_answer(exc: Exception) -> Response:
    """The CDS-style answer to an error of a hook or feedback call."""
    if isinstance(exc, UnprocessableFeedbackError):
        return outcome(422, "invalid", list(exc.problems))
    if isinstance(exc, InputError):
        return outcome(400, "invalid", list(exc.problems))
    if isinstance(exc, CdsAuthError):
        logger.warning("CDS Hooks JWT refused: %s", exc)
        return cds_error(401, UNAUTHORIZED)
    if isinstance(exc, NotFoundError):
        return outcome(404, "not-found", [FieldProblem("", str(exc))])
    if isinstance(exc, EhrUnavailableError):
        return outcome(412, "processing", [FieldProblem("prefetch", str(exc))])
    if isinstance(exc, CdsNotConfiguredError):
        return outcome(503, "exception", [FieldProblem("", str(exc))])
    logger.error("CDS Hooks call failed", exc_info=(type(exc), exc, exc.__traceback__))
    return outcome(500, "exception", [FieldProblem("", GENERIC_500)])


def _service(request: Request) -> CdsHooks | Response:
    state = request.app.state
    cds = getattr(state, "cds", None)
    if cds is None:
        if state.store is None:
            return outcome(
                503,
                "exception",
                [FieldProblem("", "the CDS service needs the database; none is set")],
            )
        cds = CdsHooks.from_settings(state.settings, state.store, state.kb)
        state.cds = cds
    return cast(CdsHooks, cds)


async def _call(
    request: Request, run: Callable[[CdsHooks, str | None, bytes], Any]
) -> Response:
    cds = _service(request)
    if isinstance(cds, Response):
        return cds
    body = await request.body()
    authorization = request.headers.get("authorization")
    try:
        answer = await run_in_threadpool(run, cds, authorization, body)
    except Exception as exc:  # every failure gets the CDS error shape (500s logged)
        return error_answer(exc)
    return Response(orjson.dumps(answer), 200, media_type=JSON)


def cds_router() -> APIRouter:
    """The CDS Hooks routes (left out of the JSON API's OpenAPI document)."""
    router = APIRouter(prefix=PREFIX, include_in_schema=False)

    @router.get("")
    async def discovery(request: Request) -> Response:
        return Response(orjson.dumps(CdsHooks.discovery()), 200, media_type=JSON)

    @router.post("/{service_id}")
    async def hook(request: Request, service_id: str) -> Response:
        path = f"{PREFIX}/{service_id}"

        def answer(cds: CdsHooks, authorization: str | None, body: bytes) -> Any:
            return cds.call(service_id, authorization, path, body)

        return await _call(request, answer)

    @router.post("/{service_id}/feedback")
    async def feedback(request: Request, service_id: str) -> Response:
        service = f"{PREFIX}/{service_id}"

        def stored(
            cds: CdsHooks, authorization: str | None, body: bytes
        ) -> dict[str, Any]:
            cds.hook_of(service_id)
            claims = cds.authenticate(authorization, f"{service}/feedback", service)
            return {"stored": cds.feedback(service_id, body, claims)}

        return await _call(request, stored)

    return router
