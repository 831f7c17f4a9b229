"""Each decision keeps its input's cohort fields as a record that reads back as columns."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from polars.testing import assert_frame_equal
from sqlalchemy import text
from tests.factories import assessment_data
from tests.pg import World
from tests.store.rows import add_assessment, add_decision, add_patient

from spinewise.errors import SpinewiseError, StoreError
from spinewise.models import Assessment
from spinewise.screening import assessments_of, cohort_frame, generate_cohort
from spinewise.store import Store, downgrade, upgrade
from spinewise.store.cohort_record import (
    RECORD_BYTES,
    RECORD_FINGERPRINT,
    cohort_record,
    record_fingerprint,
    records_frame,
    rows_batch,
)
from spinewise.store.packing import pack_answers


def _row(index: int, document: dict[str, Any]) -> tuple[Any, ...]:
    record, lists = cohort_record(document, pack_answers(document))
    return (index, 10 * index, 100 * index, record, lists)


def test_records_read_back_as_the_cohort_frame_of_the_same_assessments() -> None:
    generated = generate_cohort(400, assessed_on=dt.date(2026, 11, 24), seed=7)
    assessments = list(assessments_of(generated))
    documents = [a.to_contract() for a in assessments]
    rows = [_row(i + 1, d) for i, d in enumerate(documents)]
    frame = records_frame(rows_batch(rows))
    expected = cohort_frame(assessments, patient_ids=[r[0] for r in rows])
    assert_frame_equal(frame.drop("assessment_id", "decision_id"), expected)
    assert frame["decision_id"].to_list() == [r[2] for r in rows]


def test_unknowns_free_text_and_a_clearance_survive_the_record() -> None:
    data = assessment_data(
        hernia={"morphology": "unknown"},
        medications={"analgesics": ['the "strong" one', "ибупрофен", "a\\b\nc", ""]},
    )
    assessment = Assessment.model_validate(data)
    frame = records_frame(rows_batch([_row(1, assessment.to_contract())]))
    expected = cohort_frame([assessment], patient_ids=[1])
    assert_frame_equal(frame.drop("assessment_id", "decision_id"), expected)
    assert frame["hernia.morphology"].to_list() == [None]


def test_a_value_outside_the_contract_or_the_layout_gets_no_record() -> None:
    outside = assessment_data(hernia={"region": "sacral"})
    assert cohort_record(outside, pack_answers(outside)) == (None, None)
    whole = {"schema": "spinewise.assessment/0"}
    assert cohort_record(whole, pack_answers(whole)) == (None, None)


def test_a_row_without_a_record_fails_the_read() -> None:
    good = _row(1, Assessment.model_validate(assessment_data()).to_contract())
    with pytest.raises(StoreError, match="cohort layout"):
        records_frame(rows_batch([good, (2, 20, 200, None, None)]))
    with pytest.raises(StoreError, match="cohort layout"):
        records_frame(rows_batch([(2, 20, 200, b"\x01" * (RECORD_BYTES - 1), "[]")]))


def test_the_record_layout_is_frozen() -> None:
    assert record_fingerprint() == RECORD_FINGERPRINT


def _decision(store: Store, world: World, given: dict[str, Any]) -> None:
    with store.unit_of_work(write=True) as uow:
        patient_id = add_patient(uow, world, f"R-{len(given)}", "Recorded")
        assessment_id = add_assessment(uow, world, patient_id, given)
        add_decision(uow, world, patient_id, assessment_id, given)


def _records(store: Store) -> list[tuple[Any, Any]]:
    with store.engine.connect() as connection:
        found = connection.execute(
            text("SELECT cohort, cohort_lists FROM decisions ORDER BY id")
        )
        return [(bytes(r) if r is not None else None, s) for r, s in found]


def test_the_migration_fills_in_the_records_of_decisions_stored_before(
    store: Store, world: World
) -> None:
    document = Assessment.model_validate(assessment_data()).to_contract()
    _decision(store, world, document)
    _decision(store, world, {"schema": "legacy"})
    written = _records(store)
    assert written[-2][0] is not None and written[-1] == (None, None)
    downgrade(store, "0011t")
    upgrade(store)
    assert _records(store) == written
    with (
        pytest.raises(SpinewiseError, match="immutable"),
        store.unit_of_work(write=True) as uow,
    ):
        uow.session.execute(text("UPDATE decisions SET verdict = verdict"))
