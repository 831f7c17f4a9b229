"""Rules as polars expressions: one nullable Boolean per rule (null = undetermined).

Each node's columnar form is ``operators.condition_column`` (beside its interpreted
and compiled forms), giving the interpreter's truth value on every row. What leaves a rule
undetermined (its null paths, for ``missing``) is one Boolean per path it reads: for a
leaf, the path is null; for ``all``/``any``, some unknown part has it; ``not`` keeps it.
"""

from __future__ import annotations

from functools import reduce

import polars as pl

from spinewise.kb import (
    All,
    Always,
    AnyOf,
    Condition,
    Const,
    DaysSince,
    DaysSinceValue,
    Expression,
    FieldValue,
    Not,
    Rule,
    Sub,
)
from spinewise.models import Profile
from spinewise.screening.operators import (
    DAYS_PREFIX,
    condition_column,
    leaf_path,
)

RULE_PREFIX = "rule."
RESCREEN_PREFIX = "rescreen."
PROFILE_COLUMN = "condition.profile"


def profile_mask(rule: Rule) -> pl.Expr | None:
    """True on rows whose profile the rule belongs to; None when it belongs to every
    profile. A row without ``condition.profile`` is a disc herniation."""
    if set(rule.profiles) == set(Profile):
        return None
    profile = pl.col(PROFILE_COLUMN).cast(pl.String)
    profile = profile.fill_null(Profile.DISC_HERNIATION.value)
    return profile.is_in([p.value for p in rule.profiles])


def masked_rule(rule: Rule) -> pl.Expr:
    """The rule's state column: evaluated on rows of its profiles, false elsewhere
    (a rule outside the row's profile is never fired nor undetermined)."""
    state = condition_column(rule.when)
    mask = profile_mask(rule)
    if mask is not None:
        state = pl.when(mask).then(state).otherwise(pl.lit(False))
    return state.alias(rule_column(rule))


def rule_column(rule: Rule) -> str:
    """The state column of ``rule``: true fired, false not fired, null undetermined."""
    return RULE_PREFIX + rule.id


def rescreen_column(rule: Rule) -> str:
    """The re-screen column of a temporary rule: its days when fired, else null."""
    return RESCREEN_PREFIX + rule.id


def expression_paths(expr: Expression) -> frozenset[str]:
    """The field paths a re-screen expression reads."""
    if isinstance(expr, FieldValue):
        return frozenset({expr.field})
    if isinstance(expr, DaysSinceValue):
        return frozenset({expr.days_since})
    if isinstance(expr, Const):
        return frozenset()
    parts = expr.sub if isinstance(expr, Sub) else expr.mul
    return expression_paths(parts[0]) | expression_paths(parts[1])


def days_paths(rules: list[Rule]) -> list[str]:
    """Every date path a ``days_since`` reads, in first-use order."""
    found: dict[str, None] = {}

    def walk(node: Condition | Expression) -> None:
        if isinstance(node, DaysSince | DaysSinceValue):
            found[node.days_since] = None
        for child in _children(node):
            walk(child)

    for rule in rules:
        walk(rule.when)
        if rule.rescreen_after is not None:
            walk(rule.rescreen_after)
    return list(found)


def _children(node: Condition | Expression) -> list[Condition | Expression]:
    if isinstance(node, All):
        return list(node.all)
    if isinstance(node, AnyOf):
        return list(node.any)
    if isinstance(node, Not):
        return [node.not_]
    if isinstance(node, Sub):
        return list(node.sub)
    return list(getattr(node, "mul", []))


def days_expr(path: str) -> pl.Expr:
    """``days(assessed_on - path)`` as Int32 (null when the date is null)."""
    return (pl.col("assessed_on").to_physical() - pl.col(path).to_physical()).alias(
        DAYS_PREFIX + path
    )


def null_reason(node: Condition, path: str) -> pl.Expr | None:
    """True on rows where ``path`` is among the node's null paths (if unknown there).

    None when the node can never owe its unknown to ``path``.
    """
    leaf = leaf_path(node)
    if leaf is not None:
        return pl.col(path).is_null() if leaf == path else None
    if isinstance(node, Not):
        return null_reason(node.not_, path)
    if not isinstance(node, All | AnyOf):
        return None
    parts = node.all if isinstance(node, All) else node.any
    if isinstance(node, AnyOf) and any(isinstance(p, Always) for p in parts):
        return None
    terms = []
    for part in parts:
        reason = null_reason(part, path)
        if reason is None:
            continue
        if leaf_path(part) is None:
            reason = condition_column(part).is_null() & reason
        terms.append(reason)
    return reduce(lambda a, b: a | b, terms) if terms else None


def rule_null_reason(rule: Rule, path: str) -> pl.Expr | None:
    """True on rows where the rule is undetermined and ``path`` is among its nulls."""
    reason = null_reason(rule.when, path)
    if reason is None:
        return None
    undetermined = pl.col(rule_column(rule)).is_null()
    return undetermined if leaf_path(rule.when) == path else undetermined & reason
