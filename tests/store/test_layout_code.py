"""The generated reader of layout 1: the keyed document of every array in the
layout's shape, None for any other (the generic path then decides)."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from tests.factories import assessment_data
from tests.strategies import assessment_documents

from spinewise.models import Assessment
from spinewise.store.layout_code import layout_reader
from spinewise.store.packing import ASSESSMENT_SCHEMA_1, LAYOUT_1, pack_answers

read = layout_reader(LAYOUT_1, ASSESSMENT_SCHEMA_1)
PATIENT = 2  # the patient section's place in the array (four values)


def packed() -> list[Any]:
    document = Assessment.model_validate(assessment_data()).to_contract()
    value = orjson.loads(pack_answers(document))
    assert isinstance(value, list)
    return value


@settings(max_examples=200, deadline=None)
@given(document=assessment_documents())
def test_every_packed_assessment_reads_back_as_its_document(
    document: dict[str, Any],
) -> None:
    contract = Assessment.model_validate(document).to_contract()
    assert read(orjson.loads(pack_answers(contract))) == contract


@pytest.mark.parametrize(
    "section",
    [[46, "female", False], [46, "female", False, None, 1], [], True, False, 1, 0.0,
     "abcd", {"age": 46}, (46, "female", False, None)],
    ids=["short", "long", "empty", "true", "false", "one", "zero-float", "text",
         "object", "tuple"],
)  # fmt: skip
def test_a_section_not_in_the_layouts_shape_is_not_read(section: object) -> None:
    value = packed()
    value[PATIENT] = section
    assert read(value) is None


def test_a_left_out_section_is_dropped_and_a_null_one_kept() -> None:
    value = packed()
    value[PATIENT], value[PATIENT + 1] = None, 0
    document = read(value)
    assert document is not None
    assert document["patient"] is None and "condition" not in document
