"""CDS Hooks over HTTP: discovery, patient-view and order-select, prefetch and fetch."""

from __future__ import annotations

from typing import Any

from tests.factories import make_assessment
from tests.interop.fhir_server import ACCESS_TOKEN, EhrServer, searchset
from tests.web.cds.support import (
    ORDER_SELECT,
    PATIENT_VIEW,
    PID,
    TestClient,
    card_of,
    order_select,
    patient_view,
    prefetch_of,
    service_request,
    signed,
)


def call(client: TestClient, body: dict[str, Any], service: str = PATIENT_VIEW):
    return client.post(f"/cds-services/{service}", json=body, headers=signed(service))


def test_discovery_lists_both_services_with_their_prefetch_templates(
    cds: TestClient,
) -> None:
    answer = cds.get("/cds-services")
    assert answer.status_code == 200
    services = {s["id"]: s for s in answer.json()["services"]}
    assert services[PATIENT_VIEW]["hook"] == "patient-view"
    assert services[ORDER_SELECT]["hook"] == "order-select"
    for service in services.values():
        assert service["description"]
        assert service["prefetch"]["patient"] == "Patient/{{context.patientId}}"
        assert "QuestionnaireResponse?" in service["prefetch"]["assessment"]


def test_a_spec_shaped_patient_view_with_full_prefetch_gets_cards(
    cds: TestClient, ehr: EhrServer, on_record: int
) -> None:
    prefetch = prefetch_of(make_assessment(medications={"anticoagulants": True}))
    answer = call(cds, patient_view(prefetch, ehr=ehr))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    contra = card_of(body, "CI-VAC-01")
    assert contra["indicator"] == "critical"
    assert contra["source"]["label"] and contra["source"]["url"]
    assert {r["code"] for r in contra["overrideReasons"]}
    assert card_of(body, "verdict")["indicator"] == "info"
    assert ehr.fhir_requests() == [], "full prefetch needs no FHIR call"


def test_a_red_flag_is_critical_and_offers_no_override(cds: TestClient) -> None:
    prefetch = prefetch_of(make_assessment(red_flags={"saddle_anaesthesia": True}))
    card = card_of(call(cds, patient_view(prefetch)).json(), "RF-CES-01")
    assert card["indicator"] == "critical"
    assert "overrideReasons" not in card


def test_missing_answers_and_precautions_are_warnings(cds: TestClient) -> None:
    prefetch = prefetch_of(
        make_assessment(symptoms={"radicular_pain": True}, other={"incontinence": None})
    )
    body = call(cds, patient_view(prefetch)).json()
    assert card_of(body, "PC-RAD-01")["indicator"] == "warning"
    assert "other.incontinence" in card_of(body, "missing")["detail"]


def test_without_prefetch_the_service_fetches_from_the_ehr_over_http(
    cds: TestClient, ehr: EhrServer
) -> None:
    answer = call(cds, patient_view(ehr=ehr))
    assert answer.status_code == 200, answer.text
    assert card_of(answer.json(), "PC-RAD-01")["indicator"] == "warning"
    fetched = ehr.fhir_requests()
    assert {path.split("?")[0] for path, _ in fetched} == {
        "/fhir/QuestionnaireResponse",
        f"/fhir/Patient/{PID}",
        "/fhir/Condition",
        "/fhir/Observation",
        "/fhir/MedicationStatement",
        "/fhir/MedicationRequest",
    }
    assert all(auth == f"Bearer {ACCESS_TOKEN}" for _, auth in fetched)


def test_a_missing_prefetch_key_alone_is_fetched(
    cds: TestClient, ehr: EhrServer
) -> None:
    prefetch = prefetch_of(make_assessment())
    del prefetch["assessment"]
    answer = call(cds, patient_view(prefetch, ehr=ehr))
    assert answer.status_code == 200
    assert [p.split("?")[0] for p, _ in ehr.fhir_requests()] == [
        "/fhir/QuestionnaireResponse"
    ]


def test_a_refused_access_token_is_412_naming_the_refusal(
    cds: TestClient, ehr: EhrServer
) -> None:
    body = patient_view(ehr=ehr)
    body["fhirAuthorization"]["access_token"] = "wrong"
    answer = call(cds, body)
    assert answer.status_code == 412
    issue = answer.json()["issue"][0]
    assert "refused the access token" in issue["details"]["text"]


def test_no_prefetch_and_no_fhir_server_is_412(cds: TestClient) -> None:
    answer = call(cds, patient_view())
    assert answer.status_code == 412
    assert answer.json()["resourceType"] == "OperationOutcome"


def test_no_questionnaire_on_record_is_a_warning_never_a_go_ahead(
    cds: TestClient, ehr: EhrServer
) -> None:
    ehr.data.responses.clear()
    for body in (patient_view(ehr=ehr), patient_view(prefetch_of(None))):
        cards = call(cds, body).json()["cards"]
        assert [c["indicator"] for c in cards] == ["warning"]
        assert "questionnaire" in cards[0]["summary"]


def test_an_unreadable_questionnaire_is_a_warning_listing_the_answers(
    cds: TestClient,
) -> None:
    prefetch = prefetch_of(make_assessment())
    response = prefetch["assessment"]["entry"][0]["resource"]
    response["item"].append(
        {"linkId": "symptoms.pain_nrs", "answer": [{"valueInteger": 12}]}
    )
    cards = call(cds, patient_view(prefetch)).json()["cards"]
    assert [c["indicator"] for c in cards] == ["warning"]
    assert "symptoms.pain_nrs" in cards[0]["detail"]


def test_a_prefetched_patient_of_another_id_is_400(cds: TestClient) -> None:
    prefetch = prefetch_of(make_assessment())
    prefetch["patient"]["id"] = "someone-else"
    answer = call(cds, patient_view(prefetch))
    assert answer.status_code == 400
    assert answer.json()["issue"][0]["expression"] == ["prefetch.patient.id"]


def test_an_order_select_for_massage_gets_the_order_card(cds: TestClient) -> None:
    prefetch = prefetch_of(make_assessment(medications={"anticoagulants": True}))
    body = order_select(service_request("sr-1", "Vacuum massage"), prefetch=prefetch)
    answer = call(cds, body, ORDER_SELECT)
    assert answer.status_code == 200, answer.text
    verdict = card_of(answer.json(), "verdict")
    assert verdict["indicator"] == "critical"
    assert "vacuum: contraindicated" in verdict["summary"]


def test_the_spec_example_orders_of_diet_and_drugs_get_no_cards(
    cds: TestClient,
) -> None:
    diet = {"resourceType": "NutritionOrder", "id": "pureeddiet-simple"}
    drug = {"resourceType": "MedicationRequest", "id": "smart-MedicationRequest-103"}
    answer = call(
        cds, order_select(diet, drug, prefetch=prefetch_of(None)), ORDER_SELECT
    )
    assert answer.status_code == 200
    assert answer.json() == {"cards": []}


def test_a_prefetch_bundle_with_an_empty_search_is_no_assessment(
    cds: TestClient,
) -> None:
    body = patient_view({"patient": None, "assessment": searchset()})
    assert call(cds, body).json()["cards"][0]["source"]["topic"]["code"] == (
        "no-assessment"
    )
