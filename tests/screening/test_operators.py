"""Each operator once: Kleene logic, null paths, and the three forms agreeing."""

from __future__ import annotations

import datetime as dt
import typing

import polars as pl
import pytest
from pydantic import TypeAdapter
from tests.kb.test_conditions import CONDITION, FEVER, IMMUNO

from spinewise.kb import Expression
from spinewise.kb.conditions import CompareOp
from spinewise.screening.operators import (
    ARITHMETIC,
    COMPARISONS,
    DAYS_PREFIX,
    JUNCTIONS,
    NULL_TESTS,
    condition_column,
    evaluate_number,
    interpret,
    number_column,
)

EXPRESSION: TypeAdapter[Expression] = TypeAdapter(Expression)


def facts(**values: object) -> dict[str, object]:
    base: dict[str, object] = {"assessed_on": dt.date(2026, 11, 24)}
    base.update({k.replace("__", "."): v for k, v in values.items()})
    return base


def test_every_operator_of_the_kb_syntax_has_its_meaning_here() -> None:
    assert set(COMPARISONS) | set(NULL_TESTS) == set(typing.get_args(CompareOp))


@pytest.mark.parametrize("op", sorted(COMPARISONS))
@pytest.mark.parametrize("pain", [None, 0, 3, 4, 5, 10])
def test_interpreted_and_columnar_forms_agree(op: str, pain: int | None) -> None:
    value: object = [3, 5] if op == "in" else 4
    cond = CONDITION.validate_python(
        {"field": "symptoms.pain_nrs", "op": op, "value": value}
    )
    truth, _ = interpret(cond, facts(symptoms__pain_nrs=pain))
    frame = pl.DataFrame(
        {"symptoms.pain_nrs": [pain]}, schema={"symptoms.pain_nrs": pl.Int8}
    )
    assert frame.select(condition_column(cond)).item() == truth


@pytest.mark.parametrize(
    ("fever", "immuno", "expected"),
    [
        (True, True, True),
        (True, False, False),
        (False, None, False),
        (True, None, None),
        (None, None, None),
        (None, False, False),
    ],
)
def test_and_is_kleene(fever: object, immuno: object, expected: object) -> None:
    cond = CONDITION.validate_python({"all": [FEVER, IMMUNO]})
    truth, _ = interpret(
        cond, facts(red_flags__fever=fever, red_flags__immunosuppressed=immuno)
    )
    assert truth is expected


@pytest.mark.parametrize(
    ("fever", "immuno", "expected"),
    [
        (True, None, True),
        (False, False, False),
        (False, None, None),
        (None, None, None),
    ],
)
def test_or_is_kleene(fever: object, immuno: object, expected: object) -> None:
    cond = CONDITION.validate_python({"any": [FEVER, IMMUNO]})
    truth, _ = interpret(
        cond, facts(red_flags__fever=fever, red_flags__immunosuppressed=immuno)
    )
    assert truth is expected


def test_not_of_unknown_is_unknown() -> None:
    cond = CONDITION.validate_python({"not": FEVER})
    assert interpret(cond, facts(red_flags__fever=None)) == (
        None,
        frozenset({"red_flags.fever"}),
    )


def test_undetermined_result_names_only_the_nulls_that_matter() -> None:
    cond = CONDITION.validate_python({"any": [{"all": [FEVER, IMMUNO]}, FEVER]})
    truth, nulls = interpret(
        cond, facts(red_flags__fever=None, red_flags__immunosuppressed=False)
    )
    assert truth is None
    assert nulls == {"red_flags.fever"}


def test_null_checks_are_always_known() -> None:
    cond = CONDITION.validate_python(
        {"field": "history.spinal_surgery_date", "op": "is_not_null"}
    )
    assert interpret(cond, facts(history__spinal_surgery_date=None)) == (
        False,
        frozenset(),
    )


def test_days_since_counts_whole_days_to_the_assessment() -> None:
    cond = CONDITION.validate_python(
        {"days_since": "symptoms.onset_date", "op": "lt", "value": 14}
    )
    assert interpret(cond, facts(symptoms__onset_date=dt.date(2026, 11, 11)))[0] is True
    assert (
        interpret(cond, facts(symptoms__onset_date=dt.date(2026, 11, 10)))[0] is False
    )


def test_a_junction_is_settled_by_its_deciding_part_value() -> None:
    assert {name: j.deciding for name, j in JUNCTIONS.items()} == {
        "all": False,
        "any": True,
    }


def test_every_arithmetic_word_of_the_kb_syntax_has_its_meaning_here() -> None:
    words = {"sub", "mul"}
    for word in words:
        EXPRESSION.validate_python({word: [1, 2]})
    assert set(ARITHMETIC) == words


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        (14, 14),
        ({"field": "patient.pregnancy_weeks"}, 30),
        ({"days_since": "symptoms.onset_date"}, 10),
        ({"sub": [42, {"days_since": "symptoms.onset_date"}]}, 32),
        ({"mul": [7, {"sub": [40, {"field": "patient.pregnancy_weeks"}]}]}, 70),
        ({"sub": [{"field": "patient.age"}, 1]}, None),
        ({"mul": [{"days_since": "history.spinal_surgery_date"}, 2]}, None),
    ],
)
def test_number_expressions_mean_the_same_interpreted_and_on_columns(
    expression: object, expected: int | None
) -> None:
    expr = EXPRESSION.validate_python(expression)
    answers = facts(
        patient__pregnancy_weeks=30,
        patient__age=None,
        symptoms__onset_date=dt.date(2026, 11, 14),
        history__spinal_surgery_date=None,
    )
    assert evaluate_number(expr, answers) == expected
    frame = pl.DataFrame(
        {
            "patient.pregnancy_weeks": [30],
            "patient.age": [None],
            DAYS_PREFIX + "symptoms.onset_date": [10],
            DAYS_PREFIX + "history.spinal_surgery_date": [None],
        },
        schema_overrides={
            "patient.age": pl.Int16,
            DAYS_PREFIX + "history.spinal_surgery_date": pl.Int32,
        },
    )
    assert frame.select(number_column(expr)).item() == expected
