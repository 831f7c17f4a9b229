"""Where the ``AuditWriter`` commits the events of reads: one prepared INSERT of the
batch in one short writing transaction, on a driver connection (no ORM); on
PostgreSQL one multi-row INSERT in autocommit, its own atomic transaction in one
round trip (no ``BEGIN``, no ``COMMIT``).

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
from typing import Any, TypeVar

from sqlalchemy import Engine
from sqlalchemy.engine import Dialect

from spinewise.store.pg_pool import postgresql_engine
from spinewise.store.prepared import ONE_STATEMENT_ROWS, PreparedInsert
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
AUDIT_INSERT = PreparedInsert(AuditRow.__table__, AUDIT_COLUMNS)  # type: ignore[arg-type]
T = TypeVar("T")
Work = Callable[[Any, Dialect], T]  # a driver connection in its transaction


class AuditSink:
    """Commits batches of audit events (``connect``: a SQLite file's connection
    factory; None: a pool, made on first use). ``run`` commits any other work on
    the same kind of connection (the CDS call record: a sink of its own, ``audit``
    False, which takes its turn at the write gate as an ordinary writer)."""

    def __init__(
        self,
        engine: Engine,
        connect: Callable[[], Any] | None,
        gate: WriteGate | None = None,
        *,
        audit: bool = True,
    ) -> None:
        self._engine = engine
        self._connect = connect
        self._gate = gate
        self._audit = audit
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

        def insert(connection: Any, dialect: Dialect) -> None:
            AUDIT_INSERT.run(connection, dialect, events)

        if self._engine.dialect.name == "postgresql" and (
            len(events) <= ONE_STATEMENT_ROWS
        ):
            self._insert_autocommit(events)
            return
        if via is None or self._connect is None:
            self.run(insert)
            return
        with self._gate.hold(audit=True) if self._gate else nullcontext():
            self._run_sqlite(via, insert)

    def run(self, work: Work[T]) -> T:
        """``work`` in one writing transaction, committed (rolled back if it
        raises); what it returned."""
        if self._connect is None:
            return self._run_pooled(work)
        gate = self._gate.hold(audit=self._audit) if self._gate else nullcontext()
        with self._lock, gate:
            if self._connection is None:
                self._connection = self._connect()
                self._connection.execute("PRAGMA synchronous = NORMAL")
            return self._run_sqlite(self._connection, work)

    def _run_sqlite(self, connection: Any, work: Work[T]) -> T:
        connection.execute("BEGIN IMMEDIATE")
        try:
            done = work(connection, self._engine.dialect)
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        return done

    def _insert_autocommit(self, events: list[dict[str, Any]]) -> None:
        """PostgreSQL: the batch as one multi-row INSERT in autocommit, its own
        atomic transaction in one round trip (no ``BEGIN``, no ``COMMIT``)."""
        pool = self._pool or self._make_pool()
        connection = pool.raw_connection()
        driver: Any = connection.driver_connection
        try:
            driver.autocommit = True
            try:
                AUDIT_INSERT.run_as_one(driver, pool.dialect, events)
            finally:
                driver.autocommit = False
        except BaseException:
            if driver.broken or driver.closed:
                connection.invalidate()
            raise
        finally:
            connection.close()

    def _run_pooled(self, work: Work[T]) -> T:
        pool = self._pool or self._make_pool()
        connection = pool.raw_connection()
        try:
            if pool.dialect.name == "sqlite":
                return self._run_sqlite(connection.driver_connection, work)
            try:
                done = work(connection, pool.dialect)
                connection.commit()
            except BaseException:
                connection.rollback()
                raise
            return done
        finally:
            connection.close()

    def _make_pool(self) -> Engine:
        if self._engine.dialect.name == "sqlite":
            self._pool = self._engine  # in memory: the only database there is
        else:
            self._pool = postgresql_engine(
                self._engine.url,
                pool_size=1,
                max_overflow=0,
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
