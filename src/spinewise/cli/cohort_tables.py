"""What ``spinewise cohort screen | diff`` print: counts and transitions as tables for
people, and as JSON documents (codes as keys) for scripts."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from rich.table import Table

from spinewise.cli.output import console
from spinewise.cli.words import _
from spinewise.models import Modality, ModalityStatus, Profile, Verdict
from spinewise.screening import status_column

PATIENT_ID = "patient_id"


def counts(result: pl.DataFrame) -> dict[str, object]:
    """Assessments by verdict, and by status per modality (codes as keys)."""
    by_verdict = dict(result["verdict"].cast(pl.String).value_counts().iter_rows())
    per_modality = {
        m: dict(result[status_column(m)].cast(pl.String).value_counts().iter_rows())
        for m in Modality
    }
    return {
        "assessments": result.height,
        "verdicts": {v.value: int(by_verdict.get(v.value, 0)) for v in Verdict},
        "modality_status": {
            m.value: {
                s.value: int(per_modality[m].get(s.value, 0)) for s in ModalityStatus
            }
            for m in Modality
        },
    }


def counts_table(result: pl.DataFrame) -> tuple[Table, Table]:
    verdicts = Table(_("verdict"), _("patients"), _("share"), title=_("verdicts"))
    by_verdict = dict(result["verdict"].cast(pl.String).value_counts().iter_rows())
    for verdict in Verdict:
        n = by_verdict.get(verdict.value, 0)
        verdicts.add_row(verdict.value, f"{n:,}", f"{n / max(result.height, 1):.1%}")
    statuses = Table(
        _("status"), *(m.value for m in Modality), title=_("modality status")
    )
    per_modality = {
        m: dict(result[status_column(m)].cast(pl.String).value_counts().iter_rows())
        for m in Modality
    }
    for status in ModalityStatus:
        statuses.add_row(
            status.value,
            *(f"{per_modality[m].get(status.value, 0):,}" for m in Modality),
        )
    return verdicts, statuses


def transitions(changed: pl.DataFrame, column: str, title: str) -> Table:
    table = Table(_("from"), _("to"), _("patients"), title=title)
    pairs = (
        changed.group_by(
            pl.col(f"{column}.old").cast(pl.String),
            pl.col(f"{column}.new").cast(pl.String),
        )
        .len()
        .sort("len", descending=True)
    )
    for old, new, n in pairs.iter_rows():
        if old != new:
            table.add_row(old, new, f"{n:,}")
    return table


def rules_table(changed: pl.DataFrame) -> Table:
    table = Table(_("rule"), _("patients whose decision changed"), title=_("by rule"))
    counts = (
        changed.select(pl.col("changed_rules").explode().drop_nulls())
        .group_by("changed_rules")
        .len()
        .sort(["len", "changed_rules"], descending=[True, False])
    )
    for rule, n in counts.iter_rows():
        table.add_row(rule, f"{n:,}")
    return table


def patients_table(changed: pl.DataFrame, show: int) -> Table:
    table = Table(
        _("patient"),
        _("verdict"),
        _("rules whose state changed"),
        title=_("patients"),
    )
    for row in changed.head(show).iter_rows(named=True):
        verdict = f"{row['verdict.old']} -> {row['verdict.new']}"
        table.add_row(str(row[PATIENT_ID]), verdict, ", ".join(row["changed_rules"]))
    if changed.height > show:
        more = _("and {count} more (--show, --out)")
        table.caption = more.format(count=f"{changed.height - show:,}")
    return table


def profiles_table(frame: pl.DataFrame, changed: pl.DataFrame) -> Table:
    """Per condition profile: the assessments screened and how many change."""
    column = "condition.profile"
    profiles = (
        frame[column].cast(pl.String).fill_null(Profile.DISC_HERNIATION.value)
        if column in frame.columns
        else pl.Series([Profile.DISC_HERNIATION.value] * frame.height)
    )
    moved = changed["profile"].cast(pl.String)
    table = Table(title=_("changes per profile"))
    for name in (_("profile"), _("assessments"), _("changed")):
        table.add_column(name)
    for profile in Profile:
        total = int((profiles == profile.value).sum())
        table.add_row(
            profile.value, f"{total:,}", f"{int((moved == profile.value).sum()):,}"
        )
    return table


def print_diff(frame: pl.DataFrame, changed: pl.DataFrame, show: int) -> None:
    console.print(profiles_table(frame, changed))
    console.print(transitions(changed, "verdict", _("verdict changes")))
    for m in Modality:
        title = _("{modality} status changes").format(modality=m.value)
        console.print(transitions(changed, status_column(m), title))
    console.print(rules_table(changed))
    if PATIENT_ID in changed.columns and show:
        console.print(patients_table(changed, show))


def diff_document(
    old: str,
    new: str,
    frame: pl.DataFrame,
    changed: pl.DataFrame,
    show: int,
    out: Path | None,
) -> dict[str, object]:
    """The diff as JSON: counts, and the first ``show`` changed rows."""
    rows = changed.head(show).to_dicts() if show else []
    return {
        "kb_old": old,
        "kb_new": new,
        "assessments": frame.height,
        "changed": changed.height,
        "changes": rows,
        "out": out,
    }
