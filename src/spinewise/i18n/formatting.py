"""Dates and numbers as each language writes them (Babel's CLDR data).

Russian: 24.11.2026, 38,0, a non-breaking space before a unit; English keeps ISO-like
clarity in data and CLDR's forms for people. Babel is imported on first use, so
importing Spinewise stays quick.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

_LOCALES = {"en": "en_GB", "ru": "ru_RU"}


def locale_of(language: str) -> str:
    """The CLDR locale a language's texts are formatted with."""
    return _LOCALES[language]


def format_date(day: dt.date, language: str, style: str = "short") -> str:
    """A date for people: ``24.11.2026`` in Russian, ``24/11/2026`` in English
    (``style`` is Babel's: short, medium, long, full)."""
    from babel.dates import format_date as babel_date

    if language == "ru" and style == "short":
        return babel_date(day, "dd.MM.yyyy", locale=locale_of(language))
    return babel_date(day, style, locale=locale_of(language))


def format_datetime(
    moment: dt.datetime, language: str, *, seconds: bool = False
) -> str:
    """A moment for people, to the minute, as it reads in UTC (Spinewise has no clinic
    time zone setting): ``4 dek. 2026 g., 13:05`` (in Cyrillic) in Russian, ``4 Dec 2026, 13:05``
    in English. A naive ``moment`` is taken as UTC; the caller says "UTC"."""
    from babel.dates import format_time

    utc = moment if moment.tzinfo is None else moment.astimezone(dt.UTC)
    pattern = "HH:mm:ss" if seconds else "HH:mm"
    clock = format_time(utc.replace(tzinfo=None), pattern, locale=locale_of(language))
    return f"{format_date(utc.date(), language, 'medium')}, {clock}"


def format_number(value: int | float | Decimal, language: str) -> str:
    """A number with the language's decimal sign and grouping (``38,0`` in Russian)."""
    from babel.numbers import format_decimal

    if isinstance(value, float | Decimal) and value == int(value):
        return format_decimal(value, "#,##0.0", locale=locale_of(language))
    return format_decimal(value, locale=locale_of(language))
