"""From rule states to a decision: modality statuses, clearance, the verdict.

The verdict is the first row of the verdict table (``precedence.py``,
docs/clinical-basis.md#decision) that holds. The physician can only restrict:
nothing here lets a clearance undo a fired rule.
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
from spinewise.screening.precedence import BLOCKS_EVERY_MODALITY, first_that_holds
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
        """The modality's status before the physician's exclusions."""
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


@dataclass
class _Situation:
    """The verdict table's tests on one assessment (``precedence.Situation[bool]``)."""

    assessment: Assessment
    statuses: dict[Modality, ModalityStatus]
    excluded: frozenset[Modality]
    tallies: dict[Modality, _Tally]
    red_fired: bool
    rf_incomplete: bool

    def red_flag_fired(self) -> bool:
        return self.red_fired

    def red_flags_open(self) -> bool:
        return self.rf_incomplete

    def declined(self) -> bool:
        clearance = self.assessment.clearance
        would_allow = {m for m, s in self.statuses.items() if s in _USABLE}
        return clearance is not None and (
            clearance.status is ClearanceStatus.DECLINED
            or bool(would_allow and would_allow <= self.excluded)
        )

    def _final(self, status: ModalityStatus) -> list[bool]:
        """Per modality: is its status after the physician's exclusions ``status``?"""
        contraindicated = ModalityStatus.CONTRAINDICATED
        return [
            (contraindicated if m in self.excluded else s) is status
            for m, s in self.statuses.items()
        ]

    def all_contraindicated(self) -> bool:
        return all(self._final(ModalityStatus.CONTRAINDICATED))

    def soonest_wait(self) -> int | None:
        """The shortest wait over modalities not excluded; None when none is temporary."""
        waits = [self.tallies[m].rescreen() for m in Modality if m not in self.excluded]
        temporary = [w for w in waits if w is not None]
        return min(temporary) if temporary else None

    def all_contraindicated_for_now(self) -> bool:
        return self.all_contraindicated() and self.soonest_wait() is not None

    def some_undetermined(self) -> bool:
        return any(self._final(ModalityStatus.UNDETERMINED))

    def no_valid_approval(self) -> bool:
        clearance = self.assessment.clearance
        return clearance is None or not clearance.is_valid_on(
            self.assessment.assessed_on
        )


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
    situation = _Situation(
        assessment, statuses, excluded, tallies, red_fired, rf_incomplete
    )
    verdict = first_that_holds(situation)
    rescreen = None
    if verdict is Verdict.NOT_NOW:
        rescreen = max(1, situation.soonest_wait() or 0)
    blocked_all = verdict in BLOCKS_EVERY_MODALITY
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
        profile=assessment.profile,
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
