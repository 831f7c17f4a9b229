"""Letters to the attending physician: a progress report during the course, a discharge
letter at its end (PDF, in the clinician's language).

One unit of work reads the patient's current decision, the clearance of its assessment,
the newest course plan, every signed session (its latest version), the stop events and
the questionnaire responses; the letter is one ``export`` audit event and each note and
response read is audited too. Clinicians of the patient's clinic only.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from spinewise.errors import N_, NotFoundError
from spinewise.kb import KnowledgeBase
from spinewise.models import Decision
from spinewise.models.outcome import Instrument
from spinewise.models.session import StopReason
from spinewise.outcomes import UnclassifiableChangeError, trajectory
from spinewise.reports import (
    LetterClearance,
    LetterData,
    LetterKind,
    LetterOutcome,
    LetterSession,
    LetterStop,
    ReportContext,
    render_letter_pdf,
)
from spinewise.screening import translate_decision
from spinewise.services.access.actors import CLINICIANS, Actor, require
from spinewise.services.audit import Action, log, log_reads
from spinewise.services.course.course_records import note_record, response_record
from spinewise.services.unit import patient_of, unit
from spinewise.store import (
    ClearanceRow,
    CoursePlans,
    QuestionnaireResponses,
    SessionNotes,
    Store,
    UnitOfWork,
)


def _clearance(
    uow: UnitOfWork, actor: Actor, rows: list[ClearanceRow]
) -> LetterClearance:
    decided = [r for r in rows if r.decided_at is not None]
    if not decided:
        pending = any(r.status == "pending" for r in rows)
        return LetterClearance(status="pending" if pending else "none")
    row = max(decided, key=lambda r: (r.decided_at or dt.datetime.min, r.id))
    names = uow.users.names([row.physician_id] if row.physician_id else [])
    return LetterClearance(
        physician=names.get(row.physician_id) if row.physician_id else None,
        status=row.status,
        decided_on=row.decided_at.date() if row.decided_at else None,
        valid_until=row.valid_until,
        excluded=list(row.excluded_modalities),
    )


def _stops(
    reasons: list[StopReason],
    number: int,
    day: dt.date,
    kb: KnowledgeBase,
    **flags: bool,
) -> list[LetterStop]:
    stops = []
    techniques = kb.techniques
    for reason in reasons:
        when, action = reason.trigger, reason.message
        if techniques is not None:
            try:
                rule = techniques.stop_rule(reason.rule_id)
                when, action = rule.when, rule.action
            except KeyError:
                pass  # a rule of an older KB: its stored words
        stops.append(
            LetterStop(
                session_number=number,
                performed_on=day,
                rule=reason.rule_id,
                when=when,
                action=action,
                source=reason.source,
                plan_suspended=flags["suspended"],
                rescreen=flags["rescreen"],
            )
        )
    return stops


def _sessions(
    uow: UnitOfWork, actor: Actor, patient_id: int, kb: KnowledgeBase
) -> tuple[list[LetterSession], list[LetterStop]]:
    rows = SessionNotes(uow.session).of_patient(actor.clinic_id, patient_id)
    latest = {(r.plan_id, r.session_number): r for r in rows}
    log_reads(uow, actor, "session_note", [(patient_id, r.id) for r in latest.values()])
    notes = sorted(
        (note_record(r, None) for r in latest.values()),
        key=lambda n: (n.record.performed_on, n.session_number),
    )
    sessions, stops = [], []
    for note in notes:
        record, stop = note.record, note.stop
        sessions.append(
            LetterSession(
                number=note.session_number,
                performed_on=record.performed_on,
                modality=record.modality,
                pain_before=record.pain_nrs_before,
                pain_after=record.pain_nrs_after,
                stopped=stop.stop,
            )
        )
        if stop.stop or stop.suspend_plan or stop.rescreen_required:
            stops += _stops(
                stop.reasons,
                note.session_number,
                record.performed_on,
                kb,
                suspended=stop.suspend_plan,
                rescreen=stop.rescreen_required,
            )
    return sessions, stops


def _outcomes(uow: UnitOfWork, actor: Actor, patient_id: int) -> list[LetterOutcome]:
    rows = QuestionnaireResponses(uow.session).of_patient(actor.clinic_id, patient_id)
    log_reads(uow, actor, "questionnaire_response", [(patient_id, r.id) for r in rows])
    records = [response_record(r) for r in rows]
    outcomes = []
    for instrument in Instrument:
        mine = sorted(
            (r for r in records if r.instrument is instrument),
            key=lambda r: (r.answered_on, r.id),
        )
        if not mine:
            continue
        scores = [r.score for r in mine]
        latest = None
        if instrument is not Instrument.STARTBACK:
            try:
                changes = trajectory(scores)
                latest = changes[-1] if changes else None
            except UnclassifiableChangeError:
                latest = None  # a baseline that cannot be scored: no change is shown
        outcomes.append(
            LetterOutcome(instrument=instrument, scores=scores, latest=latest)
        )
    return outcomes


def _gather(
    uow: UnitOfWork,
    actor: Actor,
    patient_id: int,
    kind: LetterKind,
    kb: KnowledgeBase,
    language: str,
) -> tuple[LetterData, int]:
    patient = patient_of(uow, actor, patient_id)
    current = uow.assessments.current(actor.clinic_id, patient_id)
    decision_row = (
        uow.decisions.latest_for(actor.clinic_id, [current.id]).get(current.id)
        if current is not None
        else None
    )
    if current is None or decision_row is None:
        raise NotFoundError(N_("screening decision of patient"), patient_id)
    local = kb.in_language(language)
    decision = translate_decision(
        Decision.model_validate(decision_row.output), kb, language
    )
    clearances = [
        r
        for r in uow.clearances.of_patient(actor.clinic_id, patient_id)
        if r.assessment_id == current.id
    ]
    plans = CoursePlans(uow.session).of_patient(actor.clinic_id, patient_id)
    plan = plans[0] if plans else None
    sessions, stops = _sessions(uow, actor, patient_id, local)
    clinic = uow.clinics.get(actor.clinic_id)
    names = uow.users.names([actor.user_id])
    context = ReportContext(
        clinic_name=clinic.name if clinic else "-",
        patient_name=patient.name,
        patient_id=patient.record_number,
        patient_birth_date=patient.birth_date,
        therapist=names.get(actor.user_id),
        printed_on=dt.date.today(),
    )
    sessions_planned = 0
    if plan is not None:
        courses = plan.plan.get("courses", [])
        sessions_planned = sum(len(c.get("sessions", [])) for c in courses)
    data = LetterData(
        kind=kind,
        context=context,
        assessed_on=current.assessed_on,
        decision=decision,
        clearance=_clearance(uow, actor, clearances),
        planned_sessions=sessions_planned,
        plan_start=plan.start_date if plan else None,
        plan_status=plan.status if plan else None,
        sessions=sessions,
        stops=stops,
        outcomes=_outcomes(uow, actor, patient_id),
        pain_points=[(s.performed_on, Decimal(s.pain_before)) for s in sessions],
        kb_version=kb.version,
    )
    return data, patient.id


def physician_letter(
    store: Store,
    actor: Actor,
    patient_id: int,
    kind: LetterKind | str,
    kb: KnowledgeBase,
    *,
    language: str = "en",
    printed_on: dt.date | None = None,
) -> bytes:
    """The progress report or discharge letter of a patient as PDF bytes, in
    ``language`` (the clinician's); audited as an export of the patient's record."""
    kind = LetterKind(kind)
    with unit(store, actor) as uow:
        require(actor, CLINICIANS, N_("write letters to the physician"))
        data, patient = _gather(uow, actor, patient_id, kind, kb, language)
        if printed_on is not None:
            data = data.model_copy(
                update={
                    "context": data.context.model_copy(
                        update={"printed_on": printed_on}
                    )
                }
            )
        log(
            uow,
            actor,
            Action.EXPORT,
            "patient",
            patient,
            patient_id=patient,
            detail={"document": f"{kind.value}_letter", "lang": language},
        )
    return render_letter_pdf(data, language)
