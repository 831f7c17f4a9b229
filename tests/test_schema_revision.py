"""The schema revision read without SQLAlchemy or Alembic agrees with the store's."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from tests import pg

from spinewise.errors import InputError
from spinewise.schema_revision import head_of_migrations, schema_status, shown_url
from spinewise.store import current_revision, head_revision, open_store, upgrade

# the database fixtures of tests/pg.py, on SQLite and PostgreSQL
backend, pg_cluster, empty_database_url = (
    pg.backend,
    pg.pg_cluster,
    pg.empty_database_url,
)


def test_the_newest_migration_file_is_alembics_head() -> None:
    assert head_of_migrations() == head_revision()


def test_an_empty_and_then_a_migrated_database_read_as_the_store_reads_them(
    empty_database_url: str,
) -> None:
    assert schema_status(empty_database_url).revision is None
    store = open_store(empty_database_url)
    try:
        upgrade(store, "0005")
        assert schema_status(empty_database_url).revision == "0005"
        upgrade(store)
        status = schema_status(empty_database_url)
        assert status.revision == current_revision(store) == head_revision()
        assert status.up_to_date
        assert status.url == store.url.render_as_string(hide_password=True)
        assert status.backend == store.backend
    finally:
        store.dispose()


def test_a_sqlite_file_that_does_not_exist_is_empty_and_is_not_created(
    tmp_path: Path,
) -> None:
    path = tmp_path / "none.sqlite3"
    assert schema_status(f"sqlite:///{path}").revision is None
    assert not path.exists()


def test_the_password_is_hidden_and_the_driver_named_as_the_store_names_it() -> None:
    shown = shown_url("postgresql://clinic:s3cret@db.example:5432/spinewise")
    assert shown == "postgresql+psycopg://clinic:***@db.example:5432/spinewise"


@pytest.mark.parametrize("url", ["mysql://nobody@nowhere/db", "not a url"])
def test_an_unsupported_or_unreadable_url_names_the_setting(url: str) -> None:
    with pytest.raises(InputError) as caught:
        schema_status(url)
    assert caught.value.problems[0].field == "database_url"


def test_db_status_imports_neither_sqlalchemy_nor_alembic(tmp_path: Path) -> None:
    program = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from spinewise.cli import app\n"
        "result = CliRunner().invoke(app, ['db', 'status'])\n"
        "assert result.exit_code == 0, result.output\n"
        "print(sorted(m for m in ('sqlalchemy', 'alembic', 'spinewise.services')"
        " if m in sys.modules))\n"
    )
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    done = subprocess.run(
        [sys.executable, "-c", program],
        capture_output=True,
        text=True,
        check=True,
        env={"SPINEWISE_DATABASE_URL": url, "PATH": "/usr/bin:/bin"},
        timeout=120,
    )
    assert done.stdout.strip() == "[]"
