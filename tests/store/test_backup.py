"""Backups while the database is in use: a complete copy, or nothing at all."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from tests.pg import World

from spinewise.errors import ConflictError, StoreError
from spinewise.store import Store, backup_database, open_store


def test_a_backup_is_a_complete_copy_of_the_live_database(
    store: Store, world: World, tmp_path: Path
) -> None:
    target = tmp_path / "copy.backup"
    with store.unit_of_work() as reading:  # another connection holds a read open
        reading.clinics.all()
        backup_database(store, target)
    if store.backend == "sqlite":
        copy = sqlite3.connect(target)
        try:
            names = {n for (n,) in copy.execute("SELECT username FROM users")}
        finally:
            copy.close()
        assert names == {u.username for u in world.actors.values()}
        return
    assert target.read_bytes()[:5] == b"PGDMP"
    pg_restore = shutil.which("pg_restore")
    if pg_restore:
        listing = subprocess.run(
            [pg_restore, "--list", str(target)], capture_output=True, text=True
        )
        assert "TABLE public users" in listing.stdout


def test_a_backup_never_overwrites_a_file(
    store: Store, world: World, tmp_path: Path
) -> None:
    target = tmp_path / "taken"
    target.write_text("precious")
    with pytest.raises(ConflictError) as caught:
        backup_database(store, target)
    assert caught.value.field == "path"
    assert target.read_text() == "precious"


def test_a_failed_backup_leaves_no_file(
    store: Store, world: World, tmp_path: Path
) -> None:
    if store.backend == "sqlite":
        broken = open_store(f"sqlite:///{tmp_path / 'gone' / 'x.sqlite3'}")
    else:
        broken = open_store(
            store.url.set(database="no_such_database").render_as_string(False)
        )
    target = tmp_path / "never.backup"
    try:
        with pytest.raises(StoreError):
            backup_database(broken, target)
    finally:
        broken.dispose()
    assert list(tmp_path.glob("*never*")) == []
