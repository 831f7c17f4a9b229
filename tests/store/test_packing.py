"""Compact stored forms: answers packed by layout 1, outputs deflated, both exact."""

from __future__ import annotations

import json
import zlib

import orjson
import pytest
from tests.factories import assessment_data

from spinewise.errors import StoreError
from spinewise.kb import load_kb
from spinewise.models import Assessment, described_fields
from spinewise.screening import screen
from spinewise.store.packing import (
    ASSESSMENT_SCHEMA_1,
    LAYOUT_1,
    answer_index,
    outcome_dictionary,
    pack_answers,
    pack_outcome,
    unpack_answers,
    unpack_outcome,
)


def test_an_assessment_comes_back_exactly_as_stored() -> None:
    document = Assessment.model_validate(assessment_data()).to_contract()
    stored = pack_answers(document)
    assert unpack_answers(stored) == document
    assert orjson.loads(stored)[0] == 1


def test_packed_answers_are_a_fraction_of_the_json_document() -> None:
    document = Assessment.model_validate(assessment_data()).to_contract()
    assert len(pack_answers(document)) < len(json.dumps(document)) / 3


def test_a_section_left_out_stays_left_out_and_a_null_one_stays_null() -> None:
    document = Assessment.model_validate(assessment_data()).to_contract()
    assert "condition" not in document
    document["clearance"] = None
    back = unpack_answers(pack_answers(document))
    assert "condition" not in back and back["clearance"] is None and back == document


def test_a_document_that_does_not_fit_the_layout_is_kept_whole() -> None:
    for document in (
        {},
        {"schema": ASSESSMENT_SCHEMA_1},
        assessment_data(patient={"age": 40, "extra": 1}),
        {"schema": "spinewise.assessment/2", "assessed_on": "2026-11-24"},
    ):
        stored = pack_answers(document)
        assert stored.startswith("{") and unpack_answers(stored) == document


def test_layout_1_holds_every_field_of_the_contract() -> None:
    for path in described_fields():
        section, key = path.split(".") if "." in path else (path, "")
        assert answer_index(path)[0] == [n for n, _ in LAYOUT_1].index(section) + 1
        if key:
            keys = dict(LAYOUT_1)[section]
            assert keys is not None and key in keys


def test_a_field_outside_the_layout_has_no_place() -> None:
    with pytest.raises(StoreError, match="not in the stored answers"):
        answer_index("patient.shoe_size")


def test_answers_of_an_unknown_layout_are_refused() -> None:
    with pytest.raises(StoreError, match="unknown layout"):
        unpack_answers("[2, 1]")


def test_a_decision_output_comes_back_exactly_and_smaller() -> None:
    output = screen(Assessment.model_validate(assessment_data()), load_kb())
    contract = output.to_contract()
    stored = pack_outcome(contract)
    assert unpack_outcome(stored) == contract
    assert len(stored) < len(json.dumps(contract)) / 2


def test_an_output_of_an_unknown_format_is_refused() -> None:
    with pytest.raises(StoreError, match="unknown format"):
        unpack_outcome(b"\x07abc")


def test_an_output_deflated_without_the_dictionary_still_reads() -> None:
    output = {"schema": "spinewise.decision/1", "verdict": "proceed", "findings": []}
    plain = b"\x01" + zlib.compress(orjson.dumps(output))
    assert unpack_outcome(plain) == output


def test_the_outcome_dictionary_is_the_frozen_one() -> None:
    assert len(outcome_dictionary()) == 32 * 1024


def test_each_output_is_packed_as_by_a_freshly_primed_compressor() -> None:
    first = screen(Assessment.model_validate(assessment_data()), load_kb())
    second = {"verdict": "refer", "findings": []}
    for output in (first.to_contract(), second, first.to_contract()):
        fresh = zlib.compressobj(6, zdict=outcome_dictionary())
        text = orjson.dumps(output)
        assert pack_outcome(output) == b"\x02" + fresh.compress(text) + fresh.flush()
