"""Alembic migrations, run from code (``spinewise db upgrade``, tests) or the alembic CLI.

``alembic -c src/spinewise/store/alembic.ini -x url=sqlite:///file.sqlite3 upgrade head``
works too; both routes go through ``migrations/env.py`` and ``migration_connection``.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.script.revision import RevisionError
from alembic.util.exc import CommandError
from sqlalchemy import Connection, Engine, MetaData, inspect

from spinewise.errors import N_, FieldProblem, InputError, StoreError
from spinewise.store.db import Store
from spinewise.store.tables import metadata

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def complete_metadata() -> MetaData:
    """The metadata with every table of every ``spinewise.store`` module loaded.

    Table modules added later (one module per area) are found without being listed,
    so autogenerate and the models-match-migrations test always see all of them.
    """
    package = Path(__file__).resolve().parent
    for module in pkgutil.iter_modules([str(package)]):
        if module.name != "migrations":
            importlib.import_module(f"spinewise.store.{module.name}")
    return metadata


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration on the bundled migrations (no ini file needed)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


@contextmanager
def migration_connection(engine: Engine) -> Iterator[Connection]:
    """A connection in one transaction for migrations.

    On SQLite, foreign keys are off while tables are rebuilt (batch mode) and checked
    before commit, as the SQLite documentation prescribes for schema changes.
    """
    with engine.connect() as connection:
        sqlite = engine.dialect.name == "sqlite"
        raw = connection.connection.driver_connection if sqlite else None
        if raw is not None:
            raw.execute("PRAGMA foreign_keys = OFF")
        try:
            with connection.begin():
                yield connection
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check")
                    if broken.fetchall():
                        raise StoreError(
                            N_("migration left rows with broken references")
                        )
        finally:
            if raw is not None:
                raw.execute("PRAGMA foreign_keys = ON")


@contextmanager
def _known_revision(revision: str) -> Iterator[None]:
    """Alembic's refusal of ``revision`` (unknown, or the wrong direction) as an
    ``InputError`` on ``revision``, not a traceback."""
    try:
        yield
    except (CommandError, RevisionError) as exc:
        known = ", ".join(
            s.revision
            for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()
        )
        message = str(exc).splitlines()[0][:200]
        raise InputError(
            [
                FieldProblem(
                    "revision",
                    N_(
                        "{message} (known: base, head, {known})",
                        message=message,
                        known=known,
                    ),
                )
            ]
        ) from None


def upgrade(store: Store, revision: str = "head") -> None:
    """Migrate the schema up to ``revision`` (default: the newest)."""
    with migration_connection(store.engine) as connection, _known_revision(revision):
        command.upgrade(alembic_config(connection), revision)


def downgrade(store: Store, revision: str) -> None:
    """Migrate the schema down to ``revision`` (``base`` removes every table)."""
    with migration_connection(store.engine) as connection, _known_revision(revision):
        command.downgrade(alembic_config(connection), revision)


def head_revision() -> str:
    """The newest revision this version of Spinewise knows."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise StoreError(N_("no migrations found"))
    return head


def current_revision(store: Store) -> str | None:
    """The revision the database is at, or None when it has never been migrated."""
    with store.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def has_tables(store: Store) -> bool:
    """True when the database holds any table at all."""
    with store.engine.connect() as connection:
        return bool(inspect(connection).get_table_names())
