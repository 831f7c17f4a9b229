"""Session notes through the services: signed, amended never overwritten, stop rules
suspending the plan and flagging re-screening in the same transaction (both databases)."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from tests.factories import assessment_data
from tests.pg import World
from tests.services.builders import START, approve, planned_patient, session_data

from spinewise import services
from spinewise.errors import (
    ConflictError,
    InputError,
    KnowledgeBaseError,
    NotFoundError,
    PermissionDeniedError,
    PlanRefusedError,
    SpinewiseError,
)
from spinewise.kb import KnowledgeBase
from spinewise.models import Modality
from spinewise.services import PlanStatus
from spinewise.store import AuditQuery, Store


def test_a_quiet_session_is_signed_and_the_plan_stays_active(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    plan = planned_patient(store, world, kb)
    outcome = services.record_session(
        store, world.therapist_a, plan.patient_id, session_data(plan), kb
    )
    note = outcome.note
    assert (note.version, note.amends_id, note.signed_by) == (
        1,
        None,
        world.therapist_a.user_id,
    )
    assert note.signed_by_name == "Therapist A"
    assert not note.stop.stop and outcome.flag is None
    assert outcome.plan.status is PlanStatus.ACTIVE


def test_pain_rising_two_points_suspends_the_plan_and_flags_rescreening(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    plan = planned_patient(store, world, kb)
    data = session_data(plan, pain_nrs_before=3, pain_nrs_after=5)
    outcome = services.record_session(
        store, world.therapist_a, plan.patient_id, data, kb
    )
    assert outcome.note.stop.rule_ids() == ["SR-PAIN"]
    assert outcome.note.stop.step_down_next_session
    assert outcome.plan.status is PlanStatus.SUSPENDED
    assert outcome.plan.suspended_reason is not None
    assert "SR-PAIN: pain rose from 3 to 5" in outcome.plan.suspended_reason
    assert outcome.flag is not None and outcome.flag.reasons[0].rule_id == "SR-PAIN"
    flags = services.rescreen_flags(store, world.physician_a)
    assert [f.id for f in flags] == [outcome.flag.id]
    with store.unit_of_work() as uow:
        events = uow.audit.query(
            AuditQuery(clinic_id=world.clinic_a, patient_id=plan.patient_id)
        )
    written = [(e.action, e.entity) for e in reversed(events) if e.action != "read"]
    entities = written[-3:]
    assert entities == [
        ("create", "session_note"),
        ("change", "course_plan"),
        ("create", "rescreen_flag"),
    ]


def test_a_suspended_plan_waits_for_a_new_screening_decision(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    plan = planned_patient(store, world, kb)
    stopped = session_data(plan, red_flags={"saddle_anaesthesia": True})
    first = services.record_session(
        store, world.therapist_a, plan.patient_id, stopped, kb
    )
    assert first.note.stop.emergency_referral
    with pytest.raises(ConflictError, match="suspended"):
        services.record_session(
            store, world.therapist_a, plan.patient_id, session_data(plan, 2), kb
        )
    with pytest.raises(PlanRefusedError, match="re-screening required"):
        services.issue_plan(store, world.therapist_a, plan.patient_id, kb)
    current = services.latest_assessments(store, world.therapist_a, plan.patient_id)
    services.screen_assessment(store, world.therapist_a, current[0].id, kb)
    assert len(services.rescreen_flags(store, world.therapist_a, plan.patient_id)) == 1
    amended = services.amend_assessment(
        store, world.therapist_a, current[0].id, assessment_data(), kb
    )
    assert services.rescreen_flags(store, world.therapist_a, plan.patient_id) == []
    with pytest.raises(PlanRefusedError, match="proceed"):
        services.issue_plan(store, world.therapist_a, plan.patient_id, kb)
    approve(store, world.physician_a, plan.patient_id, kb)
    renewed = services.issue_plan(
        store, world.therapist_a, plan.patient_id, kb, start_date=START
    )
    assert renewed.decision_id > amended.decision.id
    assert renewed.status is PlanStatus.ACTIVE and renewed.id != plan.id


def test_amending_adds_a_signed_version_and_never_overwrites(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    plan = planned_patient(store, world, kb)
    first = services.record_session(
        store, world.therapist_a, plan.patient_id, session_data(plan), kb
    ).note
    corrected = session_data(plan, soap={"subjective": "much better"})
    second = services.amend_session(
        store, world.therapist_a, first.id, corrected, "typo in S", kb
    ).note
    assert (second.version, second.amends_id) == (2, first.id)
    assert second.amendment_reason == "typo in S"
    notes = services.session_notes(store, world.physician_a, plan.patient_id)
    assert [(n.id, n.version) for n in notes] == [(first.id, 1), (second.id, 2)]
    assert notes[0].record.soap.subjective == "better"
    assert notes[1].record.soap.subjective == "much better"


@pytest.mark.parametrize(
    "statement",
    ["UPDATE session_notes SET pain_after = 0", "DELETE FROM session_notes"],
    ids=["update", "delete"],
)
def test_the_database_refuses_to_overwrite_a_signed_note(
    store: Store, world: World, kb: KnowledgeBase, statement: str
) -> None:
    plan = planned_patient(store, world, kb)
    services.record_session(
        store, world.therapist_a, plan.patient_id, session_data(plan), kb
    )
    with pytest.raises(SpinewiseError, match="session notes"):
        with store.unit_of_work(write=True) as uow:
            uow.session.execute(text(statement))
    assert len(services.session_notes(store, world.therapist_a, plan.patient_id)) == 1


def test_an_amendment_that_reveals_a_red_flag_suspends_the_plan(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    plan = planned_patient(store, world, kb)
    note = services.record_session(
        store, world.therapist_a, plan.patient_id, session_data(plan), kb
    ).note
    flagged = session_data(plan, neurological_symptoms=["weakness"])
    amended = services.amend_session(
        store, world.therapist_a, note.id, flagged, "weakness reported late", kb
    )
    assert amended.plan.status is PlanStatus.SUSPENDED
    assert amended.flag is not None and amended.flag.session_note_id == amended.note.id


def test_an_amendment_never_resumes_a_suspended_plan(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    plan = planned_patient(store, world, kb)
    rise = session_data(plan, pain_nrs_before=2, pain_nrs_after=6)
    note = services.record_session(
        store, world.therapist_a, plan.patient_id, rise, kb
    ).note
    quiet = services.amend_session(
        store, world.therapist_a, note.id, session_data(plan), "wrong pain", kb
    )
    assert not quiet.note.stop.stop
    assert quiet.plan.status is PlanStatus.SUSPENDED


def test_a_skin_event_suspends_vacuum_but_not_the_plan(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    plan = planned_patient(store, world, kb)
    assert Modality.VACUUM in [c.modality for c in plan.plan.courses]
    blister = session_data(plan, adverse_events=[{"kind": "blister"}])
    outcome = services.record_session(
        store, world.therapist_a, plan.patient_id, blister, kb
    )
    assert outcome.plan.status is PlanStatus.ACTIVE and outcome.flag is None
    assert Modality.VACUUM in outcome.plan.suspended_modalities
    vacuum = plan.plan.course(Modality.VACUUM).sessions[0]
    cupping = session_data(
        plan,
        modality="vacuum",
        performed_on=vacuum.date.isoformat(),
        steps_done=[s.order for s in vacuum.steps],
    )
    with pytest.raises(ConflictError, match="vacuum is suspended"):
        services.record_session(store, world.therapist_a, plan.patient_id, cupping, kb)


def test_a_session_must_name_planned_steps_and_sessions(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    plan = planned_patient(store, world, kb)
    with pytest.raises(InputError) as caught:
        services.record_session(
            store,
            world.therapist_a,
            plan.patient_id,
            session_data(plan, steps_done=[1, 99]),
            kb,
            file="s.yaml",
        )
    assert [p.field for p in caught.value.problems] == ["steps_done[1]"]
    assert caught.value.file == "s.yaml"
    with pytest.raises(InputError, match="session_number"):
        services.record_session(
            store,
            world.therapist_a,
            plan.patient_id,
            session_data(plan, 1, session_number=40),
            kb,
        )
    with pytest.raises(InputError) as bad:
        services.record_session(
            store, world.therapist_a, plan.patient_id, {"pain_nrs_before": 12}, kb
        )
    fields = {p.field for p in bad.value.problems}
    assert {"pain_nrs_before", "pain_nrs_after", "session_number"} <= fields


def test_recording_the_same_session_twice_is_a_conflict(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    plan = planned_patient(store, world, kb)
    services.record_session(
        store, world.therapist_a, plan.patient_id, session_data(plan), kb
    )
    with pytest.raises(ConflictError, match="amend"):
        services.record_session(
            store, world.therapist_a, plan.patient_id, session_data(plan), kb
        )


def test_only_therapists_sign_notes_and_physicians_read_them(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    plan = planned_patient(store, world, kb)
    with pytest.raises(PermissionDeniedError):
        services.record_session(
            store, world.physician_a, plan.patient_id, session_data(plan), kb
        )
    with pytest.raises(PermissionDeniedError):
        services.session_notes(store, world.admin_a, plan.patient_id)
    assert services.session_notes(store, world.physician_a, plan.patient_id) == []


def test_another_clinic_cannot_record_amend_or_read_notes(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    plan = planned_patient(store, world, kb)
    note = services.record_session(
        store, world.therapist_a, plan.patient_id, session_data(plan), kb
    ).note
    with pytest.raises(NotFoundError):
        services.record_session(
            store, world.therapist_b, plan.patient_id, session_data(plan, 2), kb
        )
    with pytest.raises(NotFoundError):
        services.amend_session(
            store, world.therapist_b, note.id, session_data(plan), "x", kb
        )
    with pytest.raises(NotFoundError):
        services.session_notes(store, world.physician_b, plan.patient_id)
    assert len(services.session_notes(store, world.physician_a, plan.patient_id)) == 1


def test_a_failed_session_write_leaves_nothing_behind(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    plan = planned_patient(store, world, kb)
    broken = kb.model_copy(update={"techniques": None})
    with pytest.raises(KnowledgeBaseError):
        services.record_session(
            store, world.therapist_a, plan.patient_id, session_data(plan), broken
        )
    assert services.session_notes(store, world.therapist_a, plan.patient_id) == []
    current = services.current_plan(store, world.therapist_a, plan.patient_id)
    assert current is not None and current.status is PlanStatus.ACTIVE
