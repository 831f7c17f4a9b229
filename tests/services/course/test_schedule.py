"""The plan's schedule: sessions moved with a reason, refused when in the past, past
the clearance or closer than the plan's minimum interval; plans carry a therapist."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.pg import World
from tests.services.builders import START, planned_patient, session_data

from spinewise import services
from spinewise.errors import ConflictError, InputError, NotFoundError
from spinewise.kb import KnowledgeBase
from spinewise.store import AuditQuery, Store


def _dates(store: Store, world: World, plan_id: int) -> dict[int, dt.date]:
    return {
        d.session_number: d.date
        for d in services.planned_dates(store, world.therapist_a, plan_id)
    }


def test_a_plan_issued_by_a_therapist_is_theirs(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    plan = planned_patient(store, world, kb)
    assert plan.therapist_id == world.therapist_a.user_id


def test_planned_dates_follow_the_plan_until_a_session_is_moved(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    plan = planned_patient(store, world, kb)
    before = _dates(store, world, plan.id)
    assert before[1] == START
    last = max(before)
    later = before[last] + dt.timedelta(days=1)
    moved = services.reschedule_session(
        store,
        world.therapist_a,
        plan.id,
        last,
        {"date": later, "time": "09:30", "reason": "ill"},
        START,
    )
    assert (moved.time, moved.moved) == ("09:30", True)
    assert _dates(store, world, plan.id) == {**before, last: later}
    with store.unit_of_work() as uow:
        events = uow.audit.query(
            AuditQuery(clinic_id=world.clinic_a, entity="planned_session")
        )
    assert [e.entity_id for e in events] == [f"{plan.id}/{last}"]


@pytest.mark.parametrize(
    ("shift", "field", "words"),
    [
        (-30, "date", "in the past"),
        (-1, "date", "minimum interval"),
        (60, "date", "clearance ends"),
    ],
    ids=["past", "interval", "beyond-clearance"],
)
def test_a_move_that_breaks_the_schedule_is_refused_and_nothing_changes(
    store: Store, world: World, kb: KnowledgeBase, shift: int, field: str, words: str
) -> None:
    plan = planned_patient(store, world, kb)
    before = _dates(store, world, plan.id)
    day = before[2] + dt.timedelta(days=shift)
    with pytest.raises(InputError) as refused:
        services.reschedule_session(
            store, world.therapist_a, plan.id, 2, {"date": day, "reason": "x"}, START
        )
    assert refused.value.problems[0].field == field
    assert words in refused.value.problems[0].message
    assert _dates(store, world, plan.id) == before


def test_a_move_needs_a_reason_and_a_real_time(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    plan = planned_patient(store, world, kb)
    with pytest.raises(InputError) as refused:
        services.reschedule_session(
            store,
            world.therapist_a,
            plan.id,
            2,
            {"date": "2026-12-20", "time": "25:00", "reason": " "},
            START,
        )
    assert {p.field for p in refused.value.problems} == {"time", "reason"}


def test_a_recorded_session_and_another_clinics_plan_do_not_move(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    plan = planned_patient(store, world, kb)
    services.record_session(
        store, world.therapist_a, plan.patient_id, session_data(plan), kb
    )
    with pytest.raises(ConflictError, match="already recorded"):
        services.reschedule_session(
            store,
            world.therapist_a,
            plan.id,
            1,
            {"date": "2026-11-26", "reason": "x"},
            START,
        )
    with pytest.raises(NotFoundError):
        services.reschedule_session(
            store,
            world.therapist_b,
            plan.id,
            2,
            {"date": "2026-12-20", "reason": "x"},
            START,
        )


def test_a_plan_is_given_only_to_a_therapist_of_the_clinic(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    plan = planned_patient(store, world, kb)
    services.assign_therapist(
        store, world.physician_a, plan.id, world.therapist_a.user_id
    )
    for user in (world.therapist_b, world.physician_a):
        with pytest.raises(InputError, match="no active therapist"):
            services.assign_therapist(store, world.physician_a, plan.id, user.user_id)
