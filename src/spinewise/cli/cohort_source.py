"""Where ``spinewise cohort`` gets its cohort: a Parquet file or the clinic's store.

``--from-store`` reads every patient's current assessment, as screened, straight from
the database (``services.read_cohort``: physicians and admins, one audit event per
read); a FILE is any Parquet in the cohort layout, e.g. from ``spinewise cohort
export``. Long reads and screens show a progress bar on stderr.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import typer

from spinewise.cli.context import current_settings
from spinewise.cli.output import fail, progress_bar
from spinewise.cli.signin import signed_in
from spinewise.cli.words import _
from spinewise.errors import FieldProblem, InputError, SpinewiseError
from spinewise.kb import KnowledgeBase, load_kb
from spinewise.models import check_regular_file
from spinewise.services import CohortUse, read_cohort

FROM_STORE_HELP = "read the clinic's current assessments from the database instead"


@dataclass(frozen=True)
class Cohort:
    """A cohort to screen and the name its errors mention."""

    frame: pl.DataFrame
    label: str


def load_knowledge_base(
    path: Path | None, *, from_store: bool = False
) -> KnowledgeBase:
    """``--kb``; else, for the store, the installation's (SPINEWISE_KB_PATH); else the
    bundled knowledge base."""
    try:
        return load_kb(path or (current_settings().kb_path if from_store else None))
    except SpinewiseError as exc:
        fail(exc)


def read_parquet(path: Path) -> pl.DataFrame:
    """A cohort file: a regular file (no size cap: cohorts are large) polars reads."""
    try:
        check_regular_file(path)
        return pl.read_parquet(path)
    except InputError as error:
        fail(error)
    except FileNotFoundError:
        problem = FieldProblem("(file)", _("no such file"))
    except (OSError, pl.exceptions.PolarsError) as exc:
        text = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        why = _("not a readable Parquet file: {reason}").format(reason=text)
        problem = FieldProblem("(file)", why)
    fail(InputError([problem], file=str(path)))


def read_store(
    user: str | None,
    use: CohortUse,
    *,
    chunk_rows: int,
    destination: str | None = None,
    hidden: bool = False,
    each_chunk: Callable[[pl.DataFrame], pl.DataFrame] | None = None,
) -> Cohort:
    """The acting user's clinic's cohort, read with a progress bar (``hidden``: not
    with ``--json``); ``each_chunk`` (screening) runs on each chunk as it is read."""
    label = _("reading the store")
    with signed_in(user) as session, progress_bar(label, None, hidden=hidden) as bar:
        task = bar.task_ids[0]

        def advance(rows: int, total: int) -> None:
            bar.update(task, total=total, advance=rows)

        frame = read_cohort(
            session.store,
            session.actor,
            use=use,
            destination=destination,
            chunk_rows=chunk_rows,
            progress=advance,
            each_chunk=each_chunk,
        )
        return Cohort(frame, "(store)")


def read_source(
    file: Path | None,
    from_store: bool,
    user: str | None,
    use: CohortUse,
    chunk_rows: int,
    *,
    hidden: bool = False,
) -> Cohort:
    """The cohort named on the command line: FILE, or ``--from-store``."""
    if (file is None) == (not from_store):
        problem = _("give a cohort FILE or --from-store (one of them)")
        fail(InputError([FieldProblem("FILE", problem)]))
    if file is not None:
        return Cohort(read_parquet(file), str(file))
    return read_store(user, use, chunk_rows=chunk_rows, hidden=hidden)


def file_argument() -> Path | None:
    value: Path | None = typer.Argument(
        None, help="cohort Parquet file (the cohort layout); or use --from-store"
    )
    return value


def from_store_option() -> bool:
    value: bool = typer.Option(False, "--from-store", help=FROM_STORE_HELP)
    return value
