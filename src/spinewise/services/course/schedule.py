"""The plan's schedule: each planned session's date (and optional time), moved with a
reason, and the therapist who carries the plan.

A session's date is the plan's own (start date and the knowledge base's intervals)
until it is moved; a move is stored beside the immutable plan and audited. A move is
refused, with the reason, when the session was already recorded, the plan is not
active, the date is in the past, beyond the physician's clearance, or closer to the
neighbouring sessions than the plan's minimum interval. There is no override: a
shorter interval is a clinical change and needs a new plan (the safer reading).
A move carries the questionnaires due that were made from the session's date
(``due_moves``), in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict, Field

from spinewise.errors import N_, ConflictError, FieldProblem, InputError, NotFoundError
from spinewise.models import parse_model
from spinewise.services.access.actors import CLINICIANS, Actor, Role, require
from spinewise.services.audit import Action, log
from spinewise.services.course.course_records import PlanStatus
from spinewise.services.course.due_moves import carry_due_items
from spinewise.services.unit import unit
from spinewise.store import (
    CoursePlanRow,
    CoursePlans,
    SessionNotes,
    SessionSchedule,
    SessionScheduleRow,
    Store,
    UnitOfWork,
)

TIME = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"


class Reschedule(BaseModel):
    """A planned session's new date, optional time (``HH:MM``) and the reason."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    date: dt.date
    time: str | None = Field(None, pattern=TIME)
    reason: str = Field(min_length=1, max_length=500)


class PlannedDate(BaseModel):
    """Where one session of one plan stands in the schedule."""

    model_config = ConfigDict(frozen=True)

    plan_id: int
    session_number: int
    date: dt.date
    time: str | None
    moved: bool
    recorded: bool = False


def _issued(plan: CoursePlanRow) -> dict[str, dict[int, dt.date]]:
    """Per modality, each session number's date as the plan was issued."""
    return {
        str(course["modality"]): {
            int(s["number"]): dt.date.fromisoformat(s["date"])
            for s in course.get("sessions", [])
        }
        for course in plan.plan.get("courses", [])
    }


def schedule_of(
    plan: CoursePlanRow, moves: Mapping[tuple[int, int], SessionScheduleRow]
) -> dict[int, PlannedDate]:
    """Each session number's date now: the earliest of its modalities, or its move."""
    found: dict[int, PlannedDate] = {}
    for dates in _issued(plan).values():
        for number, day in dates.items():
            move = moves.get((plan.id, number))
            earlier = found.get(number)
            if move is not None:
                day = move.planned_on
            elif earlier is not None:
                day = min(day, earlier.date)
            found[number] = PlannedDate(
                plan_id=plan.id,
                session_number=number,
                date=day,
                time=move.planned_time if move else None,
                moved=move is not None,
            )
    return found


def minimum_interval(plan: CoursePlanRow) -> int | None:
    """The shortest gap, in days, between two sessions of one modality as issued."""
    gaps = [
        (later - earlier).days
        for dates in _issued(plan).values()
        for earlier, later in zip(
            [dates[n] for n in sorted(dates)],
            [dates[n] for n in sorted(dates)][1:],
            strict=False,
        )
    ]
    return min(gaps) if gaps else None


def _refuse(field: str, message: str) -> InputError:
    return InputError([FieldProblem(field, message)])


def _check_interval(
    plan: CoursePlanRow, dates: dict[int, PlannedDate], number: int, day: dt.date
) -> None:
    gap = minimum_interval(plan)
    if gap is None:
        return
    for other, sign in ((number - 1, 1), (number + 1, -1)):
        if other not in dates:
            continue
        apart = (day - dates[other].date).days * sign
        if apart < gap:
            raise _refuse(
                "date",
                f"{day.isoformat()} is {apart} day(s) from session {other} "
                f"({dates[other].date.isoformat()}); the plan's minimum interval is "
                f"{gap} day(s); choose another day or issue a new plan",
            )


def _plan_to_move(uow: UnitOfWork, actor: Actor, plan_id: int) -> CoursePlanRow:
    plan = CoursePlans(uow.session).get(actor.clinic_id, plan_id)
    if plan is None:
        raise NotFoundError(N_("course_plan"), plan_id)
    if plan.status != PlanStatus.ACTIVE.value:
        raise ConflictError(
            N_(
                "plan {plan_id} is {status}; only an active plan's sessions move",
                plan_id=plan_id,
                status=plan.status,
            ),
            field="plan_id",
        )
    return plan


def _check_day(
    plan: CoursePlanRow, dates: dict[int, PlannedDate], number: int, day: dt.date,
    today: dt.date,
) -> None:  # fmt: skip
    if number not in dates:
        raise _refuse("session_number", f"plan {plan.id} has no session {number}")
    if day < today:
        raise _refuse(
            "date", f"{day.isoformat()} is in the past (today is {today.isoformat()})"
        )
    until = plan.plan.get("clearance", {}).get("valid_until")
    if until is not None and day > dt.date.fromisoformat(until):
        raise _refuse(
            "date",
            f"{day.isoformat()} is after the physician's clearance ends ({until}); "
            "ask for clearance again first",
        )
    _check_interval(plan, dates, number, day)


def reschedule_session(
    store: Store,
    actor: Actor,
    plan_id: int,
    session_number: int,
    data: Mapping[str, object],
    today: dt.date,
) -> PlannedDate:
    """Move one planned, unrecorded session of an active plan (audited)."""
    change = parse_model(Reschedule, data)
    with unit(store, actor) as uow:
        require(actor, CLINICIANS, N_("reschedule sessions"))
        plan = _plan_to_move(uow, actor, plan_id)
        recorded = SessionNotes(uow.session).recorded(actor.clinic_id, [plan.id])
        if (plan.id, session_number) in recorded:
            raise ConflictError(
                N_(
                    "session {session_number} of plan {plan_id} is already recorded",
                    session_number=session_number,
                    plan_id=plan_id,
                ),
                field="session_number",
            )
        schedule = SessionSchedule(uow.session)
        dates = schedule_of(plan, schedule.current(actor.clinic_id, [plan.id]))
        _check_day(plan, dates, session_number, change.date, today)
        was = dates[session_number]
        schedule.add(
            clinic_id=actor.clinic_id,
            patient_id=plan.patient_id,
            plan_id=plan.id,
            session_number=session_number,
            planned_on=change.date,
            planned_time=change.time,
            reason=change.reason,
            changed_by=actor.user_id,
        )
        carried = carry_due_items(uow, actor, plan)
        log(
            uow,
            actor,
            Action.CHANGE,
            "planned_session",
            f"{plan.id}/{session_number}",
            patient_id=plan.patient_id,
            detail={
                "from": was.date.isoformat(),
                "to": change.date.isoformat(),
                "due_moved": carried["moved"],
                "due_kept": carried["kept"],
            },
        )
        return PlannedDate(
            plan_id=plan.id,
            session_number=session_number,
            date=change.date,
            time=change.time,
            moved=True,
        )


def planned_dates(store: Store, actor: Actor, plan_id: int) -> list[PlannedDate]:
    """Every session of the plan with its date now, by session number."""
    with unit(store, actor, read=True) as uow:
        require(actor, CLINICIANS, N_("read the schedule"))
        plan = CoursePlans(uow.session).get(actor.clinic_id, plan_id)
        if plan is None:
            raise NotFoundError(N_("course_plan"), plan_id)
        moves = SessionSchedule(uow.session).current(actor.clinic_id, [plan.id])
        done = SessionNotes(uow.session).recorded(actor.clinic_id, [plan.id])
        log(uow, actor, Action.READ, "course_plan", plan.id, patient_id=plan.patient_id)
        return [
            d.model_copy(update={"recorded": (plan.id, n) in done})
            for n, d in sorted(schedule_of(plan, moves).items())
        ]


def assign_therapist(
    store: Store, actor: Actor, plan_id: int, therapist_id: int
) -> None:
    """Give the plan to a therapist of the clinic (audited)."""
    with unit(store, actor) as uow:
        require(actor, CLINICIANS, N_("assign plans"))
        plan = CoursePlans(uow.session).get(actor.clinic_id, plan_id)
        if plan is None:
            raise NotFoundError(N_("course_plan"), plan_id)
        user = uow.users.get(therapist_id)
        if (
            user is None
            or user.clinic_id != actor.clinic_id
            or user.role != Role.THERAPIST.value
            or not user.active
        ):
            raise _refuse(
                "therapist_id", f"user {therapist_id} is no active therapist here"
            )
        CoursePlans(uow.session).set_status(
            actor.clinic_id,
            plan.id,
            was=(plan.status,),
            therapist_id=therapist_id,
        )
        log(
            uow,
            actor,
            Action.CHANGE,
            "course_plan",
            plan.id,
            patient_id=plan.patient_id,
            detail={"therapist_id": therapist_id},
        )


class Therapist(BaseModel):
    """A therapist a plan may be given to."""

    model_config = ConfigDict(frozen=True)

    id: int
    display_name: str


def clinic_therapists(store: Store, actor: Actor) -> list[Therapist]:
    """The clinic's active therapists, by name (for assigning plans)."""
    with unit(store, actor, read=True) as uow:
        require(actor, CLINICIANS, N_("see the clinic's therapists"))
        users = uow.users.of_clinic(actor.clinic_id)
        return sorted(
            (
                Therapist(id=u.id, display_name=u.display_name)
                for u in users
                if u.role == Role.THERAPIST.value and u.active
            ),
            key=lambda t: (t.display_name, t.id),
        )
