"""Where the ``AuditWriter`` commits the events of reads: one prepared INSERT of the
batch in one short writing transaction, on a driver connection (no ORM).

The commit reaches the operating system without waiting for the disk, so it survives a
``kill -9`` of the server process (the issue's definition of a durable read event),
and the next ordinary commit or checkpoint flushes it with everything before it: on a
SQLite file a connection of its own with ``synchronous = NORMAL`` (under WAL a commit
is a write to the log, no fsync), on PostgreSQL a small pool with
``synchronous_commit = off`` (the commit is in the server's memory, which a crash of
the Spinewise process does not touch). An in-memory SQLite database uses the store's
own pool.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import nullcontext
from typing import Any

from sqlalchemy import Engine, create_engine

from spinewise.store.prepared import PreparedInsert
from spinewise.store.tables import AuditRow
from spinewise.store.write_gate import WriteGate

AUDIT_COLUMNS = (
    "at",
    "clinic_id",
    "user_id",
    "username",
    "role",
    "interface",
    "action",
    "entity",
    "entity_id",
    "patient_id",
    "detail",
    "client_address",
    "patient_ids",
)
_INSERT = PreparedInsert(AuditRow.__table__, AUDIT_COLUMNS)  # type: ignore[arg-type]


class AuditSink:
    """Commits batches of audit events (``connect``: a SQLite file's connection
    factory; None: a pool, made on first use)."""

    def __init__(
        self,
        engine: Engine,
        connect: Callable[[], Any] | None,
        gate: WriteGate | None = None,
    ) -> None:
        self._engine = engine
        self._connect = connect
        self._gate = gate
        self._connection: Any = None
        self._pool: Engine | None = None
        self._lock = threading.Lock()

    def write(self, events: list[dict[str, Any]], via: Any = None) -> None:
        """Insert ``events`` in one transaction; return once it is committed.

        ``via``: on a SQLite file, the calling reader's own kept connection (made by
        the same ``connect``, ``synchronous = NORMAL``), written on instead of the
        sink's: the reader's page cache then stays valid for its next read (a commit
        from another connection makes SQLite drop it, which cost a lone reader more
        than the commit itself)."""
        if self._connect is None:
            self._write_pooled(events)
            return
        if via is not None:
            with self._gate.hold(audit=True) if self._gate else nullcontext():
                self._write_sqlite(via, events)
            return
        with self._lock, self._gate.hold(audit=True) if self._gate else nullcontext():
            if self._connection is None:
                self._connection = self._connect()
                self._connection.execute("PRAGMA synchronous = NORMAL")
            self._write_sqlite(self._connection, events)

    def _write_sqlite(self, connection: Any, events: list[dict[str, Any]]) -> None:
        connection.execute("BEGIN IMMEDIATE")
        try:
            _INSERT.run(connection, self._engine.dialect, events)
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise

    def _write_pooled(self, events: list[dict[str, Any]]) -> None:
        pool = self._pool or self._make_pool()
        connection = pool.raw_connection()
        try:
            if pool.dialect.name == "sqlite":
                self._write_sqlite(connection.driver_connection, events)
                return
            try:
                _INSERT.run(connection, pool.dialect, events)
                connection.commit()
            except BaseException:
                connection.rollback()
                raise
        finally:
            connection.close()

    def _make_pool(self) -> Engine:
        if self._engine.dialect.name == "sqlite":
            self._pool = self._engine  # in memory: the only database there is
        else:
            self._pool = create_engine(
                self._engine.url,
                pool_size=1,
                max_overflow=0,
                pool_pre_ping=True,
                connect_args={"options": "-c synchronous_commit=off"},
            )
        return self._pool

    def close(self) -> None:
        """Close the sink's own connection or pool (at the store's shutdown)."""
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None
        if self._pool not in (None, self._engine):
            self._pool.dispose()
        self._pool = None
