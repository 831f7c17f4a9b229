"""The spool of read events on a SQLite file: private, owned, imported exactly once."""

from __future__ import annotations

import base64
import datetime as dt
import gc
import os
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest
from sqlalchemy.dialects import sqlite
from tests.store.rows import spool_event

from spinewise.store import Store, open_store, upgrade
from spinewise.store.audit_spool import AuditSpool, spool_directory
from spinewise.store.audit_spool_import import stored_time
from spinewise.store.audit_spool_quarantine import QUARANTINE
from spinewise.store.columns import UtcDateTime

# Spools N events, then imports them with a kill -9 of the process at the chosen
# moment of the chosen call of the import's transaction work.
CRASHING_IMPORT = """
import os, signal, sys
from pathlib import Path
from spinewise.store import open_store, utc_now
from spinewise.store.audit_spool import AuditSpool, spool_directory
from spinewise.store.audit_spool_import import import_spool

path, count, call, when = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
store = open_store(f"sqlite:///{path}")
spool = AuditSpool(spool_directory(path), store._audit_sink.run, period=3600)
events = [
    {"at": utc_now(), "interface": "cli", "action": "read", "entity": "assessment",
     "entity_id": str(i), "detail": {"filler": "x" * 200}}
    for i in range(count)
]
spool.append(events[: count // 2])
if len(sys.argv) > 5:  # an unreadable line half way
    spool._spool.write(sys.argv[5].encode() + bytes([10]))
spool.append(events[count // 2 :])
calls = 0

def dying(work):
    def work_then_die(connection, dialect):
        global calls
        calls += 1
        if calls == call and when == "before":
            os.kill(os.getpid(), signal.SIGKILL)
        done = work(connection, dialect)
        if calls == call and when == "uncommitted":
            os.kill(os.getpid(), signal.SIGKILL)
        return done
    return store._audit_sink.run(work_then_die)

import_spool(dying, spool.directory, spool._spool.fd, spool._spool.name, start=0)
os.kill(os.getpid(), signal.SIGKILL)  # imported, never unlinked nor forgotten
"""
EVENTS = 6000  # about 1.6 MB: two import transactions


def _database(tmp_path: Path) -> Path:
    path = tmp_path / "clinic.sqlite3"
    store = open_store(f"sqlite:///{path}")
    upgrade(store)
    store.dispose()
    return path


def _read_ids(store: Store) -> list[str]:
    with store.engine.connect() as connection:
        rows = connection.exec_driver_sql("SELECT entity_id FROM audit_log").all()
    return [row[0] for row in rows]


@pytest.mark.parametrize(
    ("call", "when"),
    [
        (1, "uncommitted"),  # the first batch inserted, its commit never made
        (2, "before"),  # the first batch committed, the second never begun
        (2, "uncommitted"),  # the second batch inserted, not committed
        (3, "before"),  # all committed, the spool neither unlinked nor forgotten
    ],
)
def test_an_import_killed_midway_imports_each_event_exactly_once(
    tmp_path: Path, call: int, when: str
) -> None:
    path = _database(tmp_path)
    arguments = [str(path), str(EVENTS), str(call), when]
    crashed = subprocess.run(
        [sys.executable, "-c", CRASHING_IMPORT, *arguments], check=False, timeout=120
    )
    assert crashed.returncode == -9
    assert len(list(spool_directory(path).iterdir())) == 1
    store = open_store(f"sqlite:///{path}")
    try:
        store.flush_audit()  # a new process imports what the dead one left
        ids = _read_ids(store)
        assert len(ids) == EVENTS
        assert sorted(map(int, ids)) == list(range(EVENTS))
        assert list(spool_directory(path).iterdir()) == []
        with store.engine.connect() as connection:
            left = connection.exec_driver_sql("SELECT * FROM audit_spool_imports")
            assert left.all() == []
    finally:
        store.dispose()


BAD_LINE = '{"at": "2026-12-05T06:00:00+00:00", "interface": "cli", "act'


@pytest.mark.parametrize(
    ("call", "when"),
    [
        (1, "before"),  # the line quarantined on disk, its transaction not begun
        (1, "uncommitted"),  # its event and the events before it not committed
        (2, "before"),  # committed, the rest of the spool not begun
        (2, "uncommitted"),  # the rest inserted, not committed
        (3, "before"),  # all committed, the spool neither unlinked nor forgotten
    ],
)
def test_an_import_killed_around_an_unreadable_line_quarantines_it_exactly_once(
    tmp_path: Path, call: int, when: str
) -> None:
    path = _database(tmp_path)
    arguments = [str(path), str(EVENTS), str(call), when, BAD_LINE]
    crashed = subprocess.run(
        [sys.executable, "-c", CRASHING_IMPORT, *arguments], check=False, timeout=120
    )
    assert crashed.returncode == -9
    store = open_store(f"sqlite:///{path}")
    try:
        store.flush_audit()  # a new process imports what the dead one left
        ids = _read_ids(store)
        spools = [i for i in ids if i.endswith(".spool")]  # a quarantine's event
        assert len(spools) == 1 and len(ids) == EVENTS + 1
        assert sorted(int(i) for i in ids if i not in spools) == list(range(EVENTS))
        (entry,) = _quarantine_entries(path)
        assert base64.b64decode(entry["bytes"]) == BAD_LINE.encode() + b"\n"
        assert [p.name for p in spool_directory(path).iterdir()] == [QUARANTINE]
    finally:
        store.dispose()


def _quarantine_entries(path: Path) -> list[dict[str, Any]]:
    text = (spool_directory(path) / QUARANTINE).read_bytes()
    return [orjson.loads(line) for line in text.splitlines()]


def test_a_spool_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    path = _database(tmp_path)
    store = open_store(f"sqlite:///{path}")
    spool = AuditSpool(spool_directory(path), store._audit_sink.run, period=3600)
    try:
        spool.append([spool_event("1")])
        directory = spool_directory(path)
        (file,) = directory.iterdir()
        assert stat.S_IMODE(directory.stat().st_mode) & 0o077 == 0
        assert stat.S_IMODE(file.stat().st_mode) == 0o600
    finally:
        spool.close()
        store.dispose()


def test_a_live_processs_spool_is_left_to_it_and_imported_when_it_closes(
    tmp_path: Path,
) -> None:
    path = _database(tmp_path)
    store = open_store(f"sqlite:///{path}")
    owner = AuditSpool(spool_directory(path), store._audit_sink.run, period=3600)
    other = AuditSpool(spool_directory(path), store._audit_sink.run, period=3600)
    try:
        owner.append([spool_event("1"), spool_event("2")])
        other.flush()  # the owner holds its lock: not an orphan
        assert _read_ids(store) == []
        owner.close()
        assert _read_ids(store) == ["1", "2"]
        assert list(spool_directory(path).iterdir()) == []
    finally:
        store.dispose()


def test_a_forked_child_spools_to_a_spool_of_its_own(tmp_path: Path) -> None:
    path = _database(tmp_path)
    store = open_store(f"sqlite:///{path}")
    spool = AuditSpool(spool_directory(path), store._audit_sink.run, period=3600)
    try:
        spool.append([spool_event("parent")])
        assert spool._spool is not None
        parents = spool._spool.name
        child = os.fork()
        if child == 0:  # pragma: no cover (the child's outcome is its exit code)
            code = 1
            try:
                spool.append([spool_event("child")])
                code = 0 if spool._spool.name != parents else 3
            finally:
                os._exit(code)
        _, status = os.waitpid(child, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        spool.append([spool_event("parent again")])
        assert spool._spool.name == parents
        spool.flush()  # the dead child's spool is an orphan: imported once
        assert sorted(_read_ids(store)) == ["child", "parent", "parent again"]
    finally:
        spool.close()
        store.dispose()


def test_a_short_write_is_continued_to_the_whole_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _database(tmp_path)
    store = open_store(f"sqlite:///{path}")
    spool = AuditSpool(spool_directory(path), store._audit_sink.run, period=3600)
    try:
        spool.append([spool_event("1")])
        assert spool._spool is not None
        fd, write = spool._spool.fd, os.write

        def a_few_bytes_at_a_time(target: int, data: Any) -> int:
            return write(target, bytes(data)[:7] if target == fd else data)

        monkeypatch.setattr(os, "write", a_few_bytes_at_a_time)
        spool.append([spool_event("2"), spool_event("3")])
        monkeypatch.undo()
        spool.flush()
        assert _read_ids(store) == ["1", "2", "3"]
    finally:
        spool.close()
        store.dispose()


def test_a_full_spool_is_replaced_and_removed_once_imported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _database(tmp_path)
    store = open_store(f"sqlite:///{path}")
    monkeypatch.setattr("spinewise.store.audit_spool.ROTATE_BYTES", 1000)
    spool = AuditSpool(spool_directory(path), store._audit_sink.run, period=3600)
    try:
        for batch in range(3):
            spool.append([spool_event(f"{batch}-{i}") for i in range(20)])
            first = {p.name for p in spool_directory(path).iterdir()}
            spool.flush()
            after = {p.name for p in spool_directory(path).iterdir()}
            assert len(first) == len(after) == 1 and first != after
        assert len(_read_ids(store)) == 60 == len(set(_read_ids(store)))
    finally:
        spool.close()
        store.dispose()
    assert os.listdir(spool_directory(path)) == []


# Spools one event, then a batch the file-size limit cuts short (a full disk), then
# one more with the limit lifted; prints the outcome of the middle read.
FULL_DISK = """
import resource, signal, sys
from pathlib import Path
from spinewise.errors import StoreError
from spinewise.store import open_store, utc_now

def event(i):
    return {"at": utc_now(), "interface": "cli", "action": "read",
            "entity": "patient", "entity_id": str(i), "detail": {"x": "y" * 300}}

store = open_store(f"sqlite:///{sys.argv[1]}")
spool = store.audit_writer
spool.append([event(0)])
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
resource.setrlimit(resource.RLIMIT_FSIZE, (1000, hard))
try:
    spool.append([event(i) for i in range(1, 10)])
    print("written")
except StoreError as error:
    print("refused:", error)
resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
spool.append([event(10)])
store.dispose()
"""


def test_a_read_whose_event_the_disk_cannot_take_fails_and_the_spool_stays_importable(
    tmp_path: Path,
) -> None:
    path = _database(tmp_path)
    ran = subprocess.run(
        [sys.executable, "-c", FULL_DISK, str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert ran.stdout.startswith("refused: audit event not written to its spool")
    store = open_store(f"sqlite:///{path}")
    try:
        assert sorted(_read_ids(store)) == ["0", "10"]  # the torn batch: never half
        assert list(spool_directory(path).iterdir()) == []
    finally:
        store.dispose()


def test_the_spool_of_a_store_dropped_undisposed_is_imported_as_an_orphan(
    tmp_path: Path,
) -> None:
    path = _database(tmp_path)
    store = open_store(f"sqlite:///{path}")
    try:
        dropped = AuditSpool(spool_directory(path), store._audit_sink.run, period=3600)
        dropped.append([spool_event("1")])
        del dropped
        gc.collect()
        AuditSpool(spool_directory(path), store._audit_sink.run).flush()
        assert _read_ids(store) == ["1"]
        assert list(spool_directory(path).iterdir()) == []
    finally:
        store.dispose()


REFUSE = (
    "CREATE TRIGGER refuse_imports BEFORE INSERT ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'refused'); END"
)


def test_an_import_that_keeps_failing_is_logged_once_and_its_recovery_too(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = _database(tmp_path)
    store = open_store(f"sqlite:///{path}")
    spool = AuditSpool(spool_directory(path), store._audit_sink.run, period=0.02)
    try:
        with store.engine.begin() as connection:  # a database that refuses events
            connection.exec_driver_sql(REFUSE)
        spool.append([spool_event("1")])
        with caplog.at_level("WARNING", logger="spinewise.audit"):
            _wait_for(lambda: len(caplog.records) >= 1)
            time.sleep(0.2)  # ten more failing periods
            assert [r.getMessage() for r in caplog.records] == [
                "audit spool: import failed; retrying"
            ]
            with store.engine.begin() as connection:
                connection.exec_driver_sql("DROP TRIGGER refuse_imports")
            _wait_for(lambda: len(caplog.records) >= 2)
        assert caplog.records[1].getMessage() == "audit spool: imports work again"
        assert _read_ids(store) == ["1"]
    finally:
        spool.close()
        store.dispose()


def _wait_for(done: Callable[[], bool], seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < deadline, "not within the time"
        time.sleep(0.01)


@pytest.mark.parametrize(
    "at",
    [
        dt.datetime(2026, 12, 5, 6, 9, 21, 123456, tzinfo=dt.UTC),
        dt.datetime(2026, 12, 5, 6, 9, 21, tzinfo=dt.UTC),  # no microseconds
        dt.datetime(2026, 12, 5, 1, 0, tzinfo=dt.timezone(dt.timedelta(hours=3))),
    ],
)
def test_the_import_stores_an_events_time_as_the_column_type_does(
    at: dt.datetime,
) -> None:
    dialect = sqlite.dialect()
    processor = UtcDateTime().dialect_impl(dialect).bind_processor(dialect)
    assert processor is not None
    assert stored_time(at) == processor(at)
