"""Malformed hook requests are 400 naming the field, an unknown service 404 (CDS style)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from tests.factories import make_assessment
from tests.web.cds.support import (
    ORDER_SELECT,
    PATIENT_VIEW,
    TestClient,
    cds_settings,
    order_select,
    patient_view,
    prefetch_of,
    signed,
)

from spinewise.web import create_app


def fields(answer: Any) -> list[str]:
    assert answer.json()["resourceType"] == "OperationOutcome"
    return [e for i in answer.json()["issue"] for e in i.get("expression", [])]


def post(client: TestClient, content: bytes, service: str = PATIENT_VIEW):
    headers = {**signed(service), "Content-Type": "application/json"}
    return client.post(f"/cds-services/{service}", content=content, headers=headers)


def good() -> dict[str, Any]:
    return patient_view(prefetch_of(make_assessment()))


def test_not_json_is_400(cds: TestClient) -> None:
    answer = post(cds, b"{not json")
    assert answer.status_code == 400
    assert fields(answer) == ["(document)"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"hook": None}, "hook"),
        ({"hookInstance": ""}, "hookInstance"),
        ({"context": "patient"}, "context"),
        ({"hook": "order-select"}, "hook"),
        ({"context": {"userId": "Practitioner/1"}}, "context.patientId"),
        ({"prefetch": {"assessment": "none"}}, "prefetch.assessment"),
        ({"fhirAuthorization": {"access_token": "x"}}, "fhirAuthorization.token_type"),
    ],
)
def test_a_malformed_patient_view_names_the_field(
    cds: TestClient, change: dict[str, Any], field: str
) -> None:
    body = {**good(), **change}
    body = {k: v for k, v in body.items() if v is not None}
    answer = post(cds, json.dumps(body).encode())
    assert answer.status_code == 400, answer.text
    assert field in fields(answer)


def test_authorization_without_a_fhir_server_is_400(cds: TestClient) -> None:
    body = {
        **good(),
        "fhirAuthorization": {
            "access_token": "t",
            "token_type": "Bearer",
            "expires_in": 300,
            "scope": "user/Patient.read",
            "subject": "spinewise",
        },
    }
    answer = post(cds, json.dumps(body).encode())
    assert answer.status_code == 400
    assert fields(answer) == ["fhirServer"]


def test_an_order_select_without_draft_orders_is_400(cds: TestClient) -> None:
    body = order_select(prefetch=prefetch_of(None))
    del body["context"]["draftOrders"]
    answer = post(cds, json.dumps(body).encode(), ORDER_SELECT)
    assert answer.status_code == 400
    assert fields(answer) == ["context.draftOrders"]


def test_an_unknown_service_is_404_with_an_operation_outcome(cds: TestClient) -> None:
    for path in ("/cds-services/nope", "/cds-services/nope/feedback"):
        answer = cds.post(path, json=good(), headers=signed("nope"))
        assert answer.status_code == 404
        assert answer.json()["issue"][0]["code"] == "not-found"


def test_errors_are_json_not_the_web_error_page(cds: TestClient) -> None:
    answer = post(cds, b"[]")
    assert answer.status_code == 400
    assert answer.headers["content-type"].startswith("application/json")


def test_a_service_without_its_clinic_is_503(ehr, database_url: str, store, kb) -> None:
    settings = cds_settings(ehr, database_url).model_copy(update={"cds_clinic": None})
    app = create_app(settings, kb=kb, store=store)
    with TestClient(app, raise_server_exceptions=False) as client:
        answer = post(client, json.dumps(good()).encode())
    assert answer.status_code == 503
    assert "SPINEWISE_CDS_CLINIC" in answer.json()["issue"][0]["details"]["text"]
