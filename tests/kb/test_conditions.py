"""The condition language: Kleene logic, null paths, and descriptions in words."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import TypeAdapter

from spinewise.kb import Condition

CONDITION: TypeAdapter[Condition] = TypeAdapter(Condition)
FEVER = {"field": "red_flags.fever", "op": "eq", "value": True}
IMMUNO = {"field": "red_flags.immunosuppressed", "op": "eq", "value": True}


def facts(**values: object) -> dict[str, object]:
    base: dict[str, object] = {"assessed_on": dt.date(2026, 11, 24)}
    base.update({k.replace("__", "."): v for k, v in values.items()})
    return base


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
    truth, _ = cond.evaluate(
        facts(red_flags__fever=fever, red_flags__immunosuppressed=immuno)
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
    truth, _ = cond.evaluate(
        facts(red_flags__fever=fever, red_flags__immunosuppressed=immuno)
    )
    assert truth is expected


def test_not_of_unknown_is_unknown() -> None:
    cond = CONDITION.validate_python({"not": FEVER})
    assert cond.evaluate(facts(red_flags__fever=None)) == (
        None,
        frozenset({"red_flags.fever"}),
    )


def test_undetermined_result_names_only_the_nulls_that_matter() -> None:
    cond = CONDITION.validate_python({"any": [{"all": [FEVER, IMMUNO]}, FEVER]})
    truth, nulls = cond.evaluate(
        facts(red_flags__fever=None, red_flags__immunosuppressed=False)
    )
    assert truth is None
    assert nulls == {"red_flags.fever"}


def test_null_checks_are_always_known() -> None:
    cond = CONDITION.validate_python(
        {"field": "history.spinal_surgery_date", "op": "is_not_null"}
    )
    assert cond.evaluate(facts(history__spinal_surgery_date=None)) == (
        False,
        frozenset(),
    )


def test_days_since_counts_whole_days_to_the_assessment() -> None:
    cond = CONDITION.validate_python(
        {"days_since": "symptoms.onset_date", "op": "lt", "value": 14}
    )
    assert cond.evaluate(facts(symptoms__onset_date=dt.date(2026, 11, 11)))[0] is True
    assert cond.evaluate(facts(symptoms__onset_date=dt.date(2026, 11, 10)))[0] is False


def test_conditions_describe_themselves_in_words() -> None:
    cond = CONDITION.validate_python({"all": [FEVER, {"not": IMMUNO}]})
    assert cond.describe() == (
        "(`red_flags.fever` = yes and not `red_flags.immunosuppressed` = yes)"
    )


def test_ordering_a_boolean_is_refused() -> None:
    with pytest.raises(ValueError, match="needs a number field"):
        CONDITION.validate_python(
            {"field": "red_flags.fever", "op": "lt", "value": True}
        )
