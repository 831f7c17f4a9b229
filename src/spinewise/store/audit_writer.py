"""Audit events of read-only units of work, appended durably by group commit.

A reading unit of work runs in a deferred transaction (on SQLite under WAL it takes no
lock and never waits for a writer), so its audit event cannot be inserted there. The
unit hands its events to the store's ``AuditWriter`` when it ends and waits until they
are committed: one background thread writes whatever events are waiting, from every
thread, in one short writing transaction, then releases their callers. The read's
result reaches the caller only after its event is committed (durable: it survives a
``kill -9`` of the server once the response is out), the database's write lock is
taken once per batch instead of once per read, and no reader holds it while it reads.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any

from spinewise.errors import StoreError

WriteUnit = Callable[[], AbstractContextManager[Any]]
_BATCH_LIMIT = 500
_STOP = None


@dataclass
class _Ticket:
    events: list[dict[str, Any]]
    done: threading.Event = field(default_factory=threading.Event)
    error: BaseException | None = None


class AuditWriter:
    """One thread per store that commits waiting audit events in batches."""

    def __init__(self, write_unit: WriteUnit) -> None:
        self._write_unit = write_unit
        self._queue: queue.SimpleQueue[_Ticket | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def append(self, events: list[dict[str, Any]]) -> None:
        """Commit ``events`` (with other callers' events); return once committed."""
        if not events:
            return
        ticket = _Ticket(events)
        self._start()
        self._queue.put(ticket)
        ticket.done.wait()
        if ticket.error is not None:
            raise ticket.error

    def waiting(self) -> int:
        """Events handed over and not yet taken by the writer (for tests)."""
        return self._queue.qsize()

    def close(self) -> None:
        """Write what is waiting, then stop the thread (at shutdown)."""
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            self._queue.put(_STOP)
            thread.join(timeout=30)

    def _start(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="spinewise-audit-writer", daemon=True
                )
                self._thread.start()

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is _STOP:
                return
            batch = [first]
            stop = False
            while len(batch) < _BATCH_LIMIT:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is _STOP:
                    stop = True
                    break
                batch.append(item)
            self._write(batch)
            if stop:
                return

    def _write(self, batch: list[_Ticket]) -> None:
        try:
            with self._write_unit() as uow:
                uow.audit.append([e for ticket in batch for e in ticket.events])
        except BaseException as error:  # each caller gets the failure as its own
            failure = (
                error
                if isinstance(error, Exception)
                else StoreError(f"audit events not written: {error!r}")
            )
            for ticket in batch:
                ticket.error = failure
        finally:
            for ticket in batch:
                ticket.done.set()
