"""The CDS service's profile: the questionnaire's profile item, else the EHR's active
Conditions (herniation when both are coded, and the card says so), else herniation."""

from __future__ import annotations

from typing import Any

from tests.factories import assessment_data, make_assessment
from tests.interop.fhir_server import searchset
from tests.web.cds.support import (
    PATIENT_VIEW,
    TestClient,
    card_of,
    patient_view,
    prefetch_of,
    signed,
)

from spinewise.models import Assessment


def call(client: TestClient, prefetch: dict[str, Any]) -> dict[str, Any]:
    answer = client.post(
        f"/cds-services/{PATIENT_VIEW}",
        json=patient_view(prefetch),
        headers=signed(PATIENT_VIEW),
    )
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def nonspecific() -> Assessment:
    data = assessment_data(
        condition={"profile": "nonspecific_back_pain", "region": "lumbar"}
    )
    del data["hernia"]
    return Assessment.model_validate(data)


def condition(code: str, system: str = "http://hl7.org/fhir/sid/icd-10") -> dict:
    return {
        "resourceType": "Condition",
        "id": f"c-{code}",
        "clinicalStatus": {"coding": [{"code": "active"}]},
        "code": {"coding": [{"system": system, "code": code}]},
    }


def without_profile_items(prefetch: dict[str, Any]) -> dict[str, Any]:
    """The prefetch with the questionnaire's condition items removed."""

    def keep(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        kept = []
        for item in items:
            if str(item["linkId"]).startswith("condition"):
                continue
            kept.append(
                {**item, "item": keep(item["item"])} if "item" in item else item
            )
        return kept

    bundle = prefetch["assessment"]
    qr = bundle["entry"][0]["resource"]
    stripped = {**qr, "item": keep(qr["item"])}
    return {**prefetch, "assessment": searchset(stripped)}


def verdict_detail(body: dict[str, Any]) -> str:
    return str(card_of(body, "verdict")["detail"])


def test_the_questionnaires_profile_item_is_screened_and_named(
    cds: TestClient, on_record: int
) -> None:
    body = call(cds, prefetch_of(nonspecific(), days_old=1))
    assert "Profile: nonspecific_back_pain (from the questionnaire)" in (
        verdict_detail(body)
    )
    assert card_of(body, "PC-SBT-01")  # not scored: applied, and asked for


def test_without_a_profile_item_the_ehrs_low_back_pain_code_decides(
    cds: TestClient, on_record: int
) -> None:
    prefetch = without_profile_items(
        prefetch_of(
            nonspecific(),
            days_old=1,
            coded=(condition("M54.50", "http://hl7.org/fhir/sid/icd-10-cm"),),
        )
    )
    detail = verdict_detail(call(cds, prefetch))
    assert "Profile: nonspecific_back_pain (as the EHR codes" in detail
    assert "Condition/c-M54.50" in detail


def test_a_herniation_and_low_back_pain_both_coded_screen_as_herniation(
    cds: TestClient, on_record: int
) -> None:
    coded = (condition("M54.5"), condition("M51.2"))
    body = call(cds, prefetch_of(make_assessment(), days_old=1, coded=coded))
    detail = verdict_detail(body)
    assert "Profile: disc_herniation" in detail
    assert "screened as a disc herniation" in detail


def test_neither_a_profile_item_nor_a_coded_condition_is_a_herniation(
    cds: TestClient, on_record: int
) -> None:
    body = call(cds, without_profile_items(prefetch_of(nonspecific(), days_old=1)))
    card = card_of(body, "unreadable-assessment")
    assert "- hernia: required" in card["detail"]
