"""Whether a physician's approval still holds for a newer assessment (pure).

An approval given on one assessment stays in force for the next one only when all of
these hold (docs/therapists/clinic-day.md#re-assessment):

- it has an explicit ``valid_until`` on or after the new assessment's date (an
  approval without one ends at the next assessment, as the screening contract says);
- no answer read by a red-flag, defer (acute phase and other temporary reasons) or
  contraindication rule got worse or became unknown. Read safely: a change counts as
  better only when it moves none of those rules towards firing (not fired ->
  undetermined -> fired, the new value put into the old assessment) and it is a
  "yes" becoming "no" or a number going down; any other change of such an answer
  (a number going up even below a threshold, another choice, another date) asks
  the physician again;
- no rule that asks for the physician's word (every rule but the informational ones)
  fires newly.

Otherwise the clearance is asked for again, with every reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from spinewise.kb import KnowledgeBase, Rule
from spinewise.models import Assessment, RuleState, Severity
from spinewise.screening.operators import interpret
from spinewise.screening.rules import facts_of, result_of

_RANK = {RuleState.NOT_FIRED: 0, RuleState.UNDETERMINED: 1, RuleState.FIRED: 2}
_GUARDS = (Severity.RED_FLAG, Severity.DEFER, Severity.CONTRAINDICATION)


@dataclass(frozen=True)
class AnswerChange:
    """One answer that differs between two assessments."""

    path: str
    before: object
    after: object

    @property
    def became_unknown(self) -> bool:
        return self.after is None and self.before is not None


@dataclass(frozen=True)
class CarryOver:
    """The verdict on carrying an approval over, with the reasons when it does not."""

    carries: bool
    reasons: list[str]
    answers: list[AnswerChange]
    rules: list[str]


def changed_answers(before: Assessment, after: Assessment) -> list[AnswerChange]:
    """Every answer (by contract path) whose value differs, in contract order."""
    old, new = facts_of(before), facts_of(after)
    return [
        AnswerChange(path, old[path], new[path])
        for path in old
        if path != "assessed_on" and old[path] != new[path]
    ]


def _state(rule: Rule, facts: dict[str, object]) -> RuleState:
    truth, nulls = interpret(rule.when, facts)
    return result_of(rule, truth, nulls, None).state


def _better_value(before: object, after: object) -> bool:
    if isinstance(before, bool) or isinstance(after, bool):
        return before is True and after is False
    if isinstance(before, int) and isinstance(after, int):
        return after < before
    return False


def _worse(change: AnswerChange, guards: list[Rule], old: dict[str, object]) -> bool:
    reading = [rule for rule in guards if change.path in rule.when.paths()]
    if not reading:
        return False
    if change.became_unknown:
        return True
    trial = {**old, change.path: change.after}
    if any(_RANK[_state(rule, trial)] > _RANK[_state(rule, old)] for rule in reading):
        return True
    return not _better_value(change.before, change.after)


def _ends(valid_until: dt.date | None, day: dt.date) -> str | None:
    if valid_until is None:
        return "the approval had no end date, so it ended at this new assessment"
    if valid_until < day:
        return f"the approval ended on {valid_until}, before this assessment of {day}"
    return None


def clearance_carries_over(
    before: Assessment,
    after: Assessment,
    kb: KnowledgeBase,
    valid_until: dt.date | None,
    label: dict[str, str] | None = None,
) -> CarryOver:
    """May the approval given on ``before`` stand for ``after``? ``label`` names
    answers in the reasons (their question; the path when none is given)."""
    words = label or {}
    reasons = [r for r in [_ends(valid_until, after.assessed_on)] if r]
    guards = [r for r in kb.rules if r.severity in _GUARDS]
    old, new = facts_of(before), facts_of(after)
    answers = [
        change
        for change in changed_answers(before, after)
        if _worse(change, guards, old)
    ]
    for change in answers:
        name = words.get(change.path, change.path)
        what = "is now unknown" if change.became_unknown else "changed for the worse"
        reasons.append(f"the answer \u201c{name}\u201d {what}")
    rules = [
        rule.id
        for rule in kb.rules
        if rule.severity is not Severity.INFO
        and _state(rule, new) is RuleState.FIRED
        and _state(rule, old) is not RuleState.FIRED
    ]
    reasons += [f"rule {rule} applies now and did not before" for rule in rules]
    return CarryOver(carries=not reasons, reasons=reasons, answers=answers, rules=rules)
