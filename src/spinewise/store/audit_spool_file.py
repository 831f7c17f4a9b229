"""One process's spool file of read events: its place, its line format, appending.

A spool is a file of JSON lines, one event per line, appended with one ``write()``
per reading unit. Files are created under a temporary name, locked (``flock``), then
renamed, so no importer ever sees a live spool unlocked. Directory 0700, files 0600
(they name patients).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import uuid
import weakref
from pathlib import Path
from typing import Any

import orjson

SUFFIX = ".spool"
_TEXT = ("interface", "action", "entity")  # required, as audit_log's NOT NULL columns
_OPTIONAL_TEXT = ("username", "role", "entity_id", "client_address", "patient_ids")
_OPTIONAL_INT = ("clinic_id", "user_id", "patient_id")
_BIGGEST = 1 << 63  # what SQLite's INTEGER holds


def spool_directory(database: Path) -> Path:
    """Where the spools of the SQLite file ``database`` live."""
    return database.with_name(database.name + ".audit-spool")


def spool_line(event: dict[str, Any]) -> bytes:
    """The spool line of one event."""
    return orjson.dumps(event, option=orjson.OPT_APPEND_NEWLINE)


def spool_event(line: bytes) -> dict[str, Any]:
    """The event of one spool line; ValueError when the line is not one (corrupted
    or tampered with: the import quarantines it)."""
    event = orjson.loads(line)
    if not isinstance(event, dict):
        raise ValueError("not a JSON object")
    at = event.get("at")
    if not isinstance(at, str):
        raise ValueError("no time ('at')")
    event["at"] = dt.datetime.fromisoformat(at)
    if event["at"].tzinfo is None:
        raise ValueError("a time ('at') with no time zone")
    for name in _TEXT:
        if not isinstance(event.get(name), str):
            raise ValueError(f"no {name!r}")
    for name in _OPTIONAL_TEXT:
        if not isinstance(event.get(name), str | None):
            raise ValueError(f"{name!r} is not text")
    for name in _OPTIONAL_INT:
        value = event.get(name)
        if value is not None and not (
            type(value) is int and -_BIGGEST <= value < _BIGGEST
        ):
            raise ValueError(f"{name!r} is not an id")
    detail = event.get("detail")
    if detail is not None and not isinstance(detail, dict):
        raise ValueError("'detail' is not an object")
    return event


class SpoolFile:
    """One locked, append-only spool file of this process."""

    def __init__(self, directory: Path) -> None:
        directory.mkdir(mode=0o700, exist_ok=True)
        self.name = f"{uuid.uuid4().hex}{SUFFIX}"
        self.path = directory / self.name
        making = directory / f"{self.name}.new"
        flags = os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC
        self.fd = os.open(making, flags, 0o600)
        fcntl.flock(self.fd, fcntl.LOCK_EX)
        os.rename(making, self.path)
        self.written = 0
        # a spool dropped unclosed (its store never disposed) is unlocked, so any
        # process, this one too, imports it as an orphan
        self.unlock = weakref.finalize(self, os.close, self.fd)

    def write(self, data: bytes) -> None:
        """Append ``data`` (whole lines), or nothing of it: a failed write's part
        is cut off again, so no event of a failed read is ever imported."""
        try:
            done = os.write(self.fd, data)  # all of it, in practice
            if done < len(data):  # a short write is continued
                view = memoryview(data)[done:]
                while view:
                    view = view[os.write(self.fd, view) :]
        except OSError:
            os.ftruncate(self.fd, self.written)
            raise
        self.written += len(data)
