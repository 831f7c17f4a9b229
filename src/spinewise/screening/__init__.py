"""Screening: rules in three-valued logic, modality statuses and the verdict."""

from spinewise.screening.carryover import (
    AnswerChange,
    CarryOver,
    changed_answers,
    clearance_carries_over,
)
from spinewise.screening.cohort import (
    assessments_of,
    cohort_frame,
    cohort_plan,
    cohort_schema,
    cohort_screener,
    conform_cohort,
    diff_cohorts,
    generate_cohort,
    rule_column,
    screen_cohort,
    status_column,
)
from spinewise.screening.compiled import (
    CompiledRules,
    compile_rules,
    facts_reader,
    screen_compiled,
)
from spinewise.screening.engine import screen, screen_interpreted
from spinewise.screening.rules import RuleResult, evaluate_rules, facts_of, result_of
from spinewise.screening.translated import (
    decision_document,
    translate_decision,
    translated_summary,
)
from spinewise.screening.verdict import ENGINE_VERSION, decide

__all__ = [
    "ENGINE_VERSION",
    "AnswerChange",
    "CarryOver",
    "CompiledRules",
    "RuleResult",
    "assessments_of",
    "changed_answers",
    "clearance_carries_over",
    "cohort_frame",
    "cohort_plan",
    "cohort_schema",
    "cohort_screener",
    "compile_rules",
    "conform_cohort",
    "decide",
    "decision_document",
    "diff_cohorts",
    "evaluate_rules",
    "facts_of",
    "facts_reader",
    "generate_cohort",
    "result_of",
    "rule_column",
    "screen",
    "screen_cohort",
    "screen_compiled",
    "screen_interpreted",
    "status_column",
    "translate_decision",
    "translated_summary",
]
