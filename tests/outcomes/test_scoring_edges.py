"""Scoring edges that mutation testing found untested (messages, reasons, sources).

Each test kills a mutant of ``outcomes/scoring.py`` that the hand-computed examples let
live (docs/developers/mutation-testing.md): what a clinician reads when answers are
refused or too few, and the citations an unscorable result still carries.
"""

from __future__ import annotations

from datetime import date

import pytest

from spinewise.models.outcome import Instrument, QuestionnaireResponse
from spinewise.outcomes import (
    InvalidAnswersError,
    score_ndi,
    score_odi,
    score_rmdq,
    score_startback,
)

ON = date(2026, 11, 2)


def respond(instrument: Instrument, *answers: int | None) -> QuestionnaireResponse:
    return QuestionnaireResponse(
        instrument=instrument, answered_on=ON, answers=list(answers)
    )


def test_a_scorer_given_another_instrument_names_both() -> None:
    with pytest.raises(InvalidAnswersError) as caught:
        score_odi(respond(Instrument.NDI, *[0] * 10))
    assert (caught.value.item, caught.value.message) == (
        "instrument",
        "expected odi, got ndi",
    )


def test_a_yes_no_item_out_of_range_says_exactly_what_is_allowed() -> None:
    with pytest.raises(InvalidAnswersError) as caught:
        score_rmdq(respond(Instrument.RMDQ, *([0] * 23 + [2])))
    assert caught.value.message == (
        "2 is out of range for item 24; allowed: 0 or 1, or null when skipped"
    )


def test_a_section_out_of_range_says_exactly_what_is_allowed() -> None:
    with pytest.raises(InvalidAnswersError) as caught:
        score_ndi(respond(Instrument.NDI, 6, *[0] * 9))
    assert (caught.value.item, caught.value.message) == (
        "answers[0]",
        "6 is out of range for item 1; allowed: a whole number 0-5, "
        "or null when skipped",
    )


def test_an_incomplete_rmdq_says_every_item_is_needed() -> None:
    result = score_rmdq(respond(Instrument.RMDQ, *([1] * 23 + [None])))
    assert result.reason == (
        "not scorable: 23 of 24 items answered; Roland-Morris Disability "
        "Questionnaire (RMDQ-24) is scored only with every item answered"
    )


def test_an_odi_with_too_few_sections_says_how_many_are_needed() -> None:
    result = score_odi(respond(Instrument.ODI, *[1] * 7, None, None, None))
    assert result.reason == (
        "not scorable: 7 of 10 items answered; Oswestry Disability Index 2.1a "
        "is scored only with at least 8 of 10 items answered"
    )


@pytest.mark.parametrize(
    ("response", "sources"),
    [
        (respond(Instrument.ODI, *[None] * 10), ("FAIRBANK-2000", "SPINEWISE-OP")),
        (respond(Instrument.STARTBACK, *[None] * 9), ("HILL-2008",)),
    ],
    ids=["odi", "startback"],
)
def test_an_unscorable_result_still_cites_its_scoring_sources(
    response: QuestionnaireResponse, sources: tuple[str, ...]
) -> None:
    scorer = score_odi if response.instrument is Instrument.ODI else score_startback
    result = scorer(response)
    assert not result.scorable and result.score is None
    assert result.sources == sources
