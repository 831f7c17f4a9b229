"""Erasure and retention: personal data pseudonymised or blanked in one transaction,
refused inside the retention period or during an open course, audited by ids only."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select, text
from tests.pg import World
from tests.services.builders import assessed_patient, planned_patient, session_data

from spinewise import services
from spinewise.errors import (
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    SpinewiseError,
)
from spinewise.kb import KnowledgeBase
from spinewise.services import ErasureReason, PlanRecord
from spinewise.store import (
    ERASED,
    AuditQuery,
    OutboxRow,
    PatientRow,
    SessionNoteRow,
    Store,
)
from spinewise.store.fhir_imports import FhirImportRow, PatientIdentifierRow

LATER = dt.date(2060, 1, 1)
REQUEST = ErasureReason.PATIENT_REQUEST


def _erase(store: Store, world: World, patient_id: int, today: dt.date) -> None:
    services.erase_patient(
        store,
        world.admin_a,
        patient_id,
        reason=REQUEST,
        today=today,
        retention_years=25,
    )


def _end(store: Store, world: World, plan: PlanRecord) -> None:
    """The course ended as the product ends one: by its therapist, audited."""
    ending = {"ending": "discontinued", "reason": "patient_request"}
    services.end_course(store, world.therapist_a, plan.id, ending, plan.start_date)


def _ended_course(store: Store, world: World, kb: KnowledgeBase) -> PlanRecord:
    """A patient with a signed session, a message in the outbox, the course ended."""
    plan = planned_patient(store, world, kb)
    services.record_session(
        store, world.therapist_a, plan.patient_id, session_data(plan), kb
    )
    services.set_patient_contact(
        store, world.therapist_a, plan.patient_id, email="a@b.example", language="en"
    )
    _end(store, world, plan)
    with store.unit_of_work(write=True) as uow:
        uow.session.add(
            OutboxRow(
                clinic_id=world.clinic_a,
                patient_id=plan.patient_id,
                kind="link",
                dedupe_key="erasure-test",
                to_address="a@b.example",
                language="en",
                subject="Your questionnaire",
                body="Dear Patient P-1, please answer",
                status="pending",
            )
        )
    return plan


def _patient(store: Store, patient_id: int) -> PatientRow:
    with store.unit_of_work() as uow:
        row = uow.session.get(PatientRow, patient_id)
        assert row is not None
        uow.session.expunge(row)
        return row


def _soap(store: Store, patient_id: int) -> list[object]:
    with store.unit_of_work() as uow:
        notes = uow.session.scalars(
            select(SessionNoteRow).where(SessionNoteRow.patient_id == patient_id)
        )
        return [note.record["soap"]["subjective"] for note in notes]


def test_an_erasure_pseudonymises_the_patient_and_blanks_every_free_text(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    plan = _ended_course(store, world, kb)
    services.update_patient(
        store,
        world.therapist_a,
        plan.patient_id,
        {"record_number": "P-1", "name": "Patient Renamed", "birth_date": "1980-02-03"},
    )
    _erase(store, world, plan.patient_id, LATER)
    patient = _patient(store, plan.patient_id)
    history = services.patient_revisions(store, world.therapist_a, plan.patient_id)
    assert [(r.name, r.birth_date) for r in history] == [(ERASED, None)]
    assert patient.name == f"Erased patient {plan.patient_id}"
    assert (patient.birth_date, patient.email, patient.erasing) == (None, None, False)
    assert patient.erased_at is not None
    assert _soap(store, plan.patient_id) == [ERASED]
    with store.unit_of_work() as uow:
        message = uow.session.scalars(select(OutboxRow)).one()
        assert (message.to_address, message.body, message.status) == (
            None,
            ERASED,
            "cancelled",
        )
        events = uow.audit.query(AuditQuery(clinic_id=world.clinic_a, action="erase"))
    assert [(e.entity, e.patient_id) for e in events] == [("patient", plan.patient_id)]
    assert events[0].detail == {"reason": "patient_request", "retention_years": 25}


def test_the_screening_input_keeps_every_answer_so_decisions_stand(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    plan = _ended_course(store, world, kb)
    before = services.decisions_of_patient(store, world.therapist_a, plan.patient_id)
    _erase(store, world, plan.patient_id, LATER)
    after = services.decisions_of_patient(store, world.therapist_a, plan.patient_id)
    assert [d.decision for d in after] == [d.decision for d in before]
    answers = [d.input.model_dump(mode="json") for d in after]
    for answer in answers:  # the typed physician's name is free text, so it goes
        if answer["clearance"]:
            assert answer["clearance"].pop("physician") == ERASED
    kept = [d.input.model_dump(mode="json") for d in before]
    for answer in kept:
        if answer["clearance"]:
            answer["clearance"].pop("physician")
    assert answers == kept
    replayed = services.replay_decisions(store, world.admin_a, kb)
    assert replayed.changes == []


def test_the_guards_on_signed_rows_hold_again_after_the_erasure(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    plan = _ended_course(store, world, kb)
    _erase(store, world, plan.patient_id, LATER)
    with pytest.raises(SpinewiseError, match="immutable"):
        with store.unit_of_work(write=True) as uow:
            uow.session.execute(text("UPDATE session_notes SET pain_after = 0"))


def test_an_open_course_or_the_retention_period_refuses_the_erasure(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    plan = planned_patient(store, world, kb)
    with pytest.raises(ConflictError, match="has an open course"):
        _erase(store, world, plan.patient_id, LATER)
    _end(store, world, plan)
    with pytest.raises(ConflictError, match="must be kept until 2051-11-25"):
        _erase(store, world, plan.patient_id, dt.date(2051, 11, 24))
    assert _patient(store, plan.patient_id).erased_at is None
    services.set_clinic_retention(store, world.admin_a, 5)
    _erase(store, world, plan.patient_id, dt.date(2031, 11, 25))
    assert _patient(store, plan.patient_id).erased_at is not None


def test_a_patient_with_nothing_clinical_may_be_erased_at_once(
    store: Store, world: World
) -> None:
    patient = services.register_patient(
        store, world.therapist_a, {"record_number": "P-9", "name": "Wrong Entry"}
    )
    services.erase_patient(
        store,
        world.admin_a,
        patient.id,
        reason=ErasureReason.REGISTERED_IN_ERROR,
        today=dt.date(2026, 12, 4),
        retention_years=25,
    )
    assert _patient(store, patient.id).record_number == f"erased-{patient.id}"
    with pytest.raises(ConflictError, match="already erased"):
        _erase(store, world, patient.id, LATER)


def test_only_the_clinics_administrator_erases(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    plan = _ended_course(store, world, kb)
    with pytest.raises(PermissionDeniedError):
        services.erase_patient(
            store,
            world.therapist_a,
            plan.patient_id,
            reason=REQUEST,
            today=LATER,
            retention_years=25,
        )
    with pytest.raises(NotFoundError):
        services.erase_patient(
            store,
            world.admin_b,
            plan.patient_id,
            reason=REQUEST,
            today=LATER,
            retention_years=25,
        )
    assert _patient(store, plan.patient_id).erased_at is None


def test_a_failure_mid_way_leaves_nothing_erased(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    plan = _ended_course(store, world, kb)
    with store.unit_of_work(write=True) as uow:  # the outbox is scrubbed late
        if store.backend == "sqlite":
            uow.session.execute(
                text(
                    "CREATE TRIGGER outbox_breaks BEFORE UPDATE ON outbox "
                    "BEGIN SELECT RAISE(ABORT, 'forced failure'); END"
                )
            )
        else:
            uow.session.execute(
                text(
                    "CREATE TRIGGER outbox_breaks BEFORE UPDATE ON outbox FOR EACH "
                    "ROW EXECUTE FUNCTION spinewise_refuse_change('forced failure')"
                )
            )
    with pytest.raises(SpinewiseError, match="forced failure"):
        _erase(store, world, plan.patient_id, LATER)
    patient = _patient(store, plan.patient_id)
    assert (patient.name, patient.email, patient.erased_at, patient.erasing) == (
        "Patient P-1",
        "a@b.example",
        None,
        False,
    )
    assert _soap(store, plan.patient_id) == ["better"]


def test_the_retention_job_erases_the_expired_and_names_those_left(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    ended = _ended_course(store, world, kb)
    open_course = planned_patient(store, world, kb, number="P-2")
    services.set_clinic_retention(store, world.admin_a, 10)
    early = services.run_retention(
        store, world.admin_a, today=dt.date(2036, 11, 24), retention_years=25
    )
    assert (early.erased, early.refused) == ([], {})
    done: list[int] = []
    outcome = services.run_retention(
        store, world.admin_a, today=dt.date(2036, 11, 25), retention_years=25,
        advance=done.append,
    )  # fmt: skip
    assert done == [1, 1]  # a progress bar moves on for the erased and the left
    assert outcome.erased == [ended.patient_id]
    assert list(outcome.refused) == [open_course.patient_id]
    assert "open course" in outcome.refused[open_course.patient_id]
    assert _patient(store, open_course.patient_id).erased_at is None


def test_an_imported_patients_ehr_ids_are_erased_too(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    screened = assessed_patient(store, world.therapist_a, kb, "P-7")
    exported = services.export_fhir_record(
        store, world.therapist_a, screened.assessment.patient_id
    )
    imported = services.import_fhir_bundle(
        store, world.therapist_b, json.dumps(exported), kb, register=True
    )
    services.erase_patient(
        store,
        world.admin_b,
        imported.patient.id,
        reason=REQUEST,
        today=LATER,
        retention_years=25,
    )
    with store.unit_of_work() as uow:
        kept = [
            *uow.session.scalars(
                select(FhirImportRow.fhir_id).where(
                    FhirImportRow.patient_id == imported.patient.id
                )
            ),
            *uow.session.scalars(
                select(PatientIdentifierRow.value).where(
                    PatientIdentifierRow.patient_id == imported.patient.id
                )
            ),
        ]
    assert kept and all(value.startswith("erased-") for value in kept)
