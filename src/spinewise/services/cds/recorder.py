"""Group commit of answered hook calls: one transaction (one disk sync) for many calls.

Each answered call must be on record (its cards shown, its audit event) before its
cards are returned, so that "shown" counts are real and feedback on a card always finds
it. Committing each call alone costs a disk sync per call, which caps a SQLite store at
a few hundred calls a second; instead the calls waiting at the same moment are written
together by one writer thread and each caller is released when the transaction holding
its call has committed (or gets its error: a failed batch is retried call by call, so
one bad call cannot fail the others).

The writer starts with the first call and stops after ``idle`` seconds without one, so
an app that is discarded leaves no thread behind for long.
"""

from __future__ import annotations

import queue
import threading
from dataclasses import dataclass, field

from spinewise.services.cds.feedback import HookRows, write_hooks
from spinewise.store import Store

MAX_BATCH = 256
WAIT_SECONDS = 30.0


@dataclass
class _Call:
    rows: HookRows
    done: threading.Event = field(default_factory=threading.Event)
    error: BaseException | None = None


class HookRecorder:
    """Writes answered hook calls in group commits; ``record`` returns once durable."""

    def __init__(self, store: Store, *, idle: float = 5.0, max_batch: int = MAX_BATCH):
        self._store = store
        self._idle = idle
        self._max_batch = max_batch
        self._queue: queue.SimpleQueue[_Call] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._running = False

    def record(self, rows: HookRows) -> None:
        """Record one call; raises what its transaction raised."""
        call = _Call(rows)
        with self._lock:
            self._queue.put(call)
            if not self._running:
                self._running = True
                threading.Thread(
                    target=self._run, name="spinewise-cds-recorder", daemon=True
                ).start()
        if not call.done.wait(WAIT_SECONDS):
            raise TimeoutError("the hook call could not be recorded in time")
        if call.error is not None:
            raise call.error

    def _next_batch(self) -> list[_Call] | None:
        try:
            first = self._queue.get(timeout=self._idle)
        except queue.Empty:
            with self._lock:
                if self._queue.empty():
                    self._running = False
                    return None
            return []
        batch = [first]
        while len(batch) < self._max_batch:
            try:
                batch.append(self._queue.get_nowait())
            except queue.Empty:
                break
        return batch

    def _write(self, batch: list[_Call]) -> None:
        """Write ``batch`` in one transaction; if it fails, each call alone, so one
        bad call cannot fail the others."""
        try:
            write_hooks(self._store, [c.rows for c in batch])
        except Exception as exc:
            if len(batch) == 1:
                batch[0].error = exc
            else:
                for call in batch:
                    self._write([call])
                return
        for call in batch:
            call.done.set()

    def _run(self) -> None:
        try:
            while (batch := self._next_batch()) is not None:
                if batch:
                    self._write(batch)
        finally:  # also if the thread dies: the next call starts another
            with self._lock:
                self._running = False
