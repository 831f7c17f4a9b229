"""What a knowledge-base change does to a cohort: who changes verdict or modality status.

``diff_cohorts(cohort, old_kb, new_kb)`` screens the cohort with both and returns one
row per assessment whose verdict or any modality status differs, with the rules
whose state differs (a rule present in one knowledge base only counts as not fired
in the other).
"""

from __future__ import annotations

import polars as pl
import pyarrow as pa

from spinewise.kb import KnowledgeBase
from spinewise.models import Modality
from spinewise.screening.cohort.decision import status_column
from spinewise.screening.cohort.layout import PATIENT_ID
from spinewise.screening.cohort.missing import lists_of_flags
from spinewise.screening.cohort.plan import DEFAULT_CHUNK_ROWS, Progress, screen_cohort
from spinewise.screening.cohort.rules import RULE_PREFIX

ROW = "row"


def _rule_ids(old: KnowledgeBase, new: KnowledgeBase) -> list[str]:
    ids = [r.id for r in old.rules]
    return ids + [r.id for r in new.rules if r.id not in set(ids)]


def _state(columns: set[str], side: str, rule_id: str) -> pl.Expr:
    name = f"{RULE_PREFIX}{rule_id}"
    return pl.col(f"{name}.{side}") if name in columns else pl.lit(False)


def _changed_rules(
    old_kb: KnowledgeBase, new_kb: KnowledgeBase, columns: dict[str, set[str]]
) -> pl.Expr:
    """Per row, the rules whose state differs (null-aware) between the two screens."""
    flags = [
        (
            rule_id,
            _state(columns["old"], "old", rule_id).ne_missing(
                _state(columns["new"], "new", rule_id)
            ),
        )
        for rule_id in _rule_ids(old_kb, new_kb)
    ]
    return lists_of_flags(flags).alias("changed_rules")


def diff_cohorts(
    cohort: pl.DataFrame | pa.Table,
    old_kb: KnowledgeBase,
    new_kb: KnowledgeBase,
    *,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    progress: Progress | None = None,
) -> pl.DataFrame:
    """Rows whose decision changes from ``old_kb`` to ``new_kb``.

    Columns: ``row`` (position in the cohort), ``patient_id`` when the cohort has one,
    ``profile`` (the profile screened, the same in both), ``verdict.old``/``verdict.new``, ``status.<modality>.old``/``.new`` and
    ``changed_rules`` (a list of rule ids, in rule order).
    """
    frame = (
        cohort
        if isinstance(cohort, pl.DataFrame)
        else pl.DataFrame(pl.from_arrow(cohort))
    )
    keep = [PATIENT_ID] if PATIENT_ID in frame.columns else []
    parts = [pl.DataFrame({ROW: pl.int_range(0, frame.height, eager=True)})]
    parts += [frame.select(keep)] if keep else []
    columns: dict[str, set[str]] = {}
    for side, kb in (("old", old_kb), ("new", new_kb)):
        result = screen_cohort(
            frame, kb, with_missing=False, chunk_rows=chunk_rows, progress=progress
        ).drop(keep)
        columns[side] = set(result.columns)
        parts.append(result.select(pl.all().name.suffix(f".{side}")))
    decided = ["verdict", *(status_column(m) for m in Modality)]
    changed = pl.any_horizontal(
        [
            pl.col(f"{c}.old").cast(pl.String) != pl.col(f"{c}.new").cast(pl.String)
            for c in decided
        ]
    )
    return (
        pl.concat(parts, how="horizontal")
        .lazy()
        .filter(changed)
        .select(
            ROW,
            *keep,
            pl.col("profile.new").alias("profile"),
            *(pl.col(f"{c}.{side}") for c in decided for side in ("old", "new")),
            _changed_rules(old_kb, new_kb, columns),
        )
        .collect()
    )
