"""Number expressions of the knowledge base (re-screen intervals): data, not code.

``7``, ``{field: PATH}``, ``{days_since: PATH}``, ``{sub: [E, E]}``, ``{mul: [E, E]}``.
This module defines their syntax and how they read in words; what they mean (on one
assessment, in the compiled function, on a column) is ``screening/operators.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StrictInt,
    Tag,
    model_validator,
)

from spinewise.models import assessment_fields


class _Expr(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Const(_Expr):
    const: StrictInt

    @model_validator(mode="before")
    @classmethod
    def _bare_number(cls, value: object) -> object:
        if isinstance(value, int) and not isinstance(value, bool):
            return {"const": value}
        return value

    def describe(self) -> str:
        return str(self.const)


class FieldValue(_Expr):
    field: str

    @model_validator(mode="after")
    def _numeric(self) -> FieldValue:
        spec = assessment_fields().get(self.field)
        if spec is None or spec.kind != "int":
            raise ValueError(f"{self.field!r} is not a number field of the assessment")
        return self

    def describe(self) -> str:
        return f"`{self.field}`"


class DaysSinceValue(_Expr):
    days_since: str

    @model_validator(mode="after")
    def _date(self) -> DaysSinceValue:
        spec = assessment_fields().get(self.days_since)
        if spec is None or spec.kind != "date":
            raise ValueError(
                f"{self.days_since!r} is not a date field of the assessment"
            )
        return self

    def describe(self) -> str:
        return f"days since `{self.days_since}`"


class Sub(_Expr):
    sub: Annotated[list[Expression], Field(min_length=2, max_length=2)]

    def describe(self) -> str:
        return f"({self.sub[0].describe()} - {self.sub[1].describe()})"


class Mul(_Expr):
    mul: Annotated[list[Expression], Field(min_length=2, max_length=2)]

    def describe(self) -> str:
        return f"{self.mul[0].describe()} x {self.mul[1].describe()}"


def _expression_tag(value: object) -> str | None:
    if isinstance(value, BaseModel):
        return f"expr:{type(value).__name__.lower()}"
    if isinstance(value, int) and not isinstance(value, bool):
        return "expr:const"
    if isinstance(value, Mapping):
        for key, tag in (
            ("const", "const"),
            ("field", "fieldvalue"),
            ("days_since", "dayssincevalue"),
            ("sub", "sub"),
            ("mul", "mul"),
        ):
            if key in value:
                return f"expr:{tag}"
    return None


Expression = Annotated[
    Annotated[Const, Tag("expr:const")]
    | Annotated[FieldValue, Tag("expr:fieldvalue")]
    | Annotated[DaysSinceValue, Tag("expr:dayssincevalue")]
    | Annotated[Sub, Tag("expr:sub")]
    | Annotated[Mul, Tag("expr:mul")],
    Discriminator(
        _expression_tag,
        custom_error_type="unknown_expression",
        custom_error_message="not a number expression; use a whole number, field, days_since, sub or mul",
    ),
]
