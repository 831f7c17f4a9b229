"""The API's routes sit on the app itself (one flat table, no included routers to
walk on every request), documented exactly as the included routers documented them."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.routing import Route

from spinewise import __version__
from spinewise.web.api import API_V1, api_router
from spinewise.web.api import screen as screen_api
from spinewise.web.app import DESCRIPTION, SpinewiseApp


def included_routers_app() -> FastAPI:
    """The API as it was served before: the screening route, then every resource's
    router included under /api/v1."""
    app = SpinewiseApp(
        title="Spinewise API",
        version=__version__,
        description=DESCRIPTION,
        openapi_url=f"{API_V1}/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    path = API_V1 + screen_api.PATH
    app.add_api_route(path, screen_api.screen_assessment, **screen_api.ROUTE)
    app.include_router(api_router())
    return app


def test_the_openapi_document_is_the_included_routers_one(app: FastAPI) -> None:
    served: dict[str, Any] = app.openapi()
    reference: dict[str, Any] = included_routers_app().openapi()
    assert served == reference
    assert len(served["paths"]) >= 30


def test_every_documented_operation_is_a_route_of_the_app_itself(
    app: FastAPI,
) -> None:
    own = {
        (route.path, method)
        for route in app.router.routes
        if isinstance(route, APIRoute | Route)
        for method in route.methods or ()
    }
    documented = {
        (path, method.upper())
        for path, operations in app.openapi()["paths"].items()
        for method in operations
    }
    assert documented <= own


def test_the_screening_route_is_matched_first_by_its_plain_endpoint(
    app: FastAPI,
) -> None:
    first = next(
        r for r in app.router.routes if getattr(r, "path", "") == API_V1 + "/screen"
    )
    assert isinstance(first, Route) and not isinstance(first, APIRoute)
    assert isinstance(first.endpoint, screen_api.ScreenEndpoint)
