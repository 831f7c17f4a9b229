"""Foreign data through the CDS endpoint: the service reads what it can, says what it
skipped (an OperationOutcome in ``systemActions`` and a note on the last card), follows
``next`` pages within its bounds, and never answers 500 or refuses the call for one bad
resource."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from tests.fhir_corpus import corpus
from tests.interop.fhir_server import EhrServer, patient_json
from tests.web.cds.support import (
    PATIENT_VIEW,
    PID,
    TestClient,
    cds_settings,
    patient_view,
    signed,
)

from spinewise.kb import KnowledgeBase
from spinewise.store import Store
from spinewise.web import create_app

SERVICE = f"/cds-services/{PATIENT_VIEW}"


def call(client: TestClient, body: dict[str, Any]) -> dict[str, Any]:
    answer = client.post(SERVICE, json=body, headers=signed())
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def indicators(body: dict[str, Any]) -> list[str]:
    return [c["indicator"] for c in body["cards"]]


def skipped(body: dict[str, Any]) -> dict[str, str]:
    """Where each skipped resource was -> why (from the systemActions' outcome)."""
    [action] = body["systemActions"]
    outcome = action["resource"]
    assert outcome["resourceType"] == "OperationOutcome"
    return {i["expression"][0]: i["diagnostics"] for i in outcome["issue"]}


def test_a_bundle_with_r5_and_broken_resources_is_screened_with_what_is_readable(
    cds: TestClient,
) -> None:
    prefetch = {
        "patient": patient_json(PID),
        "assessment": corpus("bundle-r5-and-broken.json"),
    }
    body = call(cds, patient_view(prefetch))
    assert "critical" in indicators(body)  # the red flag of the readable response
    notes = skipped(body)
    assert "ActorDefinition" in notes["prefetch.assessment.entry[2].resource"]
    assert "Obsrvation" in notes["prefetch.assessment.entry[3].resource"]
    assert "no resource" in notes["prefetch.assessment.entry[5].resource"]
    assert "Not read by Spinewise" in body["cards"][-1]["detail"]
    assert "ActorDefinition" in body["cards"][-1]["detail"]


def test_a_prefetched_patient_that_is_a_bundle_is_read(cds: TestClient) -> None:
    prefetch = {
        "patient": corpus("prefetch-patient-bundle.json"),
        "assessment": corpus("amended-response.json"),
    }
    body = call(cds, patient_view(prefetch))
    assert "critical" in indicators(body)  # the amended response is screened
    assert "systemActions" not in body
    others = corpus("prefetch-patient-bundle.json")
    others["entry"][0]["resource"]["id"] = "someone-else"
    body = call(cds, patient_view({**prefetch, "patient": others}))
    assert "not cross-checked" in skipped(body)["prefetch.patient"]


def test_a_resource_of_the_wrong_type_is_read_as_no_questionnaire(
    cds: TestClient,
) -> None:
    wrong = {"resourceType": "Observation", "status": "final", "code": {"text": "x"}}
    body = call(cds, patient_view({"patient": patient_json(PID), "assessment": wrong}))
    assert indicators(body) == ["warning"]  # no questionnaire: never a go-ahead
    assert "Observation" in skipped(body)["prefetch.assessment.resourceType"]


@pytest.fixture
def paged(ehr: EhrServer) -> EhrServer:
    """The EHR answering the questionnaire search one response a page."""
    data = corpus("search-two-pages.json")
    ehr.data.page_size = data["pageSize"]
    ehr.data.responses[PID] = data["responses"]
    return ehr


def test_next_pages_are_followed_to_the_latest_response(
    cds: TestClient, paged: EhrServer
) -> None:
    body = call(cds, patient_view({"patient": patient_json(PID)}, ehr=paged))
    assert "critical" in indicators(body)  # the red flag is on page 2
    assert any("_page=2" in path for path, _ in paged.fhir_requests())
    assert "systemActions" not in body


def test_pages_past_the_limit_are_not_read_and_no_go_ahead_is_given(
    paged: EhrServer, database_url: str, store: Store, kb: KnowledgeBase
) -> None:
    settings = cds_settings(paged, database_url).model_copy(
        update={"cds_fetch_max_pages": 1}
    )
    app: FastAPI = create_app(settings, kb=kb, store=store)
    with TestClient(app, raise_server_exceptions=False) as client:
        body = call(client, patient_view({"patient": patient_json(PID)}, ehr=paged))
    [(where, why)] = skipped(body).items()
    assert where.endswith(".link") and "limit of 1" in why  # where: the search URL
    assert "info" not in indicators(body)
    assert not any("_page=2" in path for path, _ in paged.fhir_requests())


def test_a_next_link_off_the_fhir_server_is_not_followed(
    cds: TestClient, paged: EhrServer
) -> None:
    page = corpus("bundle-r5-and-broken.json")
    page["link"] = [{"relation": "next", "url": "https://elsewhere.example/fhir/x"}]
    body = call(
        cds,
        patient_view({"patient": patient_json(PID), "assessment": page}, ehr=paged),
    )
    assert "not on the FHIR server" in skipped(body)["prefetch.assessment.link"]


def _response(**change: Any) -> dict[str, Any]:
    qr = corpus("amended-response.json")
    qr.update(change)
    return qr


ODD = {
    "items-not-a-list": _response(item="yes"),
    "authored-garbage": _response(authored="last tuesday"),
    "subject-a-string": _response(subject="Patient/1288992"),
    "questionnaire-a-number": _response(questionnaire=7),
    "entries-not-a-list": {"resourceType": "Bundle", "type": "searchset", "entry": 3},
    "entries-of-strings": {
        "resourceType": "Bundle",
        "type": "searchset",
        "entry": ["x"],
    },
    "resource-type-missing": {"id": "x", "status": "completed"},
    "link-not-a-list": {"resourceType": "Bundle", "type": "searchset", "link": "next"},
}


@pytest.mark.parametrize("odd", list(ODD.values()), ids=list(ODD))
def test_odd_foreign_data_never_gives_a_500_nor_a_go_ahead(
    cds: TestClient, odd: dict[str, Any]
) -> None:
    prefetch = {"patient": patient_json(PID), "assessment": odd}
    answer = cds.post(SERVICE, json=patient_view(prefetch), headers=signed())
    assert answer.status_code == 200, answer.text
    assert "info" not in indicators(answer.json())
