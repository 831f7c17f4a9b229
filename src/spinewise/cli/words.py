"""The command line's own words in the run's language (``--lang``/``SPINEWISE_LANG``).

Every label, table header, message and error text of the CLI is written as
``_("English text {name}").format(name=...)`` (or ``ngettext``), so that pybabel
extracts it into the catalogue (``make i18n-update``) and a Russian run prints the
Russian. Codes — verdicts, statuses, modalities, roles, rule ids, field paths — are
never translated.
"""

from __future__ import annotations

import datetime as dt

from spinewise.cli.context import run_options
from spinewise.i18n import (
    DEFAULT_LANGUAGE,
    Translator,
    format_date,
    format_datetime,
)


def translator() -> Translator:
    """The translator of the run's language (English when none was asked for)."""
    return Translator(run_options().language or DEFAULT_LANGUAGE)


def _(message: str) -> str:
    """``message`` in the run's language."""
    return translator().gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of a counted message that ``count`` takes in the run's language."""
    return translator().ngettext(singular, plural, count)


def day(date: dt.date) -> str:
    """A date for the terminal: as the run's language writes it (``24.11.2026`` in
    Russian) when a language was asked for, else ISO as before (``--json`` always
    keeps ISO)."""
    language = run_options().language
    return date.isoformat() if language is None else format_date(date, language)


def moment(at: dt.datetime, *, seconds: bool = False) -> str:
    """A moment (UTC) for the terminal, to the minute (or second): in the run's
    language when one was asked for, else ``2026-11-24 13:05`` as before."""
    language = run_options().language
    if language is None:
        return f"{at:%Y-%m-%d %H:%M:%S}" if seconds else f"{at:%Y-%m-%d %H:%M}"
    return format_datetime(at, language, seconds=seconds)
