"""Shared output helpers of the command line: consoles, JSON, progress and the error
exit.

Human output goes through ``console`` (stdout) and ``notes`` (stderr), which
``--quiet`` silences; errors through ``fail``, which it never does. A JSON document
(``--json``) and a secret shown once go straight to stdout, quiet or not: they are what
the command was run for. Progress bars go to stderr, only on a terminal, never with
``--json`` or ``--quiet``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, NoReturn

import typer
from rich.console import Console

from spinewise.cli.words import _, translator
from spinewise.errors import InputError, KnowledgeBaseError, SpinewiseError

if TYPE_CHECKING:
    from pydantic import BaseModel
    from rich.progress import Progress

INVALID_INPUT = 2

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)
"""Notes on stderr (what was written, stored, skipped): silenced by ``--quiet``."""
_errors = Console(stderr=True, highlight=False)

Advance = Callable[[int], None]


def set_quiet(quiet: bool) -> None:
    """``--quiet``: only errors (and JSON or a secret shown once) reach the terminal."""
    console.quiet = quiet
    err_console.quiet = quiet


def fail(error: SpinewiseError | str) -> NoReturn:
    """Print the error (one line per field problem) on stderr, in the run's language
    (field paths and file names as they are), and exit 2."""
    tr = translator()
    if isinstance(error, InputError):
        for problem in error.problems:
            prefix = f"{error.file}: " if error.file else ""
            line = f"{prefix}{tr.problem(problem)}"
            _errors.print(line, markup=False, soft_wrap=True)
    elif isinstance(error, KnowledgeBaseError):
        text = _("knowledge base error: {error}").format(error=error)
        _errors.print(text, markup=False, soft_wrap=True)
    else:
        words = tr.error(error) if isinstance(error, SpinewiseError) else error
        text = _("error: {error}").format(error=words)
        _errors.print(text, markup=False, soft_wrap=True)
    raise typer.Exit(INVALID_INPUT)


def print_json(document: Any) -> None:
    """One JSON document on stdout (``--json``); codes stay codes."""
    typer.echo(json.dumps(document, indent=2, ensure_ascii=False, default=str))


def print_json_lines(documents: Iterable[Any]) -> None:
    """A stream as JSON lines: one compact document per line."""
    for document in documents:
        typer.echo(json.dumps(document, ensure_ascii=False, default=str))


def print_line(text: str) -> None:
    """One plain line on stdout, as written (tabs stay tabs); silenced by ``--quiet``."""
    if not console.quiet:
        typer.echo(text)


def print_secret(text: str) -> None:
    """A secret shown once (a token, a temporary password): printed even when quiet,
    since it cannot be shown again."""
    typer.echo(text)


def report(as_json: bool, document: object, text: str) -> None:
    """What a command did: its JSON document (``--json``), or one line of words."""
    if as_json:
        print_json(document)
    else:
        console.print(text, markup=False, soft_wrap=True)


def print_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """Rows under their headers, as a borderless table."""
    from rich.table import Table

    table = Table(*headers, box=None)
    for row in rows:
        table.add_row(*row)
    console.print(table)


def json_rows(records: Sequence[BaseModel]) -> list[object]:
    """Records as JSON values (dates as ISO text, codes as codes)."""
    return [r.model_dump(mode="json") for r in records]


def _bar(hidden: bool) -> Progress:
    # imported here: rich.progress is a quarter of ``db status``'s start (issue 19)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    columns = (*Progress.get_default_columns()[:2], BarColumn(), MofNCompleteColumn())
    return Progress(
        *columns,
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=hidden or err_console.quiet or not err_console.is_terminal,
    )


@contextmanager
def progress_bar(
    label: str, total: int | None, *, hidden: bool = False
) -> Iterator[Progress]:
    """A rich progress bar on stderr, shown only on a terminal and never with
    ``--quiet`` or (``hidden``) ``--json``; the caller adds its tasks."""
    with _bar(hidden) as bar:
        bar.add_task(label, total=total)
        yield bar


@contextmanager
def counting(
    label: str, total: int | None, *, hidden: bool = False
) -> Iterator[Advance]:
    """A progress bar of one task; the block calls ``advance(n)`` as work is done."""
    with progress_bar(label, total, hidden=hidden) as bar:
        task = bar.task_ids[0]
        yield lambda done: bar.advance(task, done)
