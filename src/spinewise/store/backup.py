"""Consistent backups while Spinewise runs: SQLite's online backup API, or pg_dump.

The copy is written beside the target under a temporary name and renamed into place
when complete, so a failed backup never leaves a file that looks like a good one.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import URL

from spinewise.errors import N_, ConflictError, FieldProblem, InputError, StoreError
from spinewise.store.db import Store, sqlite_path


def _pg_dump() -> str:
    found = shutil.which("pg_dump")
    if found:
        return found
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_dump"),
        key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0,
    )
    if not candidates:
        raise StoreError(N_("pg_dump not found: install the PostgreSQL client tools"))
    return str(candidates[-1])


def _conninfo(url: URL) -> str:
    """A libpq connection string without the password (that goes in PGPASSWORD)."""
    parts = {
        "host": url.host,
        "port": url.port,
        "dbname": url.database,
        "user": url.username,
        **{k: v for k, v in url.query.items() if isinstance(v, str)},
    }
    quoted = []
    for key, value in parts.items():
        if value is None:
            continue
        text = str(value).replace("\\", "\\\\").replace("'", "\\'")
        quoted.append(f"{key}='{text}'")
    return " ".join(quoted)


def _backup_sqlite(store: Store, partial: Path) -> None:
    source = sqlite_path(store.url)
    if source is None:
        raise StoreError(N_("an in-memory database cannot be backed up"))
    if not source.is_file():
        raise StoreError(N_("no SQLite database at {source}", source=source))
    try:
        src = sqlite3.connect(source)
        try:
            dst = sqlite3.connect(partial)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
    except sqlite3.Error as exc:
        raise StoreError(N_("SQLite backup failed: {exc}", exc=exc)) from exc


def _backup_postgresql(store: Store, partial: Path) -> None:
    env = {**os.environ, "PGPASSWORD": store.url.password or ""}
    if not store.url.password:
        env.pop("PGPASSWORD")
    command = [
        _pg_dump(),
        "--format=custom",
        "--no-owner",
        f"--file={partial}",
        f"--dbname={_conninfo(store.url)}",
    ]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise StoreError(N_("pg_dump failed: {stderr}", stderr=done.stderr.strip()))


def backup_database(store: Store, target: Path) -> Path:
    """Write a consistent copy of the database to ``target`` (a new file).

    SQLite: a database file (open it with ``sqlite3`` or point Spinewise at it).
    PostgreSQL: a ``pg_dump`` custom-format archive (restore with ``pg_restore``).
    """
    if target.exists():
        raise ConflictError(
            N_("{target} already exists; name a new file", target=target), field="path"
        )
    if not target.parent.is_dir():
        raise InputError(
            [FieldProblem("path", N_("no such folder: {parent}", parent=target.parent))]
        )
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        if store.backend == "sqlite":
            _backup_sqlite(store, partial)
        else:
            _backup_postgresql(store, partial)
        partial.rename(target)
    finally:
        partial.unlink(missing_ok=True)
    return target
