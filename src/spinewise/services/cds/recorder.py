"""Group commit of answered hook calls: one transaction for many calls.

Each answered call must be on record (its cards shown, its audit event) before its
cards are returned, so that "shown" counts are real and feedback on a card always finds
it. Committing each call alone costs a transaction (and the write lock) per call;
instead the calls waiting at the same moment are written together and each caller is
released when the transaction holding its call has committed (or gets its error: a
failed batch is retried call by call, so one bad call cannot fail the others). The
transaction is the store's ``unflushed_core`` (prepared statements on a driver
connection, no ORM session), committed as audited reads' events are: its commit
survives ``kill -9`` of the server once the answer is sent (issue 19's definition of
durable) without waiting for the disk.

There is no writer thread: the caller that finds no transaction in progress writes
its own call at once, with whatever calls are waiting then (leader and followers).
Calls that arrive while a transaction runs wait for it to end; then one of them writes
all of them in the next. A lone call therefore costs its transaction alone, with no
hand-over to another thread (on a loaded machine each hand-over is a wait to be
scheduled: 1.7 ms of a 2.5 ms call, issue 19), and group commit happens only under
contention, where it saves the transactions.

A call may also carry its JWT's ``jti`` claim (``JtiClaim``): it is inserted in the
same transaction as the call's rows (``INSERT … ON CONFLICT DO NOTHING``), so a call
costs one durable write, not two, and a replay is decided by the database's unique key
whichever process wrote the first use. A call whose ``jti`` is already used writes
nothing and ``record`` answers False. A call may be a claim alone (``rows`` None):
the claim of a call that is not recorded (an error, no cards to show), or one that
must be settled before any work (``CdsHooks``).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass

from spinewise.services.access.nonces import CDS_JTI
from spinewise.services.cds.shown import HookRows
from spinewise.store import CoreWrite, Store, utc_now

MAX_BATCH = 256
WAIT_SECONDS = 30.0
SWEEP_SECONDS = 1.0  # expired jtis are deleted at most this often, not per call


MAX_JTI = 255  # longer values are refused (the column's length)


@dataclass(frozen=True)
class JtiClaim:
    """A JWT's ``jti``, used until ``expires``."""

    jti: str
    expires: dt.datetime


@dataclass(eq=False)
class _Call:
    rows: HookRows | None
    claim: JtiClaim | None = None
    done: bool = False  # read and set under ``HookRecorder._turn``
    error: BaseException | None = None
    accepted: bool = True


def write_calls(store: Store, calls: Sequence[_Call], *, sweep: bool = True) -> None:
    """One transaction: each call's ``jti`` claimed, then the rows and audit events of
    the calls whose claim held (``accepted`` False for the others); ``sweep``: the
    expired ``jti``s deleted first (an expired token is refused by its ``exp``
    whether its ``jti`` is still there or not)."""

    def work(tx: CoreWrite) -> None:
        if sweep and any(call.claim is not None for call in calls):
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
    """Writes answered hook calls in group commits, each on a caller's thread;
    ``record`` returns once the call is durable."""

    def __init__(self, store: Store, *, max_batch: int = MAX_BATCH) -> None:
        self._store = store
        self._max_batch = max_batch
        self._turn = threading.Condition()
        self._pending: list[_Call] = []
        self._writing = False
        self._swept = float("-inf")  # time.monotonic() of the last sweep

    def record(self, rows: HookRows | None, claim: JtiClaim | None = None) -> bool:
        """Record one call (its rows, its ``jti`` claim, or both); False when the
        ``jti`` was used already (nothing written); raises what its transaction
        raised."""
        call = _Call(rows, claim)
        deadline = time.monotonic() + WAIT_SECONDS
        with self._turn:
            self._pending.append(call)
        while (batch := self._take_turn(call, deadline)) is not None:
            written = False
            try:
                self._write(batch)
                written = True
            finally:
                self._end_turn(batch, written)
        if call.error is not None:
            raise call.error
        return call.accepted

    def _take_turn(self, call: _Call, deadline: float) -> list[_Call] | None:
        """None once ``call`` is written; else, when no transaction is in progress,
        the waiting calls this thread is to write (its own among them)."""
        with self._turn:
            while self._writing and not call.done:
                left = deadline - time.monotonic()
                if left <= 0 and call in self._pending:  # never written after this
                    self._pending.remove(call)
                    raise TimeoutError("the hook call could not be recorded in time")
                self._turn.wait(max(left, 0.05))
            if call.done:
                return None
            self._writing = True
            batch = self._pending[: self._max_batch]
            del self._pending[: self._max_batch]
            return batch

    def _end_turn(self, batch: list[_Call], written: bool) -> None:
        """Release the calls of ``batch`` (``written`` False: the writer was
        interrupted) and let a waiting caller write next."""
        with self._turn:
            for call in batch:
                if not written and call.error is None:
                    call.error = RuntimeError("the hook call was not recorded")
                call.done = True
            self._writing = False
            self._turn.notify_all()

    def _write(self, batch: list[_Call]) -> None:
        """Write ``batch`` in one transaction; if it fails, each call alone, so one
        bad call cannot fail the others (``error`` set on the call that failed)."""
        now = time.monotonic()
        sweep = now - self._swept >= SWEEP_SECONDS  # one writer at a time: no race
        try:
            write_calls(self._store, batch, sweep=sweep)
            if sweep:
                self._swept = now
        except Exception as exc:
            if len(batch) == 1:
                batch[0].error = exc
            else:
                for call in batch:
                    self._write([call])
