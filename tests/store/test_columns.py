"""Timestamps read from SQLite: the fast parse gives what SQLAlchemy's parser gives."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.dialects import sqlite

from spinewise.store.columns import UtcDateTime

STORED = (
    "2026-12-05 13:14:15.123456",  # the form SQLAlchemy writes
    "2026-12-05 00:00:00.000000",
    "2026-12-05 00:00:00",  # CURRENT_TIMESTAMP in a migration
    "2026-12-05 00:00:00.5",
    "2026-12-05T01:02:03",
    "1900-01-01 23:59:59.999999",
)


@pytest.mark.parametrize("text", STORED)
def test_a_stored_sqlite_timestamp_reads_as_sqlalchemy_reads_it_in_utc(
    text: str,
) -> None:
    dialect = sqlite.dialect()
    column = UtcDateTime()
    ours = column.result_processor(dialect, None)
    theirs = column.impl_instance.dialect_impl(dialect).result_processor(dialect, None)
    assert ours is not None and theirs is not None
    expected = theirs(text).replace(tzinfo=dt.UTC)
    read = ours(text)
    assert read == expected
    assert read.tzinfo is dt.UTC


def test_a_stored_timestamp_with_an_offset_is_read_as_the_same_instant_in_utc() -> None:
    dialect = sqlite.dialect()
    ours = UtcDateTime().result_processor(dialect, None)
    assert ours is not None
    read = ours("2026-12-05 03:00:00+03:00")
    assert read == dt.datetime(2026, 12, 5, 0, 0, tzinfo=dt.UTC)
    assert read.utcoffset() == dt.timedelta(0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-05", dt.datetime(2026, 12, 5, tzinfo=dt.UTC)),  # parses naive
        ("2026-12-05 03:00:00-02:00", dt.datetime(2026, 12, 5, 5, tzinfo=dt.UTC)),
        ("2026-12-05T03:00:00Z", dt.datetime(2026, 12, 5, 3, tzinfo=dt.UTC)),
    ],
)
def test_text_the_quick_parse_cannot_take_reads_as_the_same_instant_in_utc(
    text: str, expected: dt.datetime
) -> None:
    ours = UtcDateTime().result_processor(sqlite.dialect(), None)
    assert ours is not None
    read = ours(text)
    assert read == expected
    assert read.tzinfo is dt.UTC
