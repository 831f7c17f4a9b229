"""Dates that cannot be true, refused before they are stored.

"Today" is the UTC date plus one day: a clinic east of Greenwich lives in tomorrow's
UTC date for part of its day, and its notes of today must not read as the future.
"""

from __future__ import annotations

import datetime as dt

from spinewise.errors import N_
from spinewise.models import check_date
from spinewise.store import utc_now


def latest_day() -> dt.date:
    """The last day any clinic's clock can show now."""
    return utc_now().date() + dt.timedelta(days=1)


def check_birth_date(day: dt.date | None) -> None:
    """A birth date from 1900 up to today (``InputError`` on ``birth_date``)."""
    if day is not None:
        check_date(day, "birth_date", what=N_("a birth date before 1900"))
        check_date(
            day,
            "birth_date",
            latest=latest_day(),
            what=N_("a birth date in the future"),
        )


def check_answered_on(day: dt.date, file: str | None = None) -> None:
    """A questionnaire is answered on a day that has come."""
    check_date(
        day,
        "answered_on",
        earliest=None,
        latest=latest_day(),
        what=N_("in the future; give the day the questionnaire was answered"),
        file=file,
    )


def check_performed_on(
    day: dt.date, plan_start: dt.date, file: str | None = None
) -> None:
    """A session took place on or after its plan's start, and not in the future."""
    before = N_("before the plan's start on {day}", day=plan_start.isoformat())
    check_date(day, "performed_on", earliest=plan_start, what=before, file=file)
    check_date(
        day,
        "performed_on",
        earliest=None,
        latest=latest_day(),
        what=N_("in the future; a note records a session that took place"),
        file=file,
    )
