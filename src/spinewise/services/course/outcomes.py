"""A patient's outcomes: each instrument's scores over time, the change from the
baseline (the first questionnaire) and whether it is clinically important, and the
chart with the MIC band (docs/clinical-basis.md#mic); the pain rated before and after
each signed session, charted beside them; advisories (a STarT Back high risk group:
refer for psychologically informed care; for disc herniation it does not change the
screening decision).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from spinewise.errors import N_
from spinewise.i18n import DEFAULT_LANGUAGE, Translator, format_date
from spinewise.models.outcome import Instrument, StartBackRisk
from spinewise.outcomes import INSTRUMENTS, UnclassifiableChangeError, trajectory
from spinewise.reports import render_outcome_chart
from spinewise.services.access.actors import CLINICIANS, Actor, require
from spinewise.services.audit import log_reads
from spinewise.services.course.course_records import (
    OutcomeSeries,
    OutcomesReport,
    ResponseRecord,
    SessionPain,
    response_record,
)
from spinewise.services.unit import patient_of, unit
from spinewise.store import QuestionnaireResponses, SessionNotes, Store, UnitOfWork


def _startback_advisory(day: dt.date, tr: Translator) -> str:
    """The advisory of a STarT Back high risk group (a clinician reads it)."""
    return tr.gettext(
        "STarT Back high risk group on %(day)s: refer for psychologically informed "
        "care (physician to arrange). Advisory only: for a disc herniation it does "
        "not change the screening decision."
    ) % {"day": format_date(day, tr.language, "medium")}


def _risk_note(name: str, tr: Translator) -> str:
    return tr.gettext("%(name)s: a risk group at each time point, no change score") % {
        "name": tr.gettext(name)
    }


def _unscorable_note(day: dt.date, reason: str, tr: Translator) -> str:
    return tr.gettext("baseline of %(day)s not scorable: %(reason)s") % {
        "day": format_date(day, tr.language, "medium"),
        "reason": reason,
    }


def outcome_series(
    instrument: Instrument,
    responses: Sequence[ResponseRecord],
    language: str = DEFAULT_LANGUAGE,
) -> OutcomeSeries:
    """Scores, changes and chart of one instrument's responses (any order given);
    the notes, advisory and chart in ``language`` (the clinician's)."""
    tr = Translator(language)
    definition = INSTRUMENTS[instrument]
    ordered = sorted(responses, key=lambda r: (r.answered_on, r.id))
    base = OutcomeSeries(
        instrument=instrument,
        name=definition.name,
        responses=ordered,
        changes=[],
        latest=None,
        chart_svg=None,
    )
    if definition.mic_absolute is None:
        note = _risk_note(definition.name, tr)
        last = ordered[-1] if ordered else None
        advisory = (
            _startback_advisory(last.answered_on, tr)
            if last is not None and last.score.risk is StartBackRisk.HIGH
            else None
        )
        return base.model_copy(update={"note": note, "advisory": advisory})
    try:
        changes = trajectory([r.score for r in ordered])
    except UnclassifiableChangeError as error:
        note = _unscorable_note(ordered[0].answered_on, error.message, tr)
        return base.model_copy(update={"note": note})
    points = [
        (r.answered_on, r.score.score) for r in ordered if r.score.score is not None
    ]
    chart = render_outcome_chart(
        instrument,
        points,
        definition.mic_absolute,
        title=tr.gettext(definition.name),
        language=language,
    )
    return base.model_copy(
        update={
            "changes": changes,
            "latest": changes[-1] if changes else None,
            "chart_svg": chart,
        }
    )


def session_pain(uow: UnitOfWork, actor: Actor, patient_id: int) -> list[SessionPain]:
    """The pain ratings of the patient's signed sessions (latest version of each),
    by date; the notes read are audited."""
    notes = SessionNotes(uow.session).of_patient(actor.clinic_id, patient_id)
    latest = {(n.plan_id, n.session_number): n for n in notes}
    log_reads(uow, actor, "session_note", [(patient_id, n.id) for n in latest.values()])
    return sorted(
        (
            SessionPain(
                session_number=n.session_number,
                performed_on=n.performed_on,
                before=n.pain_before,
                after=n.pain_after,
            )
            for n in latest.values()
        ),
        key=lambda p: (p.performed_on, p.session_number),
    )


def pain_chart(
    pains: Sequence[SessionPain], language: str = DEFAULT_LANGUAGE
) -> str | None:
    """Pain before each session over time, with the NRS's MIC band (None: none),
    its words in ``language``."""
    if not pains:
        return None
    mic = INSTRUMENTS[Instrument.NRS].mic_absolute or Decimal(2)
    points = [(p.performed_on, Decimal(p.before)) for p in pains]
    tr = Translator(language)
    return render_outcome_chart(
        Instrument.NRS,
        points,
        mic,
        title=tr.gettext("Pain before each session (0-10)"),
        language=language,
        subject=tr.gettext("Pain before each session"),
    )


def list_outcomes(
    store: Store, actor: Actor, patient_id: int, language: str = DEFAULT_LANGUAGE
) -> OutcomesReport:
    """Every instrument the patient answered, in the instruments' order, and the
    pain ratings of the signed sessions; notes, advisories and charts in
    ``language`` (the reader's; codes and numbers in the JSON stay as they are)."""
    with unit(store, actor, read=True) as uow:
        require(actor, CLINICIANS, N_("read outcomes"))
        patient_of(uow, actor, patient_id)
        rows = QuestionnaireResponses(uow.session).of_patient(
            actor.clinic_id, patient_id
        )
        log_reads(
            uow, actor, "questionnaire_response", [(patient_id, r.id) for r in rows]
        )
        records = [response_record(r) for r in rows]
        pains = session_pain(uow, actor, patient_id)
    series = [
        outcome_series(
            instrument,
            [r for r in records if r.instrument is instrument],
            language,
        )
        for instrument in Instrument
        if any(r.instrument is instrument for r in records)
    ]
    return OutcomesReport(
        patient_id=patient_id,
        series=series,
        session_pain=pains,
        session_pain_svg=pain_chart(pains, language),
        advisories=[s.advisory for s in series if s.advisory],
    )


START_BACK_DAYS = 90
"""A STarT Back questionnaire this recent fills a re-assessment's risk group."""


@dataclass(frozen=True)
class RecentStartBack:
    """The latest scorable STarT Back group of the last 90 days, and its date."""

    group: StartBackRisk
    answered_on: dt.date


def recent_start_back(
    store: Store, actor: Actor, patient_id: int, today: dt.date
) -> RecentStartBack | None:
    """The STarT Back group of the patient's latest scorable questionnaire answered
    within 90 days before ``today`` (none after it), for ``condition.start_back_group``."""
    oldest = today - dt.timedelta(days=START_BACK_DAYS)
    with unit(store, actor, read=True) as uow:
        require(actor, CLINICIANS, N_("read outcomes"))
        patient_of(uow, actor, patient_id)
        rows = QuestionnaireResponses(uow.session).of_patient(
            actor.clinic_id, patient_id
        )
        records = [response_record(r) for r in rows]
        usable = [
            r
            for r in records
            if r.instrument is Instrument.STARTBACK
            and oldest <= r.answered_on <= today
            and r.score.scorable
            and r.score.risk is not None
        ]
        latest = max(usable, key=lambda r: (r.answered_on, r.id), default=None)
        if latest is None:
            return None
        log_reads(uow, actor, "questionnaire_response", [(patient_id, latest.id)])
    assert latest.score.risk is not None
    return RecentStartBack(latest.score.risk, latest.answered_on)
