"""``spinewise db upgrade | downgrade | status | backup``: operate the database."""

from __future__ import annotations

from pathlib import Path

import typer

from spinewise.cli.ids import JsonFlag
from spinewise.cli.output import console, counting, print_json
from spinewise.cli.signin import database, reported
from spinewise.cli.words import _
from spinewise.services import (
    DatabaseStatus,
    backup,
    database_status,
    downgrade_database,
    upgrade_database,
)

db_app = typer.Typer(
    help="The database: migrate it, check it, back it up.", no_args_is_help=True
)


def _show(status: DatabaseStatus, as_json: bool) -> None:
    if as_json:
        print_json({**status.model_dump(mode="json"), "up_to_date": status.up_to_date})
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


@db_app.command("upgrade")
def upgrade_command(
    revision: str = typer.Option("head", "--revision", help="target revision"),
    as_json: JsonFlag = False,
) -> None:
    """Apply the schema migrations (creates the tables in a new database)."""
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
    with database(check_schema=False) as (_settings, store), reported():
        _show(downgrade_database(store, revision), as_json)


@db_app.command("status")
def status_command(as_json: JsonFlag = False) -> None:
    """Which database is configured and which schema revision it is at."""
    with database(check_schema=False) as (_settings, store), reported():
        _show(database_status(store), as_json)


@db_app.command("backup")
def backup_command(
    path: Path = typer.Argument(..., help="new file to write the copy to"),
    as_json: JsonFlag = False,
) -> None:
    """A consistent copy while Spinewise runs (SQLite backup API; pg_dump -Fc)."""
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
