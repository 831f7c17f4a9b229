"""The knowledge base: clinical rules as validated, versioned data."""

from spinewise.kb.conditions import (
    All,
    Always,
    AnyOf,
    Compare,
    Condition,
    DaysSince,
    Facts,
    Not,
    Outcome,
    compare,
    days_between,
)
from spinewise.kb.document import render_clinical_basis
from spinewise.kb.expressions import (
    Const,
    DaysSinceValue,
    Expression,
    FieldValue,
    Mul,
    Sub,
)
from spinewise.kb.loader import bundled_kb_path, load_kb
from spinewise.kb.schema import KnowledgeBase, Rule, Source

__all__ = [
    "All",
    "Always",
    "AnyOf",
    "Compare",
    "Condition",
    "Const",
    "DaysSince",
    "DaysSinceValue",
    "Expression",
    "Facts",
    "FieldValue",
    "KnowledgeBase",
    "Mul",
    "Not",
    "Outcome",
    "Rule",
    "Source",
    "Sub",
    "bundled_kb_path",
    "compare",
    "days_between",
    "load_kb",
    "render_clinical_basis",
]
