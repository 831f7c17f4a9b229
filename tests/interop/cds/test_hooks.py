"""Decisions become CDS Hooks cards with the right indicator, source and overrides."""

from __future__ import annotations

from tests.factories import make_assessment

from spinewise.interop.cds.hooks import (
    Card,
    HookRequest,
    card_rules,
    cards_for,
    service_definitions,
)
from spinewise.kb import KnowledgeBase
from spinewise.screening import screen

BASE = "http://127.0.0.1:8000"


def cards(kb: KnowledgeBase, **sections: object) -> list[Card]:
    return cards_for(screen(make_assessment(**sections), kb), kb, "hook-1", BASE)


def by_rule(found: list[Card]) -> dict[str, Card]:
    return {rule: c for c in found for uid, rule in card_rules([c]).items()}


def test_red_flag_card_is_critical_and_cannot_be_overridden(kb: KnowledgeBase) -> None:
    card = by_rule(cards(kb, red_flags={"saddle_anaesthesia": True}))["RF-CES-01"]
    assert card.indicator == "critical"
    assert card.overrideReasons is None
    assert "GIRFT-CES-2023" in card.source.label


def test_contraindication_card_is_critical_with_override_reasons(
    kb: KnowledgeBase,
) -> None:
    card = by_rule(cards(kb, medications={"anticoagulants": True}))["CI-VAC-01"]
    assert card.indicator == "critical"
    assert card.overrideReasons


def test_precaution_and_missing_answers_are_warnings(kb: KnowledgeBase) -> None:
    found = by_rule(
        cards(kb, symptoms={"radicular_pain": True}, other={"incontinence": None})
    )
    assert found["PC-RAD-01"].indicator == "warning"
    assert found["missing"].indicator == "warning"
    assert "other.incontinence" in (found["missing"].detail or "")


def test_allowed_plan_is_an_info_card_naming_the_modalities(kb: KnowledgeBase) -> None:
    verdict = by_rule(cards(kb))["verdict"]
    assert verdict.indicator == "info"
    assert "classical" in (verdict.detail or "")


def test_card_ids_are_stable_per_hook_instance_and_rule(kb: KnowledgeBase) -> None:
    first = [c.uuid for c in cards(kb, symptoms={"radicular_pain": True})]
    again = [c.uuid for c in cards(kb, symptoms={"radicular_pain": True})]
    assert first == again
    assert len(set(first)) == len(first)


def test_every_card_has_a_source_with_a_url(kb: KnowledgeBase) -> None:
    for card in cards(kb, medications={"anticoagulants": True}):
        assert card.source.label and card.source.url
        assert len(card.summary) <= 140


def test_discovery_lists_both_hooks_with_prefetch() -> None:
    services = {s["hook"]: s for s in service_definitions()}
    assert set(services) == {"patient-view", "order-select"}
    assert all("patient" in s["prefetch"] for s in services.values())


def test_spec_shaped_patient_view_request_parses() -> None:
    request = HookRequest.model_validate(
        {
            "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
            "fhirServer": "http://hooks.smarthealthit.org:9080",
            "hook": "patient-view",
            "fhirAuthorization": {
                "access_token": "some-opaque-fhir-access-token",
                "token_type": "Bearer",
                "expires_in": 300,
                "scope": "user/Patient.read user/Observation.read",
                "subject": "cds-service4",
            },
            "context": {
                "userId": "Practitioner/example",
                "patientId": "1288992",
                "encounterId": "89284",
            },
            "prefetch": {
                "patientToGreet": {"resourceType": "Patient", "id": "1288992"}
            },
        }
    )
    assert request.context["patientId"] == "1288992"
