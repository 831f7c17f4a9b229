"""``spinewise cohort screen | diff | export | generate``: whole cohorts in columnar form.

A cohort is a Parquet file in the cohort layout or, with ``--from-store``, the
clinic's current assessments read straight from the database (see cohort_source).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import typer

from spinewise.cli.cohort_source import (
    file_argument,
    from_store_option,
    load_knowledge_base,
    read_source,
    read_store,
)
from spinewise.cli.cohort_tables import (
    counts,
    counts_table,
    diff_document,
    print_diff,
)
from spinewise.cli.ids import JsonFlag, KbPath
from spinewise.cli.output import console, counting, fail, print_json
from spinewise.cli.signin import user_option
from spinewise.cli.words import _
from spinewise.errors import FieldProblem, InputError
from spinewise.kb import KnowledgeBase
from spinewise.screening import (
    cohort_screener,
    diff_cohorts,
    generate_cohort,
    screen_cohort,
)
from spinewise.services import CohortUse

cohort_app = typer.Typer(
    help="Whole cohorts (Parquet or the store): re-screen, compare KBs, export.",
    no_args_is_help=True,
)
CHUNK_ROWS = typer.Option(100_000, "--chunk-rows", min=1, help="rows per chunk")


def _screen_store(
    kb: KnowledgeBase, user: str | None, chunk_rows: int, *, hidden: bool
) -> pl.DataFrame:
    """The clinic's cohort from the store, each chunk screened as it is read."""
    screen = cohort_screener(kb)
    try:
        return read_store(
            user,
            CohortUse.SCREEN,
            chunk_rows=chunk_rows,
            hidden=hidden,
            each_chunk=screen,
        ).frame
    except InputError as exc:
        fail(exc.in_file("(store)"))


@cohort_app.command("screen")
def screen_command(
    file: Path | None = file_argument(),
    from_store: bool = from_store_option(),
    out: Path | None = typer.Option(None, "--out", help="write the results (Parquet)"),
    kb_path: KbPath = None,
    chunk_rows: int = CHUNK_ROWS,
    as_json: JsonFlag = False,
    user: str | None = user_option(),
) -> None:
    """Re-screen every assessment; print counts by verdict and modality status."""
    kb = load_knowledge_base(kb_path, from_store=from_store)
    if from_store and file is None:  # each chunk screened as it is read
        result = _screen_store(kb, user, chunk_rows, hidden=as_json)
    else:
        cohort = read_source(
            file, from_store, user, CohortUse.SCREEN, chunk_rows, hidden=as_json
        )
        label = _("screening")
        try:
            with counting(label, cohort.frame.height, hidden=as_json) as advance:
                result = screen_cohort(
                    cohort.frame, kb, chunk_rows=chunk_rows, progress=advance
                )
        except InputError as exc:
            fail(exc.in_file(cohort.label))
    if out is not None:
        result.write_parquet(out)
    if as_json:
        print_json({"kb_version": kb.version, **counts(result), "out": out})
        return
    for table in counts_table(result):
        console.print(table)
    says = _("{count} assessments screened with kb {kb}.")
    console.print(says.format(count=f"{result.height:,}", kb=kb.version))
    if out is not None:
        console.print(_("wrote {file}").format(file=out), markup=False)


@cohort_app.command("diff")
def diff_command(
    file: Path | None = file_argument(),
    from_store: bool = from_store_option(),
    kb_paths: list[Path] = typer.Option(..., "--kb", help="old, then new KB folder"),
    out: Path | None = typer.Option(None, "--out", help="write the changed rows"),
    show: int = typer.Option(20, "--show", min=0, help="patients to list"),
    chunk_rows: int = CHUNK_ROWS,
    as_json: JsonFlag = False,
    user: str | None = user_option(),
) -> None:
    """Which patients change verdict or modality status between two KBs, and by which rules."""
    if len(kb_paths) != 2:
        problem = FieldProblem("--kb", _("give it twice: the old, then the new"))
        fail(InputError([problem]))
    old, new = (load_knowledge_base(path) for path in kb_paths)
    cohort = read_source(
        file, from_store, user, CohortUse.DIFF, chunk_rows, hidden=as_json
    )
    frame = cohort.frame
    label = _("screening twice")
    try:
        with counting(label, 2 * frame.height, hidden=as_json) as advance:
            changed = diff_cohorts(
                frame, old, new, chunk_rows=chunk_rows, progress=advance
            )
    except InputError as exc:
        fail(exc.in_file(cohort.label))
    if out is not None:
        changed.write_parquet(out)
    if as_json:
        print_json(diff_document(old.version, new.version, frame, changed, show, out))
        return
    print_diff(frame, changed, show)
    says = _(
        "kb {old} -> {new}: {changed} of {total} assessments change verdict or a "
        "modality status."
    )
    console.print(
        says.format(
            old=old.version,
            new=new.version,
            changed=f"{changed.height:,}",
            total=f"{frame.height:,}",
        )
    )
    if out is not None:
        console.print(_("wrote {file}").format(file=out), markup=False)


@cohort_app.command("export")
def export_command(
    file: Path = typer.Argument(..., help="where to write the Parquet file"),
    chunk_rows: int = CHUNK_ROWS,
    as_json: JsonFlag = False,
    user: str | None = user_option(),
) -> None:
    """Write the clinic's current assessments, as screened, to Parquet (audited)."""
    cohort = read_store(
        user,
        CohortUse.EXPORT,
        chunk_rows=chunk_rows,
        destination=str(file),
        hidden=as_json,
    )
    try:
        cohort.frame.write_parquet(file)
    except OSError as exc:
        why = _("cannot write: {reason}").format(reason=exc)
        fail(InputError([FieldProblem("(file)", why)], str(file)))
    if as_json:
        print_json({"file": file, "rows": cohort.frame.height})
        return
    says = _("wrote {count} patients' current assessments to {file}")
    console.print(says.format(count=f"{cohort.frame.height:,}", file=file))


@cohort_app.command("generate")
def generate_command(
    rows: int = typer.Argument(..., min=1, help="how many assessments"),
    file: Path = typer.Argument(..., help="where to write the Parquet file"),
    seed: int = typer.Option(0, "--seed", min=0, help="same seed, same cohort"),
    assessed_on: str | None = typer.Option(
        None, "--assessed-on", help="latest assessment date (default today)"
    ),
    as_json: JsonFlag = False,
) -> None:
    """Write a synthetic cohort (valid assessments of every kind) for trying it out."""
    try:
        day = dt.date.fromisoformat(assessed_on) if assessed_on else dt.date.today()
    except ValueError:
        problem = FieldProblem("--assessed-on", _("not a date (YYYY-MM-DD)"))
        fail(InputError([problem]))
    with counting(_("generating"), None, hidden=as_json):
        frame = generate_cohort(rows, assessed_on=day, seed=seed)
        frame.write_parquet(file)
    if as_json:
        print_json({"file": file, "rows": rows})
        return
    says = _("wrote {count} synthetic assessments to {file}")
    console.print(says.format(count=f"{rows:,}", file=file))


def register(app: typer.Typer) -> None:
    app.add_typer(cohort_app, name="cohort")
