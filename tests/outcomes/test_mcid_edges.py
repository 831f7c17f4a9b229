"""MCID edges that mutation testing found untested (the reported thresholds, errors).

Each test kills a mutant of ``outcomes/mcid.py`` that the worked examples let live
(docs/developers/mutation-testing.md): a change must report the thresholds it was
judged by, and a refusal must say which score and why.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from spinewise.models.outcome import ChangeClass, Instrument, Score
from spinewise.outcomes import INSTRUMENTS, UnclassifiableChangeError, classify_change

BASELINE_DAY = date(2026, 11, 2)


def scored(instrument: Instrument, value: str, week: int = 0) -> Score:
    return Score(
        instrument=instrument,
        answered_on=BASELINE_DAY + timedelta(weeks=week),
        answered=INSTRUMENTS[instrument].item_count,
        raw_sum=0,
        score=Decimal(value),
        scale_max=INSTRUMENTS[instrument].scale_max,
        scorable=True,
    )


def unscorable(instrument: Instrument, reason: str | None) -> Score:
    return scored(instrument, "0", 2).model_copy(
        update={"score": None, "raw_sum": None, "scorable": False, "reason": reason}
    )


@pytest.mark.parametrize(
    ("instrument", "mic"),
    [
        (Instrument.NRS, Decimal(2)),
        (Instrument.ODI, Decimal(10)),
        (Instrument.RMDQ, Decimal(5)),
        (Instrument.NDI, Decimal("7.5")),
    ],
)
def test_a_change_reports_both_thresholds_it_was_judged_by(
    instrument: Instrument, mic: Decimal
) -> None:
    change = classify_change(scored(instrument, "10"), scored(instrument, "10", 4))
    assert (change.mic, change.mic_relative) == (mic, Decimal("0.30"))
    assert change.classification is ChangeClass.UNCHANGED
    assert not change.clinically_important


def test_scores_of_different_instruments_are_refused_naming_both() -> None:
    with pytest.raises(UnclassifiableChangeError) as caught:
        classify_change(scored(Instrument.ODI, "30"), scored(Instrument.NDI, "10"))
    assert caught.value.message == "expected odi like the baseline, got ndi"


def test_startback_is_refused_on_the_baseline_instrument_pointing_to_risk_groups() -> (
    None
):
    with pytest.raises(UnclassifiableChangeError) as caught:
        classify_change(
            scored(Instrument.STARTBACK, "6"), scored(Instrument.STARTBACK, "2")
        )
    assert (caught.value.item, caught.value.message) == (
        "baseline.instrument",
        "Keele STarT Back Screening Tool has no change classification; "
        "report its risk group at each time point",
    )


def test_an_unscorable_score_is_refused_with_its_own_reason() -> None:
    with pytest.raises(UnclassifiableChangeError) as caught:
        classify_change(
            scored(Instrument.ODI, "30"),
            unscorable(Instrument.ODI, "not scorable: 7 of 10 items answered"),
        )
    assert (caught.value.item, caught.value.message) == (
        "follow_up",
        "not scorable: 7 of 10 items answered",
    )


def test_an_unscorable_score_without_a_reason_still_says_not_scorable() -> None:
    with pytest.raises(UnclassifiableChangeError) as caught:
        classify_change(unscorable(Instrument.ODI, None), scored(Instrument.ODI, "30"))
    assert (caught.value.item, caught.value.message) == ("baseline", "not scorable")
