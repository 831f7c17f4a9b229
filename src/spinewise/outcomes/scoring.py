"""Score outcome questionnaires (docs/clinical-basis.md#scoring-conventions).

Every function is pure and takes a ``QuestionnaireResponse``. Answers that do not fit
the instrument (wrong count, a value out of range) raise ``InvalidAnswersError`` naming
the item; too few answers give a ``Score`` with ``scorable=False`` and a reason, never a
guessed score.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction

from spinewise.errors import N_
from spinewise.models.outcome import (
    Instrument,
    QuestionnaireResponse,
    Score,
    StartBackRisk,
)
from spinewise.outcomes.arithmetic import EXACT, round_half_away_from_zero
from spinewise.outcomes.errors import InvalidAnswersError
from spinewise.outcomes.instruments import INSTRUMENTS, InstrumentDefinition

_PSYCHOSOCIAL = slice(4, 9)  # STarT Back items 5-9
_BOTHERSOME_FROM = 3  # item 9 options 3 "very much" and 4 "extremely" score 1


def score(response: QuestionnaireResponse) -> Score:
    """Score ``response`` with the function for its instrument."""
    scorers: dict[Instrument, Callable[[QuestionnaireResponse], Score]] = {
        Instrument.NRS: score_nrs,
        Instrument.ODI: score_odi,
        Instrument.RMDQ: score_rmdq,
        Instrument.NDI: score_ndi,
        Instrument.STARTBACK: score_startback,
    }
    return scorers[response.instrument](response)


def score_nrs(response: QuestionnaireResponse) -> Score:
    """Pain NRS: the single answer 0-10 is the score."""
    definition = _checked(response, Instrument.NRS)
    values = _answered(response)
    if len(values) < definition.min_answered:
        return _unscorable(response, definition)
    return _scored(response, definition, values[0], Decimal(values[0]))


def score_odi(response: QuestionnaireResponse) -> Score:
    """ODI %: answered sum over the answered maximum, at least 8 of 10 answered."""
    return _score_sections(response, Instrument.ODI)


def score_ndi(response: QuestionnaireResponse) -> Score:
    """NDI of 50: the rounded percentage (as for the ODI) halved, not rounded."""
    return _score_sections(response, Instrument.NDI)


def score_rmdq(response: QuestionnaireResponse) -> Score:
    """RMDQ: number of "yes" (1) answers, every item answered."""
    definition = _checked(response, Instrument.RMDQ)
    values = _answered(response)
    if len(values) < definition.min_answered:
        return _unscorable(response, definition)
    total = sum(values)
    return _scored(response, definition, total, Decimal(total))


def score_startback(response: QuestionnaireResponse) -> Score:
    """STarT Back: overall 0-9, psychosocial 0-5 (items 5-9) and the risk group.

    Items 1-8 are 0 (disagree) or 1 (agree); item 9 is the option index 0-4 and
    scores 1 for options 3 ("very much") and 4 ("extremely"). ``raw_sum`` and
    ``score`` are the overall score after that dichotomy.
    """
    definition = _checked(response, Instrument.STARTBACK)
    values = _answered(response)
    if len(values) < definition.min_answered:
        return _unscorable(response, definition)
    items = [*values[:8], 1 if values[8] >= _BOTHERSOME_FROM else 0]
    overall = sum(items)
    psychosocial = sum(items[_PSYCHOSOCIAL])
    return _scored(
        response,
        definition,
        overall,
        Decimal(overall),
        subscores={"psychosocial": psychosocial},
        risk=startback_risk(overall, psychosocial),
    )


def startback_risk(overall: int, psychosocial: int) -> StartBackRisk:
    """STarT Back risk group: overall <= 3 low; psychosocial >= 4 high; else medium."""
    if overall <= 3:
        return StartBackRisk.LOW
    if psychosocial >= 4:
        return StartBackRisk.HIGH
    return StartBackRisk.MEDIUM


def _score_sections(response: QuestionnaireResponse, instrument: Instrument) -> Score:
    """ODI and NDI: ``sum / (5 x answered) x 100``, rounded half away from zero."""
    definition = _checked(response, instrument)
    values = _answered(response)
    if len(values) < definition.min_answered:
        return _unscorable(response, definition)
    answered_max = sum(
        maximum
        for maximum, value in zip(definition.item_maxima, response.answers, strict=True)
        if value is not None
    )
    total = sum(values)
    percentage = round_half_away_from_zero(Fraction(100 * total, answered_max))
    per_point = EXACT.divide(Decimal(100), definition.scale_max)  # ODI 1, NDI 2
    reported = EXACT.divide(percentage, per_point)
    return _scored(response, definition, total, reported, percentage=percentage)


def _checked(
    response: QuestionnaireResponse, instrument: Instrument
) -> InstrumentDefinition:
    """The instrument's definition once ``response`` is known to fit it."""
    if response.instrument is not instrument:
        raise InvalidAnswersError(
            "instrument",
            N_(
                "expected {value}, got {value2}",
                value=instrument.value,
                value2=response.instrument.value,
            ),
        )
    definition = INSTRUMENTS[instrument]
    if len(response.answers) != definition.item_count:
        raise InvalidAnswersError(
            "answers",
            N_(
                "{name} has {item_count} items: expected {item_count} answers (null for a skipped item), got {count}",
                name=definition.name,
                item_count=definition.item_count,
                count=len(response.answers),
            ),
        )
    for index, (maximum, value) in enumerate(
        zip(definition.item_maxima, response.answers, strict=True)
    ):
        if value is not None and not 0 <= value <= maximum:
            allowed = (
                N_("0 or 1")
                if maximum == 1
                else N_("a whole number 0-{maximum}", maximum=maximum)
            )
            raise InvalidAnswersError(
                f"answers[{index}]",
                N_(
                    "{value} is out of range for item {item}; allowed: {allowed}, or null when skipped",
                    value=value,
                    item=index + 1,
                    allowed=allowed,
                ),
            )
    return definition


def _answered(response: QuestionnaireResponse) -> list[int]:
    return [value for value in response.answers if value is not None]


def _unscorable(
    response: QuestionnaireResponse, definition: InstrumentDefinition
) -> Score:
    answered = len(_answered(response))
    needed = (
        "every item"
        if definition.min_answered == definition.item_count
        else f"at least {definition.min_answered} of {definition.item_count} items"
    )
    return Score(
        instrument=definition.instrument,
        answered_on=response.answered_on,
        answered=answered,
        raw_sum=None,
        score=None,
        scale_max=definition.scale_max,
        scorable=False,
        reason=(
            f"not scorable: {answered} of {definition.item_count} items answered; "
            f"{definition.name} is scored only with {needed} answered"
        ),
        sources=definition.scoring_sources,
    )


def _scored(
    response: QuestionnaireResponse,
    definition: InstrumentDefinition,
    raw_sum: int,
    reported: Decimal,
    *,
    percentage: Decimal | None = None,
    subscores: dict[str, int] | None = None,
    risk: StartBackRisk | None = None,
) -> Score:
    return Score(
        instrument=definition.instrument,
        answered_on=response.answered_on,
        answered=len(_answered(response)),
        raw_sum=raw_sum,
        score=reported,
        scale_max=definition.scale_max,
        percentage=percentage,
        band=definition.band_for(reported),
        scorable=True,
        subscores=subscores or {},
        risk=risk,
        sources=definition.scoring_sources,
    )
