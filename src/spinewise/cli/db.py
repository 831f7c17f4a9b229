"""``spinewise db upgrade | downgrade | status | backup``: operate the database.

The services (and with them SQLAlchemy and Alembic) are imported by the commands that
migrate or copy the database; ``status`` reads the revision without them
(``spinewise.schema_revision``), so that it answers at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

import typer

from spinewise.cli.context import current_settings
from spinewise.cli.output import console, fail
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


def _show(status: _Status) -> None:
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
    from spinewise.cli.signin import database, reported
    from spinewise.services import upgrade_database

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
    from spinewise.cli.signin import database, reported
    from spinewise.services import downgrade_database

    with database(check_schema=False) as (_, store), reported():
        _show(downgrade_database(store, revision))


@db_app.command("status")
def status_command() -> None:
    """Which database is configured and which schema revision it is at."""
    from spinewise.schema_revision import schema_status

    settings = current_settings()
    try:
        status = schema_status(settings.database_url)
    except SpinewiseError as error:
        fail(error)
    _show(status)


@db_app.command("backup")
def backup_command(
    path: Path = typer.Argument(..., help="new file to write the copy to"),
) -> None:
    """A consistent copy while Spinewise runs (SQLite backup API; pg_dump -Fc)."""
    from spinewise.cli.signin import database, reported
    from spinewise.services import backup

    with database(check_schema=False) as (_, store), reported():
        written = backup(store, path)
    console.print(f"backed up {store.backend} database to {written}", soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")
