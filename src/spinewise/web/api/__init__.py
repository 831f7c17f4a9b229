"""The JSON API, versioned under ``/api/v1``; one module per resource."""

from __future__ import annotations

from fastapi import APIRouter, Depends

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

API_V1 = "/api/v1"
# The hot path for integrators takes no query parameters at all: it skips the check.
_UNCHECKED = (health.router, screen.router)
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


def api_router() -> APIRouter:
    """Every API route: one router per resource; an unknown query parameter is
    refused with 422 everywhere but on the screening and health checks."""
    router = APIRouter(prefix=API_V1)
    for part in _UNCHECKED:
        router.include_router(part)
    for part in _ROUTERS:
        router.include_router(part, dependencies=[Depends(known_query)])
    return router


__all__ = ["API_V1", "api_router"]
