"""Item texts a patient reads: text packs checked against the scoring definition (7.6).

A text pack is one instrument in one version and one language: a title and, per item,
its text and its answer options in scoring order (the first option scores 0, the next
1, ...). Spinewise ships only the pain NRS wording (``NRS_TEXT_PACK``, English); the
ODI, RMDQ, NDI and STarT Back texts are copyrighted and come from the clinic's
licensed source through ``load_item_texts``, which refuses a pack that does not fit
the scoring (item count, options per item, option order), naming every wrong field.

A pack file (YAML or JSON)::

    instrument: odi
    version: "2.1a"
    language: en
    title: Oswestry Disability Index
    licence: licensed to the clinic by ... (free text, optional)
    items:
      - text: Pain intensity
        options:
          - {value: 0, text: I have no pain at the moment}
          - {value: 1, text: ...}
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from spinewise.errors import N_
from spinewise.models.outcome import Instrument
from spinewise.outcomes.errors import InvalidItemTextsError
from spinewise.outcomes.instruments import INSTRUMENTS

LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
MAX_TEXT = 2000
MAX_SHORT = 64
KEYS = frozenset({"instrument", "version", "language", "title", "licence", "items"})


@dataclass(frozen=True, slots=True)
class ItemText:
    """One item's wording and its answer options, option ``i`` scoring ``i``."""

    text: str
    options: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TextPack:
    """What a patient reads for one instrument, version and language."""

    instrument: Instrument
    version: str
    language: str
    title: str
    items: tuple[ItemText, ...]
    licence: str = ""

    def as_data(self) -> dict[str, object]:
        """The pack as plain data (the file shape), for storing and re-loading."""
        return {
            "instrument": self.instrument.value,
            "version": self.version,
            "language": self.language,
            "title": self.title,
            "licence": self.licence,
            "items": [
                {
                    "text": item.text,
                    "options": [
                        {"value": value, "text": text}
                        for value, text in enumerate(item.options)
                    ],
                }
                for item in self.items
            ],
        }


NRS_TEXT_PACK = TextPack(
    instrument=Instrument.NRS,
    version="0-10",
    language="en",
    title="Pain numeric rating scale (0-10)",
    items=(
        ItemText(
            "How strong is your back or neck pain right now? 0 means no pain, 10 the "
            "worst pain you can imagine.",
            tuple(str(n) for n in range(11)),
        ),
    ),
    licence="Spinewise wording (free to use)",
)
"""The pain NRS wording Spinewise ships (the scale itself is not copyrighted)."""

NRS_TEXT_PACK_RU = TextPack(
    instrument=Instrument.NRS,
    version="0-10",
    language="ru",
    title="Числовая рейтинговая шкала боли (ЧРШ), 0\u201310 баллов",
    items=(
        ItemText(
            "Насколько сильна боль в спине или шее прямо сейчас? 0 — боли нет, 10 — "
            "самая сильная боль, какую можно представить.",
            tuple(str(n) for n in range(11)),
        ),
    ),
    licence="Spinewise wording (free to use)",
)
"""The same wording in Russian (#18): the scale and its anchors, nothing else."""

BUILT_IN: Mapping[tuple[Instrument, str], TextPack] = {
    (Instrument.NRS, "en"): NRS_TEXT_PACK,
    (Instrument.NRS, "ru"): NRS_TEXT_PACK_RU,
}


class _Problems:
    def __init__(self) -> None:
        self.found: list[tuple[str, str]] = []

    def add(self, field: str, message: str) -> None:
        self.found.append((field, message))

    def text(self, data: Mapping[str, object], key: str, path: str, limit: int) -> str:
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            self.add(path, N_("expected a non-blank text"))
            return ""
        if len(value) > limit:
            self.add(path, N_("at most {limit} characters", limit=limit))
        return value.strip()


def load_item_texts(data: object) -> TextPack:
    """A clinic's text pack, checked against the instrument's scoring definition.

    Pure: the caller reads the licensed file. Raises ``InvalidItemTextsError`` whose
    ``problems`` name every wrong field (``items[3].options[2].value``).
    """
    problems = _Problems()
    if not isinstance(data, Mapping):
        raise InvalidItemTextsError(
            "(file)", N_("expected a mapping with instrument, items")
        )
    for key in sorted(str(k) for k in data if k not in KEYS):
        problems.add(
            key, N_("unknown field; allowed: {values}", values=", ".join(sorted(KEYS)))
        )
    instrument = _instrument(data.get("instrument"), problems)
    version = problems.text(data, "version", "version", MAX_SHORT)
    language = problems.text(data, "language", "language", MAX_SHORT)
    if language and not LANGUAGE.match(language):
        problems.add("language", N_("expected a language tag such as en, ru or pt-BR"))
    title = problems.text(data, "title", "title", MAX_TEXT)
    licence = data.get("licence") or ""
    if not isinstance(licence, str) or len(licence) > MAX_TEXT:
        problems.add(
            "licence",
            N_("expected a text of at most {MAX_TEXT} characters", MAX_TEXT=MAX_TEXT),
        )
        licence = ""
    items = _items(instrument, data.get("items"), problems)
    if problems.found or instrument is None:
        raise InvalidItemTextsError.of(problems.found)
    return TextPack(instrument, version, language, title, items, licence.strip())


def _instrument(value: object, problems: _Problems) -> Instrument | None:
    try:
        return Instrument(str(value))
    except ValueError:
        known = ", ".join(i.value for i in Instrument)
        problems.add(
            "instrument",
            N_("unknown {value!r}; expected one of {known}", value=value, known=known),
        )
        return None


def _items(
    instrument: Instrument | None, value: object, problems: _Problems
) -> tuple[ItemText, ...]:
    if not isinstance(value, Sequence) or isinstance(value, str):
        problems.add("items", N_("expected a list of items (text and options)"))
        return ()
    if instrument is None:
        return ()
    maxima = INSTRUMENTS[instrument].item_maxima
    if len(value) != len(maxima):
        problems.add(
            "items",
            N_(
                "{name} has {count} items; got {count2}",
                name=INSTRUMENTS[instrument].name,
                count=len(maxima),
                count2=len(value),
            ),
        )
        return ()
    return tuple(
        _item(entry, f"items[{index}]", top, problems)
        for index, (entry, top) in enumerate(zip(value, maxima, strict=True))
    )


def _item(entry: object, path: str, top: int, problems: _Problems) -> ItemText:
    if not isinstance(entry, Mapping):
        problems.add(path, N_("expected a mapping with text and options"))
        return ItemText("", ())
    text = problems.text(entry, "text", f"{path}.text", MAX_TEXT)
    options = entry.get("options")
    if not isinstance(options, Sequence) or isinstance(options, str):
        problems.add(
            f"{path}.options",
            N_("expected {value} options scored 0..{top}", value=top + 1, top=top),
        )
        return ItemText(text, ())
    if len(options) != top + 1:
        problems.add(
            f"{path}.options",
            N_(
                "expected {value} options scored 0..{top}; got {count}",
                value=top + 1,
                top=top,
                count=len(options),
            ),
        )
        return ItemText(text, ())
    return ItemText(
        text,
        tuple(
            _option(option, f"{path}.options[{n}]", n, problems)
            for n, option in enumerate(options)
        ),
    )


def _option(option: object, path: str, expected: int, problems: _Problems) -> str:
    if not isinstance(option, Mapping):
        problems.add(path, N_("expected {value, text}"))
        return ""
    value = option.get("value")
    if type(value) is not int or value != expected:
        problems.add(
            f"{path}.value",
            N_(
                "expected {expected}: options are listed in scoring order from 0; got {value!r}",
                expected=expected,
                value=value,
            ),
        )
    return problems.text(option, "text", f"{path}.text", MAX_TEXT)
