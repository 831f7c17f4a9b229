"""Each operator once: Kleene logic, null paths, and the three forms agreeing."""

from __future__ import annotations

import datetime as dt
import typing

import polars as pl
import pytest
from tests.kb.test_conditions import CONDITION, FEVER, IMMUNO

from spinewise.kb.conditions import CompareOp
from spinewise.screening.operators import (
    COMPARISONS,
    NULL_TESTS,
    condition_column,
    interpret,
)


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
