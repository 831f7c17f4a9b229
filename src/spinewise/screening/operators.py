"""Each condition operator once: its three-valued meaning and its three forms.

The knowledge base (``kb/conditions.py``) defines the syntax of a condition and how
it reads in words; this module defines what it *means*, once per operator, with the
interpreted form (Python values), the compiled form (the ``ast`` comparison the
generated function uses) and the columnar form (a polars expression) side by side.
A new comparison is one :class:`Operator` here (and its word in the KB's schema).
The number expressions of re-screen intervals (``kb/expressions.py``) get their
meaning here too: each arithmetic word is one :class:`Arithmetic` with its three forms,
and a null anywhere makes the number null.

Three-valued (Kleene) logic: a comparison with an unanswered field is unknown and
names that field; ``is_null``/``is_not_null`` are always known; ``all`` is false if
any part is false, else unknown if any part is unknown; ``any`` is the mirror;
``not`` keeps unknown; ``always`` is true. ``all`` and ``any`` are one
:class:`Junction` each: the part value that decides, and the columnar reducer.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from typing import Any

import polars as pl

from spinewise.kb import (
    All,
    Always,
    AnyOf,
    Compare,
    Condition,
    Const,
    DaysSince,
    DaysSinceValue,
    Expression,
    Facts,
    FieldValue,
    Mul,
    Not,
    Sub,
    days_between,
)

Truth = bool | None
Outcome = tuple[Truth, frozenset[str]]
"""A truth value and, when it is unknown, the null fields that leave it open."""

DAYS_PREFIX = "_days."


@dataclass(frozen=True)
class Operator:
    """A comparison of a known value with the rule's value; unknown on a null."""

    name: str
    holds: Callable[[Any, Any], bool]
    """Interpreted: on two known values."""
    ast_op: type[ast.cmpop]
    """Compiled: the comparison node of the generated function."""
    column: Callable[[pl.Expr, Any], pl.Expr]
    """Columnar: null stays null (polars compares nulls to null)."""


def _in_column(column: pl.Expr, values: list[object]) -> pl.Expr:
    return reduce(operator.or_, (column == pl.lit(v) for v in values))


COMPARISONS: dict[str, Operator] = {
    op.name: op
    for op in (
        Operator("eq", operator.eq, ast.Eq, lambda c, v: c == pl.lit(v)),
        Operator("ne", operator.ne, ast.NotEq, lambda c, v: c != pl.lit(v)),
        Operator("lt", operator.lt, ast.Lt, lambda c, v: c < pl.lit(v)),
        Operator("le", operator.le, ast.LtE, lambda c, v: c <= pl.lit(v)),
        Operator("gt", operator.gt, ast.Gt, lambda c, v: c > pl.lit(v)),
        Operator("ge", operator.ge, ast.GtE, lambda c, v: c >= pl.lit(v)),
        Operator("in", lambda left, right: left in right, ast.In, _in_column),
    )
}
"""Every ordering, equality and membership operator of the condition language."""

NULL_TESTS: dict[str, bool] = {"is_null": True, "is_not_null": False}
"""The operators that test whether a field is answered (value: true when null);
interpreted ``(v is None) == wanted``, compiled ``v is None``/``v is not None``,
columnar ``is_null()``/``is_not_null()``; never unknown."""


@dataclass(frozen=True)
class Junction:
    """``all`` or ``any`` in Kleene logic: the first part with the ``deciding`` value
    decides the whole; else unknown if a part is unknown; else ``not deciding``."""

    name: str
    deciding: bool
    """Interpreted and compiled: the part value that settles the junction."""
    column: Callable[[pl.Expr, pl.Expr], pl.Expr]
    """Columnar: polars' ``&``/``|`` on nullable Booleans are Kleene's and/or."""


JUNCTIONS: dict[str, Junction] = {
    "all": Junction("all", False, operator.and_),
    "any": Junction("any", True, operator.or_),
}


def junction_of(node: All | AnyOf) -> tuple[Junction, list[Condition]]:
    """The junction word of ``node`` and its parts, in order."""
    if isinstance(node, AnyOf):
        return JUNCTIONS["any"], list(node.any)
    return JUNCTIONS["all"], list(node.all)


def is_null_test(node: Condition) -> bool:
    return isinstance(node, Compare) and node.op in NULL_TESTS


def leaf_path(node: Condition) -> str | None:
    """The field a comparison reads (the one that can leave it unknown), else None."""
    if isinstance(node, Compare) and node.op not in NULL_TESTS:
        return node.field
    if isinstance(node, DaysSince):
        return node.days_since
    return None


def interpret(node: Condition, facts: Facts) -> Outcome:
    """Interpreted form: the node's truth on one assessment, and what leaves it open."""
    if isinstance(node, Always):
        return (True, frozenset())
    if isinstance(node, Compare) and node.op in NULL_TESTS:
        return ((facts.get(node.field) is None) == NULL_TESTS[node.op], frozenset())
    if isinstance(node, Compare | DaysSince):
        if isinstance(node, Compare):
            path, value = node.field, facts.get(node.field)
        else:
            path, value = node.days_since, days_between(facts, node.days_since)
        if value is None:
            return (None, frozenset({path}))
        holds = COMPARISONS[node.op].holds(value, node.value)
        return (bool(holds), frozenset())
    if isinstance(node, Not):
        truth, nulls = interpret(node.not_, facts)
        return (None if truth is None else not truth, nulls)
    word, parts = junction_of(node)
    deciding = word.deciding
    unknown: frozenset[str] = frozenset()
    for part in parts:
        truth, nulls = interpret(part, facts)
        if truth is deciding:
            return (deciding, frozenset())
        if truth is None:
            unknown |= nulls
    return (None, unknown) if unknown else (not deciding, frozenset())


def days_column(path: str) -> pl.Expr:
    """The helper column holding ``days(assessed_on - path)``."""
    return pl.col(DAYS_PREFIX + path)


def condition_column(node: Condition) -> pl.Expr:
    """Columnar form: the node's three-valued truth on every row.

    Polars' ``&``, ``|`` and ``~`` on nullable Booleans are Kleene's and, or, not.
    """
    if isinstance(node, Always):
        return pl.lit(True)
    if isinstance(node, Compare):
        column = pl.col(node.field)
        if node.op in NULL_TESTS:
            return column.is_null() if NULL_TESTS[node.op] else column.is_not_null()
        if isinstance(node.value, bool) and node.op in ("eq", "ne"):
            # a Boolean column (the layout's type) is its own truth value
            return column if node.value == (node.op == "eq") else ~column
        return COMPARISONS[node.op].column(column, node.value)
    if isinstance(node, DaysSince):
        return COMPARISONS[node.op].column(days_column(node.days_since), node.value)
    if isinstance(node, Not):
        return ~condition_column(node.not_)
    word, parts = junction_of(node)
    return reduce(word.column, (condition_column(p) for p in parts))


@dataclass(frozen=True)
class Arithmetic:
    """An arithmetic word of the number expressions; null in, null out."""

    name: str
    apply: Callable[[int, int], int]
    """Interpreted: on two known numbers."""
    ast_op: type[ast.operator]
    """Compiled: the operator node of the generated function."""
    column: Callable[[pl.Expr, pl.Expr], pl.Expr]
    """Columnar: polars arithmetic keeps nulls null."""


ARITHMETIC: dict[str, Arithmetic] = {
    op.name: op
    for op in (
        Arithmetic("sub", operator.sub, ast.Sub, operator.sub),
        Arithmetic("mul", operator.mul, ast.Mult, operator.mul),
    )
}
"""Every arithmetic word of the number expressions (``sub``, ``mul``)."""


def arithmetic_of(expr: Sub | Mul) -> tuple[Arithmetic, Expression, Expression]:
    """The word of a two-operand expression and its operands, left to right."""
    left, right = expr.sub if isinstance(expr, Sub) else expr.mul
    return ARITHMETIC["sub" if isinstance(expr, Sub) else "mul"], left, right


def evaluate_number(expr: Expression, facts: Facts) -> int | None:
    """Interpreted form: the expression's number of days, None when a part is null."""
    if isinstance(expr, Const):
        return expr.const
    if isinstance(expr, FieldValue):
        value = facts.get(expr.field)
        return value if isinstance(value, int) else None
    if isinstance(expr, DaysSinceValue):
        return days_between(facts, expr.days_since)
    word, left, right = arithmetic_of(expr)
    a, b = evaluate_number(left, facts), evaluate_number(right, facts)
    return None if a is None or b is None else word.apply(a, b)


def number_column(expr: Expression) -> pl.Expr:
    """Columnar form: the expression in days on every row (Int64; null propagates)."""
    if isinstance(expr, Const):
        return pl.lit(expr.const, pl.Int64)
    if isinstance(expr, FieldValue):
        return pl.col(expr.field).cast(pl.Int64)
    if isinstance(expr, DaysSinceValue):
        return days_column(expr.days_since).cast(pl.Int64)
    word, left, right = arithmetic_of(expr)
    return word.column(number_column(left), number_column(right))
