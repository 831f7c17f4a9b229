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
    days_between,
)
from spinewise.kb.document import anchored_heading, render_clinical_basis
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
from spinewise.kb.technique_words import technique_words
from spinewise.kb.techniques import (
    AdviceSpec,
    ChangeSpec,
    ModalitySpec,
    StepSpec,
    Techniques,
    ZoneSpec,
)

__all__ = [
    "AdviceSpec",
    "All",
    "Always",
    "AnyOf",
    "ChangeSpec",
    "Compare",
    "Condition",
    "Const",
    "DaysSince",
    "DaysSinceValue",
    "Expression",
    "Facts",
    "FieldValue",
    "KnowledgeBase",
    "ModalitySpec",
    "Mul",
    "Not",
    "Rule",
    "Source",
    "StepSpec",
    "Sub",
    "Techniques",
    "ZoneSpec",
    "anchored_heading",
    "bundled_kb_path",
    "days_between",
    "load_kb",
    "render_clinical_basis",
    "technique_words",
]
