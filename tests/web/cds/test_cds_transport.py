"""Every error of the CDS endpoints is JSON (an OperationOutcome), whatever refused the
request; CORS is answered for the configured EHR origins on these endpoints only."""

from __future__ import annotations

from typing import Any

import pytest
from tests.factories import make_assessment
from tests.interop.fhir_server import EhrServer
from tests.web.cds.support import (
    PATIENT_VIEW,
    TestClient,
    aud,
    cds_settings,
    patient_view,
    prefetch_of,
    signed,
)

from spinewise.kb import KnowledgeBase
from spinewise.store import Store
from spinewise.web import create_app

SERVICE = f"/cds-services/{PATIENT_VIEW}"
EHR_ORIGIN = "https://sandbox.ehr.example"


def outcome_of(answer: Any, status: int) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/json"
    body = dict(answer.json())
    assert body["resourceType"] == "OperationOutcome"
    assert body["issue"] and all(i["severity"] == "error" for i in body["issue"])
    return body


def test_an_unknown_path_under_the_services_is_a_json_404(cds: TestClient) -> None:
    body = outcome_of(cds.get("/cds-services/a/b/c"), 404)
    assert body["issue"][0]["code"] == "not-found"


def test_a_wrong_method_is_a_json_405_naming_the_allowed(cds: TestClient) -> None:
    answer = cds.put(SERVICE, json={})
    assert outcome_of(answer, 405)["issue"][0]["code"] == "not-supported"
    assert "POST" in answer.headers["allow"]
    outcome_of(cds.delete("/cds-services"), 405)


def test_a_body_over_the_limit_is_a_json_413(cds: TestClient) -> None:
    big = b'{"pad": "' + b"x" * 1_100_000 + b'"}'
    headers = {**signed(), "Content-Type": "application/json"}
    answer = cds.post(SERVICE, content=big, headers=headers)
    assert outcome_of(answer, 413)["issue"][0]["code"] == "too-costly"


def test_a_401_does_not_say_why(cds: TestClient) -> None:
    answer = cds.post(SERVICE, json=patient_view(), headers={"Authorization": "x"})
    body = outcome_of(answer, 401)
    assert "expression" not in body["issue"][0]
    assert "Bearer" in body["issue"][0]["details"]["text"]


def test_accepted_feedback_without_accepted_suggestions_is_422(cds: TestClient) -> None:
    shown = cds.post(
        SERVICE, json=patient_view(prefetch_of(make_assessment())), headers=signed()
    )
    card = shown.json()["cards"][-1]["uuid"]
    item = {
        "card": card,
        "outcome": "accepted",
        "outcomeTimestamp": "2026-12-04T10:00:00Z",
    }
    headers = signed(audience=aud(PATIENT_VIEW, feedback=True))
    answer = cds.post(f"{SERVICE}/feedback", json={"feedback": [item]}, headers=headers)
    body = outcome_of(answer, 422)
    assert body["issue"][0]["expression"] == ["feedback[0].acceptedSuggestions"]
    item["acceptedSuggestions"] = [{"id": "a-suggestion"}]
    headers = signed(audience=aud(PATIENT_VIEW, feedback=True))
    answer = cds.post(f"{SERVICE}/feedback", json={"feedback": [item]}, headers=headers)
    assert answer.json() == {"stored": 1}


@pytest.fixture
def cors(
    ehr: EhrServer, database_url: str, store: Store, kb: KnowledgeBase
) -> TestClient:
    settings = cds_settings(ehr, database_url).model_copy(
        update={"cds_cors_origins": [EHR_ORIGIN]}
    )
    return TestClient(create_app(settings, kb=kb, store=store))


def preflight(client: TestClient, path: str, origin: str = EHR_ORIGIN) -> Any:
    headers = {
        "Origin": origin,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type",
    }
    return client.options(path, headers=headers)


@pytest.mark.parametrize("path", ["/cds-services", SERVICE, f"{SERVICE}/feedback"])
def test_a_preflight_from_a_listed_origin_is_answered(
    cors: TestClient, path: str
) -> None:
    answer = preflight(cors, path)
    assert answer.status_code == 200
    assert answer.headers["access-control-allow-origin"] == EHR_ORIGIN
    assert "POST" in answer.headers["access-control-allow-methods"]
    assert "authorization" in answer.headers["access-control-allow-headers"].lower()


def test_an_actual_request_from_a_listed_origin_may_be_read(cors: TestClient) -> None:
    headers = {**signed(), "Origin": EHR_ORIGIN}
    answer = cors.post(
        SERVICE, json=patient_view(prefetch_of(make_assessment())), headers=headers
    )
    assert answer.status_code == 200
    assert answer.headers["access-control-allow-origin"] == EHR_ORIGIN
    found = cors.get("/cds-services", headers={"Origin": EHR_ORIGIN})
    assert found.headers["access-control-allow-origin"] == EHR_ORIGIN


def test_other_origins_and_other_paths_get_no_cors(cors: TestClient) -> None:
    refused = preflight(cors, SERVICE, origin="https://evil.example")
    assert "access-control-allow-origin" not in refused.headers
    for path in ("/api/v1/kb", "/login"):
        answer = preflight(cors, path)
        assert "access-control-allow-origin" not in answer.headers
        got = cors.get(path, headers={"Origin": EHR_ORIGIN})
        assert "access-control-allow-origin" not in got.headers


def test_no_origin_is_allowed_by_default(cds: TestClient) -> None:
    answer = preflight(cds, SERVICE)
    assert "access-control-allow-origin" not in answer.headers
    got = cds.get("/cds-services", headers={"Origin": EHR_ORIGIN})
    assert "access-control-allow-origin" not in got.headers
