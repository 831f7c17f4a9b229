"""Turn pydantic validation errors into field-named problems (every one, not the first)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from spinewise.errors import FieldProblem, InputError
from spinewise.models.numbers import quoted

_PATH_PREFIX = re.compile(
    r"^(?P<path>[a-z_][a-z0-9_]*(?:\[\d+\]|\.[a-z_][a-z0-9_]*)*): "
)


def _join(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, str) and part.startswith(("cond:", "expr:")):
            continue
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else part
    return path


def _problem(error: Mapping[str, Any]) -> FieldProblem:
    loc = tuple(
        p for p in error["loc"] if p not in ("function-after", "function-plain")
    )
    path = _join(loc).replace("schema_", "schema")
    message = str(error["msg"])
    if error["type"] == "value_error":
        message = message.removeprefix("Value error, ")
        match = _PATH_PREFIX.match(message)
        if match:
            inner = match["path"]
            path = f"{path}.{inner}" if path else inner
            message = message[match.end() :]
    elif error["type"] == "missing":
        message = "required; this field must be given"
    elif error["type"] == "extra_forbidden":
        message = "unknown field; not part of this schema"
    elif "input" in error and error["type"] not in ("missing",):
        message = f"{message} (got {quoted(error['input'])})"
    return FieldProblem(path or "(document)", message)


def problems_of(exc: ValidationError) -> list[FieldProblem]:
    """Every error of ``exc`` as a field path and a message saying what is allowed."""
    return [_problem(e) for e in exc.errors(include_url=False)]


M = TypeVar("M", bound=BaseModel)


def parse_model(model: type[M], data: object, file: str | None = None) -> M:
    """Validate ``data`` as ``model`` or raise an ``InputError`` naming each field."""
    if not isinstance(data, Mapping):
        raise InputError(
            [FieldProblem("(document)", "expected a mapping of fields")], file=file
        )
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InputError(problems_of(exc), file=file) from None
