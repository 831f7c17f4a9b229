"""Audited reads under writers on SQLite: the issue #19 goal "audited reads p99 <= 100 ms
at c32 with writers running; reads never wait for the write lock".

One SQLite file (WAL), one process (as one ``spinewise serve`` worker: threads sharing
the GIL). 32 reader threads call ``services.get_assessment`` (actor re-check, clinic
scope, the read's audit event durable before the call returns: spooled on a SQLite
file, store/audit_spool.py) while writer threads
insert assessments with their decisions in writing units of work (``BEGIN IMMEDIATE``,
synchronous FULL). A first phase runs the readers alone, for comparison in the same
run. Prints read p50 / p99 / max, reads/s, writes/s and the load average, and checks
that every read left exactly one audit event. Not a test:
``python bench/reads_under_writes.py [--seconds 10] [--writers 2] [--readers 32]``.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from spinewise import services
from spinewise.services import Actor, Interface, Role
from spinewise.store import Store

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.store import Bench  # noqa: E402


class Phase:
    """Readers (and writers) running together until ``stop`` is set."""

    def __init__(self, bench: Bench, targets: list[int]) -> None:
        self.bench = bench
        self.targets = targets
        self.stop = threading.Event()
        self.latencies: list[float] = []
        self.writes = 0
        self.errors: list[BaseException] = []
        self._lock = threading.Lock()

    def read(self, seed: int) -> None:
        b = self.bench
        actor = Actor(b.user, b.clinic, Role.THERAPIST, "bench", Interface.API)
        pick = random.Random(seed).choice
        mine: list[float] = []
        try:
            while not self.stop.is_set():
                start = time.perf_counter()
                services.get_assessment(b.store, actor, pick(self.targets))
                mine.append(time.perf_counter() - start)
        except BaseException as error:  # reported, never hidden
            self.errors.append(error)
        with self._lock:
            self.latencies += mine

    def write(self) -> None:
        try:
            while not self.stop.is_set():
                self.bench.ours_insert()
                with self._lock:
                    self.writes += 1
        except BaseException as error:
            self.errors.append(error)


def _audit_reads(store: Store) -> int:
    with store.unit_of_work() as uow:
        return uow.audit.count()


def run_phase(
    bench: Bench, targets: list[int], readers: int, writers: int, seconds: float
) -> None:
    before = _audit_reads(bench.store)
    phase = Phase(bench, targets)
    threads = [
        threading.Thread(target=phase.read, args=(n,)) for n in range(readers)
    ] + [threading.Thread(target=phase.write) for _ in range(writers)]
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    phase.stop.set()
    for thread in threads:
        thread.join()
    events = _audit_reads(bench.store) - before
    ms = sorted(x * 1000 for x in phase.latencies)
    p99 = statistics.quantiles(ms, n=100)[98]
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"c{readers} readers, {writers} writers, {seconds:.0f} s: "
        f"read p50 {statistics.median(ms):6.1f} ms  p99 {p99:6.1f} ms  "
        f"max {ms[-1]:7.1f} ms  reads/s {len(ms) / seconds:6.0f}  "
        f"writes/s {phase.writes / seconds:5.1f}  errors {len(phase.errors)}  "
        f"audit events {events} for {len(ms)} reads  (load {load})"
    )
    if phase.errors:
        raise phase.errors[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--readers", type=int, default=32)
    parser.add_argument("--writers", type=int, default=2)
    options = parser.parse_args()
    bench = Bench(Path(tempfile.mkdtemp(prefix="spinewise-bench-")) / "bench.sqlite3")
    for _ in range(20):
        bench.ours_insert()
    targets = list(bench.inserted)
    run_phase(bench, targets, options.readers, 0, options.seconds)
    run_phase(bench, targets, options.readers, options.writers, options.seconds)
    bench.raw.db.close()
    bench.store.dispose()


if __name__ == "__main__":
    main()
