"""The SQLite database bench/store_rescreen.py reads: N stored, screened assessments.

Built once in the temporary folder and reused while valid (same rows, seed, polars
version and schema revision; a ``bench_meta`` row written last marks it complete).
The rows are the store's own tables, filled directly with ``executemany`` in large
transactions (building them through the services would take hours, and setup is not
what is measured):

* one clinic, one physician, N patients;
* each patient's current assessment: a generated one (bench/generate.py's cohort),
  stored the way the store writes it (packed answers, ``store.packing``), with its
  decision: input = that document (packed, with its cohort record and lists,
  ``store.cohort_record``), verdict = its screened verdict, output = a real
  decision's contract of typical size, deflated (the read never looks at it);
* history the read must skip: every 20th patient also has an older, superseded
  assessment, and every 10th current assessment an older decision (made before the
  physician's clearance, so without it).
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
from generate import ASSESSED_ON, SEED

from spinewise.kb import load_kb
from spinewise.models import ASSESSMENT_SCHEMA, assessment_fields
from spinewise.screening import (
    ENGINE_VERSION,
    assessments_of,
    generate_cohort,
    screen,
    screen_cohort,
)
from spinewise.store import head_revision, open_store, upgrade
from spinewise.store.cohort_record import cohort_record
from spinewise.store.packing import pack_answers, pack_outcome, unpack_answers

BATCH = 50_000
NOW = "2026-11-25 10:00:00.000000"
CLINIC, USER = 1, 1


def database_path(rows: int) -> Path:
    folder = Path(tempfile.gettempdir()) / "spinewise-bench"
    name = f"store-{rows}-seed{SEED}-polars{pl.__version__}-{head_revision()}.sqlite3"
    return folder / name


def _documents(frame: pl.DataFrame) -> pl.Series:
    """The cohort's rows as contract JSON (compact; re-dumped per row below)."""
    sections: dict[str, list[pl.Expr]] = {}
    top: list[pl.Expr] = [pl.lit(ASSESSMENT_SCHEMA).alias("schema")]
    for path, spec in assessment_fields().items():
        column = pl.col(path)
        if spec.kind == "date":
            column = column.dt.strftime("%Y-%m-%d")
        elif spec.kind == "enum":
            column = column.cast(pl.String)
            if spec.has_unknown_word:
                column = column.fill_null("unknown")
        if "." not in path:
            top.append(column.alias(path))
            continue
        section, name = path.split(".")
        sections.setdefault(section, []).append(column.alias(name))
    clearance = pl.when(pl.col("clearance.status").is_not_null()).then(
        pl.struct(
            pl.col("clearance.status").cast(pl.String).alias("status"),
            pl.lit("Dr. Bench").alias("physician"),
            pl.col("clearance.date").dt.strftime("%Y-%m-%d").alias("date"),
            pl.col("clearance.valid_until")
            .dt.strftime("%Y-%m-%d")
            .alias("valid_until"),
            pl.col("clearance.excluded_modalities").alias("excluded_modalities"),
        )
    )
    document = pl.struct(
        *top,
        *(pl.struct(fields).alias(name) for name, fields in sections.items()),
        clearance.alias("clearance"),
    )
    return frame.select(document.struct.json_encode().alias("document"))["document"]


def _as_the_store_writes(compact: str) -> str:
    return pack_answers(json.loads(compact))


def _without_clearance(document: str) -> str:
    data = unpack_answers(document)
    data["clearance"] = None
    return pack_answers(data)


class _Tables:
    """One batch of rows of the three tables, with the running ids."""

    def __init__(self, output: bytes) -> None:
        self.output = output
        self.assessment_id = self.decision_id = 0
        self.rows: dict[str, list[tuple[Any, ...]]] = {}

    def start(self) -> None:
        self.rows = {"patients": [], "assessments": [], "decisions": []}

    def assessment(self, patient: int, number: int, day: str, document: str) -> int:
        self.assessment_id += 1
        self.rows["assessments"].append(
            (self.assessment_id, CLINIC, patient, number, 1, day, document, NOW, USER)
        )
        return self.assessment_id

    def decision(self, patient: int, assessment: int, verdict: str, given: str) -> None:
        self.decision_id += 1
        record, lists = cohort_record(unpack_answers(given), given)
        self.rows["decisions"].append(
            (
                self.decision_id,
                CLINIC,
                patient,
                assessment,
                verdict,
                given,
                self.output,
                record,
                lists,
            )
        )

    def patient(self, patient: int, day: str, document: str, verdict: str) -> None:
        self.rows["patients"].append(
            (patient, CLINIC, f"B-{patient}", f"Bench {patient}", NOW, USER)
        )
        number = 1
        if patient % 20 == 0:  # an older assessment, superseded
            older = self.assessment(patient, 1, day, document)
            self.decision(patient, older, verdict, document)
            number = 2
        current = self.assessment(patient, number, day, document)
        if patient % 10 == 0:  # screened before the physician's clearance
            earlier = _without_clearance(document)
            self.decision(patient, current, "awaiting_clearance", earlier)
        self.decision(patient, current, verdict, document)


def _batches(
    frame: pl.DataFrame, verdicts: pl.Series
) -> Iterator[dict[str, list[tuple[Any, ...]]]]:
    """Row tuples of the three tables, BATCH patients at a time."""
    documents = _documents(frame)
    tables = _Tables(_typical_output(frame))
    for start in range(0, frame.height, BATCH):
        tables.start()
        days = frame["assessed_on"].slice(start, BATCH).cast(pl.String).to_list()
        texts = documents.slice(start, BATCH).to_list()
        kinds = verdicts.slice(start, BATCH).to_list()
        for k, (day, text, verdict) in enumerate(zip(days, texts, kinds, strict=True)):
            tables.patient(start + k + 1, day, _as_the_store_writes(text), verdict)
        yield tables.rows


def _typical_output(frame: pl.DataFrame) -> bytes:
    """A real decision's stored output of median size among the first rows."""
    kb = load_kb()
    outputs = sorted(
        (
            pack_outcome(screen(a, kb).to_contract())
            for a in assessments_of(frame.head(99))
        ),
        key=len,
    )
    return outputs[len(outputs) // 2]


def _inserts() -> dict[str, str]:
    versions = f"'{load_kb().version}', '{ENGINE_VERSION}'"
    return {
        "patients": (
            "INSERT INTO patients (id, clinic_id, record_number, name, birth_date, "
            "created_at, created_by) VALUES (?, ?, ?, ?, NULL, ?, ?)"
        ),
        "assessments": (
            "INSERT INTO assessments (id, clinic_id, patient_id, number, version, "
            "amends_id, assessed_on, answers, submitted_at, submitted_by) "
            "VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?, ?)"
        ),
        "decisions": (
            "INSERT INTO decisions (id, clinic_id, patient_id, assessment_id, verdict, "
            "kb_version, engine_version, answers, outcome, created_at, created_by, "
            "cohort, cohort_lists) "
            f"VALUES (?, ?, ?, ?, ?, {versions}, ?, ?, '{NOW}', {USER}, ?, ?)"
        ),
    }


def _build(path: Path, rows: int) -> None:
    started = time.perf_counter()
    store = open_store(f"sqlite:///{path}")
    upgrade(store)
    store.dispose()
    kb = load_kb()
    frame = generate_cohort(rows, assessed_on=ASSESSED_ON, seed=SEED)
    verdicts = screen_cohort(frame, kb, with_missing=False)["verdict"].cast(pl.String)
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA synchronous = OFF")
        connection.execute("BEGIN")
        connection.execute(
            "INSERT INTO clinics (id, name, created_at) VALUES (?, 'Bench Clinic', ?)",
            (CLINIC, NOW),
        )
        connection.execute(
            "INSERT INTO users (id, clinic_id, username, display_name, role, password_hash, active, created_at) "
            "VALUES (?, ?, 'bench', 'Bench Physician', 'physician', '-', 1, ?)",
            (USER, CLINIC, NOW),
        )
        connection.execute("COMMIT")
        inserts = _inserts()
        for batch in _batches(frame, verdicts):
            connection.execute("BEGIN")
            for table, values in batch.items():
                connection.executemany(inserts[table], values)
            connection.execute("COMMIT")
            done = batch["patients"][-1][0]
            print(f"\r  stored {done:,} of {rows:,} patients", end="", flush=True)
        connection.execute("ANALYZE")
        connection.execute("CREATE TABLE bench_meta (rows INTEGER NOT NULL)")
        connection.execute("INSERT INTO bench_meta (rows) VALUES (?)", (rows,))
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()
    print(f"\n  built in {time.perf_counter() - started:.0f} s")


def _complete(path: Path, rows: int) -> bool:
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            found = connection.execute("SELECT rows FROM bench_meta").fetchone()
        finally:
            connection.close()
    except sqlite3.Error:
        return False
    return found == (rows,)


def ensure_database(rows: int) -> Path:
    """The bench database for ``rows`` patients, built unless a complete one exists."""
    path = database_path(rows)
    if _complete(path, rows):
        return path
    for stale in path.parent.glob(f"{path.name}*"):
        stale.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    print(f"building {path} ({rows:,} patients; once, then reused) ...", flush=True)
    _build(path, rows)
    return path
