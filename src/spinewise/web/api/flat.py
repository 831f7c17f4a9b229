"""The API's routes added to the app itself, in one flat route table (issue 19).

``app.include_router`` keeps an included router as one node of the app's routes and
walks it (``_IncludedRouter._match``) on every request, for every route it holds:
some 2 ms of a worker's CPU per request under the profiler, a tenth of the load
mix. ``add_flat`` instead adds a copy of each route of a resource's router to the
app, with the prefix in its path and the router's dependencies in front of its own:
the same route, documented the same (tests/web/test_api_routes.py compares the
OpenAPI document with the included routers'), matched in one pass over the app's
routes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI
from fastapi.params import Depends
from fastapi.routing import APIRoute, APIRouter

# What ``APIRoute`` keeps under the name ``add_api_route`` takes.
_COPIED = (
    "response_model",
    "status_code",
    "tags",
    "summary",
    "description",
    "response_description",
    "responses",
    "deprecated",
    "methods",
    "operation_id",
    "response_model_include",
    "response_model_exclude",
    "response_model_by_alias",
    "response_model_exclude_unset",
    "response_model_exclude_defaults",
    "response_model_exclude_none",
    "include_in_schema",
    "response_class",
    "name",
    "openapi_extra",
    "generate_unique_id_function",
)


def add_flat(
    app: FastAPI,
    router: APIRouter,
    *,
    prefix: str,
    dependencies: Sequence[Depends] = (),
) -> None:
    """Every route of ``router`` (API routes only) on ``app`` itself, under
    ``prefix``, each with ``dependencies`` before its own."""
    for route in router.routes:
        if not isinstance(route, APIRoute):
            raise TypeError(f"{route!r}: only API routes can be added flat")
        options: dict[str, Any] = {name: getattr(route, name) for name in _COPIED}
        app.router.add_api_route(
            prefix + route.path,
            route.endpoint,
            dependencies=[*dependencies, *route.dependencies],
            callbacks=route.callbacks,
            **options,
        )
