"""Outcome questionnaires, their scores and the change between two scores.

Pure data (docs/clinical-basis.md#outcome-instruments): ``spinewise.outcomes`` fills these models;
reports, the store and FHIR export read them. Scores and changes are ``Decimal`` so a
reported ``35.8 - 25.8`` is ``10.0`` exactly.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, Strict


class Instrument(StrEnum):
    """The outcome instruments Spinewise scores."""

    NRS = "nrs"
    ODI = "odi"
    RMDQ = "rmdq"
    NDI = "ndi"
    STARTBACK = "startback"


class ChangeClass(StrEnum):
    """Change from baseline judged against the minimal important change (docs/clinical-basis.md#mic)."""

    IMPROVED = "improved"
    UNCHANGED = "unchanged"
    WORSENED = "worsened"


class StartBackRisk(StrEnum):
    """Keele STarT Back risk group (docs/clinical-basis.md#outcome-instruments)."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Answer = Annotated[int, Strict()]
"""One item's answer: an int, never a bool or a numeric string (no silent coercion)."""


class QuestionnaireResponse(_Frozen):
    """One completed (or partly completed) questionnaire, as the patient answered it.

    ``answers`` is in item order; ``None`` is a skipped or not-applicable item. Item
    count and value ranges are checked by the scoring, which names the offending item.
    """

    instrument: Instrument
    answered_on: date
    answers: list[Answer | None]


class Score(_Frozen):
    """The score of one questionnaire; ``scorable`` is false rather than a guess."""

    instrument: Instrument
    answered_on: date
    answered: int = Field(description="number of items answered (not skipped)")
    raw_sum: int | None = Field(
        description="sum of the item scores (STarT Back: after item 9 is dichotomised)"
    )
    score: Decimal | None = Field(
        description="reported score: ODI %, NDI of 50, NRS, RMDQ, STarT Back overall"
    )
    percentage: Decimal | None = Field(
        default=None, description="ODI and NDI: the rounded percentage of the maximum"
    )
    scale_max: Decimal
    band: str | None = None
    scorable: bool
    reason: str | None = Field(default=None, description="why it is not scorable")
    subscores: dict[str, int] = Field(
        default_factory=dict, description="STarT Back: {'psychosocial': 0-5}"
    )
    risk: StartBackRisk | None = None
    sources: tuple[str, ...] = ()


class Change(_Frozen):
    """Change from a baseline score to a follow-up score (negative is better)."""

    baseline: Score
    follow_up: Score
    change: Decimal = Field(description="follow-up minus baseline, exact")
    relative_change_percent: Decimal | None = Field(
        description=(
            "change as % of baseline, rounded to one decimal for display (the "
            "classification uses the exact ratio); null when the baseline is 0"
        )
    )
    mic: Decimal = Field(description="absolute minimal important change")
    mic_relative: Decimal | None = Field(
        description="relative minimal important change as a fraction (0.30)"
    )
    classification: ChangeClass
    clinically_important: bool
    sources: tuple[str, ...]
