"""Turn pydantic validation errors into field-named problems (every one, not the first).

Pydantic's English wording is kept as each problem's English text; the common error
types also carry our own msgid with their parameters (``message_of``), so an adapter
can write them in the reader's language. An unmapped type stays English.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from spinewise.errors import N_, FieldProblem, InputError, Message
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


_NUMBER = N_("Input should be a valid number")
_DATE = N_("Input should be a valid date (YYYY-MM-DD)")
_MAPPING = N_("Input should be a mapping of fields")
_WORDS: dict[str, Message] = {
    "missing": N_("required; this field must be given"),
    "extra_forbidden": N_("unknown field; not part of this schema"),
    "int_type": N_("Input should be a valid integer"),
    "int_parsing": N_("Input should be a valid integer"),
    "int_from_float": N_("Input should be a valid integer"),
    "float_type": _NUMBER,
    "float_parsing": _NUMBER,
    "decimal_parsing": _NUMBER,
    "finite_number": N_("Input should be a finite number"),
    "string_type": N_("Input should be a valid string"),
    "bool_type": N_("Input should be a valid boolean"),
    "bool_parsing": N_("Input should be a valid boolean"),
    "list_type": N_("Input should be a valid list"),
    "dict_type": _MAPPING,
    "model_type": _MAPPING,
    "model_attributes_type": _MAPPING,
    "date_type": _DATE,
    "date_parsing": _DATE,
    "date_from_datetime_parsing": _DATE,
    "date_from_datetime_inexact": _DATE,
    "datetime_type": N_("Input should be a valid date and time"),
    "datetime_parsing": N_("Input should be a valid date and time"),
    "json_invalid": N_("not valid JSON"),
}
_WITH_CONTEXT: dict[str, str] = {
    "greater_than": N_("Input should be greater than {gt}"),
    "greater_than_equal": N_("Input should be greater than or equal to {ge}"),
    "less_than": N_("Input should be less than {lt}"),
    "less_than_equal": N_("Input should be less than or equal to {le}"),
    "string_too_long": N_("at most {max_length} characters"),
    "string_too_short": N_("at least {min_length} characters"),
    "too_long": N_("at most {max_length} items"),
    "too_short": N_("at least {min_length} items"),
    "string_pattern_mismatch": N_("String should match pattern {pattern!r}"),
    "multiple_of": N_("Input should be a multiple of {multiple_of}"),
}


def _choices(expected: str) -> Message:
    """Pydantic's ``'a', 'b' or 'c'`` with its "or" translatable."""
    head, sep, last = expected.rpartition(" or ")
    if not sep:
        return Message(expected)
    return N_("{head} or {last}", head=head, last=last)


def message_of(error: Mapping[str, Any]) -> str:
    """Pydantic's message of one error: as a ``Message`` with our msgid when its type
    is a common one (its English text unchanged), else its English as it is."""
    kind, english = str(error.get("type")), str(error.get("msg", "invalid"))
    context = error.get("ctx") or {}
    if kind in ("missing", "extra_forbidden"):
        return _WORDS[kind]  # our own words, in English too
    if kind in ("literal_error", "enum") and "expected" in context:
        choices = _choices(str(context["expected"]))
        return Message(N_("Input should be {choices}"), {"choices": choices}, english)
    if kind == "value_error" and isinstance(context.get("error"), ValueError):
        raised = context["error"].args[0] if context["error"].args else None
        return raised if isinstance(raised, Message) else english
    if kind in _WITH_CONTEXT:
        try:
            _WITH_CONTEXT[kind].format(**context)
        except (KeyError, IndexError, ValueError):
            return english
        return Message(_WITH_CONTEXT[kind], dict(context), english)
    word = _WORDS.get(kind)
    return Message(word.msgid, {}, english) if word is not None else english


def _inner_path(message: str) -> tuple[str | None, str]:
    """A validator's ``path: problem`` split into the path and the problem (kept
    translatable when the validator said it with ``at_field``)."""
    if isinstance(message, Message) and message.msgid == "{field}: {problem}":
        return str(message.params["field"]), message.params["problem"]
    match = _PATH_PREFIX.match(message)
    if match is None:
        return None, message
    return match["path"], message[match.end() :]


def _problem(error: Mapping[str, Any]) -> FieldProblem:
    loc = tuple(
        p for p in error["loc"] if p not in ("function-after", "function-plain")
    )
    path = _join(loc).replace("schema_", "schema")
    message = message_of(error)
    kind = error["type"]
    if kind == "value_error":
        if not isinstance(message, Message):
            message = message.removeprefix("Value error, ")
        inner, message = _inner_path(message)
        if inner:
            path = f"{path}.{inner}" if path else inner
    elif "input" in error and kind not in ("missing", "extra_forbidden"):
        got = quoted(error["input"])
        english = f"{message} (got {got})"
        message = Message(
            N_("{problem} (got {value})"), {"problem": message, "value": got}, english
        )
    return FieldProblem(path or "(document)", message)


def problems_of(exc: ValidationError) -> list[FieldProblem]:
    """Every error of ``exc`` as a field path and a message saying what is allowed."""
    return [_problem(e) for e in exc.errors(include_url=False)]


M = TypeVar("M", bound=BaseModel)


def parse_model(model: type[M], data: object, file: str | None = None) -> M:
    """Validate ``data`` as ``model`` or raise an ``InputError`` naming each field."""
    if not isinstance(data, Mapping):
        raise InputError(
            [FieldProblem("(document)", N_("expected a mapping of fields"))], file=file
        )
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InputError(problems_of(exc), file=file) from None
