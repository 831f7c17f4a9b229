"""From rule states to a decision: modality statuses, clearance, verdict precedence.

Implements clinical-knowledge.md section 4 (the contract's precedence table). The
physician can only restrict: nothing here lets a clearance undo a fired rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from spinewise.kb import KnowledgeBase
from spinewise.models import (
    Assessment,
    ClearanceStatus,
    Decision,
    Finding,
    Modality,
    ModalityDecision,
    ModalityStatus,
    RuleState,
    Severity,
    Verdict,
)
from spinewise.screening.rules import RuleResult
from spinewise.screening.summary import summarise

ENGINE_VERSION = "1.0.0"
_USABLE = (ModalityStatus.ALLOWED, ModalityStatus.WITH_PRECAUTIONS)


@dataclass(frozen=True)
class _Screen:
    """Intermediate facts the verdict is read from."""

    statuses: dict[Modality, ModalityStatus]
    excluded: frozenset[Modality]
    red_flag_fired: bool
    red_flags_incomplete: bool


def _status(
    results: list[RuleResult], modality: Modality, rf_incomplete: bool
) -> ModalityStatus:
    mine = [r for r in results if modality in r.rule.targets]
    blocking = [r for r in mine if r.rule.severity.blocks]
    if any(r.state is RuleState.FIRED for r in blocking):
        return ModalityStatus.CONTRAINDICATED
    if rf_incomplete or any(r.state is RuleState.UNDETERMINED for r in blocking):
        return ModalityStatus.UNDETERMINED
    precautions = [r for r in mine if r.rule.severity is Severity.PRECAUTION]
    if any(r.state is not RuleState.NOT_FIRED for r in precautions):
        return ModalityStatus.WITH_PRECAUTIONS
    return ModalityStatus.ALLOWED


def _rescreen_of(results: list[RuleResult], modality: Modality) -> int | None:
    """Days until ``modality`` may be free, or None when a blocking rule is lasting."""
    blocking = [
        r
        for r in results
        if r.state is RuleState.FIRED
        and r.rule.severity.blocks
        and modality in r.rule.targets
    ]
    values = [r.rescreen_after for r in blocking]
    if not values or any(v is None for v in values):
        return None
    return max(v for v in values if v is not None)


def _missing(results: list[RuleResult], facts: dict[str, object]) -> list[str]:
    paths = {p for p in facts if p.startswith("red_flags.") and facts[p] is None}
    for r in results:
        if r.state is RuleState.UNDETERMINED and r.rule.severity is not Severity.INFO:
            paths |= r.nulls
    return sorted(
        p for p in paths if not p.startswith("history.") or not p.endswith("_date")
    )


def _findings(kb: KnowledgeBase, results: list[RuleResult]) -> list[Finding]:
    shown = [
        r
        for r in results
        if r.state is RuleState.FIRED
        or (
            r.state is RuleState.UNDETERMINED and r.rule.severity is Severity.PRECAUTION
        )
    ]
    return [
        Finding(
            rule=r.rule.id,
            severity=r.rule.severity,
            modalities=list(r.rule.targets),
            message=r.rule.message,
            source=r.rule.source,
            citation=kb.sources[r.rule.source].citation,
            state=r.state,
            temporary=r.rule.temporary,
            rescreen_after_days=r.rescreen_after,
        )
        for r in shown
    ]


def _verdict(
    assessment: Assessment,
    screen: _Screen,
    results: list[RuleResult],
) -> tuple[Verdict, int | None]:
    clearance = assessment.clearance
    statuses = screen.statuses
    if screen.red_flag_fired:
        return Verdict.URGENT_REFERRAL, None
    if screen.red_flags_incomplete:
        return Verdict.INCOMPLETE, None
    would_allow = {m for m, s in statuses.items() if s in _USABLE}
    if clearance is not None and (
        clearance.status is ClearanceStatus.DECLINED
        or (would_allow and would_allow <= screen.excluded)
    ):
        return Verdict.DECLINED_BY_PHYSICIAN, None
    final = {
        m: (ModalityStatus.CONTRAINDICATED if m in screen.excluded else s)
        for m, s in statuses.items()
    }
    if all(s is ModalityStatus.CONTRAINDICATED for s in final.values()):
        waits = [_rescreen_of(results, m) for m in Modality if m not in screen.excluded]
        temporary = [w for w in waits if w is not None]
        if temporary:
            return Verdict.NOT_NOW, max(1, min(temporary))
        return Verdict.NOT_SUITABLE, None
    if any(s is ModalityStatus.UNDETERMINED for s in final.values()):
        return Verdict.INCOMPLETE, None
    if clearance is None or not clearance.is_valid_on(assessment.assessed_on):
        return Verdict.AWAITING_CLEARANCE, None
    return Verdict.PROCEED, None


def decide(
    assessment: Assessment,
    kb: KnowledgeBase,
    results: list[RuleResult],
    facts: dict[str, object],
) -> Decision:
    """Read the decision from the rule states (pure; the same for every evaluator)."""
    rf = [r for r in results if r.rule.severity is Severity.RED_FLAG]
    rf_incomplete = any(r.state is RuleState.UNDETERMINED for r in rf) or any(
        facts[p] is None for p in facts if p.startswith("red_flags.")
    )
    clearance = assessment.clearance
    excluded = frozenset(
        clearance.excluded_modalities
        if clearance is not None and clearance.status is not ClearanceStatus.PENDING
        else ()
    )
    screen = _Screen(
        statuses={m: _status(results, m, rf_incomplete) for m in Modality},
        excluded=excluded,
        red_flag_fired=any(r.state is RuleState.FIRED for r in rf),
        red_flags_incomplete=rf_incomplete,
    )
    verdict, rescreen = _verdict(assessment, screen, results)
    blocked_all = verdict in (Verdict.URGENT_REFERRAL, Verdict.DECLINED_BY_PHYSICIAN)
    modalities = {}
    for m in Modality:
        status = screen.statuses[m]
        if blocked_all or m in excluded:
            status = ModalityStatus.CONTRAINDICATED
        mine = [
            r
            for r in results
            if m in r.rule.targets and r.rule.severity is not Severity.INFO
        ]
        modalities[m] = ModalityDecision(
            status=status,
            rules=[r.rule.id for r in mine if r.state is RuleState.FIRED],
            undetermined_rules=[
                r.rule.id for r in mine if r.state is RuleState.UNDETERMINED
            ],
            excluded_by_physician=m in excluded,
        )
    findings = _findings(kb, results)
    missing = _missing(results, facts)
    approval_valid = clearance is not None and clearance.is_valid_on(
        assessment.assessed_on
    )
    return Decision(
        verdict=verdict,
        summary=summarise(verdict, findings, modalities, missing, rescreen),
        rescreen_after_days=rescreen,
        modalities=modalities,
        findings=findings,
        missing=missing,
        kb_version=kb.version,
        engine_version=ENGINE_VERSION,
        assessed_on=assessment.assessed_on.isoformat(),
        approval_valid=approval_valid,
    )
