"""One error shape, walked over every route's failure modes (datasette's test)."""

from __future__ import annotations

import logging
import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from tests.web.clinic import Clinic
from tests.web.conftest import routes

from spinewise.errors import (
    ConflictError,
    FieldProblem,
    InputError,
    NotFoundError,
    PermissionDeniedError,
    PlanRefusedError,
    StoreError,
)
from spinewise.web.errors import GENERIC_500, describe, validation_problems


def assert_error_shape(body: dict[str, object], status: int) -> None:
    assert set(body) == {"ok", "status", "error", "errors"}
    assert body["ok"] is False
    assert body["status"] == status
    assert isinstance(body["error"], str) and body["error"]
    assert isinstance(body["errors"], list)


def api_routes(app: FastAPI) -> list[tuple[str, set[str]]]:
    return [(p, m) for p, m in routes(app) if p.startswith("/api/v1/")]


PATH_PARAMS = re.compile(r"\{([a-z_]+)\}")
SAMPLES = {"rule_id": "RF-CES-01", "instrument": "nrs", "token": "x.y.z"}


def concrete(path: str) -> str:
    """The path with a sample value for each parameter (1 for a record id)."""
    return PATH_PARAMS.sub(lambda m: SAMPLES.get(m.group(1), "1"), path)


PUBLIC = {"/api/v1/health", "/api/v1/openapi.json"}


def test_every_api_route_but_health_and_schema_answers_401_in_the_error_shape(
    clinic: Clinic,
) -> None:
    guarded = [(p, m) for p, m in api_routes(clinic.app) if p not in PUBLIC]
    assert len(guarded) >= 15
    client = clinic.anonymous()
    for path, methods in guarded:
        for method in methods:
            response = client.request(method, concrete(path), json={})
            assert response.status_code == 401, path
            assert_error_shape(response.json(), 401)


def test_unknown_api_paths_and_methods_answer_in_the_error_shape(
    api: TestClient,
) -> None:
    missing = api.get("/api/v1/nothing-here")
    assert_error_shape(missing.json(), 404)
    wrong_method = api.delete("/api/v1/screen")
    assert_error_shape(wrong_method.json(), 405)


def test_every_documented_error_answer_is_the_error_shape(app: FastAPI) -> None:
    schema = app.openapi()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for status, answer in operation["responses"].items():
                if int(status) >= 400:
                    ref = answer["content"]["application/json"]["schema"]["$ref"]
                    assert ref.endswith("/ErrorBody"), (method, path, status)


@pytest.fixture
def failing_app(app: FastAPI) -> FastAPI:
    async def boom() -> None:
        raise RuntimeError("secret internals at /srv/db password=hunter2")

    async def broken_store() -> None:
        raise StoreError("connection to 10.0.0.5 refused")

    app.add_api_route("/api/v1/boom", boom)
    app.add_api_route("/api/v1/broken-store", broken_store)
    app.add_api_route("/boom", boom, include_in_schema=False)
    return app


@pytest.mark.parametrize("path", ["/api/v1/boom", "/api/v1/broken-store"])
def test_an_unexpected_error_is_a_logged_generic_500_without_a_trace(
    failing_app: FastAPI, path: str, caplog: pytest.LogCaptureFixture
) -> None:
    with (
        caplog.at_level(logging.ERROR, logger="spinewise.web"),
        TestClient(failing_app, raise_server_exceptions=False) as client,
    ):
        response = client.get(path)
    assert response.status_code == 500
    body = response.json()
    assert_error_shape(body, 500)
    assert body["error"] == GENERIC_500
    assert "hunter2" not in response.text and "10.0.0.5" not in response.text
    assert "Traceback" not in response.text
    assert any(r.exc_info for r in caplog.records), "the error must be logged"
    assert response.headers["x-content-type-options"] == "nosniff"


def test_an_unexpected_error_on_a_page_is_an_html_500_without_a_trace(
    failing_app: FastAPI,
) -> None:
    with TestClient(failing_app, raise_server_exceptions=False) as client:
        response = client.get("/boom")
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("text/html")
    assert "hunter2" not in response.text and "Traceback" not in response.text
    assert "Something went wrong" in response.text


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (InputError([FieldProblem("hernia.levels[0]", "bad")]), 422),
        (NotFoundError("patient", 7), 404),
        (PermissionDeniedError("a therapist may not record a clearance"), 403),
        (ConflictError("record number taken", field="record_number"), 409),
        (PlanRefusedError("no valid clearance"), 409),
        (StoreError("disk full"), 500),
        (KeyError("x"), 500),
    ],
    ids=lambda v: type(v).__name__ if isinstance(v, Exception) else str(v),
)
def test_each_spinewise_error_maps_to_one_status(error: Exception, status: int) -> None:
    assert describe(error)[0] == status


def test_input_and_conflict_errors_carry_their_field_paths() -> None:
    _, _, problems = describe(InputError([FieldProblem("hernia.levels[0]", "bad")]))
    assert problems == [FieldProblem("hernia.levels[0]", "bad")]
    _, _, problems = describe(ConflictError("taken", field="record_number"))
    assert problems == [FieldProblem("record_number", "taken")]


def test_fastapi_validation_errors_become_dotted_paths_without_the_location() -> None:
    problems = validation_problems(
        [
            {
                "loc": ("body", "hernia", "levels", 0),
                "msg": "bad",
                "type": "value_error",
            },
            {"loc": ("query", "limit"), "msg": "Field required", "type": "missing"},
            {"loc": ("body", 3), "msg": "Invalid JSON", "type": "json_invalid"},
            {"loc": ("body",), "msg": "Field required", "type": "missing"},
        ]
    )
    assert problems == [
        FieldProblem("hernia.levels[0]", "bad"),
        FieldProblem("limit", "required; this field must be given"),
        FieldProblem("(document)", "not valid JSON"),
        FieldProblem("(document)", "required; this field must be given"),
    ]


def test_an_invalid_page_form_is_a_422_page(client: TestClient) -> None:
    from tests.web.conftest import csrf_of

    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login", data={"username": "a" * 500, "password": "x", "csrf_token": token}
    )
    assert response.status_code == 422
    assert "username" in response.text
