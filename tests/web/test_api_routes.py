"""The API's routes sit on the app itself (one flat table, no included routers to
walk on every request), documented exactly as the included routers documented them."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.routing import Route
from tests.web.clinic import Clinic

from spinewise import __version__
from spinewise.web.api import API_V1, api_router
from spinewise.web.api import screen as screen_api
from spinewise.web.api.direct import DirectEndpoint
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


def test_the_load_mix_routes_are_served_directly_before_their_documented_route(
    app: FastAPI,
) -> None:
    routes = app.router.routes
    served = [
        (r.path, r.methods, routes[i + 1])
        for i, r in enumerate(routes)
        if isinstance(getattr(r, "endpoint", None), DirectEndpoint)
    ]
    assert {(path, frozenset(methods or ())) for path, methods, _ in served} == {
        (API_V1 + "/patients/{patient_id}/assessments", frozenset({"POST"})),
        (API_V1 + "/patients/{patient_id}/assessments", frozenset({"GET"})),
        (API_V1 + "/assessments/{assessment_id}", frozenset({"GET"})),
    }
    for path, _, documented in served:
        assert isinstance(documented, APIRoute) and documented.path == path


def _without_direct_routes(app: FastAPI) -> None:
    app.router.routes[:] = [
        r
        for r in app.router.routes
        if not isinstance(getattr(r, "endpoint", None), DirectEndpoint)
    ]


def test_a_direct_route_answers_as_its_documented_route(clinic: Clinic) -> None:
    """Each request, good or bad, gets the same status and body from the direct
    endpoint as from FastAPI's route (its dependencies solved by FastAPI)."""
    stored = clinic.assessed()
    patient_id = stored.assessment.patient_id
    one = f"/api/v1/assessments/{stored.assessment.id}"
    listed = f"/api/v1/patients/{patient_id}/assessments"
    requests = [
        ("GET", one, None),
        ("GET", one + "?lang=ru", None),
        ("GET", one + "?limit=5", None),
        ("GET", "/api/v1/assessments/0", None),
        ("GET", "/api/v1/assessments/abc", None),
        ("GET", "/api/v1/assessments/99999999999", None),
        ("GET", "/api/v1/assessments/999999", None),
        ("GET", listed + "?limit=5", None),
        ("GET", listed + "?limit=0", None),
        ("GET", listed + "?limit=five&patientid=3", None),
        ("POST", listed, b'{"schema": 1}'),
        ("POST", listed, b"not json"),
        ("DELETE", one, None),
        ("HEAD", one, None),
    ]

    def answers(headers: dict[str, str]) -> list[tuple[int, str]]:
        client = clinic.as_api("therapist_a")
        client.headers.clear()
        client.headers.update(headers)
        return [
            (r.status_code, r.text)
            for method, path, body in requests
            for r in [client.request(method, path, content=body)]
        ]

    token = {"Authorization": f"Bearer {clinic.token('therapist_a')}"}
    others = {"Authorization": f"Bearer {clinic.token('therapist_b')}"}
    cases = [token, others, {}, {"Authorization": "Bearer nope"}]
    direct = [answers(headers) for headers in cases]
    _without_direct_routes(clinic.app)
    assert [answers(headers) for headers in cases] == direct
    assert direct[0][0][0] == 200 and direct[0][7][0] == 200
    assert {status for status, _ in direct[2]} >= {401}
