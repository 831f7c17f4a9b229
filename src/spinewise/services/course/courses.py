"""Course plans: issued from the patient's latest decision, printed, suspended by stops.

A plan is issued only from the newest decision on the patient's current assessment,
made with the knowledge base in force, and only while no session has asked for
re-screening that has not been answered by screening an assessment submitted after it
(a new or amended assessment carrying what the session found; ``PlanRefusedError``
says which). The planner itself refuses without a valid physician approval. Issuing a plan
supersedes the patient's previous one; a suspended plan never resumes by itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from spinewise.errors import N_, NotFoundError, PlanRefusedError
from spinewise.i18n import DEFAULT_LANGUAGE
from spinewise.kb import KnowledgeBase
from spinewise.models import Modality
from spinewise.models.plan import CoursePlan
from spinewise.planning import plan_course
from spinewise.reports import ReportContext, render_care_sheet_pdf, render_plan_pdf
from spinewise.screening import translate_decision
from spinewise.services.access.actors import CLINICIANS, Actor, Role, require
from spinewise.services.audit import Action, log, log_reads
from spinewise.services.clinic.consent import require_treatment_consent
from spinewise.services.convert import decision_record
from spinewise.services.course.course_records import (
    PlanRecord,
    PlanStatus,
    RescreenFlagRecord,
    flag_record,
    plan_record,
)
from spinewise.services.course.due import schedule_plan
from spinewise.services.course.plan_language import plan_in_language
from spinewise.services.records import DecisionRecord
from spinewise.services.unit import patient_of, unit
from spinewise.store import (
    CoursePlanRow,
    CoursePlans,
    DecisionRow,
    RescreenFlags,
    Store,
    UnitOfWork,
)

OPEN_STATUSES = (PlanStatus.ACTIVE.value, PlanStatus.SUSPENDED.value)


def _refuse_while_flagged(uow: UnitOfWork, actor: Actor, patient_id: int) -> None:
    flags = RescreenFlags(uow.session).open_for(actor.clinic_id, patient_id)
    if flags:
        raise PlanRefusedError(
            N_(
                "re-screening required since session note {session_note_id} stopped the plan; submit a new or amended assessment with what the session found, have it screened and cleared",
                session_note_id=flags[0].session_note_id,
            )
        )


def _decision_to_plan_from(
    uow: UnitOfWork, actor: Actor, patient_id: int
) -> DecisionRow:
    current = uow.assessments.current(actor.clinic_id, patient_id)
    if current is None:
        raise PlanRefusedError(
            N_("patient {patient_id} has no assessment yet", patient_id=patient_id)
        )
    found = uow.decisions.latest_for(actor.clinic_id, [current.id]).get(current.id)
    if found is None:
        raise PlanRefusedError(
            N_("assessment {id} has not been screened yet", id=current.id)
        )
    return found


def _reusable(
    uow: UnitOfWork, actor: Actor, newest: CoursePlanRow | None, kb: KnowledgeBase
) -> CoursePlanRow | None:
    """The newest plan, if it still stands: suspended awaiting re-screening, or
    active and made from the latest decision with this knowledge base."""
    if newest is None:
        return None
    if newest.status == PlanStatus.SUSPENDED.value:
        flags = RescreenFlags(uow.session).open_for(actor.clinic_id, newest.patient_id)
        return newest if flags else None
    if newest.status != PlanStatus.ACTIVE.value or newest.kb_version != kb.version:
        return None
    source = _decision_to_plan_from(uow, actor, newest.patient_id)
    return newest if newest.decision_id == source.id else None


def _supersede(uow: UnitOfWork, actor: Actor, rows: list[CoursePlanRow]) -> None:
    plans = CoursePlans(uow.session)
    for old in rows:
        if old.status in OPEN_STATUSES and plans.set_status(
            actor.clinic_id, old.id, was=OPEN_STATUSES, status="superseded"
        ):
            log(
                uow,
                actor,
                Action.CHANGE,
                "course_plan",
                old.id,
                patient_id=old.patient_id,
                detail={"status": "superseded"},
            )


def _store_plan(
    uow: UnitOfWork, actor: Actor, patient_id: int, decision_id: int, plan: CoursePlan
) -> CoursePlanRow:
    row = CoursePlans(uow.session).add(
        clinic_id=actor.clinic_id,
        patient_id=patient_id,
        decision_id=decision_id,
        start_date=plan.start_date,
        kb_version=plan.kb_version,
        planner_version=plan.planner_version,
        plan=plan.to_json(),
        status=PlanStatus.ACTIVE.value,
        suspended_modalities=[],
        created_by=actor.user_id,
        therapist_id=actor.user_id if actor.role is Role.THERAPIST else None,
    )
    log(
        uow,
        actor,
        Action.CREATE,
        "course_plan",
        row.id,
        patient_id=patient_id,
        detail={
            "decision_id": decision_id,
            "modalities": [c.modality.value for c in plan.courses],
            "start_date": plan.start_date.isoformat(),
        },
    )
    return row


def issue_plan(
    store: Store,
    actor: Actor,
    patient_id: int,
    kb: KnowledgeBase,
    *,
    start_date: dt.date | None = None,
    modalities: Sequence[Modality] | None = None,
    reuse_current: bool = False,
) -> PlanRecord:
    """A new course plan from the latest decision (``PlanRefusedError`` if none may be).

    With ``reuse_current`` (and no start date or modalities), the patient's newest plan
    is returned instead while it still stands: active and made from the latest
    decision with this knowledge base, or suspended and waiting for re-screening.
    """
    with unit(store, actor) as uow:
        require(actor, CLINICIANS, N_("issue course plans"))
        patient_of(uow, actor, patient_id, lock=True)
        plans = CoursePlans(uow.session)
        existing = plans.of_patient(actor.clinic_id, patient_id)
        if reuse_current and start_date is None and modalities is None:
            kept = _reusable(uow, actor, existing[0] if existing else None, kb)
            if kept is not None:
                log_reads(uow, actor, "course_plan", [(patient_id, kept.id)])
                return plan_record(kept)
        _refuse_while_flagged(uow, actor, patient_id)
        require_treatment_consent(uow, actor.clinic_id, patient_id)
        source = _decision_to_plan_from(uow, actor, patient_id)
        if source.kb_version != kb.version:
            raise PlanRefusedError(
                N_(
                    "decision {id} was made with knowledge base {kb_version}; re-screen with {version} first",
                    id=source.id,
                    kb_version=source.kb_version,
                    version=kb.version,
                )
            )
        stored = decision_record(source)
        plan = plan_course(
            stored.input,
            stored.decision,
            kb,
            start_date or dt.date.today(),
            modalities,
        )
        plan = _approved_on(uow, actor, patient_id, source.assessment_id, plan)
        _supersede(uow, actor, existing)
        row = _store_plan(uow, actor, patient_id, source.id, plan)
        schedule_plan(uow, row)
        return plan_record(row)


def _approved_on(
    uow: UnitOfWork, actor: Actor, patient_id: int, assessment_id: int, plan: CoursePlan
) -> CoursePlan:
    """The plan's "approved on" is the day the physician decided (the clearance's
    decision), not the assessment's date the engine checks validity from."""
    decided = [
        row.decided_at
        for row in uow.clearances.of_patient(actor.clinic_id, patient_id)
        if row.assessment_id == assessment_id
        and row.status == "approved"
        and row.decided_at is not None
    ]
    if not decided:
        return plan
    summary = plan.clearance.model_copy(update={"date": max(decided).date()})
    return plan.model_copy(update={"clearance": summary})


def current_plan(store: Store, actor: Actor, patient_id: int) -> PlanRecord | None:
    """The patient's newest plan (whatever its status), if any."""
    with unit(store, actor, read=True) as uow:
        require(actor, CLINICIANS, N_("read course plans"))
        patient_of(uow, actor, patient_id)
        rows = CoursePlans(uow.session).of_patient(actor.clinic_id, patient_id)
        if not rows:
            return None
        log_reads(uow, actor, "course_plan", [(patient_id, rows[0].id)])
        return plan_record(rows[0])


def get_plan(store: Store, actor: Actor, plan_id: int) -> PlanRecord:
    """One plan of the actor's clinic."""
    with unit(store, actor, read=True) as uow:
        require(actor, CLINICIANS, N_("read course plans"))
        row = CoursePlans(uow.session).get(actor.clinic_id, plan_id)
        if row is None:
            raise NotFoundError(N_("course plan"), plan_id)
        log_reads(uow, actor, "course_plan", [(row.patient_id, row.id)])
        return plan_record(row)


def _report_inputs(
    store: Store, actor: Actor, plan_id: int, document: str, printed_on: dt.date
) -> tuple[CoursePlan, DecisionRecord, ReportContext, str]:
    """The plan, its decision, who it is for, and the patient's language."""
    with unit(store, actor) as uow:
        require(actor, CLINICIANS, N_("print course plans"))
        row = CoursePlans(uow.session).get(actor.clinic_id, plan_id)
        if row is None:
            raise NotFoundError(N_("course plan"), plan_id)
        patient = patient_of(uow, actor, row.patient_id)
        decision = uow.decisions.get(actor.clinic_id, row.decision_id)
        clinic = uow.clinics.get(actor.clinic_id)
        if decision is None or clinic is None:
            raise NotFoundError(N_("decision"), row.decision_id)
        names = uow.users.names([actor.user_id])
        log(
            uow,
            actor,
            Action.EXPORT,
            "course_plan",
            row.id,
            patient_id=row.patient_id,
            detail={"document": document},
        )
        context = ReportContext(
            clinic_name=clinic.name,
            patient_name=patient.name,
            patient_id=patient.record_number,
            patient_birth_date=patient.birth_date,
            therapist=names.get(actor.user_id),
            printed_on=printed_on,
        )
        return (
            CoursePlan.model_validate(row.plan),
            decision_record(decision),
            context,
            patient.language or DEFAULT_LANGUAGE,
        )


def export_plan_pdf(
    store: Store,
    actor: Actor,
    plan_id: int,
    *,
    printed_on: dt.date | None = None,
    kb: KnowledgeBase | None = None,
    language: str = DEFAULT_LANGUAGE,
) -> bytes:
    """The therapist's printable course plan (audited as an export), in ``language``
    (the clinician's); the knowledge base's texts need ``kb``."""
    plan, stored, context, _ = _report_inputs(
        store, actor, plan_id, "plan_pdf", printed_on or dt.date.today()
    )
    decision = stored.decision
    if kb is not None:
        plan = plan_in_language(plan, stored.input, decision, kb, language)
        decision = translate_decision(decision, kb, language)
    return render_plan_pdf(plan, decision, context, language)


def export_care_sheet_pdf(
    store: Store,
    actor: Actor,
    plan_id: int,
    *,
    printed_on: dt.date | None = None,
    kb: KnowledgeBase | None = None,
    language: str | None = None,
) -> bytes:
    """The patient's one-page care sheet (audited as an export), in the patient's
    language unless ``language`` says otherwise; the knowledge base's texts need
    ``kb``."""
    plan, stored, context, own = _report_inputs(
        store, actor, plan_id, "care_sheet_pdf", printed_on or dt.date.today()
    )
    language = language or own
    if kb is not None:
        plan = plan_in_language(plan, stored.input, stored.decision, kb, language)
    return render_care_sheet_pdf(plan, context, language)


def rescreen_flags(
    store: Store, actor: Actor, patient_id: int | None = None
) -> list[RescreenFlagRecord]:
    """Open re-screen flags: of one patient, or the clinic's whole work list."""
    with unit(store, actor) as uow:
        require(actor, CLINICIANS, N_("read re-screen flags"))
        flags = RescreenFlags(uow.session)
        if patient_id is None:
            rows = flags.open_in_clinic(actor.clinic_id)
        else:
            patient_of(uow, actor, patient_id)
            rows = flags.open_for(actor.clinic_id, patient_id)
        log_reads(uow, actor, "rescreen_flag", [(r.patient_id, r.id) for r in rows])
        return [flag_record(r) for r in rows]
