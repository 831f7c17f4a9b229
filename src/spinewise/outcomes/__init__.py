"""Outcome instruments: scoring, minimal clinically important change, item texts.

Pure functions over ``spinewise.models.outcome`` (docs/clinical-basis.md#outcome-instruments).
"""

from spinewise.outcomes.errors import (
    InvalidAnswersError,
    InvalidItemTextsError,
    OutcomeError,
    UnclassifiableChangeError,
)
from spinewise.outcomes.instruments import (
    INSTRUMENTS,
    PLACEHOLDER,
    Band,
    Coding,
    InstrumentDefinition,
    placeholder_item_texts,
)
from spinewise.outcomes.mcid import classify_change, classify_difference, trajectory
from spinewise.outcomes.review import (
    REVIEWED,
    course_baseline,
    pain_rising,
    worsening,
)
from spinewise.outcomes.scoring import (
    score,
    score_ndi,
    score_nrs,
    score_odi,
    score_rmdq,
    score_startback,
    startback_risk,
)
from spinewise.outcomes.texts import (
    BUILT_IN,
    NRS_TEXT_PACK,
    ItemText,
    TextPack,
    load_item_texts,
)

__all__ = [
    "BUILT_IN",
    "INSTRUMENTS",
    "NRS_TEXT_PACK",
    "PLACEHOLDER",
    "REVIEWED",
    "Band",
    "Coding",
    "InstrumentDefinition",
    "InvalidAnswersError",
    "InvalidItemTextsError",
    "ItemText",
    "OutcomeError",
    "TextPack",
    "UnclassifiableChangeError",
    "classify_change",
    "classify_difference",
    "course_baseline",
    "load_item_texts",
    "pain_rising",
    "placeholder_item_texts",
    "score",
    "score_ndi",
    "score_nrs",
    "score_odi",
    "score_rmdq",
    "score_startback",
    "startback_risk",
    "trajectory",
    "worsening",
]
