"""Reading assessment files (JSON or YAML) named on the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from spinewise.errors import FieldProblem, InputError

SUFFIXES = (".yaml", ".yml", ".json")
_NOT_ASSESSMENTS = (".expected.json", ".decision.json")


def expand(paths: list[Path]) -> list[Path]:
    """Files named directly, plus each folder's assessment files in file-name order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                sorted(
                    p
                    for p in path.iterdir()
                    if p.is_file()
                    and p.suffix in SUFFIXES
                    and not p.name.endswith(_NOT_ASSESSMENTS)
                )
            )
        else:
            found.append(path)
    return found


def read_document(path: Path) -> Any:
    """Parse one JSON or YAML file; a problem names the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(
            [FieldProblem("(file)", "no such file")], file=str(path)
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(
            [FieldProblem("(file)", f"cannot read: {exc}")], file=str(path)
        ) from None
    try:
        if path.suffix == ".json":
            return json.loads(text)
        return yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise InputError(
            [FieldProblem("(document)", f"not valid {path.suffix[1:].upper()}: {exc}")],
            file=str(path),
        ) from None
