"""Re-screen days over a whole cohort (docs/clinical-basis.md#rescreen) as polars expressions.

For each modality, the largest re-screen value among its fired blocking rules (null
when one of them is lasting); for ``not_now``, the smallest of these over the
modalities not excluded, at least 1 (applied in ``cohort_decision``).
"""

from __future__ import annotations

import polars as pl

from spinewise.kb import Const, KnowledgeBase, Rule
from spinewise.models import Modality
from spinewise.screening.cohort.rules import rescreen_column, rule_column
from spinewise.screening.operators import number_column

NEVER = pl.lit(-(2**62), pl.Int64)
"""Stands for "no fired rule" inside a maximum (no nulls: several times faster)."""
_NONE_YET = pl.lit(2**62, pl.Int64)


def _rule(rule: Rule) -> pl.Expr:
    return pl.col(rule_column(rule))


def _fired(rule: Rule) -> pl.Expr:
    return _rule(rule).fill_null(False)


def any_of(exprs: list[pl.Expr]) -> pl.Expr:
    return pl.any_horizontal(exprs) if exprs else pl.lit(False)


def blocking_groups(kb: KnowledgeBase) -> dict[tuple[Modality, ...], str]:
    """Blocking rules grouped by the modalities they target (a helper name each)."""
    groups: dict[tuple[Modality, ...], str] = {}
    for rule in kb.rules:
        if rule.severity.blocks and rule.targets not in groups:
            groups[rule.targets] = f"_group{len(groups)}"
    return groups


def group_exprs(
    kb: KnowledgeBase, targets: tuple[Modality, ...], name: str
) -> list[pl.Expr]:
    """For the blocking rules with these targets: did a lasting one fire, and the
    largest re-screen value among those fired (``NEVER`` when none).

    Rules with the same fixed value are tested together, and no value inside the
    maximum is null: polars' horizontal maximum is several times faster without
    nulls. Modalities share the groups (most blocking rules target all three).
    """
    rules = [r for r in kb.rules if r.severity.blocks and r.targets == targets]
    lasting = [_rule(r) for r in rules if r.rescreen_after is None]
    fixed: dict[int, list[pl.Expr]] = {}
    varying = []
    for rule in rules:
        if isinstance(rule.rescreen_after, Const):
            fixed.setdefault(rule.rescreen_after.const, []).append(_rule(rule))
        elif rule.rescreen_after is not None:
            varying.append((_fired(rule), number_column(rule.rescreen_after)))
    stops = [pl.any_horizontal(lasting).fill_null(False)] if lasting else []
    stops += [fired & days.is_null() for fired, days in varying]
    largest_fixed = NEVER
    for days in sorted(fixed):
        fired = pl.any_horizontal(fixed[days]).fill_null(False)
        largest_fixed = (
            pl.when(fired).then(pl.lit(days, pl.Int64)).otherwise(largest_fixed)
        )
    values = [largest_fixed]
    values += [
        pl.when(fired).then(days.fill_null(NEVER)).otherwise(NEVER)
        for fired, days in varying
    ]
    return [
        any_of(stops).alias(f"{name}.stop"),
        pl.max_horizontal(values).alias(f"{name}.longest"),
    ]


def wait_expr(groups: dict[tuple[Modality, ...], str], modality: Modality) -> pl.Expr:
    """Days until the modality may be free (4.5: the largest value among its fired
    blocking rules); null when none fired or a fired one is lasting."""
    names = [name for targets, name in groups.items() if modality in targets]
    if not names:
        return pl.lit(None, pl.Int64)
    stop = pl.any_horizontal([pl.col(f"{n}.stop") for n in names])
    longest = pl.max_horizontal([pl.col(f"{n}.longest") for n in names])
    return (
        pl.when(stop | (longest == NEVER))
        .then(pl.lit(None, pl.Int64))
        .otherwise(longest)
    )


def soonest_wait() -> pl.Expr:
    """4.5: the smallest wait over the modalities not excluded (null if none)."""
    soonest = pl.min_horizontal(
        [
            pl.when(~pl.col(f"_excluded.{m.value}"))
            .then(pl.col(f"_wait.{m.value}").fill_null(_NONE_YET))
            .otherwise(_NONE_YET)
            for m in Modality
        ]
    )
    return pl.when(soonest != _NONE_YET).then(soonest)


def rescreen_columns(kb: KnowledgeBase) -> list[pl.Expr]:
    return [
        pl.when(_fired(r))
        .then(number_column(r.rescreen_after))
        .cast(pl.Int32)
        .alias(rescreen_column(r))
        for r in kb.rules
        if r.rescreen_after is not None
    ]
