"""The unit of work's prepared writes (assessment, decision, audit events) share one
transaction with its ORM repositories, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from tests.factories import assessment_data
from tests.pg import World
from tests.store.rows import add_assessment, add_decision, add_patient

from spinewise.errors import ConflictError, InputError
from spinewise.kb import load_kb
from spinewise.models import Assessment
from spinewise.screening import screen
from spinewise.store import AuditQuery, Store, UnitOfWork


def _patient(store: Store, world: World, record: str = "U-1") -> int:
    with store.unit_of_work(write=True) as uow:
        return add_patient(uow, world, record, "Unit Test")


def _screening(uow: UnitOfWork, world: World, patient_id: int, number: int) -> int:
    """An assessment, its decision and an audit event; the assessment's id."""
    assessment = Assessment.model_validate(assessment_data())
    document = assessment.to_contract()
    decision = screen(assessment, load_kb())
    user = world.therapist_a.user_id
    row = uow.assessments.add(
        clinic_id=world.clinic_a,
        patient_id=patient_id,
        number=number,
        version=1,
        amends_id=None,
        assessed_on=assessment.assessed_on,
        document=document,
        submitted_by=user,
    )
    uow.decisions.add(
        clinic_id=world.clinic_a,
        patient_id=patient_id,
        assessment_id=row.id,
        verdict=decision.verdict.value,
        kb_version=decision.kb_version,
        engine_version=decision.engine_version,
        input=document,
        output=decision.to_contract(),
        created_by=user,
    )
    uow.audit.append([_event(patient_id, row.id)])
    return row.id


def _event(patient_id: int, entity_id: int) -> dict[str, Any]:
    return {
        "clinic_id": -7,
        "interface": "cli",
        "action": "create",
        "entity": "assessment",
        "entity_id": str(entity_id),
        "patient_id": patient_id,
        "detail": {"number": 1},
    }


def _stored(store: Store, world: World, patient_id: int) -> tuple[int, int, int]:
    """How many assessments, decisions and audit events the patient has."""
    with store.unit_of_work() as uow:
        assessments = uow.assessments.of_patient(world.clinic_a, patient_id)
        decisions = uow.decisions.of_patient(world.clinic_a, patient_id)
        events = uow.audit.query(AuditQuery(clinic_id=-7, patient_id=patient_id))
    return len(assessments), len(decisions), len(events)


def test_a_screening_is_stored_whole_with_its_audit_event(
    store: Store, world: World
) -> None:
    patient_id = _patient(store, world)
    with store.unit_of_work(write=True) as uow:
        assessment_id = _screening(uow, world, patient_id, 1)
    with store.unit_of_work() as uow:
        stored = uow.assessments.get(world.clinic_a, assessment_id)
        (decision,) = uow.decisions.of_patient(world.clinic_a, patient_id)
        (event,) = uow.audit.query(AuditQuery(clinic_id=-7, patient_id=patient_id))
    assert stored is not None
    assert stored.document == Assessment.model_validate(assessment_data()).to_contract()
    assert decision.assessment_id == assessment_id
    assert decision.output["verdict"] == decision.verdict
    assert event.entity_id == str(assessment_id)
    assert event.detail == {"number": 1}


def test_a_failure_after_the_writes_leaves_none_of_them(
    store: Store, world: World
) -> None:
    patient_id = _patient(store, world)
    with pytest.raises(RuntimeError), store.unit_of_work(write=True) as uow:
        _screening(uow, world, patient_id, 1)
        raise RuntimeError("half-way")
    assert _stored(store, world, patient_id) == (0, 0, 0)


def test_a_refused_decision_takes_its_assessment_and_event_with_it(
    store: Store, world: World
) -> None:
    patient_id = _patient(store, world)
    with pytest.raises(InputError) as caught, store.unit_of_work(write=True) as uow:
        uow.audit.append([_event(patient_id, 0)])
        document = {"schema": "spinewise.assessment/1"}
        assessment_id = add_assessment(uow, world, patient_id, document)
        add_decision(uow, world, patient_id, assessment_id, {}, kb_version="")
    assert caught.value.problems[0].field == "kb_version"
    assert _stored(store, world, patient_id) == (0, 0, 0)


def test_prepared_writes_and_orm_writes_commit_or_roll_back_together(
    store: Store, world: World
) -> None:
    with pytest.raises(RuntimeError), store.unit_of_work(write=True) as uow:
        patient_id = add_patient(uow, world, "U-2", "Together")
        _screening(uow, world, patient_id, 1)
        raise RuntimeError("half-way")
    with store.unit_of_work() as uow:
        assert uow.patients.by_record_number(world.clinic_a, "U-2") is None
    with store.unit_of_work(write=True) as uow:
        patient_id = add_patient(uow, world, "U-2", "Together")
        _screening(uow, world, patient_id, 1)
    assert _stored(store, world, patient_id) == (1, 1, 1)


def test_a_taken_version_is_a_conflict_naming_the_race_field(
    store: Store, world: World
) -> None:
    patient_id = _patient(store, world)
    with store.unit_of_work(write=True) as uow:
        _screening(uow, world, patient_id, 1)
        assert uow.assessments.last_number(patient_id) == 1
        assert uow.assessments.last_version(patient_id, 1) == 1
    with pytest.raises(ConflictError) as caught, store.unit_of_work(write=True) as uow:
        _screening(uow, world, patient_id, 1)
    assert caught.value.field in ("number", "version")
    assert _stored(store, world, patient_id) == (1, 1, 1)


def test_a_nul_character_in_a_prepared_write_is_refused_as_input(
    store: Store, world: World
) -> None:
    patient_id = _patient(store, world)
    with pytest.raises(InputError), store.unit_of_work(write=True) as uow:
        uow.audit.append([_event(patient_id, 0) | {"entity_id": "a\x00b"}])
    assert _stored(store, world, patient_id) == (0, 0, 0)
