"""The course tables: what the database refuses, clinic-scoped queries, single-use
links and re-screen flags answered by a newer decision (both databases)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text
from tests.factories import assessment_data
from tests.pg import World
from tests.services.builders import assessed_patient, planned_patient, session_data

from spinewise import services
from spinewise.errors import SpinewiseError
from spinewise.kb import KnowledgeBase
from spinewise.store import (
    CoursePlans,
    QuestionnaireLinks,
    QuestionnaireResponses,
    RescreenFlags,
    SessionNotes,
    Store,
    utc_now,
)


def test_a_plans_content_is_fixed_but_its_status_may_change(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    plan = planned_patient(store, world, kb)
    with pytest.raises(SpinewiseError, match="issued plan is immutable"):
        with store.unit_of_work(write=True) as uow:
            uow.session.execute(text("UPDATE course_plans SET plan = '{}'"))
    with store.unit_of_work(write=True) as uow:
        plans = CoursePlans(uow.session)
        assert plans.set_status(
            world.clinic_a, plan.id, was=("active",), status="completed"
        )
        assert not plans.set_status(
            world.clinic_a, plan.id, was=("active",), status="suspended"
        )


def test_course_queries_never_cross_clinics(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    plan = planned_patient(store, world, kb)
    note = services.record_session(
        store, world.therapist_a, plan.patient_id, session_data(plan), kb
    ).note
    response = services.record_response(
        store,
        world.therapist_a,
        plan.patient_id,
        {"instrument": "nrs", "answered_on": "2026-11-25", "answers": [4]},
    )
    with store.unit_of_work() as uow:
        for clinic, found in ((world.clinic_a, True), (world.clinic_b, False)):
            assert (CoursePlans(uow.session).get(clinic, plan.id) is not None) is found
            assert (SessionNotes(uow.session).get(clinic, note.id) is not None) is found
            responses = QuestionnaireResponses(uow.session)
            assert (responses.get(clinic, response.id) is not None) is found
            assert bool(
                CoursePlans(uow.session).of_patient(clinic, plan.patient_id)
            ) is (found)
            assert bool(
                SessionNotes(uow.session).of_patient(clinic, plan.patient_id)
            ) is (found)


def test_a_link_is_used_once_and_never_after_it_expires(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    patient_id = assessed_patient(store, world.therapist_a, kb).assessment.patient_id
    now = utc_now()
    with store.unit_of_work(write=True) as uow:
        links = QuestionnaireLinks(uow.session)
        fresh = links.add(
            clinic_id=world.clinic_a,
            patient_id=patient_id,
            instrument="nrs",
            token_hash="a" * 64,
            expires_at=now + dt.timedelta(days=1),
            created_by=world.therapist_a.user_id,
        )
        stale = links.add(
            clinic_id=world.clinic_a,
            patient_id=patient_id,
            instrument="nrs",
            token_hash="b" * 64,
            expires_at=now - dt.timedelta(seconds=1),
            created_by=world.therapist_a.user_id,
        )
        assert links.use(fresh.id, now)
        assert not links.use(fresh.id, now)
        assert not links.use(stale.id, now)
        assert links.by_token_hash("a" * 64) is not None


def test_a_rescreen_flag_stays_open_until_a_later_assessment_is_screened(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    plan = planned_patient(store, world, kb)
    data = session_data(plan, pain_nrs_before=1, pain_nrs_after=4)
    services.record_session(store, world.therapist_a, plan.patient_id, data, kb)
    with store.unit_of_work() as uow:
        flags = RescreenFlags(uow.session)
        assert len(flags.open_for(world.clinic_a, plan.patient_id)) == 1
        assert len(flags.open_in_clinic(world.clinic_a)) == 1
        assert flags.open_in_clinic(world.clinic_b) == []
    current = services.latest_assessments(store, world.therapist_a, plan.patient_id)
    services.screen_assessment(store, world.therapist_a, current[0].id, kb)
    with store.unit_of_work() as uow:
        assert (
            len(RescreenFlags(uow.session).open_for(world.clinic_a, plan.patient_id))
            == 1
        )
    services.amend_assessment(
        store, world.therapist_a, current[0].id, assessment_data(), kb
    )
    with store.unit_of_work() as uow:
        flags = RescreenFlags(uow.session)
        assert flags.open_for(world.clinic_a, plan.patient_id) == []
        assert flags.open_in_clinic(world.clinic_a) == []


@pytest.mark.parametrize(
    "statement",
    ["UPDATE rescreen_flags SET reasons = '[]'", "DELETE FROM rescreen_flags"],
    ids=["update", "delete"],
)
def test_rescreen_flags_cannot_be_changed_or_removed(
    store: Store, world: World, kb: KnowledgeBase, statement: str
) -> None:
    plan = planned_patient(store, world, kb)
    data = session_data(plan, adverse_events=[{"kind": "peripheralisation"}])
    services.record_session(store, world.therapist_a, plan.patient_id, data, kb)
    with pytest.raises(SpinewiseError, match="re-screen flags"):
        with store.unit_of_work(write=True) as uow:
            uow.session.execute(text(statement))
