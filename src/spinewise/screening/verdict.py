"""From rule states to a decision: modality statuses, clearance, verdict precedence.

Implements clinical-knowledge.md section 4 (the contract's precedence table). The
physician can only restrict: nothing here lets a clearance undo a fired rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
_BLOCKING = frozenset({Severity.RED_FLAG, Severity.DEFER, Severity.CONTRAINDICATION})
FIRED, UNDETERMINED = RuleState.FIRED, RuleState.UNDETERMINED


@dataclass
class _Tally:
    """What the rules say about one modality, gathered in one pass."""

    blocking_fired: list[RuleResult] = field(default_factory=list)
    blocking_open: bool = False
    precaution: bool = False
    rules: list[str] = field(default_factory=list)
    open_rules: list[str] = field(default_factory=list)

    def status(self, red_flags_incomplete: bool) -> ModalityStatus:
        """Section 4.2, before the physician's exclusions."""
        if self.blocking_fired:
            return ModalityStatus.CONTRAINDICATED
        if red_flags_incomplete or self.blocking_open:
            return ModalityStatus.UNDETERMINED
        if self.precaution:
            return ModalityStatus.WITH_PRECAUTIONS
        return ModalityStatus.ALLOWED

    def rescreen(self) -> int | None:
        """Days until the modality may be free; None when a blocking rule is lasting."""
        values = [r.rescreen_after for r in self.blocking_fired]
        if not values or None in values:
            return None
        return max(v for v in values if v is not None)


def _tally(results: list[RuleResult]) -> tuple[dict[Modality, _Tally], bool, bool]:
    """Per-modality tallies, whether a red flag fired, whether one is undetermined."""
    tallies = {m: _Tally() for m in Modality}
    red_fired = red_open = False
    for r in results:
        severity, state = r.rule.severity, r.state
        if state is RuleState.NOT_FIRED or severity is Severity.INFO:
            continue
        if severity is Severity.RED_FLAG:
            red_fired = red_fired or state is FIRED
            red_open = red_open or state is UNDETERMINED
        blocking = severity in _BLOCKING
        for m in r.rule.targets:
            tally = tallies[m]
            if state is FIRED:
                tally.rules.append(r.rule.id)
                if blocking:
                    tally.blocking_fired.append(r)
                else:
                    tally.precaution = True
            else:
                tally.open_rules.append(r.rule.id)
                if blocking:
                    tally.blocking_open = True
                else:
                    tally.precaution = True
    return tallies, red_fired, red_open


def _missing(results: list[RuleResult], unanswered_red_flags: list[str]) -> list[str]:
    paths = set(unanswered_red_flags)
    for r in results:
        if r.state is UNDETERMINED and r.rule.severity is not Severity.INFO:
            paths |= r.nulls
    return sorted(
        p for p in paths if not (p.startswith("history.") and p.endswith("_date"))
    )


def _findings(kb: KnowledgeBase, results: list[RuleResult]) -> list[Finding]:
    return [
        Finding.model_construct(
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
        for r in results
        if r.state is FIRED
        or (r.state is UNDETERMINED and r.rule.severity is Severity.PRECAUTION)
    ]


def _verdict(
    assessment: Assessment,
    statuses: dict[Modality, ModalityStatus],
    excluded: frozenset[Modality],
    tallies: dict[Modality, _Tally],
) -> tuple[Verdict, int | None]:
    """Rows 3-8 of the precedence table (rows 1-2 are read before)."""
    clearance = assessment.clearance
    would_allow = {m for m, s in statuses.items() if s in _USABLE}
    if clearance is not None and (
        clearance.status is ClearanceStatus.DECLINED
        or (would_allow and would_allow <= excluded)
    ):
        return Verdict.DECLINED_BY_PHYSICIAN, None
    final = {
        m: ModalityStatus.CONTRAINDICATED if m in excluded else s
        for m, s in statuses.items()
    }
    if all(s is ModalityStatus.CONTRAINDICATED for s in final.values()):
        waits = [tallies[m].rescreen() for m in Modality if m not in excluded]
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
    tallies, red_fired, red_open = _tally(results)
    unanswered = [p for p in facts if p.startswith("red_flags.") and facts[p] is None]
    rf_incomplete = red_open or bool(unanswered)
    clearance = assessment.clearance
    excluded = frozenset(
        clearance.excluded_modalities
        if clearance is not None and clearance.status is not ClearanceStatus.PENDING
        else ()
    )
    statuses = {m: t.status(rf_incomplete) for m, t in tallies.items()}
    if red_fired:
        verdict, rescreen = Verdict.URGENT_REFERRAL, None
    elif rf_incomplete:
        verdict, rescreen = Verdict.INCOMPLETE, None
    else:
        verdict, rescreen = _verdict(assessment, statuses, excluded, tallies)
    blocked_all = verdict in (Verdict.URGENT_REFERRAL, Verdict.DECLINED_BY_PHYSICIAN)
    modalities = {
        m: ModalityDecision.model_construct(
            status=ModalityStatus.CONTRAINDICATED
            if blocked_all or m in excluded
            else statuses[m],
            rules=tallies[m].rules,
            undetermined_rules=tallies[m].open_rules,
            excluded_by_physician=m in excluded,
        )
        for m in Modality
    }
    findings = _findings(kb, results)
    missing = _missing(results, unanswered)
    return Decision.model_construct(
        schema_="spinewise.decision/1",
        verdict=verdict,
        summary=summarise(verdict, findings, modalities, missing, rescreen),
        rescreen_after_days=rescreen,
        modalities=modalities,
        findings=findings,
        missing=missing,
        kb_version=kb.version,
        engine_version=ENGINE_VERSION,
        assessed_on=assessment.assessed_on.isoformat(),
        approval_valid=clearance is not None
        and clearance.is_valid_on(assessment.assessed_on),
    )
