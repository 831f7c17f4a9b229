"""The course planner (docs/clinical-basis.md#techniques): pure, figures from the KB.

``plan_course`` refuses (``PlanRefusedError``) unless the decision is ``proceed``
with a valid physician approval that still holds on the start date; it plans only
the modalities allowed or allowed with precautions after the physician's
exclusions, and applies every fired or undetermined precaution, citing its rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from spinewise.errors import N_, PlanRefusedError
from spinewise.i18n import DEFAULT_LANGUAGE, Translator
from spinewise.kb import KnowledgeBase, ModalitySpec, Techniques
from spinewise.models import (
    Assessment,
    Decision,
    Finding,
    Modality,
    RuleState,
    Severity,
    Side,
    Verdict,
)
from spinewise.models.plan import (
    ClearanceSummary,
    CoursePlan,
    ModalityCourse,
    PlanChange,
    Session,
    SessionCheck,
)
from spinewise.planning.advice import home_care_advice
from spinewise.planning.check_wording import locate_check, renewal_check
from spinewise.planning.effects import profile_for
from spinewise.planning.figures import course_figures, plan_sources
from spinewise.planning.progression import measures_for, session_dates, session_levels
from spinewise.planning.sessions import CourseFrame, session_steps
from spinewise.planning.zones import ZonePlan, plan_zones

PLANNER_VERSION = "1.0.0"


def applied_precautions(decision: Decision) -> dict[str, Finding]:
    """Precautions the plan must apply: fired, or undetermined (applied as if true)."""
    applied = (RuleState.FIRED, RuleState.UNDETERMINED)
    return {
        f.rule: f
        for f in decision.findings
        if f.severity is Severity.PRECAUTION and f.state in applied
    }


def _refuse_without_clearance(
    assessment: Assessment, decision: Decision, kb: KnowledgeBase, start: dt.date
) -> None:
    if decision.verdict is not Verdict.PROCEED:
        raise PlanRefusedError(
            N_(
                "the decision's verdict is {value}; a course plan needs the verdict proceed",
                value=decision.verdict.value,
            )
        )
    clearance = assessment.clearance
    if not decision.approval_valid or clearance is None:
        raise PlanRefusedError(N_("no valid physician approval on the assessment date"))
    if decision.assessed_on != assessment.assessed_on.isoformat():
        raise PlanRefusedError(
            N_(
                "the decision was made on {assessed_on}, not for this assessment of {assessed_on2}; screen it again",
                assessed_on=decision.assessed_on,
                assessed_on2=assessment.assessed_on,
            )
        )
    if decision.kb_version != kb.version:
        raise PlanRefusedError(
            N_(
                "the decision was made with knowledge base {kb_version}, not {version}; screen again before planning",
                kb_version=decision.kb_version,
                version=kb.version,
            )
        )
    if start < assessment.assessed_on:
        raise PlanRefusedError(
            N_(
                "the start date {start} is before the assessment ({assessed_on})",
                start=start,
                assessed_on=assessment.assessed_on,
            )
        )
    if not clearance.is_valid_on(assessment.assessed_on) or not clearance.is_valid_on(
        start
    ):
        until = clearance.valid_until or "open-ended"
        raise PlanRefusedError(
            N_(
                "the physician's approval (valid until {until}) does not hold on the start date {start}",
                until=until,
                start=start,
            )
        )


def _chosen(
    assessment: Assessment, decision: Decision, wanted: Sequence[Modality] | None
) -> list[Modality]:
    usable = decision.usable_modalities()
    clearance = assessment.clearance
    excluded = set(clearance.excluded_modalities if clearance else ())
    chosen = [m for m in Modality if m in (wanted or usable)]
    for modality in chosen:
        decided = decision.modalities.get(modality)
        if modality in excluded:
            raise PlanRefusedError(
                N_("{value} is excluded by the physician", value=modality.value)
            )
        if modality not in usable or decided is None:
            status = decided.status.value if decided else "not screened"
            raise PlanRefusedError(
                N_(
                    "{value} is {status}; only modalities allowed or allowed with precautions can be planned",
                    value=modality.value,
                    status=status,
                )
            )
    if not chosen:
        raise PlanRefusedError(N_("no modality is allowed after the exclusions"))
    return chosen


def _checks(
    frame: CourseFrame, sessions: list[Session], until: dt.date | None, tr: Translator
) -> list[SessionCheck]:
    checks = [SessionCheck(text=c.text, source=c.source) for c in frame.spec.checks]
    checks += frame.profile.checks
    for zone in frame.zones:
        if not zone.located:
            checks.append(
                SessionCheck(
                    text=locate_check(zone.label, tr),
                    rule=zone.rules[0] if zone.rules else None,
                    source=zone.source,
                )
            )
    if any(s.beyond_clearance for s in sessions):
        checks.append(
            SessionCheck(
                text=renewal_check(until, tr),
                source="ARTICLE",
            )
        )
    return checks


def _capped(
    spec: ModalitySpec, techniques: Techniques, decision: Decision
) -> ModalitySpec:
    """The modality's spec with the course shortened by every cap whose rule fired
    (non-specific pain: acute at most 6, STarT Back low at most 4; SPINEWISE-OP)."""
    fired = set(decision.fired_rules())
    caps = [
        c
        for c in techniques.plan_of(decision.profile).session_caps
        if c.rule in fired and c.sessions < spec.sessions.value
    ]
    if not caps:
        return spec
    cap = min(caps, key=lambda c: c.sessions)
    sessions = spec.sessions.model_copy(
        update={
            "value": cap.sessions,
            "source": cap.source,
            "unconfirmed": cap.unconfirmed,
        }
    )
    return spec.model_copy(update={"sessions": sessions})


def _profile_checks(techniques: Techniques, decision: Decision) -> list[SessionCheck]:
    """The profile's checks of every session and its course review, sourced."""
    own = techniques.plan_of(decision.profile)
    specs = [*own.every_session, *([own.course_review] if own.course_review else [])]
    return [SessionCheck(text=c.text, source=c.source) for c in specs]


def _sessions(
    frame: CourseFrame, start: dt.date, until: dt.date | None, tools: list[str]
) -> list[Session]:
    spec, techniques = frame.spec, frame.techniques
    count = spec.sessions.value
    levels = session_levels(
        count,
        techniques.progression.first_sessions_at_level_1,
        frame.profile.cap,
        frame.profile.pace,
    )
    dates = session_dates(start, count, spec.gaps_days.value)
    plan = techniques.reassessment
    sessions = [
        Session(
            number=number,
            date=day,
            level=level,
            steps=session_steps(frame, level),
            measures=measures_for(
                number, count, plan.every_session, list(plan.instruments_at), tools
            ),
            beyond_clearance=until is not None and day > until,
        )
        for number, (day, level) in enumerate(zip(dates, levels, strict=True), 1)
    ]
    if any(not session.steps for session in sessions):
        raise PlanRefusedError(
            N_(
                "{value}: the zones to avoid leave nothing to treat",
                value=frame.modality.value,
            )
        )
    return sessions


def _course(
    modality: Modality,
    assessment: Assessment,
    decision: Decision,
    techniques: Techniques,
    zones: ZonePlan,
    start: dt.date,
    tr: Translator,
) -> ModalityCourse:
    applied = applied_precautions(decision)
    spec = _capped(techniques.modalities[modality], techniques, decision)
    profile = profile_for(modality, spec, techniques, applied)
    region = assessment.region
    frame = CourseFrame(
        modality=modality,
        spec=spec,
        techniques=techniques,
        region=region,
        profile=profile,
        zones=[z for z in zones.zones if modality in z.modalities],
    )
    until = assessment.clearance.valid_until if assessment.clearance else None
    tools = techniques.reassessment.instruments.get(region, [])
    sessions = _sessions(frame, start, until, tools)
    order = list(applied)
    changes: list[PlanChange] = profile.changes + [
        change for targets, change in zones.changes if modality in targets
    ]
    changes.sort(key=lambda change: order.index(change.rule))
    checks = _checks(frame, sessions, until, tr)
    checks += _profile_checks(techniques, decision)
    return ModalityCourse(
        modality=modality,
        name=spec.name,
        status=decision.modalities[modality].status,
        frequency=spec.frequency,
        position=profile.position,
        max_level=profile.cap,
        sessions=sessions,
        checks=checks,
        changes=changes,
        zones_to_avoid=frame.zones,
        figures=course_figures(frame, zones.margin, tr),
    )


def plan_course(
    assessment: Assessment,
    decision: Decision,
    kb: KnowledgeBase,
    start_date: dt.date,
    modalities: Sequence[Modality] | None = None,
    *,
    language: str = DEFAULT_LANGUAGE,
) -> CoursePlan:
    """A course plan per usable modality (or per one of ``modalities``), pure; the
    words it composes itself (figures, checks) in ``language``, to go with a
    knowledge base in that language (``kb.in_language``).

    Raises ``PlanRefusedError`` with the reason when no plan may be issued.
    """
    techniques, tr = kb.techniques, Translator(language)
    if techniques is None:
        raise PlanRefusedError(
            N_(
                "knowledge base {version} has no technique tables (techniques.yaml)",
                version=kb.version,
            )
        )
    _refuse_without_clearance(assessment, decision, kb, start_date)
    techniques = techniques.for_profile(decision.profile)
    chosen = _chosen(assessment, decision, modalities)
    hernia = assessment.hernia
    levels = hernia.levels if hernia is not None else []
    zones = plan_zones(
        kb,
        techniques,
        assessment.region,
        levels,
        applied_precautions(decision),
        decision.profile,
        tr,
    )
    clearance = assessment.clearance
    plan = CoursePlan(
        assessed_on=assessment.assessed_on,
        start_date=start_date,
        profile=decision.profile,
        region=assessment.region,
        hernia_levels=levels,
        hernia_side=(hernia.side if hernia else None) or Side.UNKNOWN,
        verdict=decision.verdict,
        kb_version=kb.version,
        engine_version=decision.engine_version,
        planner_version=PLANNER_VERSION,
        clearance=ClearanceSummary(
            physician=clearance.physician if clearance else None,
            date=clearance.date if clearance else None,
            valid_until=clearance.valid_until if clearance else None,
            excluded_modalities=clearance.excluded_modalities if clearance else [],
        ),
        courses=[
            _course(m, assessment, decision, techniques, zones, start_date, tr)
            for m in chosen
        ],
        advice=home_care_advice(assessment.region, decision, kb),
        stop_rules=[
            rule
            for rule in techniques.stop_rules
            if rule.applies_to(decision.profile, assessment.region)
        ],
        level_names={level.level: level.name for level in techniques.levels},
    )
    return plan.model_copy(update={"sources": plan_sources(plan, kb)})
