"""Scoring by hand-computed examples (docs/clinical-basis.md#scoring-conventions)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from pydantic import ValidationError

from spinewise.models.outcome import Instrument, QuestionnaireResponse, StartBackRisk
from spinewise.outcomes import (
    INSTRUMENTS,
    InvalidAnswersError,
    score,
    score_ndi,
    score_nrs,
    score_odi,
    score_rmdq,
    score_startback,
    startback_risk,
)
from spinewise.outcomes.arithmetic import round_half_away_from_zero

ON = date(2026, 11, 2)


def respond(instrument: Instrument, *answers: int | None) -> QuestionnaireResponse:
    return QuestionnaireResponse(
        instrument=instrument, answered_on=ON, answers=list(answers)
    )


# --- pain NRS -------------------------------------------------------------------


def test_nrs_score_is_the_single_answer() -> None:
    result = score_nrs(respond(Instrument.NRS, 7))
    assert (result.score, result.raw_sum, result.scale_max) == (
        Decimal(7),
        7,
        Decimal(10),
    )
    assert result.scorable and result.band is None
    assert result.answered_on == ON


def test_nrs_skipped_is_not_scorable_and_not_guessed() -> None:
    result = score_nrs(respond(Instrument.NRS, None))
    assert not result.scorable
    assert result.score is None and result.raw_sum is None
    assert result.reason is not None and "0 of 1" in result.reason


def test_nrs_above_ten_is_rejected_naming_the_item_and_the_range() -> None:
    with pytest.raises(InvalidAnswersError) as caught:
        score_nrs(respond(Instrument.NRS, 11))
    assert caught.value.item == "answers[0]"
    assert "0-10" in caught.value.message


# --- ODI ------------------------------------------------------------------------


def test_odi_with_every_section_answered_is_twice_the_sum() -> None:
    result = score_odi(respond(Instrument.ODI, 3, 2, 2, 1, 3, 2, 1, 0, 2, 2))
    assert result.raw_sum == 18
    assert result.score == Decimal("36.0") and str(result.score) == "36.0"
    assert result.percentage == result.score
    assert result.band == "moderate"


def test_odi_with_two_skipped_sections_uses_answered_maximum() -> None:
    # 16 / (5 x 8) x 100 = 40.0: the upper edge of "moderate" (inclusive)
    result = score_odi(respond(Instrument.ODI, 3, 2, None, 1, 3, 2, 1, None, 2, 2))
    assert (result.raw_sum, result.answered) == (16, 8)
    assert result.score == Decimal("40.0")
    assert result.band == "moderate"


def test_odi_with_three_skipped_sections_is_not_scorable() -> None:
    result = score_odi(respond(Instrument.ODI, 3, None, None, None, 3, 2, 1, 0, 2, 2))
    assert not result.scorable and result.score is None and result.band is None
    assert result.reason is not None
    assert "7 of 10" in result.reason and "at least 8" in result.reason


def test_odi_one_skipped_section_rounds_the_percentage_to_one_decimal() -> None:
    # 13 / 45 x 100 = 28.888... -> 28.9; 11 / 45 x 100 = 24.444... -> 24.4
    high = score_odi(respond(Instrument.ODI, 2, 2, 2, 2, 1, 1, 1, 1, 1, None))
    low = score_odi(respond(Instrument.ODI, 2, 2, 1, 1, 1, 1, 1, 1, 1, None))
    assert (high.score, low.score) == (Decimal("28.9"), Decimal("24.4"))


def test_odi_twenty_is_minimal_and_twenty_point_one_is_moderate() -> None:
    odi = INSTRUMENTS[Instrument.ODI]
    assert odi.band_for(Decimal("20.0")) == "minimal"
    assert odi.band_for(Decimal("20.1")) == "moderate"
    assert odi.band_for(Decimal("80.0")) == "very severe"
    assert odi.band_for(Decimal("80.1")) == "bed-bound"


def test_a_stigmatising_official_band_name_is_kept_for_a_footnote_only() -> None:
    odi = INSTRUMENTS[Instrument.ODI]
    assert odi.official_band_name("very severe") == "crippled"
    assert odi.official_band_name("bed-bound") == "bed-bound or exaggerating"
    assert odi.official_band_name("moderate") is None
    assert all("crippled" not in band.label for band in odi.bands)
    scored = score_odi(respond(Instrument.ODI, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1))
    assert (scored.score, scored.band) == (Decimal("20.0"), "minimal")


def test_odi_section_score_of_six_is_rejected_naming_the_item() -> None:
    with pytest.raises(InvalidAnswersError) as caught:
        score_odi(respond(Instrument.ODI, 2, 2, 2, 6, 2, 2, 2, 2, 2, 2))
    assert caught.value.item == "answers[3]"
    assert "0-5" in caught.value.message and "item 4" in caught.value.message
    assert str(caught.value).startswith("answers[3]: ")


def test_odi_negative_answer_is_rejected() -> None:
    with pytest.raises(InvalidAnswersError, match=r"answers\[0\]"):
        score_odi(respond(Instrument.ODI, -1, 2, 2, 2, 2, 2, 2, 2, 2, 2))


def test_odi_with_nine_answers_is_rejected_as_the_wrong_item_count() -> None:
    with pytest.raises(InvalidAnswersError) as caught:
        score_odi(respond(Instrument.ODI, 2, 2, 2, 2, 2, 2, 2, 2, 2))
    assert caught.value.item == "answers"
    assert "expected 10 answers" in caught.value.message
    assert "got 9" in caught.value.message


def test_odi_scorer_refuses_another_instruments_response() -> None:
    with pytest.raises(InvalidAnswersError) as caught:
        score_odi(respond(Instrument.NDI, *[1] * 10))
    assert caught.value.item == "instrument"


# --- NDI ------------------------------------------------------------------------


def test_ndi_complete_is_the_raw_sum_of_fifty() -> None:
    result = score_ndi(respond(Instrument.NDI, 2, 1, 3, 0, 1, 2, 1, 0, 1, 2))
    assert result.raw_sum == 13
    assert result.percentage == Decimal("26.0")
    assert result.score == Decimal("13.0")
    assert result.scale_max == 50
    assert result.band == "mild"


def test_ndi_score_is_the_rounded_percentage_halved_and_not_rounded_again() -> None:
    # 4 / 45 x 100 = 8.888... -> 8.9 %; 8.9 / 2 = 4.45 (not 4.4 or 4.5), above 4: mild
    result = score_ndi(respond(Instrument.NDI, 1, 1, 1, 1, 0, 0, 0, 0, 0, None))
    assert result.raw_sum == 4
    assert result.percentage == Decimal("8.9")
    assert str(result.score) == "4.45"
    assert result.band == "mild"


def test_ndi_with_two_skipped_sections_keeps_two_decimals() -> None:
    # 15 / 40 x 100 = 37.5 % -> 18.75 of 50
    result = score_ndi(respond(Instrument.NDI, 2, 2, 2, 2, 2, 2, 2, 1, None, None))
    assert result.score == Decimal("18.75")
    assert result.band == "moderate"


def test_ndi_four_is_none_and_the_band_edges_are_inclusive() -> None:
    ndi = INSTRUMENTS[Instrument.NDI]
    complete = score_ndi(respond(Instrument.NDI, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0))
    assert (complete.score, complete.band) == (Decimal("4.0"), "none")
    assert [ndi.band_for(Decimal(v)) for v in ("14", "14.05", "24", "34", "34.5")] == [
        "mild",
        "moderate",
        "moderate",
        "severe",
        "complete",
    ]


def test_ndi_with_three_skipped_sections_is_not_scorable() -> None:
    result = score_ndi(respond(Instrument.NDI, 1, 1, 1, 1, 1, 1, 1, None, None, None))
    assert not result.scorable and result.score is None


# --- RMDQ -----------------------------------------------------------------------


def test_rmdq_counts_the_yes_answers() -> None:
    result = score_rmdq(respond(Instrument.RMDQ, *([1] * 9 + [0] * 15)))
    assert (result.score, result.raw_sum, result.scale_max) == (
        Decimal(9),
        9,
        Decimal(24),
    )


def test_rmdq_with_one_skipped_item_is_not_scorable() -> None:
    result = score_rmdq(respond(Instrument.RMDQ, *([1] * 23 + [None])))
    assert not result.scorable
    assert result.reason is not None and "every item" in result.reason


def test_rmdq_answer_two_is_rejected_with_the_allowed_values() -> None:
    with pytest.raises(InvalidAnswersError) as caught:
        score_rmdq(respond(Instrument.RMDQ, *([0] * 5 + [2] + [0] * 18)))
    assert caught.value.item == "answers[5]"
    assert "0 or 1" in caught.value.message


def test_boolean_answers_are_refused_rather_than_read_as_numbers() -> None:
    with pytest.raises(ValidationError):
        QuestionnaireResponse.model_validate(
            {"instrument": "nrs", "answered_on": ON, "answers": [True]}
        )


# --- STarT Back -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "overall", "psychosocial", "risk"),
    [
        ((1, 1, 1, 0, 0, 0, 0, 0, 0), 3, 0, StartBackRisk.LOW),
        ((0, 0, 0, 0, 1, 1, 1, 0, 0), 3, 3, StartBackRisk.LOW),
        ((1, 0, 0, 0, 1, 1, 1, 0, 0), 4, 3, StartBackRisk.MEDIUM),
        ((1, 1, 1, 1, 1, 1, 1, 0, 2), 7, 3, StartBackRisk.MEDIUM),
        ((0, 0, 0, 0, 1, 1, 1, 1, 0), 4, 4, StartBackRisk.HIGH),
        ((1, 1, 1, 1, 1, 1, 1, 1, 4), 9, 5, StartBackRisk.HIGH),
    ],
    ids=["low-3", "low-psych-3", "medium-4", "medium-7", "high-4-4", "high-9"],
)
def test_startback_risk_group_at_its_edges(
    answers: tuple[int, ...], overall: int, psychosocial: int, risk: StartBackRisk
) -> None:
    result = score_startback(respond(Instrument.STARTBACK, *answers))
    assert result.score == Decimal(overall) and result.raw_sum == overall
    assert result.subscores == {"psychosocial": psychosocial}
    assert result.risk is risk


def test_startback_item_nine_counts_only_very_much_and_extremely() -> None:
    by_option = [
        score_startback(respond(Instrument.STARTBACK, *[0] * 8, option)).score
        for option in range(5)
    ]
    assert by_option == [Decimal(0), Decimal(0), Decimal(0), Decimal(1), Decimal(1)]


def test_startback_item_nine_option_five_is_rejected() -> None:
    with pytest.raises(InvalidAnswersError) as caught:
        score_startback(respond(Instrument.STARTBACK, *[0] * 8, 5))
    assert caught.value.item == "answers[8]"
    assert "0-4" in caught.value.message


def test_startback_with_a_skipped_item_has_no_score_and_no_risk_group() -> None:
    result = score_startback(
        respond(Instrument.STARTBACK, 1, 1, 1, 1, 1, None, 1, 1, 1)
    )
    assert not result.scorable and result.risk is None and result.subscores == {}


def test_startback_risk_reads_the_psychosocial_subscale_before_medium() -> None:
    assert startback_risk(3, 3) is StartBackRisk.LOW
    assert startback_risk(4, 3) is StartBackRisk.MEDIUM
    assert startback_risk(4, 4) is StartBackRisk.HIGH


# --- dispatch and rounding ------------------------------------------------------


def test_score_dispatches_on_the_responses_instrument() -> None:
    assert score(respond(Instrument.NRS, 4)).score == Decimal(4)
    assert score(respond(Instrument.NDI, *[5] * 10)).score == Decimal("50.0")
    assert score(respond(Instrument.STARTBACK, *[0] * 9)).risk is StartBackRisk.LOW


def test_scores_cite_their_sources() -> None:
    assert score(respond(Instrument.ODI, *[0] * 10)).sources == (
        "FAIRBANK-2000",
        "SPINEWISE-OP",
    )
    assert score(respond(Instrument.STARTBACK, *[0] * 9)).sources == ("HILL-2008",)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Fraction(89, 20), "4.5"),
        (Fraction(-89, 20), "-4.5"),
        (Fraction(1, 4), "0.3"),
        (Fraction(-1, 4), "-0.3"),
        (Fraction(-1, 30), "0.0"),
        (Fraction(40), "40.0"),
    ],
)
def test_rounding_takes_ties_away_from_zero(value: Fraction, expected: str) -> None:
    assert str(round_half_away_from_zero(value)) == expected
