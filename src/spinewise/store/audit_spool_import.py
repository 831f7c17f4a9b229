"""Moving a spool's events into ``audit_log``, exactly once.

``audit_spool_imports`` (revision 0011a) records, per spool file, how many of its
bytes are in ``audit_log``; the events and the new offset are committed in one
transaction, under SQLite's write lock, so an import cut short by a crash is either
entirely in the database or not at all and resumes at the recorded offset.

The write lock (and the process's write gate) is held for as little as possible: a
batch is read, parsed and converted to the columns' values before its transaction,
which only checks that the spool's recorded offset is the one the batch starts at
(else nothing is written and the batch is read again from there), inserts the rows
and advances the offset. A line that is not an event is quarantined
(store/audit_spool_quarantine.py) and the import goes on past it.

A spool whose lock can be taken is an orphan (its process died): any process
imports it, unlinks it, then drops its row.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import BigInteger, String
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Mapped, mapped_column

from spinewise.store.audit_sink import AUDIT_COLUMNS
from spinewise.store.audit_spool_file import SUFFIX, spool_event
from spinewise.store.audit_spool_quarantine import BadLine, quarantine
from spinewise.store.columns import utc_now
from spinewise.store.tables import AuditRow, Base

BATCH_BYTES = 1 << 20  # read from a spool per import transaction
Run = Callable[[Callable[[Any, Any], Any]], Any]  # AuditSink.run
_DIALECT = sqlite.dialect()  # the spool is on SQLite files only
_AT = AUDIT_COLUMNS.index("at")


def _converting() -> list[tuple[int, Callable[[Any], Any]]]:
    """(column, bind processor) of the columns but ``at`` that have one."""
    found: list[tuple[int, Callable[[Any], Any]]] = []
    for index, name in enumerate(AUDIT_COLUMNS):
        kind = AuditRow.__table__.c[name].type.dialect_impl(_DIALECT)
        processor = kind.bind_processor(_DIALECT)
        if index != _AT and processor is not None:
            found.append((index, processor))
    return found


_CONVERTING = _converting()
_QUOTED = ", ".join(f'"{name}"' for name in AUDIT_COLUMNS)
_INSERT = (
    f"INSERT INTO audit_log ({_QUOTED}) "
    f"VALUES ({', '.join('?' for _ in AUDIT_COLUMNS)})"
)
_OFFSET = "SELECT imported FROM audit_spool_imports WHERE spool = ?"
_ADVANCE = (
    "INSERT INTO audit_spool_imports (spool, imported) VALUES (?, ?) "
    "ON CONFLICT (spool) DO UPDATE SET imported = excluded.imported"
)


class AuditSpoolImport(Base):
    """How many bytes of one spool file are in ``audit_log`` (revision 0011a)."""

    __tablename__ = "audit_spool_imports"

    spool: Mapped[str] = mapped_column(String(64), primary_key=True)
    imported: Mapped[int] = mapped_column(BigInteger)


@dataclass(frozen=True)
class _Batch:
    """Complete lines of a spool from ``start`` to ``end``, as audit_log rows (the
    columns' values, converted), the last of them perhaps unreadable."""

    start: int
    end: int
    rows: list[tuple[Any, ...]]
    bad: BadLine | None


def stored_time(at: dt.datetime) -> str:
    """An aware time as ``UtcDateTime`` stores it on SQLite (its bind processors'
    text, in a fifth of their time)."""
    return at.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def _values(event: dict[str, Any]) -> tuple[Any, ...]:
    values = [event.get(name) for name in AUDIT_COLUMNS]
    values[_AT] = stored_time(event["at"])
    for index, processor in _CONVERTING:
        if values[index] is not None:
            values[index] = processor(values[index])
    return tuple(values)


def _quarantined(bad: BadLine) -> dict[str, Any]:
    """The audit event of a quarantined line (no clinic's: the operator's)."""
    return {
        "at": utc_now(),
        "interface": "system",
        "action": "quarantine",
        "entity": "audit_spool",
        "entity_id": bad.spool,
        "detail": bad.summary(),
    }


def _complete(fd: int, start: int) -> bytes:
    """The complete lines from ``start`` (about a batch; one longer line whole)."""
    data = os.pread(fd, BATCH_BYTES, start)
    while b"\n" not in data and len(data) % BATCH_BYTES == 0 and data:
        more = os.pread(fd, BATCH_BYTES, start + len(data))
        if not more:
            break
        data += more
    return data[: data.rfind(b"\n") + 1]


def _read_batch(fd: int, name: str, start: int) -> _Batch | None:
    data = _complete(fd, start)
    if not data:
        return None
    rows: list[tuple[Any, ...]] = []
    at, bad = 0, None
    for piece in data[:-1].split(b"\n"):
        try:
            rows.append(_values(spool_event(piece)))
        except (ValueError, KeyError, TypeError) as exc:
            bad = BadLine(
                name, start + at, piece + b"\n", f"{type(exc).__name__}: {exc}"
            )
            rows.append(_values(_quarantined(bad)))
            at += len(piece) + 1
            break
        at += len(piece) + 1
    return _Batch(start, start + at, rows, bad)


def _commit(name: str, batch: _Batch | None, known: int) -> Callable[[Any, Any], int]:
    """The transaction of one batch read from ``known``; the offset after it (the
    recorded one, unchanged, when it is not ``known``)."""

    def step(connection: Any, _dialect: Any) -> int:
        found = connection.execute(_OFFSET, (name,)).fetchone()
        offset = 0 if found is None else int(found[0])
        if batch is None or offset != known:
            return offset
        connection.executemany(_INSERT, batch.rows)
        connection.execute(_ADVANCE, (name, batch.end))
        return batch.end

    return step


def import_spool(
    run: Run,
    directory: Path,
    fd: int,
    name: str,
    *,
    start: int | None = None,
    until: int = -1,
) -> int:
    """The complete lines of the spool ``name`` of ``directory``, open at ``fd``,
    into ``audit_log``, from
    ``start`` (its recorded offset, when known) at least up to byte ``until`` (-1:
    to its end); the offset reached."""
    offset = start if start is not None else run(_commit(name, None, -1))
    while until < 0 or offset < until:
        batch = _read_batch(fd, name, offset)
        if batch is None:
            return offset
        if batch.bad is not None:  # on disk before its line is passed over
            quarantine(directory, batch.bad)
        offset = run(_commit(name, batch, offset))
    return offset


def forget(run: Run, name: str) -> None:
    def drop(connection: Any, _dialect: Any) -> None:
        connection.execute("DELETE FROM audit_spool_imports WHERE spool = ?", (name,))

    run(drop)


def import_orphans(run: Run, directory: Path, own: str | None) -> int:
    """Import, unlink and forget every spool whose process is gone; how many."""
    try:
        names = sorted(p for p in os.listdir(directory) if p.endswith(SUFFIX))
    except FileNotFoundError:
        return 0
    done = 0
    for name in names:
        if name == own:
            continue
        try:
            fd = os.open(directory / name, os.O_RDONLY | os.O_CLOEXEC)
        except FileNotFoundError:
            continue  # imported meanwhile by another process
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            if os.fstat(fd).st_nlink == 0:
                continue  # imported and unlinked by whoever held the lock before
            import_spool(run, directory, fd, name)
            os.unlink(directory / name)
            forget(run, name)
            done += 1
        except BlockingIOError:
            continue  # its process is alive and flushes it itself
        finally:
            os.close(fd)
    return done
