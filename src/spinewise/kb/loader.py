"""Load and validate the knowledge base from its YAML files (no code is ever executed)."""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from spinewise.errors import InputError, KnowledgeBaseError
from spinewise.i18n import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES
from spinewise.kb.codes import EhrCodes
from spinewise.kb.schema import KnowledgeBase, Rule, Source
from spinewise.kb.techniques import Techniques, reference_problems
from spinewise.kb.translations import english_texts, read_catalogue
from spinewise.models import decode_text, load_document, problems_of, read_bytes


def bundled_kb_path() -> Path:
    """The folder of the knowledge base shipped inside the package."""
    return Path(str(resources.files("spinewise.kb") / "data"))


def _read_yaml(path: Path) -> Any:
    try:
        return load_document(path)
    except InputError as error:
        problem = error.problems[0]
        message = (
            "file not found" if problem.message == "no such file" else problem.message
        )
        raise KnowledgeBaseError(str(path), None, message) from None


def _explain(exc: ValidationError) -> str:
    return "; ".join(str(p) for p in problems_of(exc))


def _load_sources(path: Path) -> dict[str, Source]:
    data = _read_yaml(path)
    if not isinstance(data, list):
        raise KnowledgeBaseError(str(path), None, "expected a list of sources")
    sources: dict[str, Source] = {}
    for index, item in enumerate(data):
        try:
            source = Source.model_validate(item)
        except ValidationError as exc:
            raise KnowledgeBaseError(
                str(path), None, f"[{index}] {_explain(exc)}"
            ) from None
        if source.id in sources:
            raise KnowledgeBaseError(
                str(path), None, f"duplicate source id {source.id}"
            )
        sources[source.id] = source
    return sources


def _load_rules(
    path: Path, sources: dict[str, Source], seen: dict[str, Path]
) -> list[Rule]:
    data = _read_yaml(path)
    if not isinstance(data, list):
        raise KnowledgeBaseError(str(path), None, "expected a list of rules")
    rules = []
    for index, item in enumerate(data):
        rule_id = item.get("id") if isinstance(item, dict) else None
        label = str(rule_id) if rule_id else f"#{index + 1}"
        try:
            rule = Rule.model_validate(item)
        except ValidationError as exc:
            raise KnowledgeBaseError(str(path), label, _explain(exc)) from None
        if rule.source not in sources:
            raise KnowledgeBaseError(
                str(path), rule.id, f"source: unknown source id {rule.source!r}"
            )
        if rule.id in seen:
            raise KnowledgeBaseError(
                str(path), rule.id, f"duplicate rule id (also in {seen[rule.id].name})"
            )
        seen[rule.id] = path
        rules.append(rule)
    return rules


def _load_techniques(
    path: Path, sources: dict[str, Source], rules: list[Rule]
) -> Techniques | None:
    """Read ``techniques.yaml`` (absent: no planning) and check what it cites."""
    if not path.exists():
        return None
    try:
        techniques = Techniques.model_validate(_read_yaml(path))
    except ValidationError as exc:
        raise KnowledgeBaseError(str(path), None, _explain(exc)) from None
    problems = reference_problems(
        techniques,
        set(sources),
        {rule.id: rule.targets for rule in rules},
        {rule.id: rule.severity for rule in rules},
    )
    if problems:
        raise KnowledgeBaseError(str(path), None, "; ".join(problems))
    return techniques


def _load_ehr_codes(path: Path) -> EhrCodes:
    """Read ``ehr-codes.yaml`` (absent: no coded EHR data is read)."""
    if not path.exists():
        return EhrCodes(answers=[])
    try:
        return EhrCodes.model_validate(_read_yaml(path))
    except ValidationError as exc:
        raise KnowledgeBaseError(str(path), None, _explain(exc)) from None


def _with_translations(
    kb: KnowledgeBase, folder: Path, languages: Sequence[str]
) -> KnowledgeBase:
    """The KB with the catalogues of ``i18n/<lang>.yaml``; each enabled language other
    than English must have one that translates every text."""
    english = english_texts(kb)
    translations = {}
    for language in SUPPORTED_LANGUAGES:
        path = folder / "i18n" / f"{language}.yaml"
        required = language in languages
        if language == DEFAULT_LANGUAGE or not (required or path.exists()):
            continue
        if not path.exists():
            raise KnowledgeBaseError(
                str(path), None, f"file not found (language {language} is enabled)"
            )
        translations[language] = read_catalogue(path, english, required)
    return kb.model_copy(update={"translations": translations})


def load_kb(
    folder: Path | None = None, languages: Sequence[str] = SUPPORTED_LANGUAGES
) -> KnowledgeBase:
    """Read ``VERSION``, ``sources.yaml``, ``rules/*.yaml``, ``techniques.yaml``,
    ``ehr-codes.yaml`` and the other languages' catalogues (``i18n/<lang>.yaml``).

    Rule files are read in file-name order, rules in file order: that order is the
    table order of the clinical document and the order of findings. ``languages`` are
    the languages the deployment enables (``SPINEWISE_LANGUAGES``): each must be
    translated completely, or the KB does not load.
    """
    folder = folder or bundled_kb_path()
    version_file = folder / "VERSION"
    try:
        version = decode_text(read_bytes(version_file), str(version_file)).strip()
    except InputError as error:
        message = error.problems[0].message
        message = "file not found" if message == "no such file" else message
        raise KnowledgeBaseError(str(version_file), None, message) from None
    sources = _load_sources(folder / "sources.yaml")
    seen: dict[str, Path] = {}
    rules = [
        rule
        for path in sorted((folder / "rules").glob("*.yaml"))
        for rule in _load_rules(path, sources, seen)
    ]
    if not rules:
        raise KnowledgeBaseError(str(folder / "rules"), None, "no rules found")
    techniques = _load_techniques(folder / "techniques.yaml", sources, rules)
    ehr_codes = _load_ehr_codes(folder / "ehr-codes.yaml")
    try:
        kb = KnowledgeBase(
            version=version,
            sources=sources,
            rules=rules,
            techniques=techniques,
            ehr_codes=ehr_codes,
        )
    except ValidationError as exc:
        raise KnowledgeBaseError(str(folder), None, _explain(exc)) from None
    return _with_translations(kb, folder, languages)
