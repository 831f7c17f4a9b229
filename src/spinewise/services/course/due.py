"""Questionnaires due: the plan's schedule as dated items (docs/therapists/questionnaires.md).

The plan names, per session, the instruments to measure (the knowledge base's
re-assessment: e.g. ODI and STarT Back at sessions 1, 5 and the last). The rule:

* baseline: the instruments of the first measuring session, due on its date;
* mid-course: those of the first measuring session between the first and the last;
* discharge: those of the last measuring session, due on its date;
* follow-up: the discharge instruments again, ``FOLLOW_UP_DAYS`` after the course's
  last planned session.

A session planned for several modalities counts on its earliest date. The pain NRS of
every session is part of the session note, not a due questionnaire. Items are made
when a plan is issued, and lazily for older plans, on the sessions' dates now (a moved
session's new date); a move carries the items not yet answered or sent
(``services.course.due_moves``). An item is answered by the
response to its own link, or by a response of its instrument recorded from
``EARLY_DAYS`` before its date until the next item's window opens (then its open
link is cancelled, and with it the reminder).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from spinewise.models.outcome import Instrument
from spinewise.store import (
    CoursePlanRow,
    DueItemRow,
    DueItems,
    QuestionnaireLinks,
    QuestionnaireResponses,
    SessionSchedule,
    UnitOfWork,
    utc_now,
)

FOLLOW_UP_DAYS = 42
EARLY_DAYS = 7
MEASURED = {
    "ODI": Instrument.ODI,
    "NDI": Instrument.NDI,
    "RMDQ": Instrument.RMDQ,
    "STarT Back": Instrument.STARTBACK,
}


def _measuring_sessions(plan: dict[str, Any]) -> dict[int, tuple[dt.date, list[str]]]:
    found: dict[int, tuple[dt.date, list[str]]] = {}
    for course in plan.get("courses", []):
        for session in course.get("sessions", []):
            number = int(session["number"])
            day = dt.date.fromisoformat(session["date"])
            earlier, names = found.get(number, (day, []))
            more = [m for m in session.get("measures", []) if m in MEASURED]
            found[number] = (min(day, earlier), list(dict.fromkeys([*names, *more])))
    return found


def questionnaire_schedule(
    plan: dict[str, Any],
) -> list[tuple[Instrument, str, dt.date]]:
    """(instrument, milestone, due date) of a plan's JSON, in date order."""
    sessions = _measuring_sessions(plan)
    marked = sorted(n for n, (_, names) in sessions.items() if names)
    if not marked:
        return []
    chosen = {marked[0]: "baseline"}
    if len(marked) > 2:
        chosen[marked[1]] = "mid_course"
    if len(marked) > 1:
        chosen[marked[-1]] = "discharge"
    items = [
        (MEASURED[name], milestone, sessions[number][0])
        for number, milestone in chosen.items()
        for name in sessions[number][1]
    ]
    end = max(day for day, _ in sessions.values())
    items += [
        (MEASURED[name], "follow_up", end + dt.timedelta(days=FOLLOW_UP_DAYS))
        for name in sessions[marked[-1]][1]
    ]
    return sorted(items, key=lambda item: (item[2], item[0].value))


def _with_moves(plan: dict[str, Any], moves: Mapping[int, dt.date]) -> dict[str, Any]:
    """The plan's JSON with each moved session (of every modality) on its new date."""

    def dated(session: dict[str, Any]) -> dict[str, Any]:
        moved = moves.get(int(session["number"]))
        return session if moved is None else {**session, "date": moved.isoformat()}

    return {
        **plan,
        "courses": [
            {**course, "sessions": [dated(s) for s in course.get("sessions", [])]}
            for course in plan.get("courses", [])
        ],
    }


def current_schedule(
    uow: UnitOfWork, plan: CoursePlanRow
) -> list[tuple[Instrument, str, dt.date]]:
    """``questionnaire_schedule`` of the plan as its sessions stand now (moves in)."""
    moves = SessionSchedule(uow.session).current(plan.clinic_id, [plan.id])
    moved = {number: row.planned_on for (_, number), row in moves.items()}
    return questionnaire_schedule(_with_moves(plan.plan, moved))


def schedule_plan(uow: UnitOfWork, plan: CoursePlanRow) -> int:
    """Store the plan's due items not stored yet; how many were added."""
    return DueItems(uow.session).add_missing(
        [
            {
                "clinic_id": plan.clinic_id,
                "patient_id": plan.patient_id,
                "plan_id": plan.id,
                "instrument": instrument.value,
                "milestone": milestone,
                "due_on": due_on,
            }
            for instrument, milestone, due_on in current_schedule(uow, plan)
        ]
    )


def schedule_and_settle(uow: UnitOfWork, clinic_id: int | None, until: dt.date) -> int:
    """Schedule plans issued before due items existed, then mark the items that a
    response answers; the number of items added."""
    items = DueItems(uow.session)
    added = sum(schedule_plan(uow, p) for p in items.unscheduled_plans(clinic_id))
    open_items = items.open_items(clinic_id, until + dt.timedelta(days=EARLY_DAYS))
    for plan_id in sorted({i.plan_id for i in open_items}):
        _settle_plan(uow, items.of_plan(plan_id))
    return added


def settle_plan(uow: UnitOfWork, plan: CoursePlanRow) -> None:
    """Make the plan's items if not made yet, and mark those a response answers."""
    schedule_plan(uow, plan)
    _settle_plan(uow, DueItems(uow.session).of_plan(plan.id))


def _settle_plan(uow: UnitOfWork, plan_items: list[DueItemRow]) -> None:
    if not plan_items:
        return
    first = plan_items[0]
    used = {i.response_id for i in plan_items if i.response_id is not None}
    by_instrument: dict[str, list[DueItemRow]] = defaultdict(list)
    for item in plan_items:
        by_instrument[item.instrument].append(item)
    responses = QuestionnaireResponses(uow.session)
    store = DueItems(uow.session)
    links = QuestionnaireLinks(uow.session)
    for instrument, rows in by_instrument.items():
        answers = responses.of_patient(first.clinic_id, first.patient_id, instrument)
        for index, item in enumerate(rows):
            if item.response_id is not None:
                continue
            opens = item.due_on - dt.timedelta(days=EARLY_DAYS)
            closes = (
                rows[index + 1].due_on - dt.timedelta(days=EARLY_DAYS)
                if index + 1 < len(rows)
                else None
            )
            match = next(
                (
                    r
                    for r in answers
                    if r.id not in used
                    and (
                        (item.link_id is not None and r.link_id == item.link_id)
                        or (
                            r.answered_on >= opens
                            and (closes is None or r.answered_on < closes)
                        )
                    )
                ),
                None,
            )
            if match is not None:
                used.add(match.id)
                store.answer(item.id, match.id)
                if item.link_id is not None and match.link_id != item.link_id:
                    links.cancel(item.clinic_id, item.link_id, utc_now())
