"""Outcome scores as Observations: confirmed LOINC for NRS, local codes otherwise."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from tests.interop.fhir_support import INFO, reparsed

from spinewise.interop import score_observation
from spinewise.interop.codes import DATA_ABSENT, INSTRUMENT, LOINC, UCUM
from spinewise.models.outcome import Instrument, QuestionnaireResponse, Score
from spinewise.outcomes import score

DAY = dt.date(2026, 11, 24)


def _scored(instrument: Instrument, answers: list[int | None]) -> Score:
    return score(
        QuestionnaireResponse(instrument=instrument, answered_on=DAY, answers=answers)
    )


def test_an_odi_score_is_a_percentage_under_the_local_instrument_code() -> None:
    odi = _scored(Instrument.ODI, [2, 1, 3, 2, 2, 1, 2, 0, 1, 2])
    observation = reparsed(score_observation(INFO, odi, "s-1"))
    [coding] = observation.code.coding
    assert (coding.system, coding.code) == (INSTRUMENT, "odi")
    quantity = observation.valueQuantity
    assert (quantity.value, quantity.system, quantity.code) == (odi.score, UCUM, "%")
    parts = {c.code.coding[0].code: c for c in observation.component}
    assert parts["odi-raw-sum"].valueInteger == odi.raw_sum
    assert parts["odi-band"].valueString == odi.band


def test_an_nrs_score_uses_the_confirmed_loinc_code() -> None:
    nrs = _scored(Instrument.NRS, [4])
    observation = reparsed(score_observation(INFO, nrs, "s-1"))
    [coding] = observation.code.coding
    assert (coding.system, coding.code) == (LOINC, "72514-3")
    assert observation.valueQuantity.value == Decimal(4)


def test_a_start_back_score_carries_its_risk_group_and_subscore() -> None:
    startback = _scored(Instrument.STARTBACK, [1, 1, 0, 1, 1, 1, 1, 1, 1])
    observation = reparsed(score_observation(INFO, startback, "s-1"))
    parts = {c.code.coding[0].code: c for c in observation.component}
    risk = parts["startback-risk"].valueCodeableConcept.coding[0].code
    assert risk == f"startback-risk-{startback.risk.value}"
    psychosocial = parts["startback-subscore-psychosocial"].valueInteger
    assert psychosocial == startback.subscores["psychosocial"]


def test_an_unscorable_questionnaire_has_no_value_but_a_data_absent_reason() -> None:
    rmdq = _scored(Instrument.RMDQ, [1] * 23 + [None])
    assert not rmdq.scorable
    observation = reparsed(score_observation(INFO, rmdq, "s-1"))
    assert observation.valueQuantity is None
    reason = observation.dataAbsentReason
    assert reason.coding[0].system == DATA_ABSENT
    assert reason.text == rmdq.reason
