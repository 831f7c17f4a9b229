"""Alembic: up from empty and down again on both databases; models and migrations agree."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from spinewise.errors import SpinewiseError
from spinewise.store import (
    complete_metadata,
    current_revision,
    downgrade,
    head_revision,
    metadata,
    open_store,
    upgrade,
)

STORE = Path(__file__).resolve().parents[2] / "src" / "spinewise" / "store"


def _tables(url: str) -> set[str]:
    store = open_store(url)
    try:
        with store.engine.connect() as connection:
            return set(inspect(connection).get_table_names())
    finally:
        store.dispose()


def test_migrations_run_up_from_empty_and_down_again(empty_database_url: str) -> None:
    store = open_store(empty_database_url)
    try:
        assert current_revision(store) is None
        upgrade(store)
        assert current_revision(store) == head_revision()
        assert set(complete_metadata().tables) <= _tables(empty_database_url)
        downgrade(store, "base")
        assert current_revision(store) is None
        assert _tables(empty_database_url) <= {"alembic_version"}
        upgrade(store)
        assert current_revision(store) == head_revision()
    finally:
        store.dispose()


def test_models_and_migrations_agree(empty_database_url: str) -> None:
    store = open_store(empty_database_url)
    try:
        upgrade(store)
        with store.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True}
            )
            assert compare_metadata(context, complete_metadata()) == []
    finally:
        store.dispose()


def test_the_alembic_command_line_migrates_through_the_same_env(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    command = [sys.executable, "-m", "alembic", "-c", str(STORE / "alembic.ini")]
    for step in (["upgrade", "head"], ["downgrade", "base"], ["upgrade", "head"]):
        done = subprocess.run(
            [*command, "-x", f"url={url}", *step],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
    assert set(metadata.tables) <= _tables(url)


def test_the_audit_log_stays_append_only_across_the_audit_columns_migration(
    empty_database_url: str,
) -> None:
    store = open_store(empty_database_url)
    try:
        upgrade(store)
        downgrade(store, "0003")
        upgrade(store)
        with store.unit_of_work(write=True) as uow:
            uow.audit.append(
                [{"interface": "cli", "action": "read", "entity": "patient"}]
            )
        for statement in ("UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log"):
            with (
                pytest.raises(SpinewiseError, match="append-only"),
                store.unit_of_work(write=True) as uow,
            ):
                uow.session.execute(text(statement))
    finally:
        store.dispose()
