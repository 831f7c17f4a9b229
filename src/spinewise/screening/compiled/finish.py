"""The decision from a generated outcome (``outcome.py``): the last step of ``screen()``.

The outcome already holds the findings (shared, frozen), each modality's fired and
undetermined rule ids, its flags and the missing paths. What is left per patient is
the verdict, which depends only on the flags and on the clearance's status,
exclusions and validity on the assessment date: ``Tally`` (decision.py) works it out
once per such combination, and it is remembered, with the final statuses and, for
proceed and awaiting clearance, the summary (built from the statuses alone). Other
summaries are remembered by the rule ids and missing paths they are built from. Then
four frozen models are created without re-validation, as ``construct`` does.
"""

from __future__ import annotations

import threading
from typing import Any

from spinewise.models import (
    Assessment,
    ClearanceStatus,
    Decision,
    Finding,
    Modality,
    ModalityDecision,
    ModalityStatus,
    Verdict,
)
from spinewise.screening.compiled.decision import DecisionTable, Tally
from spinewise.screening.precedence import BLOCKS_EVERY_MODALITY
from spinewise.screening.summary import summarise
from spinewise.screening.verdict import ENGINE_VERSION

# a generated outcome: findings; fired then undetermined rule ids per modality; the
# flags per modality (precaution, lasting, blocking open, longest wait); red flag
# fired, red flag open, red-flag question unanswered; the missing set; the fired
# red-flag and blocking rule ids
Outcome = tuple[Any, ...]
# verdict, wait, final statuses, excluded by position, summary (or None)
Tail = tuple[
    Verdict, int | None, tuple[ModalityStatus, ...], tuple[bool, ...], str | None
]

_SET = object.__setattr__
_NEW = object.__new__
_MODALITIES = tuple(Modality)
_NOTHING: frozenset[Modality] = frozenset()
_CONTRA = ModalityStatus.CONTRAINDICATED
_BY_STATUSES = frozenset({Verdict.PROCEED, Verdict.AWAITING_CLEARANCE})
_DECISION_FIELDS = frozenset(Decision.model_fields)
_MODALITY_FIELDS = frozenset(ModalityDecision.model_fields)
_REMEMBERED = 4096


def _modality(
    status: ModalityStatus, rules: list[str], undetermined: list[str], excluded: bool
) -> ModalityDecision:
    model = _NEW(ModalityDecision)
    _SET(
        model,
        "__dict__",
        {
            "status": status,
            "rules": rules,
            "undetermined_rules": undetermined,
            "excluded_by_physician": excluded,
        },
    )
    _SET(model, "__pydantic_fields_set__", set(_MODALITY_FIELDS))
    _SET(model, "__pydantic_extra__", None)
    _SET(model, "__pydantic_private__", None)
    return model


class Finisher:
    """Turns one knowledge base's outcomes into decisions (what it remembers is
    bounded and shared by threads)."""

    def __init__(self, table: DecisionTable) -> None:
        self.kb_version = table.kb.version
        self._tails: dict[tuple[object, ...], Tail] = {}
        self._summaries: dict[tuple[object, ...], str] = {}
        self._lock = threading.Lock()

    def finish(self, assessment: Assessment, outcome: Outcome) -> Decision:
        """The same decision as ``decide`` on the assessment's rule results."""
        clearance = assessment.clearance
        excluded = _NOTHING
        status = approval_valid = None
        if clearance is not None:
            status = clearance.status
            if status is not ClearanceStatus.PENDING:
                excluded = frozenset(clearance.excluded_modalities)
            approval_valid = clearance.is_valid_on(assessment.assessed_on)
        flags = (outcome[7:22], excluded, status, approval_valid)
        tail = self._tails.get(flags)
        if tail is None:
            tail = _tail(outcome, excluded, clearance, approval_valid is True)
            self._remember(self._tails, flags, tail)
        verdict, wait, final, outside, summary = tail
        m0, m1, m2 = _MODALITIES
        modalities = {
            m0: _modality(final[0], outcome[1], outcome[4], outside[0]),
            m1: _modality(final[1], outcome[2], outcome[5], outside[1]),
            m2: _modality(final[2], outcome[3], outcome[6], outside[2]),
        }
        findings = outcome[0]
        missing = sorted(outcome[22]) if outcome[22] else []
        if summary is None:
            key = (
                verdict,
                tuple(outcome[23]),
                tuple(outcome[24]),
                tuple(missing),
                wait,
            )
            summary = self._summaries.get(key)
            if summary is None:
                summary = summarise(verdict, findings, modalities, missing, wait)
                self._remember(self._summaries, key, summary)
        model = _NEW(Decision)
        _SET(
            model,
            "__dict__",
            {
                "schema_": "spinewise.decision/1",
                "profile": assessment.profile,
                "verdict": verdict,
                "summary": summary,
                "rescreen_after_days": wait,
                "modalities": modalities,
                "findings": findings,
                "missing": missing,
                "kb_version": self.kb_version,
                "engine_version": ENGINE_VERSION,
                "assessed_on": assessment.assessed_on.isoformat(),
                "approval_valid": approval_valid is True,
            },
        )
        _SET(model, "__pydantic_fields_set__", set(_DECISION_FIELDS))
        _SET(model, "__pydantic_extra__", None)
        _SET(model, "__pydantic_private__", None)
        return model

    def _remember(
        self, memory: dict[tuple[object, ...], Any], key: tuple[object, ...], value: Any
    ) -> None:
        with self._lock:
            if len(memory) >= _REMEMBERED:
                memory.clear()
            memory[key] = value


def _tail(
    outcome: Outcome,
    excluded: frozenset[Modality],
    clearance: Any,
    approval_valid: bool,
) -> Tail:
    """The verdict, the wait, the final statuses, the exclusions by position, and
    the summary when it follows from the statuses alone (else None)."""
    tally = Tally.of(outcome)
    statuses = tally.statuses()
    verdict, wait = tally.verdict(statuses, excluded, clearance, approval_valid)
    blocked_all = verdict in BLOCKS_EVERY_MODALITY
    final = tuple(
        _CONTRA if blocked_all or m in excluded else statuses[i]
        for i, m in enumerate(_MODALITIES)
    )
    summary = None
    if verdict in _BY_STATUSES:
        by_status = {
            m: _modality(final[i], [], [], False) for i, m in enumerate(_MODALITIES)
        }
        no_findings: list[Finding] = []
        summary = summarise(verdict, no_findings, by_status, [], wait)
    return verdict, wait, final, tuple(m in excluded for m in _MODALITIES), summary
