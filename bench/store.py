"""Store benchmark: Spinewise's store against raw sqlite3 doing the same work.

Three operations on one SQLite file (WAL, foreign keys on, synchronous FULL for both):

* insert an assessment with its decision, in one transaction;
* read one assessment by id (document parsed from JSON);
* read a patient's latest five assessment versions (documents parsed).

Since revision 0009s the store keeps answers packed and outputs deflated
(``spinewise.store.packing``); the raw side writes the same stored forms by hand with
``json``/``zlib`` from the standard library (the answers as layout 1's positional
array, the output deflated with the frozen dictionary by a copy of one primed
compressor), so both sides write rows of the same size in the same transaction with
the same ``synchronous`` setting (SQLite's default, FULL, on both connections). Until
2026-12-05 the raw side wrote the keyed JSON document and plain zlib, rows about
three times larger (the decision's row then spilled onto an overflow page): a slower
baseline than the work ours does. The raw read parses the stored answers as they are,
without rebuilding the keyed document, which our side does.

Each operation runs alternately through ``spinewise.store`` (a writing unit of work
for the insert, a reading unit on Core with no ORM ``Session`` for the reads — for
the read by id a one-statement unit, its own transaction as raw sqlite3's statement
is; clinic-scoped repositories) and through raw ``sqlite3`` with the same statements, so
drift on the machine hits both. Prints median and p99 per operation and the ratio
(goal: within 2x). The service layer (actor re-check, audit event, pydantic records)
is measured too, for information. Not a test: run ``python bench/store.py``.
"""

from __future__ import annotations

import datetime as dt
import inspect
import json
import os
import sqlite3
import statistics
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import event

from spinewise import services
from spinewise.kb import load_kb
from spinewise.models import Assessment
from spinewise.screening import screen
from spinewise.services import Actor, Interface, Role
from spinewise.store import Store, open_store, upgrade
from spinewise.store.packing import LAYOUT_1, outcome_dictionary

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.factories import assessment_data  # noqa: E402

# an older tree on PYTHONPATH (before/after runs) has no one-statement unit
ONE_STATEMENT = (
    {"one_statement": True}
    if "one_statement" in inspect.signature(Store.reading).parameters
    else {}
)
PATIENTS, HISTORY = 200, 10
RUNS = {"insert": 300, "by_id": 3000, "latest5": 2000}


def _populate(store: Store) -> tuple[int, int, int]:
    """One clinic, one user, PATIENTS patients with HISTORY assessments each."""
    with store.unit_of_work(write=True) as uow:
        clinic = uow.clinics.add("Bench Clinic")
        user = uow.users.add(
            clinic_id=clinic.id,
            username="bench",
            display_name="Bench",
            role="therapist",
            password_hash="-",
        )
        ids = [
            uow.patients.add(
                clinic_id=clinic.id,
                record_number=f"B-{i}",
                name=f"Bench {i}",
                birth_date=None,
                created_by=user.id,
            ).id
            for i in range(PATIENTS)
        ]
        document = assessment_data()
        for patient_id in ids:
            for number in range(1, HISTORY + 1):
                uow.assessments.add(
                    clinic_id=clinic.id,
                    patient_id=patient_id,
                    number=number,
                    version=1,
                    amends_id=None,
                    assessed_on=dt.date(2026, 11, 24),
                    document=document,
                    submitted_by=user.id,
                )
    return clinic.id, user.id, ids[len(ids) // 2]


def _hand_packed(doc: dict[str, Any]) -> str:
    """Layout 1's positional array, written by hand (``pack_answers``'s output)."""
    packed: list[Any] = [1]
    for name, keys in LAYOUT_1:
        section = doc.get(name, 0)
        if keys is None or not isinstance(section, dict):
            packed.append(section)
        else:
            packed.append([section[k] for k in keys])
    return json.dumps(packed, separators=(",", ":"), ensure_ascii=False)


class Raw:
    """The same work in raw sqlite3, on the same file with the same pragmas."""

    def __init__(self, path: Path) -> None:
        self.packer = zlib.compressobj(6, zdict=outcome_dictionary())
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA foreign_keys = ON")
        self.db.execute("PRAGMA journal_mode = WAL")
        self.db.execute("PRAGMA busy_timeout = 30000")

    def insert(
        self,
        clinic: int,
        user: int,
        patient: int,
        number: int,
        doc: dict[str, Any],
        given: dict[str, Any],
        output: dict[str, Any],
    ) -> int:
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(sep=" ")
        deflate = self.packer.copy()
        text = json.dumps(output, separators=(",", ":"), ensure_ascii=False).encode()
        outcome = b"\x02" + deflate.compress(text) + deflate.flush()
        cur = self.db.cursor()
        cur.execute("BEGIN IMMEDIATE")
        cur.execute(
            "INSERT INTO assessments (clinic_id, patient_id, number, version, "
            "amends_id, assessed_on, answers, submitted_at, submitted_by) "
            "VALUES (?, ?, ?, 1, NULL, '2026-11-24', ?, ?, ?)",
            (clinic, patient, number, _hand_packed(doc), now, user),
        )
        assessment = cur.lastrowid
        cur.execute(
            "INSERT INTO decisions (clinic_id, patient_id, assessment_id, verdict, "
            "kb_version, engine_version, answers, outcome, created_at, created_by) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                clinic,
                patient,
                assessment,
                output["verdict"],
                output["kb_version"],
                output["engine_version"],
                _hand_packed(given),
                outcome,
                now,
                user,
            ),
        )
        cur.execute("COMMIT")
        return assessment or 0

    def by_id(self, clinic: int, assessment: int) -> dict[str, Any]:
        row = self.db.execute(
            "SELECT id, patient_id, number, version, amends_id, assessed_on, "
            "answers, submitted_at, submitted_by FROM assessments "
            "WHERE id = ? AND clinic_id = ?",
            (assessment, clinic),
        ).fetchone()
        return {"id": row[0], "document": json.loads(row[6])}

    def latest5(self, clinic: int, patient: int) -> list[dict[str, Any]]:
        rows = self.db.execute(
            "SELECT id, patient_id, number, version, amends_id, assessed_on, "
            "answers, submitted_at, submitted_by FROM assessments "
            "WHERE clinic_id = ? AND patient_id = ? "
            "ORDER BY number DESC, version DESC LIMIT 5",
            (clinic, patient),
        ).fetchall()
        return [{"id": r[0], "document": json.loads(r[6])} for r in rows]


def _timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter_ns()
    fn()
    return (time.perf_counter_ns() - start) / 1000.0


def _summary(samples: list[float]) -> tuple[float, float]:
    return statistics.median(samples), statistics.quantiles(samples, n=100)[98]


def _report(name: str, ours: list[float], raw: list[float]) -> None:
    (m1, p1), (m2, p2) = _summary(ours), _summary(raw)
    print(
        f"{name:<30} spinewise {m1:8.1f} / {p1:8.1f} µs   sqlite3 {m2:7.1f} / "
        f"{p2:8.1f} µs   ratio {m1 / m2:5.2f}x / {p1 / p2:5.2f}x"
    )


class Bench:
    """The two sides of each operation, on one database."""

    def __init__(self, path: Path) -> None:
        self.store = open_store(f"sqlite:///{path}")
        upgrade(self.store)
        self.clinic, self.user, self.patient = _populate(self.store)
        self.raw = Raw(path)
        self.kb = load_kb()
        assessment = Assessment.model_validate(assessment_data())
        self.decision = screen(assessment, self.kb)
        self.doc = assessment.to_contract()
        self.output = self.decision.to_contract()
        self.numbers = iter(range(1000, 1_000_000))
        self.inserted: list[int] = []

    def ours_insert(self) -> None:
        d = self.decision
        with self.store.unit_of_work(write=True) as uow:
            row = uow.assessments.add(
                clinic_id=self.clinic,
                patient_id=self.patient,
                number=next(self.numbers),
                version=1,
                amends_id=None,
                assessed_on=dt.date(2026, 11, 24),
                document=self.doc,
                submitted_by=self.user,
            )
            uow.decisions.add(
                clinic_id=self.clinic,
                patient_id=self.patient,
                assessment_id=row.id,
                verdict=d.verdict.value,
                kb_version=d.kb_version,
                engine_version=d.engine_version,
                input=self.doc,
                output=self.output,
                created_by=self.user,
            )
        self.inserted.append(row.id)

    def raw_insert(self) -> None:
        number = next(self.numbers)
        self.raw.insert(
            self.clinic,
            self.user,
            self.patient,
            number,
            self.doc,
            self.doc,
            self.output,
        )

    def ours_by_id(self, target: int) -> None:
        with self.store.reading(**ONE_STATEMENT) as uow:
            row = uow.assessments.get(self.clinic, target)
            assert row is not None and row.document["schema"]

    def ours_latest(self) -> None:
        with self.store.reading() as uow:
            assert len(uow.assessments.of_patient(self.clinic, 1, limit=5)) == 5


def _alternate(
    ours: Callable[[], object], raw: Callable[[], object], runs: int
) -> tuple[list[float], list[float]]:
    a: list[float] = []
    b: list[float] = []
    for _ in range(runs):
        a.append(_timed(ours))
        b.append(_timed(raw))
    return a, b


def main() -> None:
    bench = Bench(Path(tempfile.mkdtemp(prefix="spinewise-bench-")) / "bench.sqlite3")
    c = bench.clinic
    inserts = _alternate(bench.ours_insert, bench.raw_insert, RUNS["insert"])
    targets = iter(bench.inserted * (RUNS["by_id"] // len(bench.inserted) + 1))
    current = [0]

    def ours_get() -> None:
        current[0] = next(targets)
        bench.ours_by_id(current[0])

    reads = _alternate(ours_get, lambda: bench.raw.by_id(c, current[0]), RUNS["by_id"])
    latest = _alternate(
        bench.ours_latest, lambda: bench.raw.latest5(c, 1), RUNS["latest5"]
    )
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"SQLite {sqlite3.sqlite_version}, {PATIENTS * HISTORY} assessments, "
        f"load average {load} on {os.cpu_count()} CPUs; median / p99 per operation"
    )
    _report("insert assessment + decision", *inserts)
    _report("read one assessment by id", *reads)
    _report("read a patient's latest five", *latest)
    _services(bench, reads[1], latest[1])
    _unflushed(bench)
    bench.raw.db.close()
    bench.store.dispose()


def _unflushed(bench: Bench) -> None:
    """For information: the insert again with ``synchronous = OFF`` on both sides,
    the work each does besides waiting for the disk (on a loaded machine the flush
    dominates both sides and hides it; add ours minus raw's here to a quiet
    machine's flushed raw insert to estimate the quiet ratio)."""

    def no_flush(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute("PRAGMA synchronous = OFF")

    event.listen(bench.store.engine, "connect", no_flush)
    bench.store.engine.dispose()  # the writer's next connection is made unflushed
    bench.raw.db.execute("PRAGMA synchronous = OFF")
    inserts = _alternate(bench.ours_insert, bench.raw_insert, RUNS["insert"])
    print("for information, synchronous = OFF on both sides (no disk flush):")
    _report("  insert assessment + decision", *inserts)


def _services(bench: Bench, raw_get: list[float], raw_latest: list[float]) -> None:
    """For information: the same reads through the services (records, audit)."""
    actor = Actor(bench.user, bench.clinic, Role.THERAPIST, "bench", Interface.CLI)
    store = bench.store
    get = [
        _timed(lambda t=t: services.get_assessment(store, actor, t))
        for t in bench.inserted[:300]
    ]
    latest = [
        _timed(lambda: services.latest_assessments(store, actor, 1)) for _ in range(300)
    ]
    print("services (actor re-check, audit event committed, validated records):")
    _report("  get_assessment", get, raw_get)
    _report("  latest_assessments", latest, raw_latest)


if __name__ == "__main__":
    main()
