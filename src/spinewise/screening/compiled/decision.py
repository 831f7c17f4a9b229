"""The decision of the compiled path, read from per-rule tables built once per KB.

``decide()`` (verdict.py) is the reference: it walks the results with general code
and builds every finding and modality with ``model_construct``. Here everything that
does not depend on the patient is worked out when the rules are compiled: each rule's
role (red flag, blocking, precaution, info), the modalities it targets as positions,
and its ``Finding`` for each state and re-screen value it can take (built the first
time it occurs, then shared: findings are frozen). Per patient only the rules that
did not fire-as-false are visited, the verdict table (``precedence.VERDICT_TABLE``)
is read from seven truth values, and the frozen models are created without
re-checking what this module already knows to be well-typed. The tests hold the
result equal to ``decide()`` on every example and on generated assessments.
"""

from __future__ import annotations

import threading
from typing import Any

from pydantic import BaseModel

from spinewise.kb import KnowledgeBase, Rule
from spinewise.models import (
    Assessment,
    ClearanceStatus,
    Decision,
    Finding,
    Modality,
    ModalityDecision,
    ModalityStatus,
    Profile,
    RuleState,
    Severity,
    Verdict,
    assessment_fields,
)
from spinewise.screening.precedence import BLOCKS_EVERY_MODALITY, VERDICT_TABLE
from spinewise.screening.rules import RuleResult
from spinewise.screening.summary import summarise
from spinewise.screening.verdict import ENGINE_VERSION

_MODALITIES = tuple(Modality)
_ABSENT = object()
_SET = object.__setattr__
_NEW = object.__new__
_NOT_FIRED, _FIRED, _UNDET = (
    RuleState.NOT_FIRED,
    RuleState.FIRED,
    RuleState.UNDETERMINED,
)
_CONTRA, _UNDETERMINED = ModalityStatus.CONTRAINDICATED, ModalityStatus.UNDETERMINED
_PRECAUTIONS, _ALLOWED = ModalityStatus.WITH_PRECAUTIONS, ModalityStatus.ALLOWED
_USABLE = (_ALLOWED, _PRECAUTIONS)
_BLOCKING = frozenset({Severity.RED_FLAG, Severity.DEFER, Severity.CONTRAINDICATION})
_DECISION_FIELDS = frozenset(Decision.model_fields)
_MODALITY_FIELDS = frozenset(ModalityDecision.model_fields)


def construct(
    cls: type[BaseModel], fields: frozenset[str], values: dict[str, Any]
) -> Any:
    """A frozen model from values of the right types, every field given: what
    ``model_construct`` does, without its per-field default and alias lookups."""
    model = _NEW(cls)
    _SET(model, "__dict__", values)
    _SET(model, "__pydantic_fields_set__", set(fields))
    _SET(model, "__pydantic_extra__", None)
    _SET(model, "__pydantic_private__", None)
    return model


def asked_path(path: str) -> bool:
    """A null path is asked for as missing (history dates never are)."""
    return not (path.startswith("history.") and path.endswith("_date"))


def _missing_paths(nulls: frozenset[str]) -> frozenset[str]:
    """Null paths that are asked for."""
    return frozenset(p for p in nulls if asked_path(p))


class DecisionTable:
    """One knowledge base's rules as the facts the decision needs about each."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        position = {m: i for i, m in enumerate(_MODALITIES)}
        # per rule (by object identity): is red flag, is blocking, is info,
        # is precaution, targets as positions
        self.roles = {
            id(rule): (
                rule.severity is Severity.RED_FLAG,
                rule.severity in _BLOCKING,
                rule.severity is Severity.INFO,
                rule.severity is Severity.PRECAUTION,
                tuple(position[m] for m in rule.targets),
            )
            for rule in kb.rules
        }
        self.red_flag_paths = tuple(
            p for p in assessment_fields() if p.startswith("red_flags.")
        )
        self._findings: dict[tuple[int, RuleState, int | None], Finding] = {}
        self._rules_in = {p: len(kb.rules_for(p)) for p in Profile}
        self._asked: dict[frozenset[str], frozenset[str]] = {}
        self._lock = threading.Lock()

    def finding(self, result: RuleResult) -> Finding:
        """The rule's finding for this state and re-screen value (built once)."""
        key = (id(result.rule), result.state, result.rescreen_after)
        found = self._findings.get(key)
        if found is None:
            rule = result.rule
            found = Finding.model_construct(
                rule=rule.id,
                severity=rule.severity,
                modalities=list(rule.targets),
                message=rule.message,
                source=rule.source,
                citation=self.kb.sources[rule.source].citation,
                state=result.state,
                temporary=rule.temporary,
                rescreen_after_days=result.rescreen_after,
            )
            with self._lock:
                self._findings[key] = found
        return found

    def fired_finding(self, rule: Rule, days: int | None) -> Finding:
        """The finding of ``rule`` fired with this re-screen value (built once)."""
        found = self._findings.get((id(rule), _FIRED, days))
        if found is None:
            found = self.finding(RuleResult(rule, _FIRED, frozenset(), days))
        return found

    def asked(self, nulls: frozenset[str]) -> frozenset[str]:
        """``nulls`` without the paths never asked for (cached per set)."""
        kept = self._asked.get(nulls)
        if kept is None:
            kept = _missing_paths(nulls)
            with self._lock:
                if len(self._asked) > 4096:
                    self._asked.clear()
                self._asked[nulls] = kept
        return kept

    def decide(
        self,
        assessment: Assessment,
        results: list[RuleResult],
        facts: dict[str, object],
    ) -> Decision:
        """The same decision as ``verdict.decide`` on the same rule results."""
        if len(results) != self._rules_in[assessment.profile]:
            raise ValueError("results of another rule set or profile")
        unanswered = [p for p in self.red_flag_paths if facts.get(p, _ABSENT) is None]
        missing = set(unanswered)
        tally = Tally(len(_MODALITIES))
        findings: list[Finding] = []
        roles = self.roles
        red_open = False
        for result in [r for r in results if r.state is not _NOT_FIRED]:
            red, blocking, info, precaution, targets = roles[id(result.rule)]
            if result.state is _FIRED:
                findings.append(self.finding(result))
                if not info:
                    tally.red_fired = tally.red_fired or red
                    tally.fired(
                        result.rule.id, blocking, targets, result.rescreen_after
                    )
            elif not info:
                if precaution:
                    findings.append(self.finding(result))
                red_open = red_open or red
                missing |= self.asked(result.nulls)
                tally.undetermined(result.rule.id, blocking, targets)
        tally.rf_incomplete = red_open or bool(unanswered)
        return self._decision(assessment, tally, findings, sorted(missing))

    def _decision(
        self,
        assessment: Assessment,
        tally: Tally,
        findings: list[Finding],
        missing: list[str],
    ) -> Decision:
        clearance = assessment.clearance
        excluded: frozenset[Modality] = frozenset(
            clearance.excluded_modalities
            if clearance is not None and clearance.status is not ClearanceStatus.PENDING
            else ()
        )
        approval_valid = clearance is not None and clearance.is_valid_on(
            assessment.assessed_on
        )
        statuses = tally.statuses()
        verdict, wait = tally.verdict(statuses, excluded, clearance, approval_valid)
        blocked_all = verdict in BLOCKS_EVERY_MODALITY
        modalities = {
            m: construct(
                ModalityDecision,
                _MODALITY_FIELDS,
                {
                    "status": _CONTRA if blocked_all or m in excluded else statuses[i],
                    "rules": tally.rules[i],
                    "undetermined_rules": tally.open_rules[i],
                    "excluded_by_physician": m in excluded,
                },
            )
            for i, m in enumerate(_MODALITIES)
        }
        return construct(  # type: ignore[no-any-return]
            Decision,
            _DECISION_FIELDS,
            {
                "schema_": "spinewise.decision/1",
                "profile": assessment.profile,
                "verdict": verdict,
                "summary": summarise(verdict, findings, modalities, missing, wait),
                "rescreen_after_days": wait,
                "modalities": modalities,
                "findings": findings,
                "missing": missing,
                "kb_version": self.kb.version,
                "engine_version": ENGINE_VERSION,
                "assessed_on": assessment.assessed_on.isoformat(),
                "approval_valid": approval_valid,
            },
        )


class Tally:
    """What the rules say about each modality (by position), gathered in one pass."""

    __slots__ = (
        "blocking_open",
        "lasting",
        "open_rules",
        "precaution",
        "red_fired",
        "rf_incomplete",
        "rules",
        "waits",
    )

    def __init__(self, count: int) -> None:
        self.rules: list[list[str]] = [[] for _ in range(count)]
        self.open_rules: list[list[str]] = [[] for _ in range(count)]
        self.waits: list[int | None] = [None] * count  # longest temporary wait
        self.lasting = [False] * count  # a blocking rule without a wait fired
        self.blocking_open = [False] * count
        self.precaution = [False] * count
        self.red_fired = False
        self.rf_incomplete = False

    @classmethod
    def of(cls, outcome: tuple[Any, ...]) -> Tally:
        """The tally a generated outcome holds (its order: see ``outcome.py``)."""
        tally = cls.__new__(cls)
        tally.rules = list(outcome[1:4])
        tally.open_rules = list(outcome[4:7])
        tally.precaution = list(outcome[7:10])
        tally.lasting = list(outcome[10:13])
        tally.blocking_open = list(outcome[13:16])
        tally.waits = list(outcome[16:19])
        tally.red_fired = outcome[19]
        tally.rf_incomplete = outcome[20] or outcome[21]
        return tally

    def fired(
        self, rule_id: str, blocking: bool, targets: tuple[int, ...], wait: int | None
    ) -> None:
        for i in targets:
            self.rules[i].append(rule_id)
            if not blocking:
                self.precaution[i] = True
            elif wait is None:
                self.lasting[i] = True
            else:
                current = self.waits[i]
                self.waits[i] = wait if current is None else max(current, wait)

    def undetermined(
        self, rule_id: str, blocking: bool, targets: tuple[int, ...]
    ) -> None:
        for i in targets:
            self.open_rules[i].append(rule_id)
            if blocking:
                self.blocking_open[i] = True
            else:
                self.precaution[i] = True

    def _declined(
        self,
        statuses: list[ModalityStatus],
        excluded: frozenset[Modality],
        status: ClearanceStatus,
    ) -> bool:
        usable = {m for i, m in enumerate(_MODALITIES) if statuses[i] in _USABLE}
        return status is ClearanceStatus.DECLINED or bool(usable and usable <= excluded)

    def _soonest(self, excluded: frozenset[Modality]) -> int | None:
        """The shortest wait over modalities not excluded (None: none is temporary)."""
        waits = [
            wait
            for i, m in enumerate(_MODALITIES)
            if (wait := self.waits[i]) is not None
            and not self.lasting[i]
            and m not in excluded
        ]
        return min(waits) if waits else None

    def statuses(self) -> list[ModalityStatus]:
        """Each modality's status before the physician's exclusions."""
        return [
            _CONTRA
            if self.lasting[i] or self.waits[i] is not None
            else _UNDETERMINED
            if self.rf_incomplete or self.blocking_open[i]
            else _PRECAUTIONS
            if self.precaution[i]
            else _ALLOWED
            for i in range(len(self.rules))
        ]

    def verdict(
        self,
        statuses: list[ModalityStatus],
        excluded: frozenset[Modality],
        clearance: Any,
        approval_valid: bool,
    ) -> tuple[Verdict, int | None]:
        """The first row of the verdict table that holds, and the re-screen wait.

        Each row's test is worked out only when the rows before it did not hold."""
        final = (
            [
                _CONTRA if m in excluded else statuses[i]
                for i, m in enumerate(_MODALITIES)
            ]
            if excluded
            else statuses
        )
        every = all(s is _CONTRA for s in final)
        for row in VERDICT_TABLE:
            test = row.test
            if test is None:
                holds = True
            elif test == "red_flag_fired":
                holds = self.red_fired
            elif test == "red_flags_open":
                holds = self.rf_incomplete
            elif test == "declined":
                holds = clearance is not None and self._declined(
                    statuses, excluded, clearance.status
                )
            elif test == "all_contraindicated_for_now":
                holds = every and self._soonest(excluded) is not None
            elif test == "all_contraindicated":
                holds = every
            elif test == "some_undetermined":
                holds = any(s is _UNDETERMINED for s in final)
            else:  # "no_valid_approval"
                holds = not approval_valid
            if holds:
                if row.verdict is Verdict.NOT_NOW:
                    return row.verdict, max(1, self._soonest(excluded) or 0)
                return row.verdict, None
        raise AssertionError("the verdict table ends with a row that always holds")
