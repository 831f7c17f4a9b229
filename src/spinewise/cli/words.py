"""The command line's own words in the run's language (``--lang``/``SPINEWISE_LANG``).

Every label, table header, message and error text of the CLI is written as
``_("English text {name}").format(name=...)`` (or ``ngettext``), so that pybabel
extracts it into the catalogue (``make i18n-update``) and a Russian run prints the
Russian. Codes — verdicts, statuses, modalities, roles, rule ids, field paths — are
never translated.
"""

from __future__ import annotations

from spinewise.cli.context import run_options
from spinewise.i18n import DEFAULT_LANGUAGE, Translator


def translator() -> Translator:
    """The translator of the run's language (English when none was asked for)."""
    return Translator(run_options().language or DEFAULT_LANGUAGE)


def _(message: str) -> str:
    """``message`` in the run's language."""
    return translator().gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of a counted message that ``count`` takes in the run's language."""
    return translator().ngettext(singular, plural, count)
