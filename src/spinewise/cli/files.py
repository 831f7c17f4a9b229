"""Reading assessment files (JSON or YAML) named on the command line.

Every file goes through ``models.load_document``: regular files only, at most
``SPINEWISE_MAX_FILE_BYTES``, UTF-8, YAML without aliases, bounded nesting and
integers, so a hostile file is a ``file: field: message`` line and exit 2.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from spinewise.errors import N_, FieldProblem, InputError
from spinewise.models import DEFAULT_MAX_BYTES, load_document, read_bytes

SUFFIXES = (".yaml", ".yml", ".json")
_NOT_ASSESSMENTS = (".expected.json", ".decision.json")


def max_file_bytes() -> int:
    """``SPINEWISE_MAX_FILE_BYTES`` (read without the rest of the settings, so that
    reading a file never depends on the server's secret being configured)."""
    text = os.environ.get("SPINEWISE_MAX_FILE_BYTES", "").strip()
    return int(text) if text.isascii() and text.isdigit() else DEFAULT_MAX_BYTES


def expand(paths: list[Path]) -> list[Path]:
    """Files named directly, plus each folder's assessment files in file-name order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            inside = sorted(
                p
                for p in path.iterdir()
                if p.is_file()
                and p.suffix in SUFFIXES
                and not p.name.endswith(_NOT_ASSESSMENTS)
            )
            if not inside:
                problem = N_("a folder without assessment files (.yaml, .yml, .json)")
                raise InputError([FieldProblem("(file)", problem)], file=str(path))
            found.extend(inside)
        else:
            found.append(path)
    return found


def read_document(path: Path) -> Any:
    """Parse one JSON or YAML file; a problem names the file."""
    return load_document(path, max_bytes=max_file_bytes())


def read_file_bytes(path: Path) -> bytes:
    """The bytes of one user file, within the same limits."""
    return read_bytes(path, max_bytes=max_file_bytes())
