"""The reading unit of work: one read-only transaction on a driver connection, no ORM.

``with store.reading() as uow:`` (or ``store.audited_reading()``) gives the read
repositories of store/reads.py on a connection of its own, in one transaction (a
deferred ``BEGIN`` on SQLite: under WAL it takes no lock and never waits for a
writer), and ends it with a commit, or a rollback when the block raises. Nothing
compiles, no ``Session`` or ORM instance is made: a read by id is one prepared
statement between ``BEGIN`` and ``COMMIT``.

Where the connection comes from (``ReadConnections``): on a SQLite file each thread
keeps its own sqlite3 connections open between units (checking one out of the
engine's pool costs as much as the read itself; a thread in a unit that opens another
gets a second one; a thread's connections close when the thread ends, the rest at the
store's ``dispose``); elsewhere (PostgreSQL, in-memory SQLite) the engine's pool.

On PostgreSQL a reading unit runs in autocommit: no ``BEGIN`` and ``COMMIT`` round
trips. Under PostgreSQL's READ COMMITTED (the store's isolation level) every
statement takes its own snapshot inside a transaction too, so what a unit's reads see
is the same; and a statement that finds its connection dropped by the server (a
restart, ``pg_terminate_backend``) runs once more on a new one. The connection is
given back to the pool in transaction mode again (or discarded).

A unit made for one statement (``store.reading(one_statement=True)``: a read by id)
runs it on SQLite without ``BEGIN`` and ``COMMIT``: a single statement is atomic in
the implicit transaction SQLite gives it, which sees one snapshot as an explicit one
would, and the two round trips were a third of a read by id. Such a unit refuses a
second statement (two reads need one snapshot: an ordinary unit).

In an audited reading unit the audit events appended are kept, stamped, and handed
to the store's read audit when the unit ends well, which returns once they are
durable: on a SQLite file appended to the process's spool (store/audit_spool.py),
elsewhere committed (store/audit_writer.py). The read's result is never used
unaudited.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Mapping, Sequence
from types import TracebackType
from typing import Any

from sqlalchemy import Engine

from spinewise.errors import StoreError
from spinewise.store.audit_writer import ReadAudit
from spinewise.store.columns import utc_now
from spinewise.store.prepared import Prepared
from spinewise.store.reads import (
    AssessmentReads,
    ClearanceReads,
    PatientReads,
    UserReads,
)

Connect = Callable[[], Any]


class _Kept:
    """One thread's idle connections (weakly referred to by the store: when the thread
    ends, its connections are closed with it)."""

    __slots__ = ("__weakref__", "idle")

    def __init__(self) -> None:
        self.idle: list[Any] = []


class ReadConnections:
    """Driver connections for reading units: per thread on a SQLite file (``connect``
    given), else checked out of ``engine``'s pool."""

    def __init__(self, engine: Engine, connect: Connect | None) -> None:
        self.dialect = engine.dialect
        self.sqlite = engine.dialect.name == "sqlite"
        self.autocommit = engine.dialect.name == "postgresql"
        self._engine = engine
        self._connect = connect
        self._local = threading.local()
        self._threads: weakref.WeakSet[_Kept] = weakref.WeakSet()
        self._lock = threading.Lock()

    def take(self) -> Any:
        """A connection with no transaction open."""
        if self._connect is None:
            pooled = self._engine.raw_connection()
            if self.autocommit:
                pooled.driver_connection.autocommit = True  # type: ignore[union-attr]
            return pooled
        kept: _Kept | None = getattr(self._local, "kept", None)
        if kept is None:
            kept = self._local.kept = _Kept()
            with self._lock:
                self._threads.add(kept)
        if kept.idle:
            return kept.idle.pop()
        connection = self._connect()
        # when a unit's audit events are committed on it (an ``AuditWriter`` given
        # ``via``; the store spools them instead, store/audit_spool.py): a WAL write
        # that survives kill -9 of the process, without waiting for the disk
        connection.execute("PRAGMA synchronous = NORMAL")
        return connection

    @property
    def kept(self) -> bool:
        """Whether connections are the threads' own (a SQLite file)."""
        return self._connect is not None

    def give_back(self, connection: Any) -> None:
        if self._connect is None:
            if self.autocommit:
                try:  # the pool's other users expect a transaction to begin
                    connection.driver_connection.autocommit = False
                except Exception:
                    connection.invalidate()  # broken, or in an unknown state
            connection.close()  # back to the pool
            return
        self._local.kept.idle.append(connection)

    def dropped(self, connection: Any) -> bool:
        """Whether the server dropped this pooled connection (PostgreSQL)."""
        driver = connection.driver_connection
        return driver is None or bool(driver.broken or driver.closed)

    def replace(self, connection: Any) -> Any:
        """Discard a dropped pooled connection; a new one in its place."""
        connection.invalidate()
        connection.close()
        return self.take()

    def idle(self) -> int:
        """Connections kept open for the threads (for tests)."""
        with self._lock:
            return sum(len(kept.idle) for kept in self._threads)

    def close(self) -> None:
        """Close every kept connection (at the store's shutdown)."""
        with self._lock:
            threads = list(self._threads)
        for kept in threads:
            while kept.idle:
                kept.idle.pop().close()


class PendingAudit:
    """Audit events of a reading unit, stamped and kept for the ``AuditWriter``."""

    def __init__(self) -> None:
        self.pending: list[dict[str, Any]] = []

    def append(self, events: list[dict[str, Any]]) -> None:
        at = utc_now()
        pending = self.pending
        for event in events:  # a dict display: a quarter cheaper than ``|``
            pending.append({"at": at, **event})


class ReadUnit:
    """A read-only transaction with the read repositories on it (each made when
    first used)."""

    def __init__(
        self,
        connections: ReadConnections,
        audit_writer: ReadAudit | None = None,
        *,
        one_statement: bool = False,
    ) -> None:
        self._connections = connections
        self._audit_writer = audit_writer
        self._connection: Any = None
        self._one_statement = one_statement
        self._explicit = connections.sqlite and not one_statement
        self._ran = False
        self.audit = PendingAudit()
        self._users: UserReads | None = None
        self._patients: PatientReads | None = None
        self._assessments: AssessmentReads | None = None
        self._clearances: ClearanceReads | None = None

    @property
    def users(self) -> UserReads:
        if self._users is None:
            self._users = UserReads(self.rows)
        return self._users

    @property
    def patients(self) -> PatientReads:
        if self._patients is None:
            self._patients = PatientReads(self.rows)
        return self._patients

    @property
    def assessments(self) -> AssessmentReads:
        if self._assessments is None:
            self._assessments = AssessmentReads(self.rows)
        return self._assessments

    @property
    def clearances(self) -> ClearanceReads:
        if self._clearances is None:
            self._clearances = ClearanceReads(self.rows)
        return self._clearances

    def rows(self, query: Prepared, params: Mapping[str, Any]) -> list[Sequence[Any]]:
        """The rows of a prepared statement in this unit's transaction."""
        if self._one_statement:
            if self._ran:
                raise StoreError("a one-statement reading unit ran a second statement")
            self._ran = True
        dialect = self._connections.dialect
        try:
            return query.rows_on(self._connection, dialect, params)
        except StoreError:
            # autocommit: the statement had no effect and ran in no transaction
            if not (
                self._connections.autocommit
                and self._connections.dropped(self._connection)
            ):
                raise
        self._connection = self._connections.replace(self._connection)
        return query.rows_on(self._connection, dialect, params)

    def __enter__(self) -> ReadUnit:
        self._connection = self._connections.take()
        if self._explicit:
            try:
                self._connection.execute("BEGIN")
            except BaseException:
                self._connection.close()
                raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        connection, self._connection = self._connection, None
        # the repositories refer back to self: no cycle left for the garbage collector
        self._users = self._patients = self._assessments = self._clearances = None
        try:
            if self._explicit:
                connection.execute("COMMIT" if exc is None else "ROLLBACK")
            # else PostgreSQL's autocommit or SQLite's statement: nothing to end
        except BaseException:
            connection.close()  # in an unknown state: never reused
            raise
        try:
            if exc is None and self._audit_writer is not None and self.audit.pending:
                via = connection if self._connections.kept else None
                self._audit_writer.append(self.audit.pending, via)
        finally:
            self._connections.give_back(connection)
