"""The decision over a whole cohort as polars expressions (``verdict.py`` in columns).

The same steps as ``verdict.py``: modality status before the clearance, exclusions
of an approved or declined clearance, the verdict as the first row of the one verdict
table (``screening/precedence.py``) that holds, the re-screen of ``not_now``,
``missing``. Helper columns start with ``_`` and never reach the result.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from spinewise.kb import KnowledgeBase, Rule
from spinewise.models import (
    Modality,
    ModalityStatus,
    Profile,
    Severity,
    Verdict,
    assessment_fields,
)
from spinewise.screening.cohort.layout import (
    CLEARANCE_DATE,
    CLEARANCE_EXCLUDED,
    CLEARANCE_STATUS,
    CLEARANCE_VALID_UNTIL,
)
from spinewise.screening.cohort.missing import missing_expr
from spinewise.screening.cohort.rescreen import (
    any_of,
    blocking_groups,
    group_exprs,
    rescreen_columns,
    soonest_wait,
    wait_expr,
)
from spinewise.screening.cohort.rules import (
    PROFILE_COLUMN,
    days_expr,
    days_paths,
    masked_rule,
    rule_column,
)
from spinewise.screening.precedence import BLOCKS_EVERY_MODALITY, VERDICT_TABLE

STATUS = pl.Enum([s.value for s in ModalityStatus])
VERDICT = pl.Enum([v.value for v in Verdict])


def status_column(modality: Modality) -> str:
    return f"status.{modality.value}"


def excluded_column(modality: Modality) -> str:
    return f"excluded.{modality.value}"


def _status(value: ModalityStatus) -> pl.Expr:
    return pl.lit(value.value, STATUS)


def _verdict(value: Verdict) -> pl.Expr:
    return pl.lit(value.value, VERDICT)


def _rule(rule: Rule) -> pl.Expr:
    return pl.col(rule_column(rule))


def _fired(rule: Rule) -> pl.Expr:
    return _rule(rule).fill_null(False)


def _status_expr(kb: KnowledgeBase, modality: Modality) -> pl.Expr:
    """The modality's status before the clearance (as ``_Tally.status``)."""
    mine = [r for r in kb.rules if modality in r.targets]
    blocking = [_rule(r) for r in mine if r.severity.blocks]
    precautions = [_rule(r) for r in mine if r.severity is Severity.PRECAUTION]
    blocked = pl.any_horizontal(blocking) if blocking else pl.lit(False)
    cautious = (
        pl.any_horizontal(precautions).fill_null(True) if precautions else pl.lit(False)
    )
    return (
        pl.when(blocked.fill_null(False))
        .then(_status(ModalityStatus.CONTRAINDICATED))
        .when(blocked.is_null() | pl.col("_rf_incomplete"))
        .then(_status(ModalityStatus.UNDETERMINED))
        .when(cautious)
        .then(_status(ModalityStatus.WITH_PRECAUTIONS))
        .otherwise(_status(ModalityStatus.ALLOWED))
    )


def _clearance_exprs() -> list[pl.Expr]:
    status = pl.col(CLEARANCE_STATUS)
    on = pl.col("assessed_on")
    valid_from = pl.col(CLEARANCE_DATE)
    valid_until = pl.col(CLEARANCE_VALID_UNTIL)
    restricting = ((status == "approved") | (status == "declined")).fill_null(False)
    excluded = [
        (
            restricting
            & pl.col(CLEARANCE_EXCLUDED).list.contains(m.value).fill_null(False)
        ).alias(f"_excluded.{m.value}")
        for m in Modality
    ]
    approval_valid = (
        (status == "approved")
        & (valid_from.is_null() | (valid_from <= on))
        & (valid_until.is_null() | (valid_until >= on))
    ).fill_null(False)
    declined = (status == "declined").fill_null(False)
    return [
        *excluded,
        approval_valid.alias("approval_valid"),
        declined.alias("_declined"),
    ]


def _red_flag_exprs(kb: KnowledgeBase, red_flag_paths: list[str]) -> list[pl.Expr]:
    red = [r for r in kb.rules if r.severity is Severity.RED_FLAG]
    incomplete = [_rule(r).is_null() for r in red] + [
        pl.col(p).is_null() for p in red_flag_paths
    ]
    return [
        any_of([_fired(r) for r in red]).alias("_rf_fired"),
        any_of(incomplete).alias("_rf_incomplete"),
    ]


class _Columns:
    """The verdict table's tests as Boolean columns (``precedence.Situation[pl.Expr]``)."""

    def __init__(self) -> None:
        self.status = {m: pl.col(f"_status.{m.value}") for m in Modality}
        self.excluded = {m: pl.col(f"_excluded.{m.value}") for m in Modality}

    def _usable(self, m: Modality) -> pl.Expr:
        status = self.status[m]
        return (status == ModalityStatus.ALLOWED.value) | (
            status == ModalityStatus.WITH_PRECAUTIONS.value
        )

    def _final_is(self, status: ModalityStatus) -> list[pl.Expr]:
        """Per modality: is its status after the physician's exclusions ``status``?"""
        if status is ModalityStatus.CONTRAINDICATED:
            return [
                self.excluded[m] | (self.status[m] == status.value) for m in Modality
            ]
        return [~self.excluded[m] & (self.status[m] == status.value) for m in Modality]

    def red_flag_fired(self) -> pl.Expr:
        return pl.col("_rf_fired")

    def red_flags_open(self) -> pl.Expr:
        return pl.col("_rf_incomplete")

    def declined(self) -> pl.Expr:
        would_allow = pl.any_horizontal([self._usable(m) for m in Modality])
        all_excluded = pl.all_horizontal(
            [~self._usable(m) | self.excluded[m] for m in Modality]
        )
        return pl.col("_declined") | (would_allow & all_excluded)

    def all_contraindicated(self) -> pl.Expr:
        return pl.all_horizontal(self._final_is(ModalityStatus.CONTRAINDICATED))

    def all_contraindicated_for_now(self) -> pl.Expr:
        return self.all_contraindicated() & pl.col("_waits").is_not_null()

    def some_undetermined(self) -> pl.Expr:
        return pl.any_horizontal(self._final_is(ModalityStatus.UNDETERMINED))

    def no_valid_approval(self) -> pl.Expr:
        return ~pl.col("approval_valid")


def _verdict_expr() -> pl.Expr:
    """The verdict table as one ``when``/``then`` chain: the first row that holds."""
    columns = _Columns()
    *tested, last = VERDICT_TABLE
    first, *rest = tested
    chain: Any = pl.when(first.holds(columns)).then(_verdict(first.verdict))
    for row in rest:
        chain = chain.when(row.holds(columns)).then(_verdict(row.verdict))
    verdict: pl.Expr = chain.otherwise(_verdict(last.verdict))
    return verdict


def _final_exprs() -> list[pl.Expr]:
    """The re-screen of ``not_now`` (at least 1) and the statuses as reported."""
    not_now = pl.col("verdict") == Verdict.NOT_NOW.value
    blocked_all = pl.any_horizontal(
        [pl.col("verdict") == v.value for v in sorted(BLOCKS_EVERY_MODALITY)]
    )
    return [
        pl.when(not_now & (pl.col("_waits") < 1))
        .then(pl.lit(1))
        .when(not_now)
        .then(pl.col("_waits"))
        .cast(pl.Int32)
        .alias("rescreen_after_days"),
        *(
            pl.when(blocked_all | pl.col(f"_excluded.{m.value}"))
            .then(_status(ModalityStatus.CONTRAINDICATED))
            .otherwise(pl.col(f"_status.{m.value}"))
            .alias(status_column(m))
            for m in Modality
        ),
        *(pl.col(f"_excluded.{m.value}").alias(excluded_column(m)) for m in Modality),
    ]


PROFILE = pl.Enum([p.value for p in Profile])


def _profile_expr() -> pl.Expr:
    """The profile screened: ``condition.profile``, a disc herniation when absent."""
    # Enum to Enum by word (no per-row string when the words are the same)
    profile = pl.col(PROFILE_COLUMN).cast(PROFILE)
    herniation = pl.lit(Profile.DISC_HERNIATION.value, PROFILE)
    return profile.fill_null(herniation).alias("profile")


def decision_stages(
    kb: KnowledgeBase,
    *,
    rescreen_by_rule: bool,
    with_missing: bool,
    rules_given: bool = False,
) -> tuple[list[list[pl.Expr]], list[str]]:
    """The ``with_columns`` stages that screen a cohort, and the result columns.

    With ``rules_given``, the frame already holds the rule columns, ``_rf_fired``,
    ``_rf_incomplete``, ``_status.<modality>`` and (when ``with_missing``)
    ``missing`` (``bitrules.py``): the stages start after them."""
    red_flag_paths = [p for p in assessment_fields() if p.startswith("red_flags.")]
    groups = blocking_groups(kb)
    modality = [
        *([] if rules_given else _red_flag_exprs(kb, red_flag_paths)),
        *_clearance_exprs(),
        *(
            e
            for targets, name in groups.items()
            for e in group_exprs(kb, targets, name)
        ),
        *(rescreen_columns(kb) if rescreen_by_rule else ()),
    ]
    final = [*_final_exprs(), _profile_expr()]
    if with_missing and not rules_given:
        final.append(missing_expr(kb, red_flag_paths).alias("missing"))
    stages = [
        [days_expr(p) for p in days_paths(kb.rules)],
        [] if rules_given else [masked_rule(r) for r in kb.rules],
        modality,
        [
            *(
                _status_expr(kb, m).alias(f"_status.{m.value}")
                for m in Modality
                if not rules_given
            ),
            *(wait_expr(groups, m).alias(f"_wait.{m.value}") for m in Modality),
        ],
        [soonest_wait().alias("_waits")],
        [_verdict_expr().alias("verdict")],
        final,
    ]
    outputs = [
        "profile",
        "verdict",
        "rescreen_after_days",
        "approval_valid",
        *(status_column(m) for m in Modality),
        *(excluded_column(m) for m in Modality),
        *(["missing"] if with_missing else []),
        *(rule_column(r) for r in kb.rules),
        *(
            e.meta.output_name()
            for e in (rescreen_columns(kb) if rescreen_by_rule else ())
        ),
    ]
    return [s for s in stages if s], outputs
