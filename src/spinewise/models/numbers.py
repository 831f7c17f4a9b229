"""The one parser of integers and dates typed by people: ASCII only, within the database.

Web forms, API bodies, query strings and CLI options all pass their integer and date
text through ``parse_int`` / ``parse_date`` (or the pydantic types ``DbInt`` and
``DbId`` built on them). ``str.isdigit`` and ``int()`` accept ``²`` and ``٣``; Python
integers have no size. Here a number is ``[+-]?[0-9]+`` and must fit the column it is
stored in (32-bit ``INTEGER``, 64-bit ``BIGINT``), so a bad value is an
``InputError`` naming the field, never an overflow in the database.
"""

from __future__ import annotations

import datetime as dt
import re
import reprlib
from typing import Annotated

from pydantic import BeforeValidator, Field

from spinewise.errors import N_, FieldProblem, InputError

INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
EARLIEST_DATE = dt.date(1900, 1, 1)
QUOTE_LIMIT = 40

_INTEGER = re.compile(r"[+-]?[0-9]+")
_MAX_DIGITS = 25  # beyond any column's range; int() is never asked for more
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def quoted(value: object, limit: int = QUOTE_LIMIT) -> str:
    """``value`` for an error message: a short prefix of its repr, never all of it."""
    if isinstance(value, int) and not isinstance(value, bool):
        if value.bit_length() > 64:
            return f"a number of {value.bit_length()} bits"
        return repr(value)
    shortener = reprlib.Repr()
    shortener.maxstring = shortener.maxother = limit
    shortener.maxlevel = 2
    return shortener.repr(value)


def integer_problem(
    value: object, *, low: int = INT32_MIN, high: int = INT32_MAX
) -> tuple[int | None, str | None]:
    """``value`` as an int within ``low``..``high``, or None and what is wrong."""
    if isinstance(value, bool):
        return None, N_("expected a whole number, not true/false")
    if isinstance(value, str):
        text = value.strip()
        if not _INTEGER.fullmatch(text):
            return None, N_(
                "expected a whole number in digits 0-9 (got {value})",
                value=quoted(value),
            )
        if len(text.lstrip("+-")) > _MAX_DIGITS:
            return None, N_("must be between {low} and {high}", low=low, high=high)
        value = int(text)
    if not isinstance(value, int):
        return None, N_("expected a whole number (got {value})", value=quoted(value))
    if not low <= value <= high:
        return None, N_("must be between {low} and {high}", low=low, high=high)
    return value, None


def parse_int(
    value: object, field: str, *, low: int = INT32_MIN, high: int = INT32_MAX
) -> int:
    """A whole number of ASCII digits within ``low``..``high`` (``InputError`` on
    ``field`` otherwise); ints are range-checked, bools refused."""
    number, problem = integer_problem(value, low=low, high=high)
    if number is None:
        raise InputError([FieldProblem(field, problem or N_("not a whole number"))])
    return number


def parse_date(
    value: object,
    field: str,
    *,
    earliest: dt.date | None = EARLIEST_DATE,
    latest: dt.date | None = None,
) -> dt.date:
    """A ``YYYY-MM-DD`` date (ASCII digits) within ``earliest``..``latest``."""
    day = value if isinstance(value, dt.date) else None
    if isinstance(value, str) and _DATE.fullmatch(value.strip()):
        try:
            day = dt.date.fromisoformat(value.strip())
        except ValueError:
            day = None
    if day is None:
        raise InputError(
            [
                FieldProblem(
                    field,
                    N_("not a date; use YYYY-MM-DD (got {value})", value=quoted(value)),
                )
            ]
        )
    check_date(day, field, earliest=earliest, latest=latest)
    return day


def check_date(
    day: dt.date,
    field: str,
    *,
    earliest: dt.date | None = EARLIEST_DATE,
    latest: dt.date | None = None,
    what: str = "",
    file: str | None = None,
) -> None:
    """Refuse ``day`` outside ``earliest``..``latest``: an ``InputError`` on
    ``field`` saying ``what`` is wrong (or the bound it crossed)."""
    if earliest is not None and day < earliest:
        reason = what or N_("must not be before {day}", day=earliest.isoformat())
    elif latest is not None and day > latest:
        reason = what or N_("must not be after {day}", day=latest.isoformat())
    else:
        return
    raise InputError(
        [
            FieldProblem(
                field,
                N_("{day}: {reason}", day=day.isoformat(), reason=reason),
            )
        ],
        file=file,
    )


def _validated(low: int, high: int) -> BeforeValidator:
    def check(value: object) -> object:
        if isinstance(value, str | bool):
            number, problem = integer_problem(value, low=low, high=high)
            if number is None:
                raise ValueError(problem)
            return number
        return value

    return BeforeValidator(check)


DbInt = Annotated[
    int, _validated(INT32_MIN, INT32_MAX), Field(ge=INT32_MIN, le=INT32_MAX)
]
"""An integer stored in a 32-bit ``INTEGER`` column (ASCII digits when a string)."""

DbId = Annotated[int, _validated(1, INT32_MAX), Field(ge=1, le=INT32_MAX)]
"""A record id: ids of every table but the audit log are 32-bit on every database."""

DbBigInt = Annotated[
    int, _validated(INT64_MIN, INT64_MAX), Field(ge=INT64_MIN, le=INT64_MAX)
]
"""An integer stored in a 64-bit ``BIGINT`` column."""
