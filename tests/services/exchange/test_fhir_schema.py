"""Every exported Bundle of the demo clinics passes the official FHIR R4 JSON schema
(and, as before, validates with ``fhir.resources``); the first with the knowledge
base (PlanDefinition and Library)."""

from __future__ import annotations

from tests.fhir_schema import schema_problems
from tests.pg import World

from spinewise import services
from spinewise.interop import parse_bundle
from spinewise.kb import KnowledgeBase
from spinewise.services import DEMO_USERS, Interface, export_fhir_record
from spinewise.store import Store


def test_the_schema_refuses_what_r4_does_not_allow() -> None:
    assert schema_problems({"resourceType": "Patient", "gender": "male"}) == []
    bad = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {"resource": {"resourceType": "Patient", "gender": "robot"}},
            {"resource": {"resourceType": "Questionnaire", "status": "draft", "x": 1}},
            {"resource": {"resourceType": "ActorDefinition"}},
        ],
    }
    problems = schema_problems(bad)
    assert any(p.startswith("entry[0].resource.gender") for p in problems)
    assert any(p.startswith("entry[1].resource.") for p in problems)
    assert "entry[2].resource.resourceType: unknown 'ActorDefinition'" in problems


def test_the_demo_clinics_export_passes_the_official_r4_schema(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    summary = services.seed_demo(store, kb)
    actors = {
        u.username: services.authenticate(
            store, u.username, summary.passwords[u.username], Interface.CLI
        )
        for u in DEMO_USERS
    }
    clinicians = {"therapist": actors["therapist"], "north": actors["north-therapist"]}
    for index, demo in enumerate(summary.patients):
        actor = clinicians[
            "north" if demo.clinic == services.SECOND_CLINIC else "therapist"
        ]
        assert actor is not None
        bundle = export_fhir_record(
            store, actor, demo.patient_id, kb=kb if index == 0 else None
        )
        parse_bundle(bundle)
        problems = schema_problems(bundle)
        assert problems == [], (demo.record_number, problems[:8])
