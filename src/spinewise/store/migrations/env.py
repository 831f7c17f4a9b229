"""Alembic environment: from ``spinewise db upgrade`` / tests, or the alembic CLI.

Code passes an open connection in ``config.attributes["connection"]``; the alembic CLI
gives a URL (``-x url=...``, ``sqlalchemy.url`` or ``SPINEWISE_DATABASE_URL``).
``render_as_batch`` lets the same revision alter tables on SQLite.
"""

from __future__ import annotations

import os
from logging.config import fileConfig
from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import Connection

from spinewise.store.columns import UtcDateTime
from spinewise.store.db import create_database_engine
from spinewise.store.migrate import complete_metadata, migration_connection

config = context.config
metadata = complete_metadata()


def _render_item(
    kind: str, item: Any, autogen_context: AutogenContext
) -> str | Literal[False]:
    """Migrations spell plain SQLAlchemy types, never Spinewise's own classes."""
    if kind == "type" and isinstance(item, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        render_item=_render_item,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _url() -> str:
    url = (
        context.get_x_argument(as_dictionary=True).get("url")
        or config.get_main_option("sqlalchemy.url")
        or os.environ.get("SPINEWISE_DATABASE_URL")
    )
    if not url:
        raise SystemExit("give a database: -x url=... or SPINEWISE_DATABASE_URL")
    return url


def _main() -> None:
    given = config.attributes.get("connection")
    if given is not None:
        _run(given)
        return
    if config.config_file_name:
        fileConfig(config.config_file_name, disable_existing_loggers=False)
    if context.is_offline_mode():
        context.configure(url=_url(), target_metadata=metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_database_engine(_url())
    try:
        with migration_connection(engine) as connection:
            _run(connection)
    finally:
        engine.dispose()


_main()
