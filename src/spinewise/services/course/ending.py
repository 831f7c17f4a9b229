"""Ending a course before its last planned session: completed early or discontinued.

A therapist or a physician of the clinic ends an active or suspended course with a
reason code (and an optional note; the code ``other`` needs one). A suspended course
(stopped by a session's stop rule) can only be discontinued: calling it completed
would misreport why it stopped. In one transaction, audited:

* the plan becomes ``completed`` and the ending is stored (``course_endings``);
* the sessions not recorded yet are cancelled: a completed plan has no planned day;
* the questionnaires due and not answered are cancelled, with their open links (and
  so their e-mails not yet sent), except the discharge questionnaire: it measures
  the outcome at the end of care, which the discharge letter reports and the outcome
  loop needs however the course ended. An unsent discharge item is brought forward
  to the day the course ends; one already sent keeps its date and link.

Nothing here lifts a stop rule or a re-screen flag: a new plan still needs them met.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

from spinewise.errors import N_, ConflictError, NotFoundError
from spinewise.models import parse_model
from spinewise.services.access.actors import CLINICIANS, Actor, require
from spinewise.services.audit import Action, log
from spinewise.services.course.course_records import PlanStatus
from spinewise.services.course.due import settle_plan
from spinewise.services.course.schedule import schedule_of
from spinewise.services.unit import patient_of, unit
from spinewise.store import (
    CourseEndings,
    CoursePlanRow,
    CoursePlans,
    DueItems,
    QuestionnaireLinks,
    SessionNotes,
    SessionSchedule,
    Store,
    UnitOfWork,
    utc_now,
)

OPEN = (PlanStatus.ACTIVE.value, PlanStatus.SUSPENDED.value)
KEPT_MILESTONE = "discharge"


class CourseEnding(StrEnum):
    COMPLETED_EARLY = "completed_early"
    DISCONTINUED = "discontinued"


class EndReason(StrEnum):
    GOALS_MET = "goals_met"
    PATIENT_REQUEST = "patient_request"
    NO_IMPROVEMENT = "no_improvement"
    WORSENING = "worsening"
    REFERRED = "referred"
    UNABLE_TO_ATTEND = "unable_to_attend"
    OTHER = "other"


class EndCourse(BaseModel):
    """How the course ends, why (a code) and an optional note."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    ending: CourseEnding
    reason: EndReason
    note: str | None = Field(None, max_length=1000)

    @model_validator(mode="after")
    def _other_is_explained(self) -> EndCourse:
        if self.reason is EndReason.OTHER and not self.note:
            raise ValueError(N_("the reason 'other' needs a note saying why"))
        return self


class CourseEnded(BaseModel):
    """What ending the course did."""

    model_config = ConfigDict(frozen=True)

    plan_id: int
    patient_id: int
    ending: CourseEnding
    reason: EndReason
    note: str | None
    ended_on: dt.date
    cancelled_sessions: list[int]
    cancelled_due: list[int]
    discharge_due: list[int]


def _plan_to_end(
    uow: UnitOfWork, actor: Actor, plan_id: int, change: EndCourse
) -> CoursePlanRow:
    plan = CoursePlans(uow.session).get(actor.clinic_id, plan_id)
    if plan is None:
        raise NotFoundError(N_("course plan"), plan_id)
    patient_of(uow, actor, plan.patient_id, lock=True)
    if plan.status not in OPEN:
        raise ConflictError(
            N_(
                "plan {id} is {status}; only an active or suspended course ends",
                id=plan_id,
                status=plan.status,
            ),
            field="plan_id",
        )
    if (
        plan.status == PlanStatus.SUSPENDED.value
        and change.ending is CourseEnding.COMPLETED_EARLY
    ):
        raise ConflictError(
            N_(
                "plan {id} is suspended by a stop rule; it can be discontinued, "
                "not completed",
                id=plan_id,
            ),
            field="ending",
        )
    return plan


def _settle_due(
    uow: UnitOfWork, plan: CoursePlanRow, today: dt.date
) -> tuple[list[int], list[int]]:
    """Cancel the unanswered items but the discharge (brought forward when unsent);
    (cancelled ids, discharge ids kept)."""
    settle_plan(uow, plan)  # an answer recorded but not matched yet still counts
    items = DueItems(uow.session)
    links = QuestionnaireLinks(uow.session)
    now = utc_now()
    cancelled: list[int] = []
    kept: list[int] = []
    for item in items.of_plan(plan.id):
        if item.response_id is not None or item.cancelled_at is not None:
            continue
        if item.milestone == KEPT_MILESTONE:
            kept.append(item.id)
            if item.due_on > today:
                items.move(item.id, today)
            continue
        if items.cancel(item.id, now):
            cancelled.append(item.id)
            if item.link_id is not None:
                links.cancel(plan.clinic_id, item.link_id, now)
    return cancelled, kept


def end_course(
    store: Store,
    actor: Actor,
    plan_id: int,
    data: Mapping[str, object],
    today: dt.date,
) -> CourseEnded:
    """End an open course early (see the module's docstring), audited."""
    change = parse_model(EndCourse, data)
    with unit(store, actor) as uow:
        require(actor, CLINICIANS, N_("end courses"))
        plan = _plan_to_end(uow, actor, plan_id, change)
        recorded = SessionNotes(uow.session).recorded(actor.clinic_id, [plan.id])
        moves = SessionSchedule(uow.session).current(actor.clinic_id, [plan.id])
        remaining = sorted(
            n for n in schedule_of(plan, moves) if (plan.id, n) not in recorded
        )
        if not CoursePlans(uow.session).set_status(
            actor.clinic_id, plan.id, was=OPEN, status=PlanStatus.COMPLETED.value
        ):
            raise ConflictError(
                N_("plan {id} changed meanwhile", id=plan_id), field="plan_id"
            )
        cancelled, kept = _settle_due(uow, plan, today)
        CourseEndings(uow.session).add(
            plan,
            ending=change.ending.value,
            reason=change.reason.value,
            note=change.note,
            ended_on=today,
            ended_by=actor.user_id,
        )
        ended = CourseEnded(
            plan_id=plan.id,
            patient_id=plan.patient_id,
            ending=change.ending,
            reason=change.reason,
            note=change.note,
            ended_on=today,
            cancelled_sessions=remaining,
            cancelled_due=cancelled,
            discharge_due=kept,
        )
        detail = ended.model_dump(
            mode="json", exclude={"plan_id", "patient_id", "note"}
        )  # the note is free text about the patient: stored, not copied to the log
        detail.update(status=PlanStatus.COMPLETED.value, noted=bool(change.note))
        log(
            uow,
            actor,
            Action.CHANGE,
            "course_plan",
            plan.id,
            patient_id=plan.patient_id,
            detail=detail,
        )
        return ended
