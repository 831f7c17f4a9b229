"""What a page shows for a day, a moment and a number, per language: Babel's words
inside ``<time datetime>`` (ISO for machines), the decimal sign of the language."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from spinewise.web.dates import shown_change, shown_day, shown_moment, shown_number

DAY = dt.date(2026, 12, 4)


def test_a_day_is_the_medium_date_of_the_language_inside_an_iso_time() -> None:
    assert shown_day(DAY, "en") == '<time datetime="2026-12-04">4 Dec 2026</time>'
    russian = shown_day(DAY, "ru")
    assert russian.startswith('<time datetime="2026-12-04">4 дек. 2026')
    assert shown_day("2026-12-04", "en") == shown_day(DAY, "en")


def test_no_day_shows_nothing_and_a_word_stays_a_word() -> None:
    assert shown_day(None, "en") == "" and not shown_day("", "ru")
    assert shown_day("<soon>", "en") == "&lt;soon&gt;"


def test_a_moment_reads_in_utc_to_the_minute_or_the_second() -> None:
    moment = dt.datetime(
        2026, 12, 4, 15, 5, 9, tzinfo=dt.timezone(dt.timedelta(hours=3))
    )
    assert shown_moment(moment, "en") == (
        '<time datetime="2026-12-04T12:05Z">4 Dec 2026, 12:05</time>'
    )
    assert "12:05:09" in shown_moment(moment, "ru", seconds=True)
    assert shown_moment(None, "en") == ""


def test_numbers_take_the_languages_decimal_sign_and_a_true_minus() -> None:
    assert shown_number(Decimal("38.5"), "ru") == "38,5"
    assert shown_number(Decimal("38.5"), "en") == "38.5"
    assert shown_number("12.0", "ru") == "12,0" and shown_number("n/a", "ru") == "n/a"
    assert shown_change(Decimal("-20.0"), "ru") == "\u221220,0"
    assert shown_change(4, "en") == "+4.0" and shown_change(0, "en") == "\u00b10.0"
