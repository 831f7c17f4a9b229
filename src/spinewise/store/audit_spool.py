"""The audit events of reads on a SQLite file, kept off the database at read time.

A reading unit's events are appended to this process's spool file, beside the
database (``clinic.sqlite3.audit-spool/``), with one ``write()`` of one line per event
before the read's result is used: once the write returns the events are in the
kernel, so they survive ``kill -9`` of the server (the issue's definition of a durable
audited read; a power loss may lose them, as it may lose a ``synchronous = NORMAL``
commit). A flusher thread moves them into ``audit_log`` in batches; so does every unit
of work the process opens, before it begins, so anything read in-process after a read
(the audit trail, an erasure, a count) sees its event.

The spool file and its format: store/audit_spool_file.py; the import, exactly once,
and the spools of dead processes: store/audit_spool_import.py; lines it cannot read:
store/audit_spool_quarantine.py. A spool belongs to the process holding its
``flock``.
"""

from __future__ import annotations

import logging
import os
import threading
import weakref
from pathlib import Path
from typing import Any

from spinewise.errors import StoreError
from spinewise.store.audit_spool_file import SpoolFile, spool_directory, spool_line
from spinewise.store.audit_spool_import import (
    Run,
    forget,
    import_orphans,
    import_spool,
)

__all__ = ["AuditSpool", "spool_directory"]  # the store's names for the spool

ROTATE_BYTES = 4 << 20  # a spool is replaced by a fresh one once this much is in
FLUSH_SECONDS = 0.2  # the flusher's period: the lag other processes can see
ORPHAN_TICKS = 5  # look for dead processes' spools every fifth period
LOGGER = logging.getLogger("spinewise.audit")
_process_id = os.getpid()  # kept by the fork hook below: ``os.getpid()`` is a system
# call (about a microsecond here), and ``append`` runs on every audited read


def _forked() -> None:
    global _process_id
    _process_id = os.getpid()


os.register_at_fork(after_in_child=_forked)


def _finish(spool: SpoolFile, directory: Path, run: Run, imported: int | None) -> None:
    """Import the rest, unlink, unlock, forget (left whole, unlocked, for the next
    start when the import fails)."""
    try:
        import_spool(run, directory, spool.fd, spool.name, start=imported)
        os.unlink(spool.path)
    finally:
        spool.unlock()
    forget(run, spool.name)


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
        self._spool: SpoolFile | None = None
        self._retired: list[SpoolFile] = []  # spools a write failed on, to finish
        self._imported = 0  # bytes of the current spool known to be in audit_log
        self._pid = _process_id
        self._stop = threading.Event()
        self._flushing = False  # the flusher thread is started
        self._scanned = False  # dead processes' spools looked for once at first use

    def append(self, events: list[dict[str, Any]], via: Any = None) -> None:
        """Spool ``events``; return once they are in the kernel (``via``: unused,
        for the ``AuditWriter`` interface)."""
        if not events:
            return
        data = (
            spool_line(events[0])
            if len(events) == 1
            else b"".join([spool_line(event) for event in events])
        )
        with self._lock:
            spool = self._spool
            if spool is None or self._pid != _process_id:
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

    def _open(self) -> SpoolFile:
        if self._pid != _process_id:  # a forked child: its own spool and flusher
            self._pid, self._flushing = _process_id, False
            self._importing = threading.Lock()
        spool = self._spool = SpoolFile(self.directory)
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
            _finish(self._retired[0], self.directory, self._run, None)
            del self._retired[0]
        spool = self._spool
        if spool is None or spool.written <= self._imported:
            return
        # what is written now, not what readers add meanwhile (one bounded turn)
        self._imported = import_spool(
            self._run,
            self.directory,
            spool.fd,
            spool.name,
            start=self._imported,
            until=spool.written,
        )
        if self._imported >= ROTATE_BYTES:  # a fresh spool; the full one removed
            imported = self._imported
            with self._lock:
                self._spool, self._imported = SpoolFile(self.directory), 0
            _finish(spool, self.directory, self._run, imported)

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
                _finish(self._retired.pop(0), self.directory, self._run, None)
            spool, self._spool = self._spool, None
            if spool is None or self._pid != _process_id:
                return
            _finish(spool, self.directory, self._run, self._imported)


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
