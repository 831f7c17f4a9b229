"""Language codes are read leniently but never guessed; gettext speaks Russian plurals;
dates and numbers follow the locale; every catalogue entry is translated and formats."""

from __future__ import annotations

import datetime as dt
import string
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from spinewise.errors import InputError, UnknownLanguageError
from spinewise.i18n import (
    SUPPORTED_LANGUAGES,
    Translator,
    catalogue_path,
    format_date,
    format_number,
    negotiate_language,
    ngettext,
    parse_language,
    parse_languages,
)

ROOT = Path(__file__).resolve().parents[2]
DAYS = "Not now ({rules}): every modality is contraindicated for the time being. Re-screen in {days} day(s)."


@pytest.mark.parametrize("code", ["ru", "RU", "ru-RU", "ru_RU", " ru "])
def test_a_russian_code_in_any_common_form_is_russian(code: str) -> None:
    assert parse_language(code) == "ru"


@pytest.mark.parametrize("code", ["de", "xx", "", "русский", "r", "en-"])
def test_an_unknown_code_is_an_input_error_naming_the_field(code: str) -> None:
    with pytest.raises(UnknownLanguageError) as caught:
        parse_language(code, field="--lang")
    assert isinstance(caught.value, InputError)
    problem = caught.value.problems[0]
    assert problem.field == "--lang"
    assert "unknown language" in problem.message and "en, ru" in problem.message


def test_a_language_the_deployment_has_not_enabled_is_unknown() -> None:
    with pytest.raises(UnknownLanguageError):
        parse_language("ru", enabled=("en",))


def test_the_enabled_languages_always_include_english_first() -> None:
    assert parse_languages("ru") == ("en", "ru")
    assert parse_languages("ru, en") == ("en", "ru")
    with pytest.raises(UnknownLanguageError, match="SPINEWISE_LANGUAGES"):
        parse_languages("en,fr", field="SPINEWISE_LANGUAGES")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("ru-RU,ru;q=0.9,en;q=0.8", "ru"),
        ("de-DE,en;q=0.5,ru;q=0.7", "ru"),
        ("en-GB,en;q=0.9", "en"),
        ("de, fr", None),
        ("ru;q=0, en", "en"),
        ("*", "en"),
        ("ru;q=abc", None),
        ("", None),
        (None, None),
    ],
)
def test_accept_language_gives_the_best_offered_language(
    header: str | None, expected: str | None
) -> None:
    assert negotiate_language(header) == expected


@pytest.mark.parametrize(
    ("count", "word"),
    [
        (1, "день"),
        (2, "дня"),
        (4, "дня"),
        (5, "дней"),
        (11, "дней"),
        (21, "день"),
        (22, "дня"),
        (112, "дней"),
    ],
)
def test_russian_has_three_plural_forms(count: int, word: str) -> None:
    text = ngettext("ru", DAYS, DAYS, count).format(rules="DF-ACU-01", days=count)
    assert text.endswith(f"через {count} {word}.")


def test_english_plural_is_the_message_itself() -> None:
    assert Translator("en").ngettext(DAYS, DAYS, 5) == DAYS


def test_a_translator_is_bound_to_one_language() -> None:
    assert Translator("ru").gettext("Rules") == "Правила"
    assert Translator("en").gettext("Rules") == "Rules"
    assert (
        Translator("ru").pgettext("modality", "vacuum") == "вакуумный (баночный) массаж"
    )


def test_dates_and_numbers_follow_the_locale() -> None:
    day = dt.date(2026, 11, 24)
    assert format_date(day, "ru") == "24.11.2026"
    assert format_date(day, "ru", "long") == "24 ноября 2026\u202fг."  # noqa: RUF001
    assert format_date(day, "en", "long") == "24 November 2026"
    assert format_number(Decimal("38.0"), "ru") == "38,0"
    assert format_number(38.5, "en") == "38.5"
    assert format_number(12500, "ru") == "12\xa0500"


@pytest.mark.parametrize(
    "language", [lang for lang in SUPPORTED_LANGUAGES if lang != "en"]
)
def test_every_catalogue_entry_is_translated_with_the_same_placeholders(
    language: str,
) -> None:
    with catalogue_path(language).open("rb") as handle:
        catalogue = read_po(handle, locale=language)
    assert catalogue.num_plurals == 3
    formatter = string.Formatter()
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = (
            message.string if isinstance(message.string, tuple) else (message.string,)
        )
        assert all(strings) and not message.fuzzy, message.id
        wanted = {f for _, f, _, _ in formatter.parse(ids[0]) if f}
        for text in strings:
            assert {f for _, f, _, _ in formatter.parse(text) if f} == wanted, text


def test_a_missing_compiled_catalogue_is_compiled_from_the_po_file() -> None:
    from spinewise.i18n.catalogues import _compiled_po

    compiled = _compiled_po(catalogue_path("ru"))
    assert compiled.gettext("Rules") == "Правила"
    assert compiled.ngettext(DAYS, DAYS, 2).endswith("{days} дня.")


def test_every_message_the_code_marks_is_in_the_russian_catalogue(
    tmp_path: Path,
) -> None:
    """What `make i18n-extract` finds is what ru.po translates (run i18n-update)."""
    from babel.messages.frontend import CommandLineInterface

    template = tmp_path / "messages.pot"
    CommandLineInterface().run(
        [
            "pybabel",
            "-q",
            "extract",
            "-F",
            str(ROOT / "babel.cfg"),
            "-k",
            "gettext",
            "-k",
            "ngettext:1,2",
            "-o",
            str(template),
            str(ROOT),
        ]
    )
    with template.open("rb") as handle:
        extracted = {
            m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id
        }
    with catalogue_path("ru").open("rb") as handle:
        translated = {
            m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id
        }
    assert extracted == translated, "run `make i18n-update` and translate"
