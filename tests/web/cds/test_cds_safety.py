"""CDS safety with realistic EHR data (tests/data/fhir): out-of-date questionnaires,
the clearance from Spinewise's record, coded red flags and orders by code or text."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from tests import pg
from tests.factories import make_assessment
from tests.interop.fhir_server import EhrServer, patient_json, searchset
from tests.web.cds.support import (
    CODED_KEYS,
    ORDER_SELECT,
    PATIENT_VIEW,
    PID,
    PUBLIC,
    TestClient,
    card_of,
    cds_settings,
    order_select,
    patient_view,
    prefetch_of,
    signed,
    today,
)

from spinewise import services
from spinewise.kb import KnowledgeBase
from spinewise.store import Store
from spinewise.web import create_app

DATA = Path(__file__).resolve().parents[2] / "data" / "fhir"


def fixture(name: str) -> dict[str, Any]:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def call(client: TestClient, body: dict[str, Any], service: str = PATIENT_VIEW):
    answer = client.post(f"/cds-services/{service}", json=body, headers=signed(service))
    assert answer.status_code == 200, answer.text
    return answer.json()


def prefetch_with(qr: dict[str, Any], **coded: list[dict[str, Any]]) -> dict:
    """The Patient, the questionnaire ``qr`` and the coded searches (empty unless
    given by key, e.g. ``conditions=[...]``)."""
    prefetch = {"patient": patient_json(PID), "assessment": searchset(qr)}
    for key in CODED_KEYS:
        prefetch[key] = searchset(*coded.get(key, []))
    return prefetch


def fresh(qr: dict[str, Any]) -> dict[str, Any]:
    return {**qr, "authored": today().isoformat()}


# 1. Stale data never gives "proceed"


def test_an_out_of_date_questionnaire_is_a_warning_naming_its_date(
    cds: TestClient, on_record: int
) -> None:
    body = call(cds, patient_view(prefetch_with(fixture("questionnaire-stale.json"))))
    verdict = card_of(body, "verdict")
    assert verdict["indicator"] == "warning"
    assert "2026-10-01" in verdict["summary"]
    assert "repeat" in verdict["summary"]
    assert "Older than 14 days" in verdict["detail"]
    assert "valid until" in verdict["detail"]
    assert all(c["indicator"] != "info" for c in body["cards"])


def test_a_current_questionnaire_with_an_approval_proceeds_stating_date_and_validity(
    cds: TestClient, on_record: int
) -> None:
    body = call(cds, patient_view(prefetch_of(make_assessment(), days_old=3)))
    verdict = card_of(body, "verdict")
    assert verdict["indicator"] == "info"
    day = today() - dt.timedelta(days=3)
    assert f"(assessed {day})" in verdict["summary"]
    valid_until = today() + dt.timedelta(days=30)
    assert f"valid until {valid_until} (valid today)" in verdict["detail"]


def test_the_age_limit_is_a_setting(
    ehr: EhrServer, database_url: str, store: Store, kb: KnowledgeBase, on_record: int
) -> None:
    settings = cds_settings(ehr, database_url).model_copy(
        update={"cds_max_assessment_age_days": 2}
    )
    with TestClient(create_app(settings, kb=kb, store=store)) as client:
        body = call(client, patient_view(prefetch_of(make_assessment(), days_old=3)))
    assert card_of(body, "verdict")["indicator"] == "warning"


def test_a_questionnaire_without_authored_counts_as_out_of_date(
    cds: TestClient, on_record: int
) -> None:
    body = call(
        cds, patient_view(prefetch_with(fixture("questionnaire-no-authored.json")))
    )
    verdict = card_of(body, "verdict")
    assert verdict["indicator"] == "warning"
    assert "no date (authored)" in verdict["detail"]


def test_staleness_never_downgrades_a_red_flag(cds: TestClient) -> None:
    body = call(
        cds,
        patient_view(
            prefetch_of(
                make_assessment(red_flags={"bladder_dysfunction": True}), days_old=60
            )
        ),
    )
    assert card_of(body, "RF-CES-02")["indicator"] == "critical"
    assert card_of(body, "verdict")["indicator"] == "critical"


def test_day_counts_are_as_of_the_call_not_the_questionnaire(
    cds: TestClient, on_record: int
) -> None:
    # onset 10 days before the questionnaire (acute then), 20 days before the call
    onset = today() - dt.timedelta(days=20)
    assessment = make_assessment(symptoms={"onset_date": onset.isoformat()})
    body = call(cds, patient_view(prefetch_of(assessment, days_old=10)))
    topics = {c["source"]["topic"]["code"] for c in body["cards"]}
    assert "DF-ACU-01" not in topics
    assert card_of(body, "verdict")["indicator"] == "info"


# 2. The clearance comes from Spinewise's record


def test_an_unknown_patient_awaits_clearance_whatever_the_questionnaire_claims(
    cds: TestClient,
) -> None:
    assessment = make_assessment()  # its clearance section says "approved"
    assert assessment.clearance is not None
    body = call(cds, patient_view(prefetch_of(assessment)))
    verdict = card_of(body, "verdict")
    assert verdict["indicator"] == "warning"
    assert "awaiting clearance" in verdict["summary"]
    clearance = card_of(body, "clearance")
    assert clearance["indicator"] == "warning"
    assert f"record number {PID}" in clearance["detail"]
    assert clearance["links"] == [
        {
            "label": "Request clearance in Spinewise",
            "url": f"{PUBLIC}/patients",
            "type": "absolute",
        }
    ]


def test_a_known_patient_without_approval_gets_the_link_to_its_clearance_page(
    cds: TestClient, store: Store, world: pg.World, kb: KnowledgeBase
) -> None:
    patient = services.register_patient(
        store, world.therapist_a, {"record_number": PID, "name": "Anna Test"}
    )
    body = call(cds, patient_view(prefetch_of(make_assessment())))
    link = card_of(body, "clearance")["links"][0]["url"]
    assert link == f"{PUBLIC}/patients/{patient.id}/clearance"
    assert "none on record" in card_of(body, "verdict")["detail"]


def test_a_patient_of_another_clinic_is_unknown_here(
    cds: TestClient, store: Store, world: pg.World
) -> None:
    services.register_patient(
        store, world.therapist_b, {"record_number": PID, "name": "Someone Else"}
    )
    body = call(cds, patient_view(prefetch_of(make_assessment())))
    assert card_of(body, "clearance")["links"][0]["url"] == f"{PUBLIC}/patients"


# 3. Red flags coded in the EHR count


def test_a_coded_cauda_equina_condition_is_critical_though_the_questionnaire_says_no(
    cds: TestClient, on_record: int
) -> None:
    qr = fresh(fixture("questionnaire-saddle-no.json"))
    ces = fixture("condition-cauda-equina.json")
    body = call(cds, patient_view(prefetch_with(qr, conditions=[ces])))
    card = card_of(body, "RF-CES-01")
    assert card["indicator"] == "critical"
    assert "Condition/ces-1" in card["summary"]
    assert "ICD-10 G83.4 Cauda equina syndrome" in card["detail"]
    assert card_of(body, "verdict")["indicator"] == "critical"


def test_a_refuted_condition_adds_nothing(cds: TestClient, on_record: int) -> None:
    qr = fresh(fixture("questionnaire-saddle-no.json"))
    refuted = fixture("condition-cauda-equina-refuted.json")
    body = call(cds, patient_view(prefetch_with(qr, conditions=[refuted])))
    assert card_of(body, "verdict")["indicator"] == "info"


def test_cancer_in_remission_still_answers_the_cancer_history_question(
    cds: TestClient, on_record: int
) -> None:
    qr = fresh(fixture("questionnaire-saddle-no.json"))
    mets = fixture("condition-bone-metastases-remission.json")
    body = call(cds, patient_view(prefetch_with(qr, conditions=[mets])))
    assert card_of(body, "RF-MAL-01")["indicator"] == "critical"


def test_an_active_anticoagulant_statement_is_a_cited_contraindication(
    cds: TestClient, on_record: int
) -> None:
    qr = fresh(fixture("questionnaire-saddle-no.json"))
    drug = fixture("medication-statement-anticoagulant.json")
    stopped = fixture("medication-request-stopped.json")
    body = call(
        cds,
        patient_view(
            prefetch_with(qr, medicationStatements=[drug], medicationRequests=[stopped])
        ),
    )
    card = card_of(body, "CI-VAC-01")
    assert card["indicator"] == "critical"
    assert "MedicationStatement/ms-rivaroxaban" in card["detail"]
    assert "mr-warfarin-stopped" not in json.dumps(body)


def test_coded_data_is_fetched_from_the_ehr_when_not_prefetched(
    cds: TestClient, ehr: EhrServer, on_record: int
) -> None:
    ehr.data.coded[PID] = [fixture("condition-cauda-equina.json")]
    prefetch = prefetch_with(fresh(fixture("questionnaire-saddle-no.json")))
    del prefetch["conditions"]
    body = call(cds, patient_view(prefetch, ehr=ehr))
    assert "Condition/ces-1" in card_of(body, "RF-CES-01")["summary"]
    assert [p.split("?")[0] for p, _ in ehr.fhir_requests()] == ["/fhir/Condition"]


def test_coded_data_that_cannot_be_had_is_named_on_the_verdict_card(
    cds: TestClient, on_record: int
) -> None:
    prefetch = prefetch_of(make_assessment())
    del prefetch["observations"]
    detail = card_of(call(cds, patient_view(prefetch)), "verdict")["detail"]
    assert "not checked" in detail and "observations" in detail


# 6. Amended questionnaires are asked for and read


def test_the_prefetch_template_asks_for_completed_and_amended_responses(
    cds: TestClient,
) -> None:
    services_ = cds.get("/cds-services").json()["services"]
    for service in services_:
        assert "status=completed,amended" in service["prefetch"]["assessment"]


def test_an_amended_response_is_screened(cds: TestClient) -> None:
    body = call(cds, patient_view(prefetch_with(fixture("questionnaire-amended.json"))))
    assert card_of(body, "DF-FEV-01")["indicator"] == "critical"


# 4. Orders by code, by Russian text, draft and active


def test_an_order_by_code_is_named_on_its_card(cds: TestClient, on_record: int) -> None:
    order = fixture("service-request-massage-by-code.json")
    prefetch = prefetch_of(make_assessment())
    body = call(cds, order_select(order, prefetch=prefetch), ORDER_SELECT)
    verdict = card_of(body, "verdict")
    assert "«Hydromassage of the back»" in verdict["summary"]
    assert "hydromassage" in verdict["summary"]


def test_a_draft_order_in_russian_is_recognised_and_named(
    cds: TestClient, on_record: int
) -> None:
    order = fixture("service-request-massage-russian.json")
    prefetch = prefetch_of(make_assessment())
    body = call(cds, order_select(order, prefetch=prefetch), ORDER_SELECT)
    summary = card_of(body, "verdict")["summary"]
    assert "«Вакуумный массаж поясничной области, 8 процедур»" in summary
    assert "vacuum" in summary


def test_a_completed_order_gets_no_cards(cds: TestClient) -> None:
    order = fixture("service-request-massage-completed.json")
    body = call(
        cds, order_select(order, prefetch=prefetch_of(make_assessment())), ORDER_SELECT
    )
    assert body == {"cards": []}


def test_reading_the_patients_clearance_is_audited_on_the_patient(
    cds: TestClient, store: Store, world: pg.World, on_record: int
) -> None:
    call(cds, patient_view(prefetch_of(make_assessment())))
    events = services.list_audit(
        store, world.admin_a, services.AuditFilter(interface="cds")
    )
    hook = next(e for e in events if e.entity == "cds_hook")
    assert hook.patient_id == on_record


def test_a_malformed_coded_prefetch_key_is_unchecked_not_refused(
    cds: TestClient, on_record: int
) -> None:
    prefetch = prefetch_of(make_assessment())
    prefetch["conditions"] = "not a resource"
    detail = card_of(call(cds, patient_view(prefetch)), "verdict")["detail"]
    assert "not checked" in detail and "conditions" in detail
