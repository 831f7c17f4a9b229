"""Group commit of answered hook calls: one transaction for many calls.

Each answered call must be on record (its cards shown, its audit event) before its
cards are returned, so that "shown" counts are real and feedback on a card always finds
it. Committing each call alone costs a transaction (and the write lock) per call;
instead the calls waiting at the same moment are written together by one writer thread
and each caller is released when the transaction holding its call has committed (or
gets its error: a failed batch is retried call by call, so one bad call cannot fail the
others). The transaction is the store's ``unflushed_core`` (prepared statements on a
driver connection, no ORM session), committed as audited reads' events are: its
commit survives ``kill -9`` of the server once the answer is sent (issue 19's
definition of durable) without waiting for the disk.

A call may also carry its JWT's ``jti`` claim (``JtiClaim``): it is inserted in the
same transaction as the call's rows (``INSERT … ON CONFLICT DO NOTHING``), so a call
costs one durable write, not two, and a replay is decided by the database's unique key
whichever process wrote the first use. A call whose ``jti`` is already used writes
nothing and ``record`` answers False. A call may be a claim alone (``rows`` None):
the claim of a call that is not recorded (an error, no cards to show), or one that
must be settled before any work (``CdsHooks``).

The writer starts with the first call and stops after ``idle`` seconds without one, so
an app that is discarded leaves no thread behind for long.
"""

from __future__ import annotations

import datetime as dt
import queue
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field

from spinewise.services.access.nonces import CDS_JTI
from spinewise.services.cds.feedback import HookRows
from spinewise.store import CoreWrite, Store, utc_now

MAX_BATCH = 256
WAIT_SECONDS = 30.0


MAX_JTI = 255  # longer values are refused (the column's length)


@dataclass(frozen=True)
class JtiClaim:
    """A JWT's ``jti``, used until ``expires``."""

    jti: str
    expires: dt.datetime


@dataclass
class _Call:
    rows: HookRows | None
    claim: JtiClaim | None = None
    done: threading.Event = field(default_factory=threading.Event)
    error: BaseException | None = None
    accepted: bool = True


def write_calls(store: Store, calls: Sequence[_Call]) -> None:
    """One transaction: each call's ``jti`` claimed, then the rows and audit events of
    the calls whose claim held (``accepted`` False for the others)."""

    def work(tx: CoreWrite) -> None:
        if any(call.claim is not None for call in calls):
            tx.delete_expired_nonces(utc_now())
        for call in calls:
            claim = call.claim
            call.accepted = claim is None or (
                len(claim.jti) <= MAX_JTI
                and tx.claim_nonce(CDS_JTI, claim.jti, claim.expires)
            )
        kept = [c.rows for c in calls if c.accepted and c.rows is not None]
        if kept:
            tx.add_cards_shown([r for rows, _ in kept for r in rows])
            tx.append_audit([event for _, event in kept])

    store.unflushed_core(work)  # durable once the process has it (kill -9)


class HookRecorder:
    """Writes answered hook calls in group commits; ``record`` returns once durable."""

    def __init__(self, store: Store, *, idle: float = 5.0, max_batch: int = MAX_BATCH):
        self._store = store
        self._idle = idle
        self._max_batch = max_batch
        self._queue: queue.SimpleQueue[_Call] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._running = False

    def record(self, rows: HookRows | None, claim: JtiClaim | None = None) -> bool:
        """Record one call (its rows, its ``jti`` claim, or both); False when the
        ``jti`` was used already (nothing written); raises what its transaction
        raised."""
        call = _Call(rows, claim)
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
        return call.accepted

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
            write_calls(self._store, batch)
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
