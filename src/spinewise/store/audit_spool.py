"""The audit events of reads on a SQLite file, kept off the database at read time.

A reading unit's events are appended to this process's spool file, beside the
database (``clinic.sqlite3.audit-spool/``), with one ``write()`` of one line per event
before the read's result is used: once the write returns the events are in the
kernel, so they survive ``kill -9`` of the server (the issue's definition of a durable
audited read; a power loss may lose them, as it may lose a ``synchronous = NORMAL``
commit). A flusher thread moves them into ``audit_log`` in batches; so does every unit
of work the process opens, before it begins, so anything read in-process after a read
(the audit trail, an erasure, a count) sees its event.

Exactly once: ``audit_spool_imports`` (revision 0011a) records, per spool file, how
many of its bytes are in ``audit_log``; the events and the new offset are committed in
one transaction, under SQLite's write lock, so an import cut short by a crash is
either entirely in the database or not at all and resumes at the recorded offset.

A spool belongs to the process holding its ``flock``. A spool whose lock can be taken
is an orphan (its process died): any process imports it, unlinks it, then drops its
row. Files are created under a temporary name, locked, then renamed, so no importer
ever sees a live spool unlocked. Directory 0700, files 0600 (they name patients).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import logging
import os
import threading
import uuid
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from spinewise.errors import StoreError
from spinewise.store.audit_sink import AUDIT_INSERT
from spinewise.store.tables import Base

SUFFIX = ".spool"
ROTATE_BYTES = 4 << 20  # a spool is replaced by a fresh one once this much is in
BATCH_BYTES = 1 << 20  # read from a spool per import transaction
FLUSH_SECONDS = 0.2  # the flusher's period: the lag other processes can see
ORPHAN_TICKS = 5  # look for dead processes' spools every fifth period
Run = Callable[[Callable[[Any, Any], Any]], Any]  # AuditSink.run
LOGGER = logging.getLogger("spinewise.audit")


class AuditSpoolImport(Base):
    """How many bytes of one spool file are in ``audit_log`` (revision 0011a)."""

    __tablename__ = "audit_spool_imports"

    spool: Mapped[str] = mapped_column(String(64), primary_key=True)
    imported: Mapped[int] = mapped_column(BigInteger)


def spool_directory(database: Path) -> Path:
    """Where the spools of the SQLite file ``database`` live."""
    return database.with_name(database.name + ".audit-spool")


def _line(event: dict[str, Any]) -> bytes:
    return orjson.dumps(event, option=orjson.OPT_APPEND_NEWLINE)


def _event(line: bytes) -> dict[str, Any]:
    event: dict[str, Any] = orjson.loads(line)
    event["at"] = dt.datetime.fromisoformat(event["at"])
    return event


def _import_step(fd: int, name: str) -> Callable[[Any, Any], bool]:
    """One import transaction's work: the next batch of complete lines of the spool
    and its new offset; whether anything was left to import."""

    def step(connection: Any, dialect: Any) -> bool:
        found = connection.execute(
            "SELECT imported FROM audit_spool_imports WHERE spool = ?", (name,)
        ).fetchone()
        offset = 0 if found is None else int(found[0])
        data = os.pread(fd, BATCH_BYTES, offset)
        end = data.rfind(b"\n") + 1
        if end == 0:
            return False
        try:
            events = [_event(line) for line in data[:end].splitlines()]
        except (ValueError, KeyError, TypeError) as exc:
            raise StoreError(
                f"audit spool {name}: unreadable event after byte {offset}: {exc}"
            ) from exc
        AUDIT_INSERT.run(connection, dialect, events)
        connection.execute(
            "INSERT INTO audit_spool_imports (spool, imported) VALUES (?, ?) "
            "ON CONFLICT (spool) DO UPDATE SET imported = excluded.imported",
            (name, offset + end),
        )
        return True

    return step


def import_spool(run: Run, fd: int, name: str) -> None:
    """Every complete line of the spool open at ``fd`` into ``audit_log``."""
    while run(_import_step(fd, name)):
        pass


def _forget(run: Run, name: str) -> None:
    def drop(connection: Any, _dialect: Any) -> None:
        connection.execute("DELETE FROM audit_spool_imports WHERE spool = ?", (name,))

    run(drop)


def import_orphans(run: Run, directory: Path, own: str | None) -> int:
    """Import, unlink and forget every spool whose process is gone; how many."""
    try:
        names = sorted(p for p in os.listdir(directory) if p.endswith(SUFFIX))
    except FileNotFoundError:
        return 0
    done = 0
    for name in names:
        if name == own:
            continue
        try:
            fd = os.open(directory / name, os.O_RDONLY | os.O_CLOEXEC)
        except FileNotFoundError:
            continue  # imported meanwhile by another process
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            if os.fstat(fd).st_nlink == 0:
                continue  # imported and unlinked by whoever held the lock before
            import_spool(run, fd, name)
            os.unlink(directory / name)
            _forget(run, name)
            done += 1
        except BlockingIOError:
            continue  # its process is alive and flushes it itself
        finally:
            os.close(fd)
    return done


class _Spool:
    """One locked, append-only spool file of this process."""

    def __init__(self, directory: Path) -> None:
        directory.mkdir(mode=0o700, exist_ok=True)
        self.name = f"{uuid.uuid4().hex}{SUFFIX}"
        self.path = directory / self.name
        making = directory / f"{self.name}.new"
        flags = os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC
        self.fd = os.open(making, flags, 0o600)
        fcntl.flock(self.fd, fcntl.LOCK_EX)
        os.rename(making, self.path)
        self.written = 0
        # a spool dropped unclosed (its store never disposed) is unlocked, so any
        # process, this one too, imports it as an orphan
        self._unlock = weakref.finalize(self, os.close, self.fd)

    def write(self, data: bytes) -> None:
        """Append ``data`` (whole lines), or nothing of it: a failed write's part
        is cut off again, so no event of a failed read is ever imported."""
        view = memoryview(data)
        try:
            while view:  # one write() in practice; a short write is continued
                view = view[os.write(self.fd, view) :]
        except OSError:
            os.ftruncate(self.fd, self.written)
            raise
        self.written += len(data)

    def finish(self, run: Run) -> None:
        """Import the rest, unlink, unlock, forget (left whole, unlocked, for the
        next start when the import fails)."""
        try:
            import_spool(run, self.fd, self.name)
            os.unlink(self.path)
        finally:
            self._unlock()
        _forget(run, self.name)


class AuditSpool:
    """The reading units' audit writer on a SQLite file: ``append`` spools, the
    flusher thread (started with the first spool) and ``flush`` import.

    ``run(work)`` commits ``work`` in one writing transaction at the write gate
    (``AuditSink.run``)."""

    def __init__(self, directory: Path, run: Run, *, period: float = FLUSH_SECONDS):
        self.directory = directory
        self._run = run
        self._period = period
        self._lock = threading.Lock()  # the current spool and writes to it
        self._importing = threading.Lock()  # one import at a time in this process
        self._spool: _Spool | None = None
        self._retired: list[_Spool] = []  # spools a write failed on, to finish
        self._imported = 0  # bytes of the current spool known to be in audit_log
        self._pid = os.getpid()
        self._stop = threading.Event()
        self._flushing = False  # the flusher thread is started
        self._scanned = False  # dead processes' spools looked for once at first use

    def append(self, events: list[dict[str, Any]], via: Any = None) -> None:
        """Spool ``events``; return once they are in the kernel (``via``: unused,
        for the ``AuditWriter`` interface)."""
        if not events:
            return
        data = b"".join([_line(event) for event in events])
        with self._lock:
            spool = self._spool
            if spool is None or self._pid != os.getpid():
                spool = self._open()
            try:
                spool.write(data)
            except OSError as exc:  # a full disk: the read fails, unaudited never
                # retired: its lines are imported, and later events go to a new one
                self._retired.append(spool)
                self._spool = None
                raise StoreError(
                    f"audit event not written to its spool: {exc}"
                ) from exc

    def _open(self) -> _Spool:
        if self._pid != os.getpid():  # a forked child: its own spool and flusher
            self._pid, self._flushing = os.getpid(), False
            self._importing = threading.Lock()
        spool = self._spool = _Spool(self.directory)
        self._imported = 0
        if not self._flushing:
            self._flushing = True
            flusher = threading.Thread(
                target=_flusher,
                args=(weakref.ref(self), self._stop, self._period),
                name="audit-spool",
                daemon=True,
            )
            flusher.start()
        return spool

    def pending(self) -> bool:
        """Whether events spooled by this process may still be outside audit_log."""
        spool = self._spool
        return bool(self._retired) or (
            spool is not None and spool.written > self._imported
        )

    def flush(self) -> None:
        """Import this process's spooled events, and (at first use) any spool
        left by a process that died; return once they are committed."""
        if self._scanned and not self.pending():
            return
        with self._importing:
            if not self._scanned:
                own = self._spool.name if self._spool else None
                import_orphans(self._run, self.directory, own)
                self._scanned = True
            self._import_own()

    def _import_own(self) -> None:
        while self._retired:
            self._retired[0].finish(self._run)
            del self._retired[0]
        spool = self._spool
        if spool is None or spool.written <= self._imported:
            return
        written = spool.written
        import_spool(self._run, spool.fd, spool.name)
        self._imported = max(self._imported, written)
        if self._imported >= ROTATE_BYTES:  # a fresh spool; the full one removed
            with self._lock:
                self._spool, self._imported = _Spool(self.directory), 0
            spool.finish(self._run)

    def tick(self, orphans: bool) -> None:
        """The flusher's period: this process's spool, and now and then the dead's."""
        with self._importing:
            self._import_own()
            if orphans:
                own = self._spool.name if self._spool else None
                import_orphans(self._run, self.directory, own)

    def close(self) -> None:
        """Stop the flusher, import what is left and remove this process's spool
        (left for the next start if the import fails)."""
        self._stop.set()
        with self._importing, self._lock:
            while self._retired:
                self._retired.pop(0).finish(self._run)
            spool, self._spool = self._spool, None
            if spool is None or self._pid != os.getpid():
                return
            spool.finish(self._run)


def _flusher(
    spool: weakref.ref[AuditSpool], stop: threading.Event, period: float
) -> None:
    """Imports every ``period`` until the spool is closed or forgotten."""
    ticks = 0
    failing = False
    while not stop.wait(period):
        ticks += 1
        live = spool()
        if live is None:
            return
        try:
            live.tick(
                ticks % ORPHAN_TICKS == 1
            )  # the dead's: at once, then now and then
        except Exception:  # the spool keeps them: tried again next period
            if not failing:  # said once, not every period, until it recovers
                LOGGER.exception("audit spool: import failed; retrying")
            failing = True
            continue
        finally:
            del live
        if failing:
            LOGGER.warning("audit spool: imports work again")
            failing = False
