"""Words the web app keeps in Python data (labels, titles, choices) rather than in a
template: marked for the gettext catalogue here, translated where a page shows them
(the ``tr`` template filter, in the page's language).

``N_`` marks a literal; ``value_words`` lists the words the pages make of codes (a
modality, a status, a field's choice) so that the catalogue holds them too. The
pybabel extractor ``extract_web_texts`` (babel.cfg) yields both kinds.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any


def N_(message: str) -> str:
    """``message`` unchanged: marked for the catalogue, translated where shown."""
    return message


def _code_words(values: list[str]) -> Iterator[str]:
    for value in values:
        words = value.replace("_", " ")
        yield words
        yield words.capitalize()


def value_words() -> list[str]:
    """Texts the pages make of codes and field descriptions: each field's label and
    hint, and each code as words (``disc_herniation`` -> "disc herniation" and
    "Disc herniation"). Codes themselves are never translated; these words are."""
    from spinewise.models import (
        AdverseEventKind,
        ClearanceStatus,
        Modality,
        ModalityStatus,
        NeuroSymptom,
        Profile,
        Region,
        Verdict,
        described_fields,
    )
    from spinewise.models.plan import TechniqueKind
    from spinewise.outcomes import INSTRUMENTS
    from spinewise.services.access.actors import Role
    from spinewise.services.audit import Action
    from spinewise.services.clinic.consent import CONSENT_TEXTS
    from spinewise.services.course.course_records import PlanStatus

    texts: list[str] = []
    for spec in described_fields().values():
        texts += [spec.label, spec.help]
        texts += _code_words([str(v) for v in spec.values])
    for enum in (
        AdverseEventKind, ClearanceStatus, Modality, ModalityStatus, NeuroSymptom,
        Profile, Region, Verdict, Role, PlanStatus, Action, TechniqueKind,
    ):  # fmt: skip
        texts += _code_words([str(member.value) for member in enum])
    texts += [instrument.name for instrument in INSTRUMENTS.values()]
    texts += list(CONSENT_TEXTS.values())  # read to the patient in their language
    texts += ["revoked", "expired", "sent", "failed", "cancelled", "logged"]
    return sorted({t for t in texts if t})


def extract_web_texts(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Any
) -> Iterator[tuple[Any, ...]]:
    """pybabel extractor for this module (babel.cfg): its own marked words, then the
    words of codes and fields, so that ``make i18n-update`` keeps them."""
    from babel.messages.extract import extract_python

    yield from extract_python(fileobj, keywords, comment_tags, options)
    for text in value_words():
        yield 0, None, text.replace("%", "%%"), ["web: words of a code or field"]
