"""A spool line the import cannot read is set aside, audited, and the reads go on."""

from __future__ import annotations

import base64
import hashlib
import stat
from pathlib import Path

import orjson
import pytest
from tests.store.rows import spool_event

from spinewise.store import open_store, upgrade
from spinewise.store.audit_spool import AuditSpool, spool_directory
from spinewise.store.audit_spool_quarantine import (
    QUARANTINE,
    BadLine,
    quarantine,
    quarantined,
)

UNREADABLE = b'{"at": "not a time", "interface": "cli"}\n'


def test_an_unreadable_line_is_quarantined_audited_and_the_reads_go_on(
    tmp_path: Path,
) -> None:
    path = tmp_path / "clinic.sqlite3"
    store = open_store(f"sqlite:///{path}")
    upgrade(store)
    directory = spool_directory(path)
    try:
        store.audit_writer.append([spool_event("1")])
        spool = store.audit_writer
        assert isinstance(spool, AuditSpool) and spool._spool is not None
        offset = spool._spool.written
        spool._spool.write(UNREADABLE)
        store.audit_writer.append([spool_event("2")])
        with store.unit_of_work() as uow:  # imports first: refused no longer
            assert uow.audit.count() == 3
        with store.engine.connect() as connection:
            rows = connection.exec_driver_sql(
                "SELECT action, entity, entity_id, detail FROM audit_log ORDER BY id"
            ).all()
        assert [r[0] for r in rows] == ["read", "quarantine", "read"]
        detail = orjson.loads(rows[1][3])
        assert rows[1][1:3] == ("audit_spool", spool._spool.name)
        assert detail["offset"] == offset and detail["length"] == len(UNREADABLE)
        assert detail["sha256"] == hashlib.sha256(UNREADABLE).hexdigest()
        assert "Invalid isoformat" in detail["error"]
        (entry,) = map(orjson.loads, (directory / QUARANTINE).read_bytes().splitlines())
        assert base64.b64decode(entry["bytes"]) == UNREADABLE
        assert stat.S_IMODE((directory / QUARANTINE).stat().st_mode) == 0o600
        assert quarantined(directory) == 1
    finally:
        store.dispose()


def test_an_entry_torn_by_a_crash_is_cut_off_and_an_entry_is_written_once(
    tmp_path: Path,
) -> None:
    bad = BadLine("a.spool", 40, UNREADABLE, "ValueError: not a time")
    quarantine(tmp_path, bad)
    with (tmp_path / QUARANTINE).open("ab") as file:
        file.write(b'{"spool": "b.spool", "offs')  # an append cut short
    quarantine(tmp_path, bad)  # the interrupted import's turn again
    quarantine(tmp_path, BadLine("b.spool", 0, b"x\n", "ValueError: no"))
    entries = [
        orjson.loads(x) for x in (tmp_path / QUARANTINE).read_bytes().splitlines()
    ]
    assert [(e["spool"], e["offset"]) for e in entries] == [
        ("a.spool", 40),
        ("b.spool", 0),
    ]
    assert quarantined(tmp_path) == 2


@pytest.mark.parametrize(
    "line",
    [
        b"not json\n",
        b"[1, 2]\n",
        b'{"at": "2026-12-05T06:00:00", "interface": "cli", "action": "read", '
        b'"entity": "patient"}\n',  # a time with no zone
        b'{"at": "2026-12-05T06:00:00+00:00", "interface": "cli", "action": "read"}\n',
        b'{"at": "2026-12-05T06:00:00+00:00", "interface": "cli", "action": "read", '
        b'"entity": "patient", "clinic_id": [1]}\n',  # the driver could not bind it
        b'{"at": "2026-12-05T06:00:00+00:00", "interface": "cli", "action": "read", '
        b'"entity": "patient", "patient_id": 99999999999999999999}\n',
    ],
)
def test_every_kind_of_unreadable_line_is_quarantined_and_the_rest_imported(
    tmp_path: Path, line: bytes
) -> None:
    path = tmp_path / "clinic.sqlite3"
    store = open_store(f"sqlite:///{path}")
    upgrade(store)
    try:
        spool = store.audit_writer
        assert isinstance(spool, AuditSpool)
        spool.append([spool_event("1")])
        assert spool._spool is not None
        spool._spool.write(line)
        spool.append([spool_event("2")])
        store.flush_audit()
        with store.engine.connect() as connection:
            rows = connection.exec_driver_sql(
                "SELECT action FROM audit_log ORDER BY id"
            ).all()
        assert [r[0] for r in rows] == ["read", "quarantine", "read"]
        assert quarantined(spool_directory(path)) == 1
    finally:
        store.dispose()
