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
    load_item_texts,
    placeholder_item_texts,
)
from spinewise.outcomes.mcid import classify_change, classify_difference, trajectory
from spinewise.outcomes.scoring import (
    score,
    score_ndi,
    score_nrs,
    score_odi,
    score_rmdq,
    score_startback,
    startback_risk,
)

__all__ = [
    "INSTRUMENTS",
    "PLACEHOLDER",
    "Band",
    "Coding",
    "InstrumentDefinition",
    "InvalidAnswersError",
    "InvalidItemTextsError",
    "OutcomeError",
    "UnclassifiableChangeError",
    "classify_change",
    "classify_difference",
    "load_item_texts",
    "placeholder_item_texts",
    "score",
    "score_ndi",
    "score_nrs",
    "score_odi",
    "score_rmdq",
    "score_startback",
    "startback_risk",
    "trajectory",
]
