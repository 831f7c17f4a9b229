"""Column types shared by the tables: timestamps that are always aware UTC."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


def utc_now() -> dt.datetime:
    """The current instant, aware, in UTC."""
    return dt.datetime.now(dt.UTC)


class UtcDateTime(TypeDecorator[dt.datetime]):
    """``TIMESTAMP WITH TIME ZONE`` on PostgreSQL; on SQLite, UTC text.

    Refuses naive datetimes on the way in and returns aware UTC on the way out, so the
    two databases give the same values back.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: give a timezone")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def result_processor(self, dialect: Dialect, coltype: object) -> Any:
        """On SQLite the stored UTC text parsed straight to an aware datetime (the
        generic decorator path costs five times as much, on every row read), by
        ``datetime.fromisoformat`` where it can (a third of SQLAlchemy's parser)."""
        parse = self.impl_instance.dialect_impl(dialect).result_processor(
            dialect, coltype
        )
        if dialect.name != "sqlite" or parse is None:
            return super().result_processor(dialect, coltype)
        utc = dt.UTC
        from_text = dt.datetime.fromisoformat

        def process(value: str | None) -> dt.datetime | None:
            if value is None:
                return None
            try:  # the stored naive UTC text made aware in the parse itself, a
                # seventh of parsing it and then ``replace(tzinfo=...)``
                aware = from_text(value + "+00:00")
                if aware.tzinfo is utc:  # (a bare date parses naive: below)
                    return aware
            except (TypeError, ValueError):
                pass  # text with an offset of its own, or in another form
            try:  # parsed in C; SQLAlchemy's parser for any other form
                parsed = from_text(value)
            except (TypeError, ValueError):
                parsed = cast(dt.datetime, parse(value))
            if parsed.tzinfo is None:
                return parsed.replace(tzinfo=utc)
            return parsed.astimezone(utc)

        return process

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)
