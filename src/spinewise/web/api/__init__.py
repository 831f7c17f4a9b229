"""The JSON API, versioned under ``/api/v1``; one module per resource."""

from __future__ import annotations

from fastapi import APIRouter, Depends, FastAPI
from starlette.routing import Route

from spinewise.web.api import (
    assessments,
    audit,
    clearances,
    decisions,
    health,
    kb,
    outcomes,
    patients,
    plans,
    screen,
    sessions,
    tokens,
)
from spinewise.web.api.bodies import known_query
from spinewise.web.api.direct import direct
from spinewise.web.api.flat import add_flat

API_V1 = "/api/v1"
# /health takes no query parameters at all: it skips the check (as /screen does).
_UNCHECKED = (health.router,)
_ROUTERS = (
    kb.router,
    patients.router,
    assessments.router,
    decisions.router,
    clearances.router,
    plans.router,
    sessions.router,
    outcomes.router,
    audit.router,
    tokens.router,
)

# The load mix's routes (a clinic's integrations): no dependency solving (``direct``)
_DIRECT = (
    ("POST", "/patients/{patient_id}/assessments"),
    ("GET", "/patients/{patient_id}/assessments"),
    ("GET", "/assessments/{assessment_id}"),
)


def install_api(app: FastAPI) -> None:
    """Every API route on ``app``, matched before any other route.

    ``POST /api/v1/screen``, the integrators' hot path, is a route of the app itself:
    FastAPI resolves an included router's routes on every request (a walk of the
    router tree for each match, twice per request), which cost this route more than
    its token check (issue 19). It is served by a plain ASGI endpoint on a Starlette
    route, matched first: it reads its token, query and body from the scope itself,
    so FastAPI's dependency solving and Request/Response objects have nothing to do; the same endpoint is added as a FastAPI
    route too, after it, which only documents it (OpenAPI). The others are added to the app
    itself too, one flat route table (``flat.add_flat``): the same routes as
    ``api_router`` includes, without the walk of included routers."""
    path = API_V1 + screen.PATH
    app.router.routes.append(
        Route(path, screen.ScreenEndpoint(), methods=["POST"], include_in_schema=False)
    )
    app.add_api_route(path, screen.screen_assessment, **screen.ROUTE)
    for part in _UNCHECKED:
        add_flat(app, part, prefix=API_V1)
    for part in _ROUTERS:
        add_flat(app, part, prefix=API_V1, dependencies=[Depends(known_query)])
    for method, hot in _DIRECT:
        direct(app, API_V1 + hot, method)


def api_router() -> APIRouter:
    """Every API route but the screening one, as included routers (what
    ``install_api`` adds flat, and the reference its OpenAPI document is compared
    with): one router per resource; an unknown query parameter is refused with 422 everywhere but on the
    health check."""
    router = APIRouter(prefix=API_V1)
    for part in _UNCHECKED:
        router.include_router(part)
    for part in _ROUTERS:
        router.include_router(part, dependencies=[Depends(known_query)])
    return router


__all__ = ["API_V1", "api_router", "install_api"]
