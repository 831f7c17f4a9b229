"""The process's turn for SQLite's write lock: the audit batch alternates with writers."""

from __future__ import annotations

import threading
import time

from spinewise.store.write_gate import WriteGate


def _queue(
    gate: WriteGate, order: list[str], name: str, *, audit: bool
) -> threading.Thread:
    def take() -> None:
        with gate.hold(audit=audit):
            order.append(name)

    thread = threading.Thread(target=take)
    thread.start()
    return thread


def _until_waiting(gate: WriteGate, audits: int, writers: int) -> None:
    deadline = time.monotonic() + 10
    while gate._waiting != {True: audits, False: writers}:
        assert time.monotonic() < deadline, gate._waiting
        time.sleep(0.001)


def test_the_audit_batch_waits_for_one_writer_at_most() -> None:
    gate, order = WriteGate(), []
    gate.acquire()  # a writer holds the turn
    writers = [_queue(gate, order, f"writer {n}", audit=False) for n in (1, 2)]
    _until_waiting(gate, 0, 2)
    audit = _queue(gate, order, "audit", audit=True)
    _until_waiting(gate, 1, 2)
    gate.release()
    for thread in [*writers, audit]:
        thread.join(timeout=10)
    assert order[0] == "audit"


def test_a_writer_goes_between_two_audit_batches() -> None:
    gate, order = WriteGate(), []
    gate.acquire(audit=True)  # an audit batch is being written
    writer = _queue(gate, order, "writer", audit=False)
    _until_waiting(gate, 0, 1)
    audit = _queue(gate, order, "audit", audit=True)
    _until_waiting(gate, 1, 1)
    gate.release()
    for thread in (writer, audit):
        thread.join(timeout=10)
    assert order == ["writer", "audit"]


def test_a_thread_holding_the_turn_passes_straight_through() -> None:
    gate = WriteGate()
    with gate.hold(), gate.hold(audit=True):
        assert gate._depth == 2
    assert gate._holder is None
