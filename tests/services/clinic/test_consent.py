"""Consent at intake through the services (both databases): nothing assumed, no plan
without consent to treatment, withdrawal recorded, every change audited."""

from __future__ import annotations

import pytest
from tests.pg import World
from tests.services.builders import approve, assessment_data

from spinewise import services
from spinewise.errors import InputError, PlanRefusedError
from spinewise.kb import KnowledgeBase
from spinewise.services import ConsentKind
from spinewise.store import AuditQuery, Store


def screened_without_consent(store: Store, world: World, kb: KnowledgeBase) -> int:
    patient = services.register_patient(
        store, world.therapist_a, {"record_number": "N-1", "name": "No Consent"}
    )
    services.submit_assessment(
        store, world.therapist_a, patient.id, assessment_data(), kb
    )
    approve(store, world.physician_a, patient.id, kb)
    return patient.id


def test_nothing_is_assumed_and_no_plan_is_issued_without_treatment_consent(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    patient_id = screened_without_consent(store, world, kb)
    states = services.patient_consents(store, world.therapist_a, patient_id)
    assert [s.given for s in states] == [None, None, None]
    with pytest.raises(PlanRefusedError, match="consent to treatment is not recorded"):
        services.issue_plan(store, world.therapist_a, patient_id, kb)
    services.record_consent(
        store, world.therapist_a, patient_id, "treatment", given=True
    )
    assert services.issue_plan(store, world.therapist_a, patient_id, kb).id > 0


def test_a_withdrawal_is_a_new_record_and_stops_the_next_plan(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    patient_id = screened_without_consent(store, world, kb)
    services.record_consent(
        store, world.therapist_a, patient_id, "treatment", given=True
    )
    states = services.record_consent(
        store,
        world.physician_a,
        patient_id,
        ConsentKind.TREATMENT,
        given=False,
        note="wants to think about it",
    )
    treatment = states[0]
    assert treatment.given is False and treatment.recorded_by == "Physician A"
    assert treatment.text_version == services.CONSENT_VERSION
    with pytest.raises(PlanRefusedError, match="was withdrawn"):
        services.issue_plan(store, world.therapist_a, patient_id, kb)
    with store.unit_of_work() as uow:
        events = uow.audit.query(AuditQuery(clinic_id=world.clinic_a, entity="consent"))
    assert [e.detail["given"] for e in reversed(events) if e.action == "create"] == [
        True,
        False,
    ]


def test_the_treatment_text_says_massage_does_not_cure_a_hernia_on_its_own() -> None:
    text = services.CONSENT_TEXTS[ConsentKind.TREATMENT]
    assert "one part of the treatment" in text
    assert "does not cure a hernia on its own" in text


def test_an_unknown_kind_is_named(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    patient_id = screened_without_consent(store, world, kb)
    with pytest.raises(InputError) as caught:
        services.record_consent(store, world.therapist_a, patient_id, "sms", given=True)
    assert caught.value.problems[0].field == "kind"
