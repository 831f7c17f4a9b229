"""The knowledge base in other languages: per-language catalogues keyed by stable ids.

English is written in the KB files themselves (``rules/*.yaml``, ``techniques.yaml``);
each other language has one catalogue, ``data/i18n/<lang>.yaml``, that gives the same
texts by *text key* rather than a second copy of the rules. A text key names a text by
the ids on its way down: ``rules.RF-CES-01.message``,
``techniques.modalities.classical.steps.CL-1.technique``,
``techniques.precautions.PC-ACO-01.changes.0.text``; list items without an id are
numbered from 0. The catalogue's YAML nests the same way. Keeping translations beside the
rules (not inside them) means a rule can change shape without touching every language
and a translator edits one file; why, in docs/developers/i18n.md.

Checked at load: every key must name an English text (an unknown id is an error naming
the catalogue and the key), ``{placeholders}`` must be the same in both languages, and a
language the deployment enables must translate every text.
"""

from __future__ import annotations

import string
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from spinewise.errors import KnowledgeBaseError
from spinewise.kb.schema import KnowledgeBase, Rule
from spinewise.kb.techniques import Sourced, Techniques
from spinewise.models import load_document, problems_of

TRANSLATED_FIELDS = frozenset(
    {
        "action",
        "check",
        "condition",
        "every_session",
        "frequency",
        "jet_direction",
        "label",
        "message",
        "name",
        "notes",
        "nozzle_movement",
        "position",
        "step_down",
        "technique",
        "text",
        "title",
        "when",
    }
)
"""The fields of the KB that people read; codes, ids, sources and figures are not here
and so can never differ between languages."""

_ITEM_KEYS = ("id", "rule", "level")


class RuleTexts(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    message: str


class Catalogue(BaseModel):
    """One language's ``data/i18n/<lang>.yaml``: texts by rule id and techniques path."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    language: str
    rules: dict[str, RuleTexts] = Field(default_factory=dict)
    techniques: dict[str, Any] = Field(default_factory=dict)


def _item_key(item: BaseModel, index: int) -> str:
    for name in _ITEM_KEYS:
        value = getattr(item, name, None)
        if isinstance(value, str | int) and not isinstance(value, bool):
            return str(value)
    return str(index)


def _slots(node: Any, key: str, translated: bool) -> Iterator[tuple[str, str]]:
    """(text key, English text) of every translated text under ``node``."""
    if isinstance(node, Sourced):
        yield from _slots(node.value, key, translated)
    elif isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from _slots(
                getattr(node, name), f"{key}.{name}", name in TRANSLATED_FIELDS
            )
    elif isinstance(node, Mapping):
        for name, value in node.items():
            yield from _slots(value, f"{key}.{getattr(name, 'value', name)}", False)
    elif isinstance(node, list | tuple):
        for index, item in enumerate(node):
            label = _item_key(item, index) if isinstance(item, BaseModel) else index
            yield from _slots(item, f"{key}.{label}", translated)
    elif translated and isinstance(node, str):
        yield key, node


def english_texts(kb: KnowledgeBase) -> dict[str, str]:
    """Every text of the KB that people read, by text key, in English."""
    texts = {f"rules.{rule.id}.message": rule.message for rule in kb.rules}
    if kb.techniques is not None:
        texts.update(_slots(kb.techniques, "techniques", False))
    return texts


def _flatten(node: Any, key: str) -> Iterator[tuple[str, Any]]:
    if isinstance(node, Mapping):
        for name, value in node.items():
            yield from _flatten(value, f"{key}.{name}" if key else str(name))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _flatten(value, f"{key}.{index}")
    else:
        yield key, node


def placeholders(text: str) -> set[str]:
    """The ``{names}`` a text is formatted with (``{{`` is a literal brace)."""
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}
    except ValueError:
        return {"<unbalanced braces>"}


def _unknown_part(key: str, english: dict[str, str]) -> str:
    """Where a key leaves the KB: the first segment no English key shares."""
    parts = key.split(".")
    prefixes = {".".join(k.split(".")[:n]) for k in english for n in range(1, 9)}
    for depth in range(1, len(parts) + 1):
        if ".".join(parts[:depth]) not in prefixes:
            return parts[depth - 1]
    return parts[-1]


def read_catalogue(
    path: Path, english: dict[str, str], required: bool
) -> dict[str, str]:
    """Texts of one catalogue by text key, checked against the English ones."""
    try:
        catalogue = Catalogue.model_validate(load_document(path))
    except ValidationError as exc:
        problems = "; ".join(str(p) for p in problems_of(exc))
        raise KnowledgeBaseError(str(path), None, problems) from None
    if catalogue.language != path.stem:
        raise KnowledgeBaseError(
            str(path), None, f"language: {catalogue.language!r} in {path.name}"
        )
    sections = {"language"}
    if not any(key.startswith("techniques.") for key in english):
        sections.add("techniques")  # a KB without techniques.yaml plans nothing
    texts: dict[str, str] = {}
    for key, value in _flatten(catalogue.model_dump(exclude=sections), ""):
        if key not in english:
            part = _unknown_part(key, english)
            raise KnowledgeBaseError(
                str(path),
                None,
                f"{key}: unknown id or field {part!r} (no English text)",
            )
        if not isinstance(value, str) or not value.strip():
            raise KnowledgeBaseError(str(path), None, f"{key}: not a text")
        if placeholders(value) != placeholders(english[key]):
            raise KnowledgeBaseError(
                str(path),
                None,
                f"{key}: placeholders {sorted(placeholders(value))} differ from the "
                f"English {sorted(placeholders(english[key]))}",
            )
        texts[key] = value
    missing = [key for key in english if key not in texts]
    if required and missing:
        more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
        raise KnowledgeBaseError(
            str(path), None, f"{missing[0]}: no {catalogue.language} translation{more}"
        )
    return texts


def _translated(node: Any, key: str, texts: Mapping[str, str], field: bool) -> Any:
    """``node`` with each translated text replaced (models copied, never mutated)."""
    if isinstance(node, Sourced):
        return node.model_copy(
            update={"value": _translated(node.value, key, texts, field)}
        )
    if isinstance(node, BaseModel):
        update = {
            name: _translated(
                getattr(node, name), f"{key}.{name}", texts, name in TRANSLATED_FIELDS
            )
            for name in type(node).model_fields
        }
        return node.model_copy(update=update)
    if isinstance(node, dict):
        return {
            name: _translated(
                value, f"{key}.{getattr(name, 'value', name)}", texts, False
            )
            for name, value in node.items()
        }
    if isinstance(node, list | tuple):
        items = [
            _translated(
                item,
                f"{key}.{_item_key(item, i) if isinstance(item, BaseModel) else i}",
                texts,
                field,
            )
            for i, item in enumerate(node)
        ]
        return type(node)(items)
    if field and isinstance(node, str):
        return texts.get(key, node)
    return node


def translated_kb(kb: KnowledgeBase, texts: Mapping[str, str]) -> KnowledgeBase:
    """The KB with its texts in another language (English where ``texts`` has none).

    Only words change: ids, severities, conditions, sources and figures are the same
    objects as in ``kb``.
    """
    rules: list[Rule] = [
        rule.model_copy(
            update={"message": texts.get(f"rules.{rule.id}.message", rule.message)}
        )
        for rule in kb.rules
    ]
    techniques: Techniques | None = (
        _translated(kb.techniques, "techniques", texts, False)
        if kb.techniques is not None
        else None
    )
    translated = kb.model_copy(
        update={"rules": rules, "techniques": techniques, "translations": {}}
    )
    translated._in_language = {}
    return translated
