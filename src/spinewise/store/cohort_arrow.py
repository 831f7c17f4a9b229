"""Cohort rows from a SQLite file as Arrow batches, through ADBC's SQLite driver.

The cohort SELECT (``store.cohort``) run on its own read-only connection to the
clinic's database file: the driver fills Arrow buffers in C, so a million rows cost
no Python object each (the DB-API driver makes a tuple and five values a row, which
is as much work as SQLite's own). One SELECT reads one snapshot of the file (WAL),
like the read-only unit of work it runs beside. In-memory databases, which another
connection cannot open, are read through the session instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pyarrow as pa
from sqlalchemy.engine import URL

from spinewise.errors import StoreError

_BATCH_ROWS = "adbc.sqlite.query.batch_rows"


def sqlite_file(url: URL) -> Path | None:
    """The database file of a SQLite URL (``None`` for an in-memory database)."""
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    if url.query.get("mode") == "memory" or url.query.get("uri"):
        return None
    return Path(database)


def arrow_batches(
    file: Path, query: str, clinic_id: int, chunk_rows: int
) -> Iterator[pa.RecordBatch]:
    """The rows of ``query`` (one ``?``: the clinic) from ``file``, ``chunk_rows``
    a batch."""
    import adbc_driver_sqlite.dbapi as adbc  # only cohort reads pay for its import

    uri = f"file:{quote(str(file.resolve()))}?mode=ro"
    try:
        with adbc.connect(uri) as connection, connection.cursor() as cursor:
            cursor.adbc_statement.set_options(**{_BATCH_ROWS: str(chunk_rows)})
            cursor.execute(query, (clinic_id,))
            yield from cursor.fetch_record_batch()
    except adbc.Error as exc:
        raise StoreError(f"reading the cohort failed: {exc}") from exc
