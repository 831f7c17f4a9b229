"""A moved session carries the questionnaires due that were made from its date; an
item already answered or already sent keeps its date."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select
from tests.pg import World
from tests.services.builders import START, planned_patient
from tests.text_packs import import_fake_texts

from spinewise import services
from spinewise.kb import KnowledgeBase
from spinewise.services import PlanRecord
from spinewise.store import AuditQuery, DueItemRow, Store

EARLIER_TODAY = START - dt.timedelta(days=10)  # "today" for moves before START


def _due(store: Store, plan_id: int) -> dict[tuple[str, str], dt.date]:
    with store.unit_of_work() as uow:
        rows = uow.session.scalars(select(DueItemRow).filter_by(plan_id=plan_id))
        return {(r.instrument, r.milestone): r.due_on for r in rows}


def _move(
    store: Store, world: World, plan: PlanRecord, number: int, day: dt.date
) -> None:
    services.reschedule_session(
        store,
        world.therapist_a,
        plan.id,
        number,
        {"date": day, "reason": "the patient is away"},
        EARLIER_TODAY,
    )


def _move_detail(store: Store, world: World) -> dict[str, object]:
    with store.unit_of_work() as uow:
        [event] = uow.audit.query(
            AuditQuery(clinic_id=world.clinic_a, entity="planned_session")
        )
    return dict(event.detail or {})


def test_moving_the_last_session_carries_its_discharge_and_follow_up_items(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    plan = planned_patient(store, world, kb)
    before = _due(store, plan.id)
    last = plan.plan.courses[0].sessions[-1]
    later = last.date + dt.timedelta(days=3)
    _move(store, world, plan, last.number, later)
    after = _due(store, plan.id)
    follow_up = later + dt.timedelta(days=services.FOLLOW_UP_DAYS)
    for instrument in ("odi", "startback"):
        assert after[(instrument, "discharge")] == later
        assert after[(instrument, "follow_up")] == follow_up
        for milestone in ("baseline", "mid_course"):
            assert after[(instrument, milestone)] == before[(instrument, milestone)]
    with store.unit_of_work() as uow:
        events = uow.audit.query(
            AuditQuery(clinic_id=world.clinic_a, entity="questionnaire_due")
        )
    assert len(events) == 4
    assert {e.detail["to"] for e in events if e.detail} == {
        later.isoformat(),
        follow_up.isoformat(),
    }
    detail = _move_detail(store, world)
    assert len(detail["due_moved"]) == 4 and detail["due_kept"] == []  # type: ignore[arg-type]


def test_an_answered_item_keeps_its_date_while_the_others_of_the_session_move(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    plan = planned_patient(store, world, kb)
    answer = {
        "instrument": "odi",
        "answered_on": START.isoformat(),
        "answers": [1] * 10,
    }
    services.record_response(store, world.therapist_a, plan.patient_id, answer)
    services.list_due(store, world.therapist_a, START)  # settles the answer
    earlier = START - dt.timedelta(days=1)
    _move(store, world, plan, 1, earlier)
    after = _due(store, plan.id)
    assert after[("odi", "baseline")] == START
    assert after[("startback", "baseline")] == earlier
    assert len(_move_detail(store, world)["due_kept"]) == 1  # type: ignore[arg-type]


def test_an_item_whose_link_was_sent_keeps_its_date_and_its_link(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    plan = planned_patient(store, world, kb)
    import_fake_texts(store, world.admin_a)
    services.set_patient_contact(
        store, world.therapist_a, plan.patient_id, email="p@example.org", language="en"
    )
    [odi, _] = services.list_due(store, world.therapist_a, START)
    services.send_due_link(
        store,
        world.therapist_a,
        odi.id,
        secret="a test secret that is long enough to sign links",
        valid_days=14,
        public_url="https://clinic.example",
    )
    _move(store, world, plan, 1, START - dt.timedelta(days=1))
    assert _due(store, plan.id)[("odi", "baseline")] == START
    assert _move_detail(store, world)["due_kept"] == [odi.id]
    listed = {i.id: i.link for i in services.list_due(store, world.therapist_a, START)}
    assert listed[odi.id] == "open"


def test_items_made_after_a_move_are_made_on_the_moved_date(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    plan = planned_patient(store, world, kb)
    with store.unit_of_work(write=True) as uow:
        uow.session.execute(delete(DueItemRow).where(DueItemRow.plan_id == plan.id))
    earlier = START - dt.timedelta(days=2)
    _move(store, world, plan, 1, earlier)
    due = services.list_due(store, world.therapist_a, earlier)
    assert {(i.milestone, i.due_on) for i in due} == {("baseline", earlier)}
