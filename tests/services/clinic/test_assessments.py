"""Submitting, amending and re-screening assessments; decisions kept with versions."""

from __future__ import annotations

import pytest
from tests.factories import assessment_data
from tests.pg import World
from tests.services.builders import approve, assessed_patient

from spinewise import services
from spinewise.errors import ConflictError, InputError
from spinewise.kb import KnowledgeBase
from spinewise.models import ClearanceStatus, Verdict
from spinewise.screening import ENGINE_VERSION, screen
from spinewise.store import Store


def test_a_submission_stores_the_assessment_and_its_decision_with_versions(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    result = assessed_patient(store, world.therapist_a, kb)
    stored = services.get_decision(store, world.physician_a, result.decision.id)
    assert stored == result.decision
    assert (stored.kb_version, stored.engine_version) == (kb.version, ENGINE_VERSION)
    assert stored.input.clearance is None  # nothing on record yet
    assert stored.decision == screen(stored.input, kb)  # the full input replays
    assert (result.assessment.number, result.assessment.version) == (1, 1)


def test_the_clearance_on_record_replaces_the_one_in_the_file(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    data = assessment_data()  # carries an approval by "Dr. A. Petrova"
    assert data["clearance"]["status"] == "approved"
    result = assessed_patient(store, world.therapist_a, kb)
    assert result.decision.decision.verdict is Verdict.AWAITING_CLEARANCE
    assert result.assessment.assessment.clearance is not None  # kept as submitted


def test_an_amendment_is_a_new_version_that_keeps_the_original(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    original = assessed_patient(store, world.therapist_a, kb)
    amended = services.amend_assessment(
        store,
        world.physician_a,
        original.assessment.id,
        assessment_data(symptoms={"pain_nrs": 5}),
        kb,
    )
    a = amended.assessment
    assert (a.number, a.version, a.amends_id) == (1, 2, original.assessment.id)
    history = services.latest_assessments(
        store, world.therapist_a, a.patient_id, limit=None
    )
    assert [(h.version, h.assessment.symptoms.pain_nrs) for h in history] == [
        (2, 5),
        (1, 3),
    ]


def test_a_malformed_assessment_is_refused_naming_each_field_and_nothing_is_stored(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    patient = services.register_patient(
        store, world.therapist_a, {"record_number": "BAD", "name": "Bad Input"}
    )
    bad = assessment_data(
        patient={"age": 130}, hernia={"levels": ["C4-C5"]}, symptoms={"pain_nrs": 11}
    )
    with pytest.raises(InputError) as caught:
        services.submit_assessment(
            store, world.therapist_a, patient.id, bad, kb, file="intake.yaml"
        )
    assert caught.value.file == "intake.yaml"
    fields = {p.field for p in caught.value.problems}
    assert {"patient.age", "hernia.levels[0]", "symptoms.pain_nrs"} <= fields
    assert services.latest_assessments(store, world.therapist_a, patient.id) == []


def test_latest_assessments_are_newest_first_and_limited(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    first = assessed_patient(store, world.therapist_a, kb)
    patient_id = first.assessment.patient_id
    for pain in range(1, 7):
        services.submit_assessment(
            store,
            world.therapist_a,
            patient_id,
            assessment_data(symptoms={"pain_nrs": pain}),
            kb,
        )
    latest = services.latest_assessments(store, world.therapist_a, patient_id)
    assert [a.number for a in latest] == [7, 6, 5, 4, 3]


def test_rescreening_uses_the_clearance_now_in_force(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    result = assessed_patient(store, world.therapist_a, kb)
    patient_id = result.assessment.patient_id
    approve(store, world.physician_a, patient_id, kb)
    again = services.screen_assessment(
        store, world.therapist_a, result.assessment.id, kb
    )
    assert again.decision.verdict is Verdict.PROCEED
    assert again.input.clearance is not None
    assert again.input.clearance.status is ClearanceStatus.APPROVED
    assert again.input.clearance.physician == "Physician A"


def test_a_superseded_version_is_not_rescreened(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    original = assessed_patient(store, world.therapist_a, kb)
    services.amend_assessment(
        store, world.therapist_a, original.assessment.id, assessment_data(), kb
    )
    with pytest.raises(ConflictError) as caught:
        services.screen_assessment(store, world.therapist_a, original.assessment.id, kb)
    assert caught.value.field == "assessment_id"


def test_a_patients_overview_shows_latest_decisions_and_clearance(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    result = assessed_patient(store, world.therapist_a, kb)
    patient_id = result.assessment.patient_id
    outcome = approve(store, world.physician_a, patient_id, kb)
    overview = services.patient_overview(store, world.therapist_a, patient_id)
    assert [a.id for a in overview.assessments] == [result.assessment.id]
    latest = overview.decisions[result.assessment.id]
    assert latest.id == outcome.screening.id
    assert latest.decision.verdict is Verdict.PROCEED
    assert overview.clearance == outcome.clearance
    assert services.decisions_of_patient(store, world.physician_a, patient_id)[0] == (
        latest
    )
