"""The condition language of the knowledge base: structured data, never code.

A condition is one of::

    {all: [C, ...]}  {any: [C, ...]}  {not: C}  {always: true}
    {field: PATH, op: eq|ne|lt|le|gt|ge|in|is_null|is_not_null, value: V}
    {days_since: PATH, op: eq|ne|lt|le|gt|ge, value: N}   # days(assessed_on - PATH)

and a re-screen expression is a number, ``{field: PATH}``, ``{days_since: PATH}``,
``{sub: [E, E]}`` or ``{mul: [E, E]}``. This module is the syntax: every node is
checked against the assessment's fields and can ``describe()`` itself in words for the
clinical-basis page. What each operator means in three-valued (Kleene) logic, and its
interpreted, compiled and columnar forms, is defined once in ``screening/operators.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    Tag,
    model_validator,
)

from spinewise.models import assessment_fields

Facts = Mapping[str, object]
"""Field path -> value, with the enum word ``unknown`` already read as None."""

CompareOp = Literal["eq", "ne", "lt", "le", "gt", "ge", "in", "is_null", "is_not_null"]
OrderOp = Literal["eq", "ne", "lt", "le", "gt", "ge"]
Scalar = StrictBool | StrictInt | StrictStr
_WORDS = {"eq": "=", "ne": "≠", "lt": "<", "le": "≤", "gt": ">", "ge": "≥"}


def days_between(facts: Facts, path: str) -> int | None:
    """``days(assessed_on - path)``, or None when the date is unknown."""
    value = facts.get(path)
    if value is None:
        return None
    assessed_on = facts["assessed_on"]
    assert isinstance(assessed_on, dt.date) and isinstance(value, dt.date)
    return (assessed_on - value).days


class _Node(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def _check_path(path: str, kinds: tuple[str, ...]) -> None:
    spec = assessment_fields().get(path)
    if spec is None:
        raise ValueError(f"unknown field path {path!r}")
    if spec.kind not in kinds:
        raise ValueError(f"{path} is a {spec.kind} field; expected one of {kinds}")


def _check_value(path: str, value: object) -> None:
    spec = assessment_fields()[path]
    ok = {
        "bool": isinstance(value, bool),
        "int": isinstance(value, int) and not isinstance(value, bool),
        "enum": isinstance(value, str) and value in spec.values and value != "unknown",
        "date": False,
        "list": False,
        "str": False,
    }[spec.kind]
    if not ok:
        allowed = f"one of {list(spec.values)}" if spec.kind == "enum" else spec.kind
        raise ValueError(f"value {value!r} does not fit {path}; allowed: {allowed}")


class Compare(_Node):
    field: str
    op: CompareOp
    value: Scalar | list[Scalar] | None = None

    @model_validator(mode="after")
    def _typed(self) -> Compare:
        if self.op in ("is_null", "is_not_null"):
            _check_path(self.field, ("bool", "int", "enum", "date"))
            if self.value is not None:
                raise ValueError(f"op {self.op} takes no value")
            return self
        _check_path(self.field, ("bool", "int", "enum"))
        if self.op == "in":
            if not isinstance(self.value, list) or not self.value:
                raise ValueError("op in needs a non-empty list of values")
            for item in self.value:
                _check_value(self.field, item)
        else:
            if isinstance(self.value, list) or self.value is None:
                raise ValueError(f"op {self.op} needs one value")
            _check_value(self.field, self.value)
            kind = assessment_fields()[self.field].kind
            if self.op in ("lt", "le", "gt", "ge") and kind != "int":
                raise ValueError(f"op {self.op} needs a number field, not {kind}")
        return self

    def describe(self) -> str:
        if self.op == "is_null":
            return f"`{self.field}` is not answered"
        if self.op == "is_not_null":
            return f"`{self.field}` is given"
        if self.op == "in":
            assert isinstance(self.value, list)
            return f"`{self.field}` is one of {', '.join(map(str, self.value))}"
        shown = {True: "yes", False: "no"}.get(self.value, self.value)  # type: ignore[call-overload]
        return f"`{self.field}` {_WORDS[self.op]} {shown}"

    def paths(self) -> frozenset[str]:
        return frozenset({self.field})


class DaysSince(_Node):
    days_since: str
    op: OrderOp
    value: StrictInt

    @model_validator(mode="after")
    def _typed(self) -> DaysSince:
        _check_path(self.days_since, ("date",))
        return self

    def describe(self) -> str:
        return f"days from `{self.days_since}` to the assessment {_WORDS[self.op]} {self.value}"

    def paths(self) -> frozenset[str]:
        return frozenset({self.days_since})


class Always(_Node):
    always: Literal[True]

    def describe(self) -> str:
        return "always (every assessment)"

    def paths(self) -> frozenset[str]:
        return frozenset()


class All(_Node):
    all: Annotated[list[Condition], Field(min_length=1)]

    def describe(self) -> str:
        return "(" + " and ".join(p.describe() for p in self.all) + ")"

    def paths(self) -> frozenset[str]:
        return frozenset().union(*(p.paths() for p in self.all))


class AnyOf(_Node):
    any: Annotated[list[Condition], Field(min_length=1)]

    def describe(self) -> str:
        return "(" + " or ".join(p.describe() for p in self.any) + ")"

    def paths(self) -> frozenset[str]:
        return frozenset().union(*(p.paths() for p in self.any))


class Not(_Node):
    not_: Condition = Field(alias="not")

    def describe(self) -> str:
        return f"not {self.not_.describe()}"

    def paths(self) -> frozenset[str]:
        return self.not_.paths()


def _condition_tag(value: object) -> str | None:
    if isinstance(value, BaseModel):
        return f"cond:{type(value).__name__.lower()}"
    if not isinstance(value, Mapping):
        return None
    for key, tag in (
        ("all", "all"),
        ("any", "anyof"),
        ("not", "not"),
        ("always", "always"),
        ("days_since", "dayssince"),
        ("field", "compare"),
    ):
        if key in value:
            return f"cond:{tag}"
    return None


Condition = Annotated[
    Annotated[All, Tag("cond:all")]
    | Annotated[AnyOf, Tag("cond:anyof")]
    | Annotated[Not, Tag("cond:not")]
    | Annotated[Always, Tag("cond:always")]
    | Annotated[DaysSince, Tag("cond:dayssince")]
    | Annotated[Compare, Tag("cond:compare")],
    Discriminator(
        _condition_tag,
        custom_error_type="unknown_condition",
        custom_error_message=(
            "not a condition; use all, any, not, always, field or days_since"
        ),
    ),
]
