"""Session notes: signed by the therapist, amended as new versions, checked by the
stop rules (docs/clinical-basis.md#stop-rules) in the same transaction.

A note is stored against the patient's active plan and must name a planned session,
a planned modality that is not suspended, and planned step numbers. When the stop
rules suspend the plan, the plan is suspended and a re-screen flag is raised in the
same transaction as the note: the note, the suspension and the flag are committed
together or not at all. An amendment is a new signed version (the original stays; the
database refuses an UPDATE); it is checked by the stop rules again and can suspend a
plan, never resume one.
"""

from __future__ import annotations

from collections.abc import Mapping

from spinewise.errors import (
    N_,
    ConflictError,
    FieldProblem,
    InputError,
    KnowledgeBaseError,
    NotFoundError,
)
from spinewise.kb import KnowledgeBase
from spinewise.models import parse_model
from spinewise.models.plan import CoursePlan
from spinewise.models.session import SessionRecord, StopDecision
from spinewise.planning.stops import check_stop_rules
from spinewise.services.access.actors import CLINICIANS, Actor, Role, require
from spinewise.services.audit import Action, log, log_reads
from spinewise.services.clinic.plausible import check_performed_on
from spinewise.services.course.course_records import (
    PlanStatus,
    SessionNoteRecord,
    SessionOutcome,
    flag_record,
    note_record,
    plan_record,
)
from spinewise.services.course.reviews import (
    raise_course_reviews,
    refuse_while_under_review,
)
from spinewise.services.course.suspension import apply_stop_decision
from spinewise.services.unit import patient_of, retrying, unit
from spinewise.store import (
    CoursePlanRow,
    CoursePlans,
    SessionNotes,
    Store,
    UnitOfWork,
)

THERAPISTS = frozenset({Role.THERAPIST})
SessionInput = SessionRecord | Mapping[str, object]


def _parse(record: SessionInput, file: str | None) -> SessionRecord:
    if isinstance(record, SessionRecord):
        return record
    return parse_model(SessionRecord, record, file=file)


def _problem(field: str, message: str, file: str | None) -> InputError:
    return InputError([FieldProblem(field, message)], file=file)


def _check_against_plan(
    row: CoursePlanRow, record: SessionRecord, file: str | None
) -> None:
    """The record names a planned modality, session and steps of ``row``'s plan."""
    plan = CoursePlan.model_validate(row.plan)
    check_performed_on(record.performed_on, plan.start_date, file)
    planned = [c.modality.value for c in plan.courses]
    if record.modality.value not in planned:
        raise _problem(
            "modality",
            f"{record.modality.value} is not in plan {row.id}; "
            f"allowed: {', '.join(planned)}",
            file,
        )
    course = plan.course(record.modality)
    if record.session_number > len(course.sessions):
        raise _problem(
            "session_number",
            f"the {record.modality.value} course has {len(course.sessions)} "
            f"sessions; allowed: 1..{len(course.sessions)}",
            file,
        )
    steps = {s.order for s in course.sessions[record.session_number - 1].steps}
    problems = [
        FieldProblem(
            f"steps_done[{index}]",
            N_(
                "session {session_number} has no step {step}; allowed: {values}",
                session_number=record.session_number,
                step=step,
                values=", ".join(str(s) for s in sorted(steps)),
            ),
        )
        for index, step in enumerate(record.steps_done)
        if step not in steps
    ]
    if problems:
        raise InputError(problems, file=file)


def _open_plan(uow: UnitOfWork, actor: Actor, patient_id: int) -> CoursePlanRow:
    rows = CoursePlans(uow.session).of_patient(actor.clinic_id, patient_id)
    if not rows:
        raise ConflictError(
            N_(
                "patient {patient_id} has no course plan; issue one first",
                patient_id=patient_id,
            ),
            field="patient_id",
        )
    newest = rows[0]
    if newest.status != PlanStatus.ACTIVE.value:
        why = f": {newest.suspended_reason}" if newest.suspended_reason else ""
        raise ConflictError(
            N_(
                "plan {id} is {status}{why}; re-screen and issue a new plan before the next session",
                id=newest.id,
                status=newest.status,
                why=why,
            ),
            field="patient_id",
        )
    return newest


def record_session(
    store: Store,
    actor: Actor,
    patient_id: int,
    record: SessionInput,
    kb: KnowledgeBase,
    *,
    file: str | None = None,
) -> SessionOutcome:
    """Sign and store the note of one planned session; apply the stop rules."""
    with unit(store, actor) as uow:
        require(actor, THERAPISTS, N_("record sessions"))
        parsed = _parse(record, file)
        patient_of(uow, actor, patient_id, lock=True)
        plan = _open_plan(uow, actor, patient_id)
        refuse_while_under_review(uow, plan)
        _check_against_plan(plan, parsed, file)
        if parsed.modality.value in plan.suspended_modalities:
            raise ConflictError(
                N_(
                    "{value} is suspended on plan {id} until reviewed (issue a new plan after the review)",
                    value=parsed.modality.value,
                    id=plan.id,
                ),
                field="modality",
            )
        notes = SessionNotes(uow.session)
        if notes.versions(actor.clinic_id, plan.id, parsed.session_number):
            raise ConflictError(
                N_(
                    "session {session_number} of plan {id} is already recorded; amend its note instead",
                    session_number=parsed.session_number,
                    id=plan.id,
                ),
                field="session_number",
            )
        return _sign(uow, actor, plan, parsed, kb, version=1, amends=None, reason=None)


def amend_session(
    store: Store,
    actor: Actor,
    note_id: int,
    record: SessionInput,
    reason: str,
    kb: KnowledgeBase,
    *,
    file: str | None = None,
) -> SessionOutcome:
    """A new signed version of a session note; every earlier version stays."""

    def attempt() -> SessionOutcome:
        with unit(store, actor) as uow:
            require(actor, THERAPISTS, N_("amend session notes"))
            parsed = _parse(record, file)
            if not reason.strip():
                raise _problem(
                    "reason", "required; say what the amendment corrects", None
                )
            notes = SessionNotes(uow.session)
            note = notes.get(actor.clinic_id, note_id)
            if note is None:
                raise NotFoundError(N_("session note"), note_id)
            patient_of(uow, actor, note.patient_id, lock=True)
            if parsed.session_number != note.session_number:
                raise _problem(
                    "session_number",
                    f"an amendment keeps session {note.session_number}; "
                    f"got {parsed.session_number}",
                    file,
                )
            plan = CoursePlans(uow.session).get(actor.clinic_id, note.plan_id)
            if plan is None:
                raise NotFoundError(N_("course plan"), note.plan_id)
            _check_against_plan(plan, parsed, file)
            latest = notes.versions(actor.clinic_id, plan.id, note.session_number)[-1]
            return _sign(
                uow,
                actor,
                plan,
                parsed,
                kb,
                version=latest.version + 1,
                amends=latest.id,
                reason=reason.strip()[:4000],
            )

    return retrying(attempt)


def _stop_decision(record: SessionRecord, kb: KnowledgeBase) -> StopDecision:
    if kb.techniques is None:
        raise KnowledgeBaseError("techniques.yaml", None, "no stop rules")
    return check_stop_rules(record, kb.techniques.stop_rules, kb.rules)


def _sign(
    uow: UnitOfWork,
    actor: Actor,
    plan: CoursePlanRow,
    record: SessionRecord,
    kb: KnowledgeBase,
    *,
    version: int,
    amends: int | None,
    reason: str | None,
) -> SessionOutcome:
    decision = _stop_decision(record, kb)
    row = SessionNotes(uow.session).add(
        clinic_id=actor.clinic_id,
        patient_id=plan.patient_id,
        plan_id=plan.id,
        session_number=record.session_number,
        version=version,
        amends_id=amends,
        performed_on=record.performed_on,
        modality=record.modality.value,
        pain_before=record.pain_nrs_before,
        pain_after=record.pain_nrs_after,
        record=record.model_dump(mode="json"),
        stop_decision=decision.model_dump(mode="json"),
        amendment_reason=reason,
        signed_by=actor.user_id,
    )
    detail = {
        "plan_id": plan.id,
        "session_number": record.session_number,
        "version": version,
        "amends": amends,
        "stop_rules": decision.rule_ids(),
    }
    log(
        uow,
        actor,
        Action.CREATE,
        "session_note",
        row.id,
        patient_id=plan.patient_id,
        detail=detail,
    )
    flag = apply_stop_decision(uow, actor, plan, row, decision)
    review = raise_course_reviews(uow, actor.clinic_id, plan.patient_id, actor)
    names = uow.users.names([actor.user_id])
    return SessionOutcome(
        note=note_record(row, names.get(actor.user_id)),
        plan=plan_record(plan),
        flag=None if flag is None else flag_record(flag),
        review_id=None if review is None else review.id,
    )


def session_notes(
    store: Store, actor: Actor, patient_id: int
) -> list[SessionNoteRecord]:
    """Every signed version of every session note of the patient."""
    with unit(store, actor) as uow:
        require(actor, CLINICIANS, N_("read session notes"))
        patient_of(uow, actor, patient_id)
        rows = SessionNotes(uow.session).of_patient(actor.clinic_id, patient_id)
        names = uow.users.names(r.signed_by for r in rows)
        log_reads(uow, actor, "session_note", [(patient_id, r.id) for r in rows])
        return [note_record(r, names.get(r.signed_by)) for r in rows]
