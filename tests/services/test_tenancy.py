"""Every service that reads or writes patient data, tried across clinics and roles.

Clinicians (physician, therapist) reach their own clinic's records and get "not found"
for another clinic's; administrators get "permission denied" for clinical records.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from tests.factories import assessment_data
from tests.pg import World
from tests.services.builders import APPROVAL, assessed_patient

from spinewise import services
from spinewise.errors import NotFoundError, PermissionDeniedError
from spinewise.kb import KnowledgeBase
from spinewise.services import Actor, Role
from spinewise.store import Store


@dataclass(frozen=True)
class Records:
    patient_id: int
    assessment_id: int
    decision_id: int
    record_number: str


def _records(store: Store, world: World, kb: KnowledgeBase) -> dict[int, Records]:
    made = {}
    for suffix, clinic in (("a", world.clinic_a), ("b", world.clinic_b)):
        therapist = world.actors[f"therapist_{suffix}"]
        result = assessed_patient(store, therapist, kb, record_number=f"T-{suffix}")
        services.request_clearance(store, therapist, result.assessment.patient_id)
        made[clinic] = Records(
            result.assessment.patient_id,
            result.assessment.id,
            result.decision.id,
            f"T-{suffix}",
        )
    return made


Call = Callable[[Store, Actor, Records, KnowledgeBase], Any]

READS: dict[str, Call] = {
    "get_patient": lambda s, a, r, kb: services.get_patient(s, a, r.patient_id),
    "patient_overview": lambda s, a, r, kb: services.patient_overview(
        s, a, r.patient_id
    ),
    "get_assessment": lambda s, a, r, kb: services.get_assessment(
        s, a, r.assessment_id
    ),
    "latest_assessments": lambda s, a, r, kb: services.latest_assessments(
        s, a, r.patient_id
    ),
    "get_decision": lambda s, a, r, kb: services.get_decision(s, a, r.decision_id),
    "decisions_of_patient": lambda s, a, r, kb: services.decisions_of_patient(
        s, a, r.patient_id
    ),
    "current_clearance": lambda s, a, r, kb: services.current_clearance(
        s, a, r.patient_id
    ),
    "clearance_history": lambda s, a, r, kb: services.clearance_history(
        s, a, r.patient_id
    ),
}

WRITES: dict[str, tuple[Call, frozenset[Role]]] = {
    "submit_assessment": (
        lambda s, a, r, kb: services.submit_assessment(
            s, a, r.patient_id, assessment_data(), kb
        ),
        frozenset({Role.PHYSICIAN, Role.THERAPIST}),
    ),
    "amend_assessment": (
        lambda s, a, r, kb: services.amend_assessment(
            s, a, r.assessment_id, assessment_data(), kb
        ),
        frozenset({Role.PHYSICIAN, Role.THERAPIST}),
    ),
    "screen_assessment": (
        lambda s, a, r, kb: services.screen_assessment(s, a, r.assessment_id, kb),
        frozenset({Role.PHYSICIAN, Role.THERAPIST}),
    ),
    "record_clearance": (
        lambda s, a, r, kb: services.record_clearance(s, a, r.patient_id, APPROVAL, kb),
        frozenset({Role.PHYSICIAN}),
    ),
}

CLINICAL = frozenset({Role.PHYSICIAN, Role.THERAPIST})


@pytest.mark.parametrize("read", READS)
def test_reads_of_patient_data_respect_clinic_and_role(
    store: Store, world: World, kb: KnowledgeBase, read: str
) -> None:
    records = _records(store, world, kb)
    call = READS[read]
    for name, actor in world.actors.items():
        own = records[world.clinic_of(name)]
        other = records[
            world.clinic_b if own is records[world.clinic_a] else world.clinic_a
        ]
        if actor.role not in CLINICAL:
            for target in (own, other):
                with pytest.raises(PermissionDeniedError):
                    call(store, actor, target, kb)
            continue
        assert call(store, actor, own, kb) not in (None, []), (read, name)
        with pytest.raises(NotFoundError):
            call(store, actor, other, kb)


@pytest.mark.parametrize("write", WRITES)
def test_writes_never_reach_another_clinic_and_respect_roles(
    store: Store, world: World, kb: KnowledgeBase, write: str
) -> None:
    records = _records(store, world, kb)
    call, roles = WRITES[write]
    other = records[world.clinic_b]
    before = services.decisions_of_patient(store, world.physician_b, other.patient_id)
    for name in ("admin_a", "physician_a", "therapist_a"):
        actor = world.actors[name]
        expected = NotFoundError if actor.role in roles else PermissionDeniedError
        with pytest.raises(expected):
            call(store, actor, other, kb)
        if actor.role not in roles:
            with pytest.raises(PermissionDeniedError):
                call(store, actor, records[world.clinic_a], kb)
    after = services.decisions_of_patient(store, world.physician_b, other.patient_id)
    assert after == before


def test_another_clinics_record_looks_exactly_like_a_missing_one(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    records = _records(store, world, kb)
    other = records[world.clinic_b].patient_id
    with pytest.raises(NotFoundError) as foreign:
        services.get_patient(store, world.therapist_a, other)
    with pytest.raises(NotFoundError) as missing:
        services.get_patient(store, world.therapist_a, 10_000_000)
    assert (foreign.value.kind, type(foreign.value)) == (
        missing.value.kind,
        type(missing.value),
    )
    assert str(foreign.value) == f"patient {other} not found"


def test_lists_show_only_the_actors_clinic(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    records = _records(store, world, kb)
    for name, actor in world.actors.items():
        mine = records[world.clinic_of(name)]
        if actor.role in CLINICAL:
            listed = services.list_patients(store, actor)
            assert [p.id for p in listed] == [mine.patient_id]
            waiting = services.awaiting_physician(store, actor)
            assert [w.patient.id for w in waiting] == [mine.patient_id]
            found = services.find_patient(store, actor, "T-a")
            assert (found is not None) == (mine.record_number == "T-a")
        else:
            with pytest.raises(PermissionDeniedError):
                services.list_patients(store, actor)
            with pytest.raises(PermissionDeniedError):
                services.awaiting_physician(store, actor)
        if actor.role is Role.THERAPIST:
            with pytest.raises(PermissionDeniedError):
                services.replay_decisions(store, actor, kb)
        else:
            report = services.replay_decisions(store, actor, kb)
            assert report.checked == 1
        if actor.role is Role.ADMIN:
            entries = services.list_audit(store, actor)
            assert {e.clinic_id for e in entries} == {actor.clinic_id}
        else:
            with pytest.raises(PermissionDeniedError):
                services.list_audit(store, actor)
