"""Decision replay: re-screen every stored assessment with the knowledge base in force.

Each assessment version's newest decision is replayed from its stored input (the
assessment with the clearance it was screened with), so only the knowledge base and
the engine can make a difference. The report lists the decisions whose verdict or
modality statuses would change, with the rules whose state differs. Nothing is stored
but the audit events of the reads.
"""

from __future__ import annotations

from spinewise.errors import N_
from spinewise.kb import KnowledgeBase
from spinewise.models import Assessment, Decision, RuleState
from spinewise.screening import ENGINE_VERSION, screen
from spinewise.services.access.actors import GOVERNANCE, Actor, require
from spinewise.services.audit import log_reads
from spinewise.services.clinic.screening import Screener
from spinewise.services.records import (
    ReplayChange,
    ReplayReport,
    RuleChange,
)
from spinewise.services.unit import unit
from spinewise.store import AssessmentRow, DecisionRow, PatientRow, Store


def rule_states(decision: Decision) -> dict[str, RuleState]:
    """The state of every rule a decision shows (absent rules did not fire)."""
    states = {f.rule: f.state for f in decision.findings}
    for part in decision.modalities.values():
        for rule in part.rules:
            states.setdefault(rule, RuleState.FIRED)
        for rule in part.undetermined_rules:
            states.setdefault(rule, RuleState.UNDETERMINED)
    return states


def rule_changes(before: Decision, after: Decision) -> list[RuleChange]:
    """Rules whose state differs between two decisions, in rule-id order."""
    old, new = rule_states(before), rule_states(after)
    changed = []
    for rule in sorted(old.keys() | new.keys()):
        was = old.get(rule, RuleState.NOT_FIRED)
        now = new.get(rule, RuleState.NOT_FIRED)
        if was is not now:
            changed.append(RuleChange(rule=rule, before=was, after=now))
    return changed


def _compare(
    decision: DecisionRow,
    assessment: AssessmentRow,
    patient: PatientRow,
    current: bool,
    after: Decision,
) -> ReplayChange | None:
    before = Decision.model_validate(decision.output)
    modalities = {
        m: (part.status, after.modalities[m].status)
        for m, part in before.modalities.items()
        if m in after.modalities and part.status is not after.modalities[m].status
    }
    if before.verdict is after.verdict and not modalities:
        return None
    return ReplayChange(
        patient_id=patient.id,
        record_number=patient.record_number,
        assessment_id=assessment.id,
        number=assessment.number,
        version=assessment.version,
        current=current,
        decision_id=decision.id,
        kb_version_before=decision.kb_version,
        verdict_before=before.verdict,
        verdict_after=after.verdict,
        modalities=modalities,
        rules=rule_changes(before, after),
    )


def replay_decisions(
    store: Store,
    actor: Actor,
    kb: KnowledgeBase,
    *,
    screener: Screener = screen,
) -> ReplayReport:
    """What the knowledge base ``kb`` would decide differently, clinic-wide."""
    with unit(store, actor) as uow:
        require(actor, GOVERNANCE, N_("replay decisions"))
        changes: list[ReplayChange] = []
        current: dict[int, tuple[int, int]] = {}
        rows = list(uow.decisions.newest_per_assessment(actor.clinic_id))
        for _, assessment, _ in rows:
            key = (assessment.number, assessment.version)
            current[assessment.patient_id] = max(
                current.get(assessment.patient_id, key), key
            )
        for decision, assessment, patient in rows:
            after = screener(Assessment.model_validate(decision.input), kb)
            is_current = current[patient.id] == (assessment.number, assessment.version)
            change = _compare(decision, assessment, patient, is_current, after)
            if change is not None:
                changes.append(change)
        log_reads(
            uow,
            actor,
            "decision",
            [(d.patient_id, d.id) for d, _, _ in rows],
            detail={"replay": kb.version},
        )
        return ReplayReport(
            kb_version=kb.version,
            engine_version=ENGINE_VERSION,
            checked=len(rows),
            changes=changes,
        )
