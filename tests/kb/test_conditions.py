"""The condition language: checked syntax and descriptions in words."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter

from spinewise.kb import Condition

CONDITION: TypeAdapter[Condition] = TypeAdapter(Condition)
FEVER = {"field": "red_flags.fever", "op": "eq", "value": True}
IMMUNO = {"field": "red_flags.immunosuppressed", "op": "eq", "value": True}


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
