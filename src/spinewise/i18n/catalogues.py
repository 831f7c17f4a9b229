"""gettext catalogues of the program's own words, one per language.

The catalogues are ``locale/<lang>/LC_MESSAGES/messages.po`` beside this module
(``make i18n-extract | i18n-update | i18n-compile`` keep them; see
docs/developers/i18n.md). ``make`` compiles them to ``.mo`` files, which git ignores;
when a ``.mo`` is missing or older than its ``.po`` (a fresh clone running pytest
directly, a wheel built without them) the ``.po`` is compiled in memory with Babel,
so a Russian text is never silently English because a build step was skipped.
"""

from __future__ import annotations

import gettext as _gettext
import io
from functools import cache
from pathlib import Path

from spinewise.errors import FieldProblem, Message, SpinewiseError
from spinewise.i18n.languages import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"


def catalogue_path(language: str) -> Path:
    """The ``.po`` file of a language (English has none: its msgids are the text)."""
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def _compiled_po(po_file: Path) -> _gettext.GNUTranslations:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po_file.open("rb") as handle:
        catalog = read_po(handle, locale=po_file.parents[1].name)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return _gettext.GNUTranslations(buffer)


@cache
def translations(language: str) -> _gettext.NullTranslations:
    """The catalogue of a supported language (English: the msgids themselves)."""
    if language not in SUPPORTED_LANGUAGES:
        raise ValueError(f"unsupported language {language!r}")
    if language == DEFAULT_LANGUAGE:
        return _gettext.NullTranslations()
    po_file = catalogue_path(language)
    mo_file = po_file.with_suffix(".mo")
    if mo_file.exists() and mo_file.stat().st_mtime >= po_file.stat().st_mtime:
        with mo_file.open("rb") as handle:
            return _gettext.GNUTranslations(handle)
    return _compiled_po(po_file)


def gettext(language: str, message: str) -> str:
    """``message`` in ``language`` (the English message when it has no translation)."""
    return translations(language).gettext(message)


def ngettext(language: str, singular: str, plural: str, count: int) -> str:
    """The form of a counted message ``count`` takes in ``language`` (Russian has
    three: 1 сеанс, 2 сеанса, 5 сеансов)."""
    return translations(language).ngettext(singular, plural, count)


class Translator:
    """The gettext functions bound to one language: ``tr.gettext("Rules")``.

    Passed to code that writes text (the clinical-basis page, a translated decision)
    so that it needs no global language; pybabel extracts calls to ``gettext``,
    ``ngettext`` and ``pgettext`` on it.
    """

    def __init__(self, language: str = DEFAULT_LANGUAGE) -> None:
        self.language = language
        self._catalogue = translations(language)

    def gettext(self, message: str) -> str:
        return self._catalogue.gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        return self._catalogue.ngettext(singular, plural, count)

    def pgettext(self, context: str, message: str) -> str:
        """``message`` in the sense ``context`` gives it (a code's label, say)."""
        return self._catalogue.pgettext(context, message)

    def message(self, text: str) -> str:
        """An error's or problem's words in this language: a ``Message`` translated
        with its parameters (Messages among them translated too); any other text, or
        a translation that does not fit its parameters, stays as given (English)."""
        if not isinstance(text, Message) or self.language == DEFAULT_LANGUAGE:
            return str(text)
        translated = self._catalogue.gettext(text.msgid)
        if not text.params:
            return translated
        params = {k: self.message(v) if isinstance(v, Message) else v
                  for k, v in text.params.items()}  # fmt: skip
        try:
            return translated.format(**params)
        except (KeyError, IndexError, ValueError):
            return str(text)

    def problem(self, problem: FieldProblem) -> FieldProblem:
        """The same field problem with its message in this language (the field path
        is a code: never translated)."""
        return FieldProblem(problem.field, self.message(problem.message))

    def error(self, error: SpinewiseError) -> str:
        """An error's message in this language (English when it carries none)."""
        return self.message(error.text) if error.text is not None else str(error)
