"""``spinewise db upgrade | downgrade | status | backup``: operate the database."""

from __future__ import annotations

from pathlib import Path

import typer

from spinewise.cli.output import console
from spinewise.cli.signin import database, reported
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


def _show(status: DatabaseStatus) -> None:
    state = "up to date" if status.up_to_date else f"head is {status.head}"
    console.print(
        f"{status.backend} database {status.url}: schema "
        f"{status.revision or '(empty)'} ({state})",
        soft_wrap=True,
    )


@db_app.command("upgrade")
def upgrade_command(
    revision: str = typer.Option("head", "--revision", help="target revision"),
) -> None:
    """Apply the schema migrations (creates the tables in a new database)."""
    with database(check_schema=False) as (_, store), reported():
        _show(upgrade_database(store, revision))


@db_app.command("downgrade")
def downgrade_command(
    revision: str = typer.Argument(..., help="target revision; `base` drops all"),
    yes: bool = typer.Option(
        False, "--yes", help="confirm: data in dropped tables is lost"
    ),
) -> None:
    """Undo schema migrations down to REVISION (back up first)."""
    if not yes:
        typer.confirm(
            f"Downgrade the schema to {revision}? Data may be lost", abort=True
        )
    with database(check_schema=False) as (_, store), reported():
        _show(downgrade_database(store, revision))


@db_app.command("status")
def status_command() -> None:
    """Which database is configured and which schema revision it is at."""
    with database(check_schema=False) as (_, store), reported():
        _show(database_status(store))


@db_app.command("backup")
def backup_command(
    path: Path = typer.Argument(..., help="new file to write the copy to"),
) -> None:
    """A consistent copy while Spinewise runs (SQLite backup API; pg_dump -Fc)."""
    with database(check_schema=False) as (_, store), reported():
        written = backup(store, path)
    console.print(f"backed up {store.backend} database to {written}", soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")
