"""``spinewise db upgrade | downgrade | status | backup``: operate the database.

The services (and with them SQLAlchemy and Alembic) are imported by the commands that
migrate or copy the database; ``status`` reads the revision without them
(``spinewise.schema_revision``), so that it answers at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

import typer

from spinewise.cli.context import database_url
from spinewise.cli.flags import JsonFlag
from spinewise.cli.output import console, counting, fail, print_json
from spinewise.cli.words import _, ngettext
from spinewise.errors import SpinewiseError

db_app = typer.Typer(
    help="The database: migrate it, check it, back it up.", no_args_is_help=True
)


class _Status(Protocol):
    @property
    def backend(self) -> str: ...
    @property
    def url(self) -> str: ...
    @property
    def revision(self) -> str | None: ...
    @property
    def head(self) -> str: ...
    @property
    def up_to_date(self) -> bool: ...


def _show(status: _Status, as_json: bool) -> None:
    if as_json:
        print_json(
            {
                "backend": status.backend,
                "url": status.url,
                "revision": status.revision,
                "head": status.head,
                "up_to_date": status.up_to_date,
                "quarantined_audit_lines": getattr(status, "quarantined", 0),
            }
        )
        return
    state = (
        _("up to date")
        if status.up_to_date
        else _("head is {head}").format(head=status.head)
    )
    says = _("{backend} database {url}: schema {revision} ({state})").format(
        backend=status.backend,
        url=status.url,
        revision=status.revision or _("(empty)"),
        state=state,
    )
    console.print(says, soft_wrap=True, markup=False)
    _show_quarantine(status)


def _show_quarantine(status: _Status) -> None:
    """The audit spool lines set aside as unreadable (docs/operators/database.md)."""
    count = getattr(status, "quarantined", 0)
    if not count:
        return
    says = ngettext(
        "audit spool: {count} unreadable line set aside in {file}",
        "audit spool: {count} unreadable lines set aside in {file}",
        count,
    )
    file = getattr(status, "quarantine", None)
    console.print(says.format(count=count, file=file), soft_wrap=True, markup=False)


@db_app.command("upgrade")
def upgrade_command(
    revision: str = typer.Option("head", "--revision", help="target revision"),
    as_json: JsonFlag = False,
) -> None:
    """Apply the schema migrations (creates the tables in a new database)."""
    from spinewise.cli.signin import database, reported
    from spinewise.services import upgrade_database

    with database(check_schema=False) as (_settings, store), reported():
        _show(upgrade_database(store, revision), as_json)


@db_app.command("downgrade")
def downgrade_command(
    revision: str = typer.Argument(..., help="target revision; `base` drops all"),
    yes: bool = typer.Option(
        False, "--yes", help="confirm: data in dropped tables is lost"
    ),
    as_json: JsonFlag = False,
) -> None:
    """Undo schema migrations down to REVISION (back up first)."""
    if not yes:
        question = _("Downgrade the schema to {revision}? Data may be lost")
        typer.confirm(question.format(revision=revision), abort=True)
    from spinewise.cli.signin import database, reported
    from spinewise.services import downgrade_database

    with database(check_schema=False) as (_settings, store), reported():
        _show(downgrade_database(store, revision), as_json)


@db_app.command("status")
def status_command(as_json: JsonFlag = False) -> None:
    """Which database is configured and which schema revision it is at."""
    from spinewise.schema_revision import schema_status

    try:  # the one setting it needs, read without checking the others (issue 19)
        status = schema_status(database_url())
    except SpinewiseError as error:
        fail(error)
    _show(status, as_json)


@db_app.command("backup")
def backup_command(
    path: Path = typer.Argument(..., help="new file to write the copy to"),
    as_json: JsonFlag = False,
) -> None:
    """A consistent copy while Spinewise runs (SQLite backup API; pg_dump -Fc)."""
    from spinewise.cli.signin import database, reported
    from spinewise.services import backup

    with database(check_schema=False) as (_settings, store), reported():
        with counting(_("backing up"), None, hidden=as_json):
            written = backup(store, path)
    if as_json:
        print_json({"backend": store.backend, "file": str(written)})
        return
    says = _("backed up {backend} database to {file}")
    console.print(
        says.format(backend=store.backend, file=written), soft_wrap=True, markup=False
    )


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")
