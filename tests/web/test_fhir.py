"""``GET /fhir/...``: the conformance resources, public, under the configured
canonical base; nothing else is served there (patient data need a sign-in)."""

from __future__ import annotations

import warnings
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from starlette.exceptions import StarletteDeprecationWarning

with warnings.catch_warnings():
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

from spinewise.config import Settings
from spinewise.kb import KnowledgeBase
from spinewise.store import Store
from spinewise.web import create_app

BASE = "https://fhir.clinic.example.test/spinewise"


@pytest.fixture
def anonymous(
    settings: Settings, kb: KnowledgeBase, web_store: Store
) -> Iterator[TestClient]:
    configured = settings.model_copy(update={"fhir_canonical_base": BASE})
    app: FastAPI = create_app(configured, kb=kb, store=web_store)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def test_the_capability_statement_lists_what_is_served_without_a_sign_in(
    anonymous: TestClient,
) -> None:
    response = anonymous.get("/fhir/metadata")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/fhir+json")
    body = response.json()
    assert body["resourceType"] == "CapabilityStatement"
    assert body["fhirVersion"] == "4.0.1" and body["implementation"]["url"] == BASE
    served = {r["type"] for r in body["rest"][0]["resource"]}
    assert served == {"CodeSystem", "ValueSet", "StructureDefinition"}


@pytest.mark.parametrize(
    "path",
    [
        "CodeSystem/spinewise-verdict",
        "ValueSet/spinewise-rule",
        "StructureDefinition/spinewise-modality",
    ],
)
def test_each_conformance_resource_is_served_at_its_canonical_url(
    anonymous: TestClient, path: str
) -> None:
    response = anonymous.get(f"/fhir/{path}")
    assert response.status_code == 200
    assert response.json()["url"] == f"{BASE}/{path}"


def test_an_unknown_resource_or_patient_data_is_not_found(
    anonymous: TestClient,
) -> None:
    for path in ("CodeSystem/spinewise-nothing", "Patient/1", "Bundle/x"):
        response = anonymous.get(f"/fhir/{path}")
        assert response.status_code == 404, path
        assert response.json()["resourceType"] == "OperationOutcome"
