"""The techniques' texts by their English wording, in another language.

A stored course plan copies the knowledge base's technique texts (course names,
frequencies, steps, zones, precaution changes, checks, stop rules, advice) in English;
a reader sees them in their own language by looking each one up here. Texts the
planner composes itself are not here (``planning.reworded_check`` words those).
"""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import BaseModel

from spinewise.kb.schema import KnowledgeBase

_CACHE: dict[tuple[int, str], dict[str, str]] = {}


def _strings(value: object) -> Iterator[str]:
    """Every text of a KB part, in field order (the same order in every language)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _strings(getattr(value, name))
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def technique_words(kb: KnowledgeBase, language: str) -> dict[str, str]:
    """English technique text → the same text in ``language`` (only those that
    differ; look up with ``.get(text, text)``). Kept per KB and language."""
    key = (id(kb), language)
    if key not in _CACHE:
        local = kb.in_language(language)
        pairs = zip(_strings(kb.techniques), _strings(local.techniques), strict=True)
        _CACHE[key] = {en: text for en, text in pairs if en != text}
    return _CACHE[key]
