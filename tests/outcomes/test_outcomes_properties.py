"""Laws of the scoring and of the change rule, checked with hypothesis."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from spinewise.models.outcome import ChangeClass, Instrument, QuestionnaireResponse
from spinewise.outcomes import INSTRUMENTS, classify_difference, score
from spinewise.outcomes.arithmetic import round_half_away_from_zero

no_database = settings(database=None)  # keep the working tree clean

sections = st.lists(st.one_of(st.none(), st.integers(0, 5)), min_size=10, max_size=10)
complete_sections = st.lists(st.integers(0, 5), min_size=10, max_size=10)
percentages = st.integers(0, 1000).map(lambda tenths: Decimal(tenths).scaleb(-1))


def respond(instrument: Instrument, answers: list[int | None]) -> QuestionnaireResponse:
    return QuestionnaireResponse(
        instrument=instrument, answered_on=date(2026, 11, 2), answers=answers
    )


@no_database
@given(sections)
def test_odi_is_within_0_and_100_or_not_scorable(answers: list[int | None]) -> None:
    result = score(respond(Instrument.ODI, answers))
    answered = sum(a is not None for a in answers)
    assert result.scorable is (answered >= 8)
    if result.score is not None:
        assert Decimal(0) <= result.score <= Decimal(100)
        assert result.score.as_tuple().exponent == -1


@no_database
@given(complete_sections, st.integers(0, 9))
def test_skipping_a_section_never_raises_the_denominator(
    answers: list[int], skipped: int
) -> None:
    full = score(respond(Instrument.ODI, list(answers)))
    fewer: list[int | None] = list(answers)
    fewer[skipped] = None
    partial = score(respond(Instrument.ODI, fewer))
    assert partial.answered == full.answered - 1
    assert full.score is not None and partial.score is not None
    # a skipped 0 can only raise the percentage, a skipped 5 only lower it
    if answers[skipped] == 0:
        assert partial.score >= full.score
    if answers[skipped] == 5:
        assert partial.score <= full.score


@no_database
@given(sections)
def test_ndi_of_fifty_is_exactly_half_its_rounded_percentage(
    answers: list[int | None],
) -> None:
    result = score(respond(Instrument.NDI, answers))
    if result.score is not None:
        assert result.percentage == result.score * 2


@no_database
@given(complete_sections)
def test_a_complete_odi_is_twice_its_raw_sum(answers: list[int]) -> None:
    result = score(respond(Instrument.ODI, list(answers)))
    assert result.score == Decimal(2 * sum(answers))


@no_database
@given(percentages, percentages)
def test_an_improvement_read_backwards_is_a_worsening(a: Decimal, b: Decimal) -> None:
    odi = INSTRUMENTS[Instrument.ODI]
    assert odi.mic_absolute is not None
    mic, relative = odi.mic_absolute, odi.mic_relative
    forwards = classify_difference(a, b, mic=mic, mic_relative=relative)
    backwards = classify_difference(b, a, mic=mic, mic_relative=relative)
    # b > 0: from a baseline of 0 only the absolute MIC applies (0 -> 5 is unchanged
    # although 5 -> 0 is improved), so the law holds for positive scores only
    if forwards is ChangeClass.IMPROVED and b > 0:
        assert backwards is ChangeClass.WORSENED
    if a == b:
        assert forwards is ChangeClass.UNCHANGED


@no_database
@given(st.fractions(min_value=-1000, max_value=1000))
def test_rounding_is_symmetric_and_within_half_a_tenth(value: Fraction) -> None:
    rounded = round_half_away_from_zero(value)
    assert round_half_away_from_zero(-value) == -rounded
    assert abs(Fraction(rounded) - value) <= Fraction(1, 20)
