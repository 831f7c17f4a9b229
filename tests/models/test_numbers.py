"""The one parser of typed integers and dates: ASCII digits, database ranges."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from spinewise.errors import InputError
from spinewise.models import (
    INT32_MAX,
    DbId,
    check_date,
    parse_date,
    parse_int,
    quoted,
)


@pytest.mark.parametrize(
    "text", ["²", "٣", "\uff11\uff12", "1_000", "1e3", "3.0", "", "--1"]
)
def test_only_ascii_digits_are_a_whole_number(text: str) -> None:
    with pytest.raises(InputError, match="digits 0-9") as caught:
        parse_int(text, "number")
    assert caught.value.problems[0].field == "number"


@pytest.mark.parametrize("text", [str(INT32_MAX + 1), "9" * 5000, "-" + "9" * 30])
def test_a_number_beyond_the_column_is_refused_without_converting_it(text: str) -> None:
    with pytest.raises(InputError, match="must be between"):
        parse_int(text, "number")


def test_numbers_in_range_parse_with_sign_and_spaces() -> None:
    assert parse_int(" +7 ", "n") == 7
    assert parse_int("-3", "n", low=-5) == -3
    assert parse_int(str(INT32_MAX), "n") == INT32_MAX


@given(st.text())
def test_parse_int_raises_only_input_errors(text: str) -> None:
    try:
        parse_int(text, "n")
    except InputError:
        pass


class _Filter(BaseModel):
    patient_id: DbId


@pytest.mark.parametrize("value", ["٣", "99999999999999999999999", 2**40, 0, True])
def test_a_database_id_field_refuses_what_the_database_cannot_hold(
    value: object,
) -> None:
    with pytest.raises(ValidationError):
        _Filter(patient_id=value)  # type: ignore[arg-type]


def test_dates_are_ascii_iso_days_within_bounds() -> None:
    assert parse_date("2026-01-31", "day") == dt.date(2026, 1, 31)
    for text in (
        "\uff12\uff10\uff12\uff16-01-01",
        "2026-02-30",
        "1899-12-31",
        "31.01.2026",
    ):
        with pytest.raises(InputError):
            parse_date(text, "day")
    with pytest.raises(InputError, match="in the future"):
        check_date(
            dt.date(2030, 1, 1), "day", latest=dt.date(2026, 1, 1), what="in the future"
        )


def test_messages_quote_only_a_short_prefix() -> None:
    assert len(quoted("x" * 10_000)) < 80
    assert quoted(10**5000) == f"a number of {(10**5000).bit_length()} bits"
