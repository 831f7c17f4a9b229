"""Physician clearance as a first-class record: requested, decided, superseded."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from tests.factories import assessment_data
from tests.pg import World
from tests.services.builders import approve, assessed_patient

from spinewise import services
from spinewise.errors import (
    ConflictError,
    InputError,
    NotFoundError,
    PermissionDeniedError,
)
from spinewise.kb import KnowledgeBase
from spinewise.models import ClearanceStatus, Modality, ModalityStatus, Verdict
from spinewise.store import Store


def test_a_therapist_requests_and_a_physician_approves(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    result = assessed_patient(store, world.therapist_a, kb)
    patient_id = result.assessment.patient_id
    request = services.request_clearance(
        store, world.therapist_a, patient_id, note="radicular pain resolved"
    )
    assert request.status is ClearanceStatus.PENDING
    waiting = services.awaiting_physician(store, world.physician_a)
    assert [(w.patient.id, w.verdict) for w in waiting] == [
        (patient_id, Verdict.AWAITING_CLEARANCE)
    ]
    outcome = approve(store, world.physician_a, patient_id, kb)
    assert outcome.clearance.id == request.id  # the request was decided
    assert outcome.clearance.status is ClearanceStatus.APPROVED
    assert outcome.clearance.valid_from == result.assessment.assessed_on
    assert outcome.screening.decision.verdict is Verdict.PROCEED
    assert services.awaiting_physician(store, world.physician_a) == []


@pytest.mark.parametrize("who", ["therapist_a", "admin_a"])
def test_only_physicians_record_clearance(
    store: Store, world: World, kb: KnowledgeBase, who: str
) -> None:
    result = assessed_patient(store, world.therapist_a, kb)
    with pytest.raises(PermissionDeniedError):
        approve(store, world.actors[who], result.assessment.patient_id, kb)


def test_a_physician_cannot_clear_another_clinics_patient(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    result = assessed_patient(store, world.therapist_b, kb)
    with pytest.raises(NotFoundError):
        approve(store, world.physician_a, result.assessment.patient_id, kb)
    assert (
        services.clearance_history(
            store, world.physician_b, result.assessment.patient_id
        )
        == []
    )


def test_a_restriction_excludes_the_modalities_named(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    result = assessed_patient(store, world.therapist_a, kb)
    outcome = approve(
        store,
        world.physician_a,
        result.assessment.patient_id,
        kb,
        excluded_modalities=["vacuum", "hydromassage"],
        reason="classical only for now",
    )
    decision = outcome.screening.decision
    assert decision.verdict is Verdict.PROCEED
    assert decision.usable_modalities() == [Modality.CLASSICAL]
    assert decision.modalities[Modality.VACUUM].excluded_by_physician


def test_a_decline_holds_over_a_newer_assessment_until_a_new_decision(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    result = assessed_patient(store, world.therapist_a, kb)
    patient_id = result.assessment.patient_id
    declined = approve(
        store,
        world.physician_a,
        patient_id,
        kb,
        status="declined",
        valid_until=None,
        reason="wait for the neurosurgeon",
    )
    assert declined.screening.decision.verdict is Verdict.DECLINED_BY_PHYSICIAN
    later = services.submit_assessment(
        store, world.therapist_a, patient_id, assessment_data(), kb
    )
    assert later.decision.decision.verdict is Verdict.DECLINED_BY_PHYSICIAN
    approved = approve(store, world.physician_a, patient_id, kb)
    assert approved.screening.decision.verdict is Verdict.PROCEED


@pytest.mark.parametrize("how", ["open-ended, new assessment", "amendment"])
def test_an_approval_is_superseded_by_a_newer_assessment_version(
    store: Store, world: World, kb: KnowledgeBase, how: str
) -> None:
    result = assessed_patient(store, world.therapist_a, kb)
    patient_id = result.assessment.patient_id
    approve(store, world.physician_a, patient_id, kb, valid_until=None)
    if how == "amendment":
        newer = services.amend_assessment(
            store, world.therapist_a, result.assessment.id, assessment_data(), kb
        )
    else:
        newer = services.submit_assessment(
            store, world.therapist_a, patient_id, assessment_data(), kb
        )
    assert newer.decision.decision.verdict is Verdict.AWAITING_CLEARANCE
    current = services.current_clearance(store, world.therapist_a, patient_id)
    if how == "amendment":
        assert newer.decision.input.clearance is None and current is None
    else:
        assert current is not None and current.status is ClearanceStatus.PENDING
        assert current.request_note is not None
        assert "no end date" in current.request_note


def test_an_approval_valid_on_the_new_date_carries_over_when_nothing_got_worse(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    result = assessed_patient(store, world.therapist_a, kb)
    patient_id = result.assessment.patient_id
    approve(store, world.physician_a, patient_id, kb, valid_until="2026-12-31")
    newer = services.submit_assessment(
        store,
        world.therapist_a,
        patient_id,
        assessment_data(assessed_on="2026-12-10", symptoms={"pain_nrs": 2}),
        kb,
    )
    assert newer.decision.decision.verdict is Verdict.PROCEED
    current = services.current_clearance(store, world.therapist_a, patient_id)
    assert current is not None and current.status is ClearanceStatus.APPROVED
    assert current.assessment_id == newer.assessment.id
    assert current.physician_id == world.physician_a.user_id
    assert (
        current.request_note
        and "Carried over from assessment 1" in current.request_note
    )


@pytest.mark.parametrize(
    ("sections", "reason"),
    [
        (
            {"red_flags": {"fever": None}},
            "\u201cFever now (38.0 \u00b0C or more)\u201d is now unknown",
        ),
        ({"symptoms": {"pain_nrs": 8}}, "changed for the worse"),
        ({"medications": {"antiplatelets": True}}, "rule PC-APL-01 applies now"),
        ({"assessed_on": "2027-01-05"}, "ended on 2026-12-31"),
    ],
    ids=["red-flag-unknown", "acute-worse", "new-precaution", "expired"],
)
def test_a_new_assessment_asks_for_clearance_again_and_says_why(
    store: Store,
    world: World,
    kb: KnowledgeBase,
    sections: dict[str, Any],
    reason: str,
) -> None:
    result = assessed_patient(store, world.therapist_a, kb)
    patient_id = result.assessment.patient_id
    approve(store, world.physician_a, patient_id, kb, valid_until="2026-12-31")
    newer = services.submit_assessment(
        store, world.therapist_a, patient_id, assessment_data(**sections), kb
    )
    assert newer.decision.decision.verdict is not Verdict.PROCEED
    current = services.current_clearance(store, world.therapist_a, patient_id)
    assert current is not None and current.status is ClearanceStatus.PENDING
    assert current.request_note is not None and reason in current.request_note


def test_an_approval_expires_after_its_last_day(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    result = assessed_patient(store, world.therapist_a, kb)
    patient_id = result.assessment.patient_id
    approve(store, world.physician_a, patient_id, kb, valid_until="2026-11-30")
    current = services.current_clearance(store, world.therapist_a, patient_id)
    assert current is not None
    assert not current.is_expired(dt.date(2026, 11, 30))
    assert current.is_expired(dt.date(2026, 12, 1))


@pytest.mark.parametrize(
    ("sections", "blocked"),
    [
        ({"red_flags": {"saddle_anaesthesia": True}}, list(Modality)),
        ({"medications": {"anticoagulants": True}}, [Modality.VACUUM]),
    ],
    ids=["red flag", "contraindication"],
)
def test_a_clearance_never_outvotes_a_red_flag_or_a_contraindication(
    store: Store,
    world: World,
    kb: KnowledgeBase,
    sections: dict[str, dict[str, bool]],
    blocked: list[Modality],
) -> None:
    result = assessed_patient(store, world.therapist_a, kb, **sections)
    outcome = approve(store, world.physician_a, result.assessment.patient_id, kb)
    decision = outcome.screening.decision
    assert decision.approval_valid
    for modality in blocked:
        assert decision.modalities[modality].status is ModalityStatus.CONTRAINDICATED
    if len(blocked) == len(Modality):
        assert decision.verdict is Verdict.URGENT_REFERRAL


@pytest.mark.parametrize(
    ("decision", "field"),
    [
        ({"status": "declined", "valid_until": None, "reason": ""}, "reason"),
        ({"excluded_modalities": ["vacuum"], "reason": None}, "reason"),
        ({"status": "pending"}, "status"),
        (
            {"status": "declined", "excluded_modalities": ["vacuum"]},
            "excluded_modalities",
        ),
        ({"excluded_modalities": ["laser"]}, "excluded_modalities[0]"),
        ({"valid_until": "2026-11-01"}, "valid_until"),
        ({"validity": "forever"}, "validity"),
    ],
)
def test_a_malformed_decision_is_refused_naming_the_field(
    store: Store,
    world: World,
    kb: KnowledgeBase,
    decision: dict[str, object],
    field: str,
) -> None:
    result = assessed_patient(store, world.therapist_a, kb)
    patient_id = result.assessment.patient_id
    with pytest.raises(InputError) as caught:
        approve(store, world.physician_a, patient_id, kb, **decision)
    assert field in {p.field for p in caught.value.problems}
    assert services.clearance_history(store, world.physician_a, patient_id) == []


def test_a_second_pending_request_is_refused(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    result = assessed_patient(store, world.therapist_a, kb)
    patient_id = result.assessment.patient_id
    services.request_clearance(store, world.therapist_a, patient_id)
    with pytest.raises(ConflictError):
        services.request_clearance(store, world.physician_a, patient_id)


def test_a_patient_without_an_assessment_cannot_be_cleared(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    patient = services.register_patient(
        store, world.therapist_a, {"record_number": "NEW", "name": "New"}
    )
    with pytest.raises(ConflictError) as caught:
        services.request_clearance(store, world.therapist_a, patient.id)
    assert caught.value.field == "patient_id"


def test_requests_on_superseded_assessments_no_longer_wait(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    result = assessed_patient(store, world.therapist_a, kb)
    patient_id = result.assessment.patient_id
    services.request_clearance(store, world.therapist_a, patient_id)
    services.submit_assessment(
        store, world.therapist_a, patient_id, assessment_data(), kb
    )
    assert services.awaiting_physician(store, world.physician_a) == []
    history = services.clearance_history(store, world.therapist_a, patient_id)
    assert [c.status for c in history] == [ClearanceStatus.PENDING]
