"""Ending a course early: the plan completes, its remaining sessions and unanswered
questionnaires are cancelled but the discharge one, in one audited transaction; an
erasure is then no longer refused for an open course."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from tests.pg import World
from tests.services.builders import START, planned_patient, session_data

from spinewise import services
from spinewise.errors import (
    ConflictError,
    InputError,
    NotFoundError,
    PermissionDeniedError,
)
from spinewise.kb import KnowledgeBase
from spinewise.services import ErasureReason, PlanStatus
from spinewise.store import ERASED, AuditQuery, CourseEndingRow, DueItemRow, Store

STOPPED = {"ending": "discontinued", "reason": "patient_request", "note": "moving"}


def _items(store: Store, plan_id: int) -> dict[tuple[str, str], DueItemRow]:
    with store.unit_of_work() as uow:
        rows = list(uow.session.scalars(select(DueItemRow).filter_by(plan_id=plan_id)))
        for row in rows:
            uow.session.expunge(row)
        return {(r.instrument, r.milestone): r for r in rows}


def test_discontinuing_cancels_the_rest_of_the_course_but_the_discharge_items(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    plan = planned_patient(store, world, kb)
    services.record_session(
        store, world.therapist_a, plan.patient_id, session_data(plan), kb
    )
    today = START + dt.timedelta(days=3)
    ended = services.end_course(store, world.physician_a, plan.id, STOPPED, today)
    numbers = [s.number for s in plan.plan.courses[0].sessions]
    assert ended.cancelled_sessions == numbers[1:]
    assert services.get_plan(store, world.therapist_a, plan.id).status is (
        PlanStatus.COMPLETED
    )
    items = _items(store, plan.id)
    for (_, milestone), item in items.items():
        if milestone == "discharge":
            assert (item.cancelled_at, item.due_on) == (None, today)
        else:
            assert item.cancelled_at is not None
    assert sorted(ended.discharge_due) == sorted(
        i.id for (_, m), i in items.items() if m == "discharge"
    )
    due = services.list_due(store, world.therapist_a, today + dt.timedelta(days=90))
    assert {i.milestone for i in due} == {"discharge"}
    with store.unit_of_work() as uow:
        [event] = uow.audit.query(
            AuditQuery(clinic_id=world.clinic_a, entity="course_plan", action="change")
        )
    assert event.detail is not None
    assert (event.detail["ending"], event.detail["reason"]) == (
        "discontinued",
        "patient_request",
    )
    assert "moving" not in str(event.detail)  # the note is not copied to the log


def test_an_answered_item_stays_answered_when_the_course_ends(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    plan = planned_patient(store, world, kb)
    answer = {
        "instrument": "odi",
        "answered_on": START.isoformat(),
        "answers": [1] * 10,
    }
    services.record_response(store, world.therapist_a, plan.patient_id, answer)
    data = {"ending": "completed_early", "reason": "goals_met"}
    ended = services.end_course(store, world.therapist_a, plan.id, data, START)
    baseline = _items(store, plan.id)[("odi", "baseline")]
    assert baseline.response_id is not None and baseline.cancelled_at is None
    assert baseline.id not in ended.cancelled_due


def test_a_course_ends_once_and_only_for_a_clinician_of_its_clinic(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    plan = planned_patient(store, world, kb)
    with pytest.raises(PermissionDeniedError):
        services.end_course(store, world.admin_a, plan.id, STOPPED, START)
    with pytest.raises(NotFoundError):
        services.end_course(store, world.therapist_b, plan.id, STOPPED, START)
    with pytest.raises(InputError) as refused:
        services.end_course(
            store, world.therapist_a, plan.id, {**STOPPED, "reason": "bored"}, START
        )
    assert refused.value.problems[0].field == "reason"
    with pytest.raises(InputError, match="needs a note"):
        services.end_course(
            store,
            world.therapist_a,
            plan.id,
            {**STOPPED, "reason": "other", "note": ""},
            START,
        )
    services.end_course(store, world.therapist_a, plan.id, STOPPED, START)
    with pytest.raises(ConflictError, match="only an active or suspended course"):
        services.end_course(store, world.therapist_a, plan.id, STOPPED, START)


def test_a_course_suspended_by_a_stop_rule_is_discontinued_not_completed(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    plan = planned_patient(store, world, kb)
    data = session_data(plan, pain_nrs_before=3, pain_nrs_after=5)
    services.record_session(store, world.therapist_a, plan.patient_id, data, kb)
    early = {"ending": "completed_early", "reason": "goals_met"}
    with pytest.raises(ConflictError, match="suspended by a stop rule"):
        services.end_course(store, world.therapist_a, plan.id, early, START)
    services.end_course(store, world.therapist_a, plan.id, STOPPED, START)
    assert services.rescreen_flags(store, world.physician_a)  # still to re-screen


def test_an_erasure_after_the_course_ended_is_not_refused_for_an_open_course(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    plan = planned_patient(store, world, kb)

    def erase() -> None:
        services.erase_patient(
            store,
            world.admin_a,
            plan.patient_id,
            reason=ErasureReason.PATIENT_REQUEST,
            today=dt.date(2060, 1, 1),
            retention_years=25,
        )

    with pytest.raises(ConflictError, match="open course"):
        erase()
    services.end_course(store, world.therapist_a, plan.id, STOPPED, START)
    erase()
    with store.unit_of_work() as uow:
        ending = uow.session.scalar(select(CourseEndingRow).filter_by(plan_id=plan.id))
    assert ending is not None and ending.note == ERASED
