"""The order in which one process's writers take a SQLite file's write lock.

SQLite has one write lock per file, and a writer that finds it taken sleeps in the
busy handler and polls (1, 2, 5 ... 100 ms naps), so under steady writes the audit
writer's short batch — the events of reads, which the readers wait for — could lose
the race again and again: reads waited seconds behind writers (issue #19). Writers of
one process therefore queue here first, without polling: a writing unit of work holds
the gate for its transaction, and the audit writer's batch takes turns with them —
when both wait, the gate alternates between the audit batch and one other writer, so
a read's event waits for at most one other transaction (and no writer starves behind a
stream of reads). Readers never come here. Writers of other processes still meet on
SQLite's lock as before. A thread already holding the gate passes straight through
(a nested writing unit meets SQLite's lock, as it always did).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class WriteGate:
    """A process-wide turn for SQLite's write lock; the audit writer alternates
    with the others."""

    def __init__(self) -> None:
        self._turn = threading.Condition()
        self._holder: int | None = None
        self._depth = 0
        self._waiting = {True: 0, False: 0}  # audit batches, other writers
        self._last_was_audit = False

    def _my_turn(self, audit: bool) -> bool:
        if self._holder is not None:
            return False
        other_waits = self._waiting[not audit] > 0
        return not (other_waits and self._last_was_audit == audit)

    def acquire(self, *, audit: bool = False) -> None:
        """Wait for the turn (``audit``: for the audit writer's batch)."""
        me = threading.get_ident()
        with self._turn:
            if self._holder == me:
                self._depth += 1
                return
            self._waiting[audit] += 1
            try:
                self._turn.wait_for(lambda: self._my_turn(audit))
            finally:
                self._waiting[audit] -= 1
            self._holder, self._depth, self._last_was_audit = me, 1, audit

    def held_here(self) -> bool:
        """Whether the calling thread holds the turn."""
        return self._holder == threading.get_ident()

    def release(self) -> None:
        with self._turn:
            self._depth -= 1
            if self._depth == 0:
                self._holder = None
                self._turn.notify_all()

    @contextmanager
    def hold(self, *, audit: bool = False) -> Iterator[None]:
        """Hold the turn for one writing transaction."""
        self.acquire(audit=audit)
        try:
            yield
        finally:
            self.release()
