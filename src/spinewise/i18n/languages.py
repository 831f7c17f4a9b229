"""The languages Spinewise speaks, and how a requested language code is read."""

from __future__ import annotations

import re

from spinewise.errors import UnknownLanguageError

DEFAULT_LANGUAGE = "en"
SUPPORTED_LANGUAGES = ("en", "ru")
"""English is the source language (every text is written in it first); Russian is
translated. A new language is a catalogue per side (KB, gettext), then one entry here."""

_CODE = re.compile(r"^([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*$")


def parse_language(
    code: str, *, field: str = "lang", enabled: tuple[str, ...] = SUPPORTED_LANGUAGES
) -> str:
    """The supported language a code names: ``"ru"``, ``"RU"``, ``"ru-RU"`` and
    ``"ru_RU"`` are all ``"ru"``.

    Anything else (an unknown language, a language this deployment has not enabled,
    or not a language tag at all) raises ``UnknownLanguageError`` naming ``field``.
    """
    match = _CODE.match(code.strip())
    language = match.group(1).lower() if match else None
    if language is None or language not in enabled:
        raise UnknownLanguageError(code, field=field, known=enabled)
    return language


def parse_languages(text: str, *, field: str = "languages") -> tuple[str, ...]:
    """A comma-separated list of languages (``"en,ru"``), English always first."""
    parsed = [parse_language(p, field=field) for p in text.split(",") if p.strip()]
    return tuple(dict.fromkeys([DEFAULT_LANGUAGE, *parsed]))


def negotiate_language(
    accept_language: str | None, enabled: tuple[str, ...] = SUPPORTED_LANGUAGES
) -> str | None:
    """The best enabled language of an HTTP ``Accept-Language`` header, or None.

    Entries are taken by quality (``q``), then in the order given; ``q=0`` refuses a
    language and ``*`` accepts English. A header naming none of ours gives None.
    """
    if not accept_language:
        return None
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(accept_language.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag.strip() and quality > 0:
            ranked.append((-quality, index, tag.strip()))
    for _, _, tag in sorted(ranked):
        if tag == "*":
            return DEFAULT_LANGUAGE
        try:
            return parse_language(tag, enabled=enabled)
        except UnknownLanguageError:
            continue
    return None
