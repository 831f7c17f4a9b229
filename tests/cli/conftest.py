"""CLI tests run on SQLite and on a throw-away PostgreSQL (see tests/pg.py)."""

from tests.pg import (  # noqa: F401  (fixtures)
    backend,
    database_url,
    empty_database_url,
    pg_cluster,
    store,
    templates,
    world,
)
