"""``spinewise cohort screen | diff | generate``: whole cohorts in columnar form (Parquet)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import polars as pl
import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
from rich.table import Table

from spinewise.cli.output import console, err_console, fail
from spinewise.errors import FieldProblem, InputError, SpinewiseError
from spinewise.kb import KnowledgeBase, load_kb
from spinewise.models import Modality, ModalityStatus, Verdict
from spinewise.screening import (
    diff_cohorts,
    generate_cohort,
    screen_cohort,
    status_column,
)

cohort_app = typer.Typer(
    help="Whole cohorts as Parquet: re-screen, compare knowledge bases, generate.",
    no_args_is_help=True,
)
CHUNK_ROWS = typer.Option(100_000, "--chunk-rows", min=1, help="rows per chunk")


def _kb(path: Path | None) -> KnowledgeBase:
    try:
        return load_kb(path)
    except SpinewiseError as exc:
        fail(exc)


def _read(path: Path) -> pl.DataFrame:
    try:
        return pl.read_parquet(path)
    except FileNotFoundError:
        problem = FieldProblem("(file)", "no such file")
    except (OSError, pl.exceptions.PolarsError) as exc:
        problem = FieldProblem("(file)", f"not a readable Parquet file: {exc}")
    fail(InputError([problem], file=str(path)))


@contextmanager
def _progress(label: str, total: int) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr (hidden when stderr is not a terminal)."""
    columns = (*Progress.get_default_columns()[:2], BarColumn(), MofNCompleteColumn())
    with Progress(
        *columns, TimeElapsedColumn(), console=err_console, transient=True
    ) as bar:
        task = bar.add_task(label, total=total)
        yield lambda rows: bar.advance(task, rows)


def _counts_table(result: pl.DataFrame) -> tuple[Table, Table]:
    verdicts = Table("verdict", "patients", "share", title="verdicts")
    counts = dict(result["verdict"].cast(pl.String).value_counts().iter_rows())
    for verdict in Verdict:
        n = counts.get(verdict.value, 0)
        verdicts.add_row(verdict.value, f"{n:,}", f"{n / max(result.height, 1):.1%}")
    statuses = Table("status", *(m.value for m in Modality), title="modality status")
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


@cohort_app.command("screen")
def screen_command(
    file: Path = typer.Argument(..., help="cohort Parquet file (the cohort layout)"),
    out: Path | None = typer.Option(None, "--out", help="write the results (Parquet)"),
    kb_path: Path | None = typer.Option(None, "--kb", help="knowledge-base folder"),
    chunk_rows: int = CHUNK_ROWS,
) -> None:
    """Re-screen every assessment; print counts by verdict and modality status."""
    kb = _kb(kb_path)
    frame = _read(file)
    try:
        with _progress("screening", frame.height) as advance:
            result = screen_cohort(frame, kb, chunk_rows=chunk_rows, progress=advance)
    except InputError as exc:
        fail(exc.in_file(str(file)))
    for table in _counts_table(result):
        console.print(table)
    console.print(f"{result.height:,} assessments screened with kb {kb.version}.")
    if out is not None:
        result.write_parquet(out)
        console.print(f"wrote {out}")


def _transitions(changed: pl.DataFrame, column: str, title: str) -> Table:
    table = Table("from", "to", "patients", title=title)
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


def _rules_table(changed: pl.DataFrame) -> Table:
    table = Table("rule", "patients whose decision changed", title="by rule")
    counts = (
        changed.select(pl.col("changed_rules").explode().drop_nulls())
        .group_by("changed_rules")
        .len()
        .sort(["len", "changed_rules"], descending=[True, False])
    )
    for rule, n in counts.iter_rows():
        table.add_row(rule, f"{n:,}")
    return table


@cohort_app.command("diff")
def diff_command(
    file: Path = typer.Argument(..., help="cohort Parquet file (the cohort layout)"),
    kb_paths: list[Path] = typer.Option(..., "--kb", help="old, then new KB folder"),
    out: Path | None = typer.Option(None, "--out", help="write the changed rows"),
    chunk_rows: int = CHUNK_ROWS,
) -> None:
    """Which patients change verdict or modality status between two KBs, and by which rules."""
    if len(kb_paths) != 2:
        fail(InputError([FieldProblem("--kb", "give it twice: the old, then the new")]))
    old, new = _kb(kb_paths[0]), _kb(kb_paths[1])
    frame = _read(file)
    try:
        with _progress("screening twice", 2 * frame.height) as advance:
            changed = diff_cohorts(
                frame, old, new, chunk_rows=chunk_rows, progress=advance
            )
    except InputError as exc:
        fail(exc.in_file(str(file)))
    console.print(_transitions(changed, "verdict", "verdict changes"))
    for m in Modality:
        console.print(
            _transitions(changed, status_column(m), f"{m.value} status changes")
        )
    console.print(_rules_table(changed))
    console.print(
        f"kb {old.version} -> {new.version}: {changed.height:,} of {frame.height:,} "
        "assessments change verdict or a modality status."
    )
    if out is not None:
        changed.write_parquet(out)
        console.print(f"wrote {out}")


@cohort_app.command("generate")
def generate_command(
    rows: int = typer.Argument(..., min=1, help="how many assessments"),
    file: Path = typer.Argument(..., help="where to write the Parquet file"),
    seed: int = typer.Option(0, "--seed", min=0, help="same seed, same cohort"),
    assessed_on: str | None = typer.Option(
        None, "--assessed-on", help="latest assessment date (default today)"
    ),
) -> None:
    """Write a synthetic cohort (valid assessments of every kind) for trying it out."""
    try:
        day = dt.date.fromisoformat(assessed_on) if assessed_on else dt.date.today()
    except ValueError:
        fail(InputError([FieldProblem("--assessed-on", "not a date (YYYY-MM-DD)")]))
    frame = generate_cohort(rows, assessed_on=day, seed=seed)
    frame.write_parquet(file)
    console.print(f"wrote {rows:,} synthetic assessments to {file}")


def register(app: typer.Typer) -> None:
    app.add_typer(cohort_app, name="cohort")
