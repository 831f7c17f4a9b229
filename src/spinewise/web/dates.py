"""Dates, moments and numbers as a page shows them: Babel's forms for the page's
language inside ``<time datetime="ISO">``, so that a person reads ``4 Dec 2026``
and a machine still reads ``2026-12-04``.

One style per kind of place: a day is CLDR's "medium" date (``4 Dec 2026``,
the Russian medium form) everywhere a person reads one; a moment is that date with the
time to the minute, in UTC (Spinewise has no clinic time zone setting). Form fields
(``<input type=date>``), URLs and JSON keep ISO and never pass through here.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from markupsafe import Markup, escape

from spinewise.i18n import format_date, format_datetime, format_number

DAY_STYLE = "medium"


def shown_day(value: dt.date | str | None, language: str) -> Markup:
    """``<time datetime="2026-12-04">4 Dec 2026</time>``; empty for none (so that
    ``value|day or _("not recorded")`` works). A string is read as an ISO date."""
    if value is None or value == "":
        return Markup("")
    day = _as_date(value)
    if day is None:
        return Markup(escape(str(value)))
    shown = format_date(day, language, DAY_STYLE)
    return Markup('<time datetime="{}">{}</time>').format(day.isoformat(), shown)


def shown_moment(
    value: dt.datetime | None, language: str, seconds: bool = False
) -> Markup:
    """``<time datetime="2026-12-04T13:05Z">4 Dec 2026, 13:05</time>`` (UTC: the
    template says so where it matters); ``seconds`` for the audit trail."""
    if value is None:
        return Markup("")
    utc = value if value.tzinfo is None else value.astimezone(dt.UTC)
    spec = "seconds" if seconds else "minutes"
    stamp = utc.replace(tzinfo=None).isoformat(timespec=spec) + "Z"
    shown = format_datetime(utc, language, seconds=seconds)
    return Markup('<time datetime="{}">{}</time>').format(stamp, shown)


def shown_number(value: int | float | Decimal | str | None, language: str) -> str:
    """A score, MIC or pain rating as ``format_number`` writes it (``38,5``, ``38,0``)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            return format_number(Decimal(value), language)
        except ArithmeticError:
            return value
    return format_number(value, language)


def shown_change(value: int | float | Decimal, language: str) -> str:
    """A change with its sign: ``+4``, ``-2,5`` (printed with a true minus sign)."""
    number = Decimal(str(value))
    sign = "+" if number > 0 else "\u2212" if number < 0 else "\u00b1"
    return sign + shown_number(abs(number), language)


def _as_date(value: dt.date | str) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None
