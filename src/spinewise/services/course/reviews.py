"""Results that change the course: "review before the next session".

After every questionnaire (staff entry or the patient's link) and every signed
session note, the patient's current plan is checked (``outcomes.review``): a
worsening beyond the MIC against the course's baseline (ODI, RMDQ, NDI, pain NRS) or
pre-session pain rising three sessions in a row raises a review, once per trigger.
While a review is open the next session cannot be signed; the therapist resolves it
by re-screening (a decision newer than the review whose verdict is ``proceed``) or
by recording why the course goes on. A review never lifts a stop rule in force: a
suspended plan stays suspended whatever the review's outcome.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict

from spinewise.errors import N_, ConflictError, FieldProblem, InputError, NotFoundError
from spinewise.i18n import DEFAULT_LANGUAGE
from spinewise.models.enums import Verdict
from spinewise.models.outcome import Score
from spinewise.outcomes import REVIEWED, course_baseline, pain_rising, worsening
from spinewise.services.access.actors import CLINICIANS, Actor, Interface, require
from spinewise.services.audit import Action, event, system_event
from spinewise.services.course.review_words import (
    pain_rising_reason,
    reason_text,
    worsening_reason,
)
from spinewise.services.unit import patient_of, unit
from spinewise.store import (
    CoursePlanRow,
    CoursePlans,
    CourseReviewRow,
    CourseReviews,
    QuestionnaireResponses,
    SessionNotes,
    Store,
    UnitOfWork,
    utc_now,
)

LIVE_PLANS = ("active", "suspended")
MAX_NOTE = 4000


class Resolution(StrEnum):
    RESCREENED = "rescreened"
    CONTINUE = "continue"


class ReviewRecord(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    patient_id: int
    plan_id: int
    reasons: list[str]
    raised_at: dt.datetime
    open: bool
    resolution: Resolution | None
    resolution_note: str | None
    resolved_at: dt.datetime | None


def review_record(
    row: CourseReviewRow, language: str = DEFAULT_LANGUAGE
) -> ReviewRecord:
    """A stored review; its reasons in ``language`` (the clinician's)."""
    return ReviewRecord(
        id=row.id,
        patient_id=row.patient_id,
        plan_id=row.plan_id,
        reasons=[reason_text(r, language) for r in row.reasons],
        raised_at=row.raised_at,
        open=row.resolved_at is None,
        resolution=None if row.resolution is None else Resolution(row.resolution),
        resolution_note=row.resolution_note,
        resolved_at=row.resolved_at,
    )


def _current_plan(
    uow: UnitOfWork, clinic_id: int, patient_id: int
) -> CoursePlanRow | None:
    plans = CoursePlans(uow.session).of_patient(clinic_id, patient_id)
    return plans[0] if plans and plans[0].status in LIVE_PLANS else None


def _questionnaire_triggers(
    uow: UnitOfWork, plan: CoursePlanRow
) -> list[tuple[str, dict[str, Any]]]:
    rows = QuestionnaireResponses(uow.session).of_patient(
        plan.clinic_id, plan.patient_id
    )
    found = []
    for instrument in REVIEWED:
        mine = [r for r in rows if r.instrument == instrument.value]
        scores = {r.id: Score.model_validate(r.score) for r in mine}
        baseline = course_baseline(list(scores.values()), plan.start_date)
        later = [r for r in mine if scores[r.id].scorable]
        if baseline is None or not later:
            continue
        newest = later[-1]
        change = worsening(baseline, scores[newest.id])
        if change is None or newest.answered_on < baseline.answered_on:
            continue
        reason = worsening_reason(
            instrument,
            (baseline.answered_on, baseline.score),
            (newest.answered_on, scores[newest.id].score),
        )
        found.append((f"{instrument.value}:{newest.id}", reason))
    return found


def _pain_trigger(
    uow: UnitOfWork, plan: CoursePlanRow
) -> list[tuple[str, dict[str, Any]]]:
    notes = SessionNotes(uow.session).of_patient(plan.clinic_id, plan.patient_id)
    latest: dict[int, Any] = {}
    for note in notes:
        if note.plan_id == plan.id:
            latest[note.session_number] = note  # ordered by version: last wins
    numbers = sorted(latest)
    pains = [latest[n].pain_before for n in numbers]
    if not pain_rising(pains):
        return []
    reason = pain_rising_reason(pains[-4:], numbers[-4], numbers[-1])
    return [(f"pain:{numbers[-1]}", reason)]


def raise_course_reviews(
    uow: UnitOfWork, clinic_id: int, patient_id: int, actor: Actor | None
) -> CourseReviewRow | None:
    """Raise a review of the current plan for new triggers (audited); None: none."""
    plan = _current_plan(uow, clinic_id, patient_id)
    if plan is None:
        return None
    reviews = CourseReviews(uow.session)
    seen = {
        key
        for row in reviews.of_plan(clinic_id, plan.id)
        for key in row.trigger.split()
    }
    new = [
        (key, reason)
        for key, reason in _questionnaire_triggers(uow, plan) + _pain_trigger(uow, plan)
        if key not in seen
    ]
    if not new:
        return None
    row = reviews.add(
        clinic_id=clinic_id,
        patient_id=patient_id,
        plan_id=plan.id,
        trigger=" ".join(key for key, _ in new)[:200],
        reasons=[reason for _, reason in new],
    )
    detail = {"plan_id": plan.id, "reasons": [r["message"] for _, r in new]}
    if actor is None:
        found = system_event(
            Interface.WEB,
            Action.CREATE,
            "course_review",
            row.id,
            clinic_id=clinic_id,
            detail=detail,
        )
        found["patient_id"] = patient_id
    else:
        found = event(
            actor,
            Action.CREATE,
            "course_review",
            row.id,
            patient_id=patient_id,
            detail=detail,
        )
    uow.audit.append([found])
    return row


def refuse_while_under_review(uow: UnitOfWork, plan: CoursePlanRow) -> None:
    """The next session waits for an open review of ``plan`` to be resolved."""
    open_rows = [
        r
        for r in CourseReviews(uow.session).of_plan(plan.clinic_id, plan.id)
        if r.resolved_at is None
    ]
    if open_rows:
        reasons = "; ".join(review_record(open_rows[0]).reasons)
        raise ConflictError(
            N_(
                "review before the next session (review {id}): {reasons}. Re-screen the patient or record why the course goes on first",
                id=open_rows[0].id,
                reasons=reasons,
            ),
            field="review",
        )


def course_reviews(
    store: Store, actor: Actor, patient_id: int, language: str = DEFAULT_LANGUAGE
) -> list[ReviewRecord]:
    """The patient's reviews, newest first, their reasons in ``language``."""
    with unit(store, actor) as uow:
        require(actor, CLINICIANS, N_("read course reviews"))
        patient_of(uow, actor, patient_id)
        rows = CourseReviews(uow.session).of_patient(actor.clinic_id, patient_id)
        return [review_record(r, language) for r in rows]


def resolve_course_review(
    store: Store,
    actor: Actor,
    review_id: int,
    resolution: Resolution | str,
    note: str,
) -> ReviewRecord:
    """Resolve an open review: ``rescreened`` needs a newer ``proceed`` decision;
    ``continue`` needs the reason. The plan's status is left as it is."""
    with unit(store, actor) as uow:
        require(actor, CLINICIANS, N_("resolve course reviews"))
        row = CourseReviews(uow.session).get(actor.clinic_id, review_id)
        if row is None:
            raise NotFoundError(N_("course review"), review_id)
        patient_of(uow, actor, row.patient_id, lock=True)
        chosen = _resolution(resolution)
        text = note.strip()[:MAX_NOTE]
        if chosen is Resolution.CONTINUE and not text:
            raise InputError(
                [FieldProblem("note", N_("required: say why the course goes on"))]
            )
        if chosen is Resolution.RESCREENED:
            _check_rescreened(uow, row)
        at = utc_now()
        values = {
            "resolved_at": at,
            "resolved_by": actor.user_id,
            "resolution": chosen.value,
            "resolution_note": text or None,
        }
        if not CourseReviews(uow.session).resolve(row.id, **values):
            raise ConflictError(
                N_("review {id} is already resolved", id=row.id), field="review"
            )
        uow.audit.append(
            [
                event(
                    actor,
                    Action.CHANGE,
                    "course_review",
                    row.id,
                    patient_id=row.patient_id,
                    detail={"resolution": chosen.value, "note": text},
                )
            ]
        )
        uow.session.refresh(row)
        return review_record(row)


def _resolution(value: Resolution | str) -> Resolution:
    try:
        return Resolution(value)
    except ValueError:
        raise InputError(
            [
                FieldProblem(
                    "resolution",
                    N_("unknown {value!r}; allowed: rescreened, continue", value=value),
                )
            ]
        ) from None


def _check_rescreened(uow: UnitOfWork, row: CourseReviewRow) -> None:
    newest = uow.decisions.of_patient(row.clinic_id, row.patient_id, limit=1)
    if not newest or newest[0].created_at <= row.raised_at:
        raise ConflictError(
            N_(
                "no screening decision since the review was raised: re-screen the patient first (a new assessment), or record why the course goes on"
            ),
            field="resolution",
        )
    if newest[0].verdict != Verdict.PROCEED.value:
        raise ConflictError(
            N_(
                "the re-screen's verdict is {verdict}: the course cannot go on under this plan",
                verdict=newest[0].verdict,
            ),
            field="resolution",
        )
