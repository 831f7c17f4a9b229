"""The plan's questionnaire schedule as dated due items (both databases): made when
a plan is issued and lazily for older plans, answered by responses, listed as due
and overdue, and sent with one click."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import delete
from tests.pg import World
from tests.services.builders import START, planned_patient
from tests.text_packs import import_fake_texts

from spinewise import services
from spinewise.errors import ConflictError, NotFoundError
from spinewise.kb import KnowledgeBase
from spinewise.models.outcome import Instrument
from spinewise.store import DueItemRow, Store

SECRET = "a test secret that is long enough to sign links"
PUBLIC = "https://clinic.example"


def odi(day: dt.date) -> dict[str, object]:
    return {"instrument": "odi", "answered_on": day.isoformat(), "answers": [1] * 10}


def test_a_plan_s_schedule_is_baseline_mid_course_discharge_and_follow_up(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    plan = planned_patient(store, world, kb)
    sessions = plan.plan.courses[0].sessions
    schedule = services.questionnaire_schedule(plan.plan.to_json())
    odi_items = [(m, d) for i, m, d in schedule if i is Instrument.ODI]
    assert odi_items == [
        ("baseline", sessions[0].date),
        ("mid_course", sessions[4].date),
        ("discharge", sessions[-1].date),
        (
            "follow_up",
            sessions[-1].date + dt.timedelta(days=services.FOLLOW_UP_DAYS),
        ),
    ]
    assert {i for i, _, _ in schedule} == {Instrument.ODI, Instrument.STARTBACK}
    with store.unit_of_work() as uow:
        stored = uow.session.query(DueItemRow).filter_by(plan_id=plan.id).count()
    assert stored == len(schedule) == 8


def test_due_and_overdue_items_are_listed_until_answered(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    plan = planned_patient(store, world, kb)
    therapist = world.therapist_a
    assert services.list_due(store, therapist, START - dt.timedelta(days=1)) == []
    due = services.list_due(store, therapist, START)
    assert [(i.instrument.value, i.milestone, i.overdue) for i in due] == [
        ("odi", "baseline", False),
        ("startback", "baseline", False),
    ]
    assert due[0].patient.id == plan.patient_id and due[0].link == "none"
    later = START + dt.timedelta(days=2)
    assert all(i.overdue for i in services.list_due(store, therapist, later))
    services.record_response(store, therapist, plan.patient_id, odi(START))
    left = services.list_due(store, therapist, later, overdue_only=True)
    assert [i.instrument for i in left] == [Instrument.STARTBACK]
    assert services.list_due(store, world.therapist_b, later) == []


def test_a_baseline_answer_does_not_count_for_the_mid_course_item(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    plan = planned_patient(store, world, kb)
    mid = plan.plan.courses[0].sessions[4].date
    services.record_response(store, world.therapist_a, plan.patient_id, odi(START))
    due = services.list_due(store, world.therapist_a, mid)
    assert ("odi", "mid_course") in {(i.instrument.value, i.milestone) for i in due}
    assert ("odi", "baseline") not in {(i.instrument.value, i.milestone) for i in due}


def test_plans_issued_before_due_items_existed_are_scheduled_on_first_use(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    plan = planned_patient(store, world, kb)
    with store.unit_of_work(write=True) as uow:
        uow.session.execute(delete(DueItemRow).where(DueItemRow.plan_id == plan.id))
    assert len(services.list_due(store, world.therapist_a, START)) == 2


def test_one_click_sends_the_item_s_link_and_a_second_click_replaces_it(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    plan = planned_patient(store, world, kb)
    import_fake_texts(store, world.admin_a)
    services.set_patient_contact(
        store, world.therapist_a, plan.patient_id, email="p@example.org", language="en"
    )
    [item, _] = services.list_due(store, world.therapist_a, START)
    assert item.contactable

    def send() -> services.OutboxMessage:
        return services.send_due_link(
            store,
            world.therapist_a,
            item.id,
            secret=SECRET,
            valid_days=14,
            public_url=PUBLIC,
            remind_after_days=3,
        )

    first = send()
    assert (
        first.kind == "link"
        and first.subject == "Your questionnaire: FAKE ODI test pack"
    )
    [listed, *_] = services.list_due(store, world.therapist_a, START)
    assert listed.link == "open"
    send()
    kinds = sorted(m.kind for m in services.list_outbox(store, world.therapist_a))
    assert kinds == ["link", "link", "reminder", "reminder"]
    counts = services.deliver_outbox(store, None, sender="x@example.org")
    assert counts == {"sent": 0, "logged": 1, "retry": 0, "failed": 0, "cancelled": 1}
    with pytest.raises(NotFoundError):
        services.send_due_link(
            store,
            world.therapist_b,
            item.id,
            secret=SECRET,
            valid_days=14,
            public_url=PUBLIC,
        )


def test_no_link_is_sent_to_a_patient_who_may_not_be_contacted(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    planned_patient(store, world, kb)
    import_fake_texts(store, world.admin_a)
    [item, _] = services.list_due(store, world.therapist_a, START)
    assert not item.contactable
    with pytest.raises(ConflictError, match="no e-mail address"):
        services.send_due_link(
            store,
            world.therapist_a,
            item.id,
            secret=SECRET,
            valid_days=14,
            public_url=PUBLIC,
        )
    [still, _] = services.list_due(store, world.therapist_a, START)
    assert still.link == "none", "nothing stored half"
