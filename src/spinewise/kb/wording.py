"""Conditions and re-screen expressions in words, in any language.

``Condition.describe()`` writes English; ``describe_condition`` writes the same words
through a ``Translator`` (field paths stay code), so the Russian clinical-basis page
describes exactly the tree the engine evaluates. In English the two agree (tested).
"""

from __future__ import annotations

from spinewise.i18n import Translator
from spinewise.kb.conditions import (
    _WORDS,
    All,
    Always,
    AnyOf,
    Compare,
    Condition,
    DaysSince,
    Not,
)
from spinewise.kb.expressions import (
    Const,
    DaysSinceValue,
    Expression,
    FieldValue,
    Mul,
    Sub,
)


def _value(tr: Translator, value: object) -> str:
    if value is True:
        return tr.gettext("yes")
    if value is False:
        return tr.gettext("no")
    return str(value)


def _compare(node: Compare, tr: Translator) -> str:
    field = f"`{node.field}`"
    if node.op == "is_null":
        return tr.gettext("{field} is not answered").format(field=field)
    if node.op == "is_not_null":
        return tr.gettext("{field} is given").format(field=field)
    if node.op == "in":
        assert isinstance(node.value, list)
        values = ", ".join(map(str, node.value))
        return tr.gettext("{field} is one of {values}").format(
            field=field, values=values
        )
    return f"{field} {_WORDS[node.op]} {_value(tr, node.value)}"


def describe_condition(node: Condition, tr: Translator) -> str:
    """The condition in the translator's language (English: ``node.describe()``)."""
    if isinstance(node, Compare):
        return _compare(node, tr)
    if isinstance(node, DaysSince):
        return tr.gettext("days from {field} to the assessment {op} {value}").format(
            field=f"`{node.days_since}`", op=_WORDS[node.op], value=node.value
        )
    if isinstance(node, Always):
        return tr.gettext("always (every assessment)")
    if isinstance(node, All):
        joiner = " " + tr.gettext("and") + " "
        return "(" + joiner.join(describe_condition(p, tr) for p in node.all) + ")"
    if isinstance(node, AnyOf):
        joiner = " " + tr.gettext("or") + " "
        return "(" + joiner.join(describe_condition(p, tr) for p in node.any) + ")"
    assert isinstance(node, Not)
    return tr.gettext("not {condition}").format(
        condition=describe_condition(node.not_, tr)
    )


def describe_expression(node: Expression, tr: Translator) -> str:
    """A re-screen expression in the translator's language."""
    if isinstance(node, Const):
        return str(node.const)
    if isinstance(node, FieldValue):
        return f"`{node.field}`"
    if isinstance(node, DaysSinceValue):
        return tr.gettext("days since {field}").format(field=f"`{node.days_since}`")
    if isinstance(node, Sub):
        a, b = (describe_expression(e, tr) for e in node.sub)
        return f"({a} - {b})"
    assert isinstance(node, Mul)
    a, b = (describe_expression(e, tr) for e in node.mul)
    return f"{a} x {b}"
