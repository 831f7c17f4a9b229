"""Screening: rules in three-valued logic, modality statuses and the verdict."""

from spinewise.screening.engine import screen
from spinewise.screening.rules import RuleResult, evaluate_rules, facts_of, result_of
from spinewise.screening.verdict import ENGINE_VERSION, decide

__all__ = [
    "ENGINE_VERSION",
    "RuleResult",
    "decide",
    "evaluate_rules",
    "facts_of",
    "result_of",
    "screen",
]
