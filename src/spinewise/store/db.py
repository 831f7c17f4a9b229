"""The engine: one URL, SQLite (WAL, foreign keys on) or PostgreSQL through psycopg 3.

SQLite transactions are begun by Spinewise itself (the pysqlite driver's implicit
transactions are switched off): ``BEGIN IMMEDIATE`` for a writing unit of work, so two
writers queue on the database lock instead of failing half-way, and a deferred ``BEGIN``
for readers, who never wait under WAL.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import ArgumentError, IntegrityError

from spinewise.errors import N_, FieldProblem, InputError, StoreError
from spinewise.store.audit_sink import AuditSink
from spinewise.store.audit_spool import AuditSpool, spool_directory
from spinewise.store.audit_writer import AuditWriter, ReadAudit
from spinewise.store.core_write import CoreWrite
from spinewise.store.pg_pool import POOL_OVERFLOW, POOL_SIZE, postgresql_engine
from spinewise.store.reading import ReadConnections, ReadUnit
from spinewise.store.uow import UnitOfWork, translate
from spinewise.store.write_gate import WriteGate

WRITE_OPTION = "spinewise_write"
SQLITE_BUSY_SECONDS = 30.0
T = TypeVar("T")
_DRIVERS = {"postgres": "postgresql+psycopg", "postgresql": "postgresql+psycopg"}


def database_url(url: str) -> URL:
    """Parse ``url``; ``postgresql://`` (and ``postgres://``) mean psycopg 3."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise InputError([FieldProblem("database_url", str(exc))]) from None
    parsed = parsed.set(drivername=_DRIVERS.get(parsed.drivername, parsed.drivername))
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise InputError(
            [
                FieldProblem(
                    "database_url",
                    N_(
                        "unsupported database {backend!r}; allowed: sqlite:///PATH or postgresql://USER@HOST/NAME",
                        backend=parsed.get_backend_name(),
                    ),
                )
            ]
        )
    return parsed


def sqlite_path(url: URL) -> Path | None:
    """The file of a SQLite URL, or None for an in-memory database."""
    if url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)


def _values(parameters: Any) -> list[Any]:
    if isinstance(parameters, dict):
        return list(parameters.values())
    if isinstance(parameters, list | tuple):
        return [v for p in parameters for v in _values(p)]
    return [parameters]


def _refuse_nul(
    _connection: Any, _cursor: Any, _statement: str, parameters: Any, *_: Any
) -> None:
    """PostgreSQL cannot store the NUL character in text; neither database is asked
    to (an ``InputError``, so a stray NUL in any field is a 422, never a 500)."""
    if any(isinstance(v, str) and "\x00" in v for v in _values(parameters)):
        raise InputError(
            [
                FieldProblem(
                    "(text)", N_("text must not contain the NUL character (\\x00)")
                )
            ]
        )


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # transactions are begun in _on_begin
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute(f"PRAGMA busy_timeout = {int(SQLITE_BUSY_SECONDS * 1000)}")
    cursor.close()


def _on_sqlite_begin(connection: Connection) -> None:
    write = connection.get_execution_options().get(WRITE_OPTION, False)
    # straight to the driver: the statement needs none of SQLAlchemy's machinery
    connection.connection.driver_connection.execute(  # type: ignore[union-attr]
        "BEGIN IMMEDIATE" if write else "BEGIN"
    )


def create_database_engine(url: str | URL, *, pool_size: int = POOL_SIZE) -> Engine:
    """An engine for ``url`` with Spinewise's connection settings; on PostgreSQL a
    pool of ``pool_size`` connections kept, and no more opened."""
    parsed = database_url(str(url)) if isinstance(url, str) else url
    if parsed.get_backend_name() == "sqlite":
        path = sqlite_path(parsed)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, connect_args={"timeout": SQLITE_BUSY_SECONDS})
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", _on_sqlite_begin)
        event.listen(engine, "before_cursor_execute", _refuse_nul)
        return engine
    engine = postgresql_engine(parsed, pool_size=pool_size, max_overflow=POOL_OVERFLOW)
    event.listen(engine, "before_cursor_execute", _refuse_nul)
    return engine


def _sqlite_connection(path: Path) -> Any:
    """A sqlite3 connection to the file with the engine's settings (for the reading
    units' and the audit writer's own connections)."""
    connection = sqlite3.connect(
        str(path), timeout=SQLITE_BUSY_SECONDS, check_same_thread=False
    )
    _on_sqlite_connect(connection, None)
    return connection


class Store:
    """The database: an engine and the units of work made on it.

    One ``Store`` per process (the web app keeps it on ``app.state``); each service
    call opens its own ``unit_of_work()``.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._writer = engine.execution_options(**{WRITE_OPTION: True})
        path = sqlite_path(engine.url) if self.backend == "sqlite" else None
        connect = None if path is None else partial(_sqlite_connection, path)
        self._reads = ReadConnections(engine, connect)
        self._gate = None if path is None else WriteGate()
        self._audit_sink = AuditSink(engine, connect, self._gate)
        self.audit_writer: ReadAudit = (
            AuditWriter(self._audit_sink.write)
            if path is None
            else AuditSpool(spool_directory(path), self._audit_sink.run)
        )
        self._core_sink = AuditSink(engine, connect, self._gate, audit=False)

    @property
    def url(self) -> URL:
        return self.engine.url

    @property
    def backend(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.url.get_backend_name()

    def unit_of_work(self, *, write: bool = False) -> UnitOfWork:
        """A transaction: ``with store.unit_of_work(write=True) as uow: ...``. A
        reading one (``write=False``) sees the read events this process spooled
        (``flush_audit`` first); a writing one does not wait for them (the flusher
        imports them within ``FLUSH_SECONDS``; a writer that reads the trail calls
        ``flush_audit`` first)."""
        if write:
            return UnitOfWork(self._writer, gate=self._gate)
        self.flush_audit()
        return UnitOfWork(self.engine)

    def reading(self, *, one_statement: bool = False) -> ReadUnit:
        """A read-only transaction on Core, no ORM (store/reading.py);
        ``one_statement``: a unit of a single statement, its own transaction."""
        return ReadUnit(self._reads, one_statement=one_statement)

    def audited_reading(self, *, one_statement: bool = False) -> ReadUnit:
        """A ``reading()`` unit whose audit events are committed, batched with other
        readers', when it ends (``AuditWriter``)."""
        return ReadUnit(self._reads, self.audit_writer, one_statement=one_statement)

    def unflushed_core(self, work: Callable[[CoreWrite], T]) -> T:
        """``work`` in one writing transaction on Core, no ORM (store/core_write.py),
        whose commit reaches the operating system without waiting for the disk
        (SQLite ``synchronous = NORMAL``, PostgreSQL ``synchronous_commit = off``, as
        the audit events of reads): it survives ``kill -9`` of the server process,
        which is what CDS call records promise, not a power loss before the next
        flushed commit or checkpoint; what it returned. On a SQLite file it takes
        its turn at the write gate with the process's other writers."""
        try:
            return self._core_sink.run(
                lambda connection, dialect: work(CoreWrite(connection, dialect))
            )
        except StoreError as exc:  # a refused constraint, named as the ORM's are
            cause = exc.__cause__
            if isinstance(cause, self.engine.dialect.loaded_dbapi.IntegrityError):
                raise translate(IntegrityError(None, None, cause)) from cause
            raise

    def audited_read(self) -> UnitOfWork:
        """A reading ORM transaction (no write lock) whose audit events are
        committed, batched with other readers', when it ends (``AuditWriter``)."""
        return UnitOfWork(self.engine, self.audit_writer)

    def flush_audit(self) -> None:
        """Move the read events this process spooled (and, at first use, those a
        dead process left) into ``audit_log``; return once committed. Skipped in a
        thread holding the write turn (a nested unit: its own transaction has the
        lock); nothing to do on PostgreSQL."""
        if self._gate is None or not self._gate.held_here():
            self.audit_writer.flush()

    def dispose(self) -> None:
        """Close every pooled connection (call once at shutdown). On SQLite the
        write-ahead log is first checkpointed into the database file and emptied, so
        the ``.sqlite3`` file alone holds every committed write."""
        self.audit_writer.close()
        self._audit_sink.close()
        self._core_sink.close()
        self._reads.close()
        if self.backend == "sqlite":
            with self.engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        self.engine.dispose()


def open_store(url: str, *, pool_size: int = POOL_SIZE) -> Store:
    """A ``Store`` on ``url`` (SQLite file created on first use; schema not touched);
    ``pool_size``: the PostgreSQL connections a process keeps (a server worker's)."""
    return Store(create_database_engine(url, pool_size=pool_size))
