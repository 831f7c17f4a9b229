"""Spool lines the import cannot read, kept aside instead of stopping the import.

Such a line can only come from disk corruption or tampering (a crash leaves at most an
incomplete last line, which is not imported). Its bytes are appended to
``quarantine.jsonl`` beside the spools (0600, in the 0700 directory), one JSON line
per quarantined line: the spool, the line's offset and length, the SHA-256 of its
bytes, the parse error and the bytes themselves (base64), then the file is fsynced.
Only then does the import commit, in one transaction, the audit event
``quarantine``/``audit_spool`` and the spool's imported offset past the line
(store/audit_spool_import.py). An entry is keyed by spool and offset: an import cut
short after the append finds it and does not append it again; a torn last entry (a
crash during the append) is cut off first.
"""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

QUARANTINE = "quarantine.jsonl"


@dataclass(frozen=True)
class BadLine:
    """An unreadable line of a spool: where it is, its bytes, why it was refused."""

    spool: str
    offset: int
    data: bytes
    error: str

    def summary(self) -> dict[str, Any]:
        """What the audit event and the quarantine entry say of it (no bytes)."""
        return {
            "spool": self.spool,
            "offset": self.offset,
            "length": len(self.data),
            "sha256": hashlib.sha256(self.data).hexdigest(),
            "error": self.error[:200],
            "file": QUARANTINE,
        }


def _entries(data: bytes) -> tuple[set[tuple[str, int]], int]:
    """The (spool, offset) keys of the complete entries; where they end."""
    end = data.rfind(b"\n") + 1
    keys: set[tuple[str, int]] = set()
    for line in data[:end].splitlines():
        try:
            entry = orjson.loads(line)
            keys.add((str(entry["spool"]), int(entry["offset"])))
        except (ValueError, KeyError, TypeError):
            continue  # not an entry of ours: left as it is
    return keys, end


def quarantine(directory: Path, bad: BadLine) -> None:
    """Append ``bad`` to the directory's quarantine file and fsync it, unless an
    earlier, interrupted import did; return once it is on disk."""
    path = directory / QUARANTINE
    flags = os.O_RDWR | os.O_CREAT | os.O_CLOEXEC
    fd = os.open(path, flags, 0o600)
    try:
        size = os.fstat(fd).st_size
        keys, end = _entries(os.pread(fd, size, 0)) if size else (set(), 0)
        if (bad.spool, bad.offset) in keys:
            return
        if end < size:  # a torn entry of an append cut short: cut off
            os.ftruncate(fd, end)
        entry = {**bad.summary(), "bytes": base64.b64encode(bad.data).decode()}
        os.pwrite(fd, orjson.dumps(entry, option=orjson.OPT_APPEND_NEWLINE), end)
        os.fsync(fd)
    finally:
        os.close(fd)
    if size == 0:  # the file's name is new: its directory entry to disk too
        directory_fd = os.open(directory, os.O_RDONLY | os.O_CLOEXEC)
        try:
            os.fsync(directory_fd)
        finally:
            os.close(directory_fd)


def quarantined(directory: Path) -> int:
    """How many spool lines the quarantine file of ``directory`` holds."""
    try:
        return (directory / QUARANTINE).read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0
