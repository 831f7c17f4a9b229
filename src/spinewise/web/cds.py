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
from fastapi import FastAPI, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.routing import Route

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


async def discovery(request: Request) -> Response:
    return Response(orjson.dumps(CdsHooks.discovery()), 200, media_type=JSON)


async def hook(request: Request) -> Response:
    service_id: str = request.path_params["service_id"]
    path = f"{PREFIX}/{service_id}"

    def answer(cds: CdsHooks, authorization: str | None, body: bytes) -> Any:
        return cds.call(service_id, authorization, path, body)

    return await _call(request, answer)


async def feedback(request: Request) -> Response:
    service_id: str = request.path_params["service_id"]
    service = f"{PREFIX}/{service_id}"

    def stored(cds: CdsHooks, authorization: str | None, body: bytes) -> dict[str, Any]:
        cds.hook_of(service_id)
        claims = cds.authenticate(authorization, f"{service}/feedback", service)
        return {"stored": cds.feedback(service_id, body, claims)}

    return await _call(request, stored)


def install_cds(app: FastAPI) -> None:
    """The CDS Hooks routes, first among the app's routes (none of the others'
    paths starts with ``/cds-services``, so the order changes no answer).

    They are plain Starlette routes: an EHR's hook call is a hot path (issue 19), and
    FastAPI's routes cost it more than its own work at c8: resolving the included
    routers' tree on every match (the API's routers, matched first), the dependency
    resolution of the ``Request`` and path parameters. They need neither: the body
    is read and answered here, and they are left out of the OpenAPI document."""
    routes = [
        Route(PREFIX, discovery, methods=["GET"]),
        Route(PREFIX + "/{service_id}", hook, methods=["POST"]),
        Route(PREFIX + "/{service_id}/feedback", feedback, methods=["POST"]),
    ]
    app.router.routes[:0] = routes
