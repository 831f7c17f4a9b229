"""The clinic's cohort as columns: every patient's current assessment, as screened.

One row per patient with an assessment: the input of the newest decision on the
patient's current assessment version (latest number, then latest version). That input
is the assessment with the clearance the store supplied (never the submitted file's),
exactly what the decision was made from, so re-screening it with the same knowledge
base gives the stored decision back and a changed knowledge base is the only
difference a re-screen can show.

No ``Assessment`` is built per row, nor a Python object per field, and the database
parses no JSON: each decision keeps its input's cohort fields as a fixed-width record
and its lists as one short JSON text (``store.cohort_record``, revision 0011r), and
the SELECT fetches those two values a row. From a SQLite file, the rows come as Arrow
batches through ADBC's SQLite driver (``store.cohort_arrow``: no Python object per
row); from PostgreSQL (or an in-memory SQLite), as DB-API rows made a batch. A chunk
becomes columns on a worker thread (the records back to back in one buffer, each
byte position sliced out at once) while the database produces the next chunk.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeAlias

import polars as pl
import pyarrow as pa
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from spinewise.errors import StoreError
from spinewise.store.cohort_arrow import arrow_batches, sqlite_file
from spinewise.store.cohort_record import records_frame, rows_batch
from spinewise.store.tables import AssessmentRow

Chunk: TypeAlias = pa.RecordBatch | Sequence[Sequence[Any]]
"""A chunk of cohort rows: an Arrow batch (SQLite files) or DB-API rows."""
_COLUMNS = "SELECT a.patient_id, a.id, d.id, d.cohort, d.cohort_lists"
_CURRENT = """
FROM assessments AS a
{newest_decision}
WHERE a.clinic_id = {clinic} AND NOT EXISTS (
    SELECT 1 FROM assessments AS b
    WHERE b.patient_id = a.patient_id
      AND (b.number > a.number OR (b.number = a.number AND b.version > a.version)))
ORDER BY a.patient_id"""
_SQLITE_NEWEST = """JOIN decisions AS d
  ON d.id = (SELECT max(x.id) FROM decisions AS x WHERE x.assessment_id = a.id)
 AND d.clinic_id = a.clinic_id"""
_POSTGRESQL_NEWEST = """CROSS JOIN LATERAL (
    SELECT x.id, x.cohort, x.cohort_lists FROM decisions AS x
    WHERE x.assessment_id = a.id AND x.clinic_id = a.clinic_id
    ORDER BY x.id DESC LIMIT 1) AS d"""


def cohort_query(backend: str) -> str:
    """The SELECT of a clinic's cohort rows (parameter ``clinic``, DB-API style):
    patient id, assessment id, decision id, the decision's cohort record and lists."""
    if backend == "sqlite":
        newest, clinic = _SQLITE_NEWEST, ":clinic"
    elif backend == "postgresql":
        newest, clinic = _POSTGRESQL_NEWEST, "%(clinic)s"
    else:
        raise StoreError(f"no cohort query for the {backend} database")
    return _COLUMNS + _CURRENT.format(newest_decision=newest, clinic=clinic)


class Cohorts:
    """Clinic-wide reads for whole-cohort screening (read-only)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def count(self, clinic_id: int) -> int:
        """Patients of the clinic with an assessment: the rows ``chunks`` gives."""
        query = select(func.count(AssessmentRow.patient_id.distinct())).where(
            AssessmentRow.clinic_id == clinic_id
        )
        return self._session.scalar(query) or 0

    def _cursor(self, backend: str) -> Any:
        driver = self._session.connection().connection.driver_connection
        if driver is None:
            raise StoreError("the database connection is closed")
        if backend == "postgresql":  # a server-side cursor: rows come as fetched
            return driver.cursor(name="spinewise_cohort")
        return driver.cursor()

    def batches(self, clinic_id: int, *, chunk_rows: int) -> Iterator[Chunk]:
        """The clinic's cohort rows, ``chunk_rows`` at a time, ordered by patient:
        Arrow batches from a SQLite file, DB-API rows otherwise."""
        if chunk_rows < 1:
            raise ValueError("chunk_rows must be at least 1")
        bind = self._session.get_bind()
        file = sqlite_file(bind.engine.url) if bind.dialect.name == "sqlite" else None
        if file is not None:
            query = cohort_query("sqlite").replace(":clinic", "?")
            yield from arrow_batches(file, query, clinic_id, chunk_rows)
            return
        errors = bind.dialect.loaded_dbapi.Error
        backend = bind.dialect.name
        cursor = self._cursor(backend)
        try:
            cursor.execute(cohort_query(backend), {"clinic": clinic_id})
            while rows := cursor.fetchmany(chunk_rows):
                yield rows
        except errors as exc:
            raise StoreError(f"reading the cohort failed: {exc}") from exc
        finally:
            cursor.close()

    def chunks(
        self,
        clinic_id: int,
        *,
        chunk_rows: int,
        then: Callable[[pl.DataFrame], pl.DataFrame] | None = None,
    ) -> Iterator[pl.DataFrame]:
        """The clinic's cohort as frames of ``cohort_columns()``, in patient order.

        Each chunk is made columns on a worker thread while the next is fetched; ``then``
        (e.g. screening) runs on each parsed chunk on that thread too, so that it
        overlaps the database's work instead of following it.
        """

        def parse(chunk: Chunk) -> pl.DataFrame:
            batch = chunk if isinstance(chunk, pa.RecordBatch) else rows_batch(chunk)
            frame = records_frame(batch)
            return frame if then is None else then(frame)

        with ThreadPoolExecutor(1, thread_name_prefix="spinewise-cohort") as parser:
            pending: Future[pl.DataFrame] | None = None
            for chunk in self.batches(clinic_id, chunk_rows=chunk_rows):
                parsing = parser.submit(parse, chunk)
                if pending is not None:
                    yield pending.result()
                pending = parsing
            if pending is not None:
                yield pending.result()
