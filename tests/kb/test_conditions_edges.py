"""Edges of the condition language that mutation testing found untested.

Each test here kills a mutant of ``kb/conditions.py`` that the other tests let live
(docs/developers/mutation-testing.md): the inclusive comparisons at their boundary,
the values a rule may compare with, and the words the clinical-basis page shows.
"""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import TypeAdapter

from spinewise.kb import Condition, days_between
from spinewise.screening.operators import interpret

CONDITION: TypeAdapter[Condition] = TypeAdapter(Condition)
ASSESSED_ON = dt.date(2026, 11, 24)
FEVER = {"field": "red_flags.fever", "op": "eq", "value": True}


def truth(
    condition: dict[str, object], **values: object
) -> tuple[bool | None, frozenset[str]]:
    """The condition checked by the KB schema, evaluated on the given answers."""
    return interpret(CONDITION.validate_python(condition), facts(**values))


def facts(**values: object) -> dict[str, object]:
    base: dict[str, object] = {"assessed_on": ASSESSED_ON}
    base.update({k.replace("__", "."): v for k, v in values.items()})
    return base


# --- inclusive and strict comparisons at the boundary ---------------------------


@pytest.mark.parametrize(
    ("op", "below", "equal", "above"),
    [
        ("eq", False, True, False),
        ("ne", True, False, True),
        ("lt", True, False, False),
        ("le", True, True, False),
        ("gt", False, False, True),
        ("ge", False, True, True),
    ],
)
def test_each_operator_decides_below_at_and_above_its_value(
    op: str, below: bool, equal: bool, above: bool
) -> None:
    age_vs_50 = {"field": "patient.age", "op": op, "value": 50}
    truths = [truth(age_vs_50, patient__age=age)[0] for age in (49, 50, 51)]
    assert truths == [below, equal, above]


def test_membership_is_exact() -> None:
    severe = {"field": "hernia.morphology", "op": "in", "value": ["extrusion", "bulge"]}
    assert truth(severe, hernia__morphology="extrusion")[0] is True
    assert truth(severe, hernia__morphology="protrusion")[0] is False


@pytest.mark.parametrize(("age", "expected"), [(49, False), (50, True), (51, True)])
def test_an_age_rule_at_or_over_its_limit_fires_on_the_limit_itself(
    age: int, expected: bool
) -> None:
    age_50_or_over = {"field": "patient.age", "op": "ge", "value": 50}
    assert truth(age_50_or_over, patient__age=age) == (expected, frozenset())


SIX_WEEKS = {"days_since": "history.spinal_surgery_date", "op": "le", "value": 42}


@pytest.mark.parametrize(
    ("days_ago", "expected"), [(41, True), (42, True), (43, False)]
)
def test_a_days_since_rule_up_to_n_days_still_fires_on_day_n(
    days_ago: int, expected: bool
) -> None:
    surgery = ASSESSED_ON - dt.timedelta(days=days_ago)
    assert truth(SIX_WEEKS, history__spinal_surgery_date=surgery) == (
        expected,
        frozenset(),
    )


def test_an_unknown_date_leaves_a_days_since_rule_open_naming_the_date() -> None:
    assert truth(SIX_WEEKS, history__spinal_surgery_date=None) == (
        None,
        frozenset({"history.spinal_surgery_date"}),
    )


def test_days_between_refuses_a_date_that_is_not_a_date() -> None:
    with pytest.raises(AssertionError):
        days_between(facts(symptoms__onset_date="2026-11-01"), "symptoms.onset_date")


# --- values a rule may compare with ------------------------------------------------


@pytest.mark.parametrize("value", ["50", True])
def test_a_number_field_takes_only_a_whole_number(value: object) -> None:
    with pytest.raises(ValueError, match=r"does not fit patient\.age; allowed: int"):
        CONDITION.validate_python({"field": "patient.age", "op": "ge", "value": value})


def test_a_rule_cannot_compare_with_the_enum_word_unknown() -> None:
    """``unknown`` reads as None, so such a rule could never fire: refuse it."""
    with pytest.raises(ValueError, match=r"does not fit patient\.sex; allowed: one of"):
        CONDITION.validate_python(
            {"field": "patient.sex", "op": "eq", "value": "unknown"}
        )


def test_a_known_enum_word_is_accepted() -> None:
    female = {"field": "patient.sex", "op": "eq", "value": "female"}
    assert truth(female, patient__sex="female") == (True, frozenset())


def test_comparing_a_date_field_names_the_field_and_the_kinds_allowed() -> None:
    with pytest.raises(ValueError) as caught:
        CONDITION.validate_python(
            {"field": "history.spinal_surgery_date", "op": "eq", "value": 1}
        )
    assert (
        "history.spinal_surgery_date is a date field; "
        "expected one of ('bool', 'int', 'enum')"
    ) in str(caught.value)


# --- the words the clinical-basis page shows -------------------------------------


@pytest.mark.parametrize(
    ("condition", "words"),
    [
        (
            {"field": "history.spinal_surgery_date", "op": "is_null"},
            "`history.spinal_surgery_date` is not answered",
        ),
        (
            {"field": "history.spinal_surgery_date", "op": "is_not_null"},
            "`history.spinal_surgery_date` is given",
        ),
        (
            {"field": "hernia.morphology", "op": "in", "value": ["extrusion", "bulge"]},
            "`hernia.morphology` is one of extrusion, bulge",
        ),
        (
            {"field": "red_flags.fever", "op": "eq", "value": False},
            "`red_flags.fever` = no",
        ),
        ({"field": "patient.age", "op": "ge", "value": 50}, "`patient.age` ≥ 50"),
        ({"field": "patient.sex", "op": "ne", "value": "male"}, "`patient.sex` ≠ male"),
        (
            {"days_since": "symptoms.onset_date", "op": "lt", "value": 14},
            "days from `symptoms.onset_date` to the assessment < 14",
        ),
        ({"always": True}, "always (every assessment)"),
        (
            {"any": [FEVER, {"not": FEVER}]},
            "(`red_flags.fever` = yes or not `red_flags.fever` = yes)",
        ),
    ],
)
def test_every_node_describes_itself_in_words(
    condition: dict[str, object], words: str
) -> None:
    assert CONDITION.validate_python(condition).describe() == words
