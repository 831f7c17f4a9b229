"""Change from baseline and the minimal clinically important change (7, 7.7)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from spinewise.models.outcome import (
    ChangeClass,
    Instrument,
    QuestionnaireResponse,
    Score,
)
from spinewise.outcomes import (
    INSTRUMENTS,
    UnclassifiableChangeError,
    classify_change,
    score,
    trajectory,
)

BASELINE_DAY = date(2026, 11, 2)


def scored(instrument: Instrument, value: str, week: int = 0) -> Score:
    """A scorable score as the scoring would report it."""
    return Score(
        instrument=instrument,
        answered_on=BASELINE_DAY + timedelta(weeks=week),
        answered=INSTRUMENTS[instrument].item_count,
        raw_sum=0,
        score=Decimal(value),
        scale_max=INSTRUMENTS[instrument].scale_max,
        scorable=True,
    )


def unscorable(instrument: Instrument, week: int) -> Score:
    return scored(instrument, "0", week).model_copy(
        update={"score": None, "raw_sum": None, "scorable": False, "reason": "why"}
    )


def test_odi_35_8_to_25_8_is_exactly_ten_points_and_improved() -> None:
    change = classify_change(
        scored(Instrument.ODI, "35.8"), scored(Instrument.ODI, "25.8", 4)
    )
    assert change.change == Decimal("-10.0") and str(change.change) == "-10.0"
    assert change.classification is ChangeClass.IMPROVED
    assert change.clinically_important
    assert change.mic == Decimal(10)
    assert change.sources == ("OSTELO-2008",)


def test_rmdq_decrease_of_exactly_thirty_percent_is_improved_below_the_mic() -> None:
    change = classify_change(
        scored(Instrument.RMDQ, "10"), scored(Instrument.RMDQ, "7")
    )
    assert change.change == Decimal(-3)
    assert change.relative_change_percent == Decimal("-30.0")
    assert change.classification is ChangeClass.IMPROVED


def test_rmdq_decrease_just_under_thirty_percent_is_unchanged() -> None:
    change = classify_change(
        scored(Instrument.RMDQ, "11"), scored(Instrument.RMDQ, "8")
    )
    assert change.relative_change_percent == Decimal("-27.3")
    assert change.classification is ChangeClass.UNCHANGED
    assert not change.clinically_important


def test_thirty_percent_branch_uses_the_exact_ratio_not_the_rounded_one() -> None:
    # 8.0 / 26.7 = 29.96 %: displayed as 30.0 but below 30 % exactly, and below 10
    change = classify_change(
        scored(Instrument.ODI, "26.7"), scored(Instrument.ODI, "18.7", 4)
    )
    assert change.relative_change_percent == Decimal("-30.0")
    assert change.classification is ChangeClass.UNCHANGED


def test_relative_change_rounds_half_away_from_zero() -> None:
    # -1 / 16 = -6.25 % -> -6.3 (banker's rounding would give -6.2)
    change = classify_change(
        scored(Instrument.RMDQ, "16"), scored(Instrument.RMDQ, "15")
    )
    assert change.relative_change_percent == Decimal("-6.3")


def test_baseline_zero_uses_only_the_absolute_mic_and_has_no_relative_change() -> None:
    small = classify_change(scored(Instrument.NRS, "0"), scored(Instrument.NRS, "1"))
    large = classify_change(scored(Instrument.NRS, "0"), scored(Instrument.NRS, "2"))
    assert small.relative_change_percent is None
    assert small.classification is ChangeClass.UNCHANGED
    assert large.classification is ChangeClass.WORSENED


@pytest.mark.parametrize(
    ("instrument", "baseline", "follow_up", "expected"),
    [
        (Instrument.NRS, "5", "7", ChangeClass.WORSENED),  # +2 = MIC
        (Instrument.NRS, "5", "6", ChangeClass.UNCHANGED),  # 1 < 2 and < 1.5
        (Instrument.NRS, "7", "5", ChangeClass.IMPROVED),
        (Instrument.ODI, "20.0", "26.0", ChangeClass.WORSENED),  # 6.0 = 30 % of 20
        (Instrument.ODI, "40.0", "48.0", ChangeClass.UNCHANGED),  # 8 < 10 and < 12
        (Instrument.ODI, "40.0", "50.0", ChangeClass.WORSENED),
        (Instrument.RMDQ, "10", "13", ChangeClass.WORSENED),  # 3 = 30 % of 10
        (Instrument.NDI, "20.0", "12.5", ChangeClass.IMPROVED),  # 7.5 of 50 = MIC
        (Instrument.NDI, "10.0", "7.0", ChangeClass.IMPROVED),  # 3.0 = 30 % of 10
        (Instrument.NDI, "10.0", "7.5", ChangeClass.UNCHANGED),
        (Instrument.NDI, "4.45", "18.75", ChangeClass.WORSENED),
    ],
)
def test_change_classification(
    instrument: Instrument, baseline: str, follow_up: str, expected: ChangeClass
) -> None:
    change = classify_change(
        scored(instrument, baseline), scored(instrument, follow_up)
    )
    assert change.classification is expected
    assert change.clinically_important is (expected is not ChangeClass.UNCHANGED)


def test_ndi_mic_cites_the_spinewise_operational_choice() -> None:
    change = classify_change(scored(Instrument.NDI, "20"), scored(Instrument.NDI, "10"))
    assert change.mic == Decimal("7.5")
    assert change.sources == ("SPINEWISE-OP",)


def test_scored_questionnaires_flow_into_a_change() -> None:
    def odi(*answers: int | None) -> Score:
        return score(
            QuestionnaireResponse(
                instrument=Instrument.ODI,
                answered_on=BASELINE_DAY,
                answers=list(answers),
            )
        )

    before = odi(3, 3, 3, 3, 2, 2, 2, 2, 2, None)  # 22 / 45 -> 48.9
    after = odi(2, 2, 2, 2, 1, 1, 1, 1, 1, 1)  # 14 / 50 -> 28.0
    change = classify_change(before, after)
    assert change.change == Decimal("-20.9")
    assert change.classification is ChangeClass.IMPROVED


def test_startback_has_no_change_classification() -> None:
    with pytest.raises(UnclassifiableChangeError) as caught:
        classify_change(
            scored(Instrument.STARTBACK, "6"), scored(Instrument.STARTBACK, "2")
        )
    assert "risk group" in caught.value.message


def test_scores_of_different_instruments_are_not_compared() -> None:
    with pytest.raises(UnclassifiableChangeError) as caught:
        classify_change(scored(Instrument.ODI, "30"), scored(Instrument.NDI, "10"))
    assert caught.value.item == "follow_up.instrument"


def test_an_unscorable_follow_up_is_not_classified() -> None:
    with pytest.raises(UnclassifiableChangeError) as caught:
        classify_change(scored(Instrument.ODI, "30"), unscorable(Instrument.ODI, 2))
    assert caught.value.item == "follow_up"


def test_trajectory_compares_each_later_score_with_the_earliest() -> None:
    week4 = scored(Instrument.NRS, "5", 4)
    week0 = scored(Instrument.NRS, "8", 0)
    week2 = scored(Instrument.NRS, "7", 2)
    changes = trajectory([week4, week0, week2])
    assert [c.baseline for c in changes] == [week0, week0]
    assert [c.change for c in changes] == [Decimal(-1), Decimal(-3)]
    assert [c.classification for c in changes] == [
        ChangeClass.UNCHANGED,
        ChangeClass.IMPROVED,
    ]


def test_trajectory_leaves_out_unscorable_follow_ups() -> None:
    changes = trajectory(
        [
            scored(Instrument.ODI, "40.0"),
            unscorable(Instrument.ODI, 2),
            scored(Instrument.ODI, "28.0", 4),
        ]
    )
    assert [c.follow_up.score for c in changes] == [Decimal("28.0")]


def test_trajectory_refuses_an_unscorable_baseline() -> None:
    with pytest.raises(UnclassifiableChangeError) as caught:
        trajectory([unscorable(Instrument.ODI, 0), scored(Instrument.ODI, "28.0", 4)])
    assert caught.value.item == "baseline"


def test_trajectory_of_no_scores_or_only_a_baseline_is_empty() -> None:
    assert trajectory([]) == []
    assert trajectory([scored(Instrument.NRS, "6")]) == []


@pytest.mark.parametrize(
    ("instrument", "baseline", "follow_up", "item"),
    [
        (Instrument.ODI, "40", "100.1", "follow_up.score"),
        (Instrument.NDI, "51", "20", "baseline.score"),
        (Instrument.NRS, "-1", "3", "baseline.score"),
        (Instrument.RMDQ, "10", "25", "follow_up.score"),
    ],
)
def test_a_score_outside_the_instruments_range_is_refused_not_classified(
    instrument: Instrument, baseline: str, follow_up: str, item: str
) -> None:
    with pytest.raises(UnclassifiableChangeError) as caught:
        classify_change(scored(instrument, baseline), scored(instrument, follow_up, 4))
    assert caught.value.item == item
    assert "outside the instrument's range" in caught.value.message


def test_the_ends_of_the_range_are_still_classified() -> None:
    change = classify_change(
        scored(Instrument.ODI, "0"), scored(Instrument.ODI, "100", 4)
    )
    assert change.classification is ChangeClass.WORSENED
