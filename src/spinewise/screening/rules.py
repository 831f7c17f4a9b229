"""The reference interpreter: every rule of the knowledge base, in three-valued logic."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from spinewise.kb import KnowledgeBase, Rule
from spinewise.models import Assessment, Profile, RuleState, assessment_fields
from spinewise.screening.operators import evaluate_number, interpret


@dataclass(frozen=True)
class RuleResult:
    """One rule's state for one assessment, with what leaves it open when undetermined."""

    rule: Rule
    state: RuleState
    nulls: frozenset[str] = frozenset()
    rescreen_after: int | None = None


def facts_of(assessment: Assessment) -> dict[str, object]:
    """The assessment as field path -> value; the enum word ``unknown`` reads as None."""
    facts: dict[str, object] = {"assessed_on": assessment.assessed_on}
    for path in assessment_fields():
        if path == "assessed_on":
            continue
        section, name = path.split(".")
        value = getattr(getattr(assessment, section), name, None)
        if isinstance(value, Enum):
            value = None if value.value == "unknown" else value.value
        facts[path] = value
    return facts


def result_of(
    rule: Rule, truth: bool | None, nulls: frozenset[str], rescreen: int | None
) -> RuleResult:
    """Package one rule's truth value (shared by every evaluator)."""
    if truth is None:
        return RuleResult(rule, RuleState.UNDETERMINED, nulls)
    if truth:
        return RuleResult(rule, RuleState.FIRED, frozenset(), rescreen)
    return RuleResult(rule, RuleState.NOT_FIRED)


def evaluate_rules(
    kb: KnowledgeBase,
    facts: dict[str, object],
    profile: Profile = Profile.DISC_HERNIATION,
) -> list[RuleResult]:
    """Evaluate the rules of ``profile`` by walking each condition tree (the reference
    path); a rule outside the profile is not evaluated and gives no result."""
    results = []
    for rule in kb.rules_for(profile):
        truth, nulls = interpret(rule.when, facts)
        rescreen = None
        if truth and rule.rescreen_after is not None:
            rescreen = evaluate_number(rule.rescreen_after, facts)
        results.append(result_of(rule, truth, nulls, rescreen))
    return results
