"""Audit events of read-only units of work, appended durably by group commit.

A reading unit of work runs in a deferred transaction (on SQLite under WAL it takes no
lock and never waits for a writer), so its audit event cannot be inserted there. The
unit hands its events to the store's ``AuditWriter`` when it ends and waits until they
are committed. Callers take turns as the writer: one commits, in one short writing
transaction, every event waiting at that moment (its own and those of the threads
that queued meanwhile), then hands the turn to the first caller that queued after it.
A lone reader writes its own event with no hand-off between threads, on its own
connection when it gives one (``via``). The read's
result reaches the caller only after its event is committed (it survives a
``kill -9`` of the server once the response is out); the write lock is taken once per
batch instead of once per read, and no reader holds it while it reads.

This is the path on PostgreSQL and an in-memory SQLite database; on a SQLite file the
events of reads are spooled instead (store/audit_spool.py, ``AuditSpool``: the same
``append``/``flush``/``close``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from spinewise.errors import StoreError

WriteEvents = Callable[[list[dict[str, Any]], Any], None]


class ReadAudit(Protocol):
    """What a reading unit hands its audit events to (``AuditWriter``, ``AuditSpool``)."""

    def append(self, events: list[dict[str, Any]], via: Any = None) -> None: ...

    def flush(self) -> None: ...

    def close(self) -> None: ...


@dataclass
class _Ticket:
    events: list[dict[str, Any]]
    via: Any = None  # the caller's own idle connection to write on, if any
    wake: threading.Event | None = None  # made only for a caller that must wait
    written: bool = False
    error: BaseException | None = None


class AuditWriter:
    """Group commit of audit events; any number of threads may call ``append``."""

    def __init__(self, write: WriteEvents) -> None:
        """``write(events, via)`` commits a batch of events in one transaction of its
        own (on ``via``, the connection of the caller whose turn it is, when given)."""
        self.write_events = write
        self._lock = threading.Lock()
        self._pending: list[_Ticket] = []
        self._writing = False

    def append(self, events: list[dict[str, Any]], via: Any = None) -> None:
        """Commit ``events`` (with other callers' events); return once committed.
        ``via``: the caller's own connection, with no transaction open, which the
        batch is written on if this caller takes the turn."""
        if not events:
            return
        ticket = _Ticket(events, via)
        with self._lock:
            self._pending.append(ticket)
            turn = not self._writing
            self._writing = True
            if not turn:
                ticket.wake = threading.Event()
        if ticket.wake is not None:
            ticket.wake.wait()  # written by another caller, or handed the turn
        if not ticket.written:
            self._take_turn(ticket.via)
        if ticket.error is not None:
            raise ticket.error

    def waiting(self) -> int:
        """Callers queued for the next batch (for tests)."""
        with self._lock:
            return len(self._pending)

    def flush(self) -> None:
        """Nothing to flush: ``append`` returns once its events are committed."""

    def close(self) -> None:
        """Nothing is kept between calls: every caller returns once its events are
        committed (kept for the store's shutdown sequence)."""

    def _take_turn(self, via: Any) -> None:
        with self._lock:
            batch, self._pending = self._pending, []
        self._write(batch, via)
        with self._lock:
            if self._pending:  # its turn: it writes the next batch (it waits)
                wake = self._pending[0].wake
                assert wake is not None
                wake.set()
            else:
                self._writing = False

    def _write(self, batch: list[_Ticket], via: Any) -> None:
        try:
            self.write_events([e for ticket in batch for e in ticket.events], via)
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
                ticket.written = True
                if ticket.wake is not None:
                    ticket.wake.set()
