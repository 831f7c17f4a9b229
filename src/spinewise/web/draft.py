"""The intake form's answers as typed: kept across a failed submit, turned into contract JSON.

A ``Draft`` holds the raw submitted strings, so a rejected form comes back exactly as
it was sent. ``to_contract()`` builds the contract's assessment JSON from it without
judging the values: ``parse_model`` does that, and its errors name contract paths,
which ``place_problems`` puts next to the questions that asked for them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from spinewise.errors import FieldProblem
from spinewise.models import ASSESSMENT_SCHEMA
from spinewise.web.intake import Question, asked_under, intake_questions, profile_of

NONSPECIFIC = "nonspecific_back_pain"

_TRI_IN = {"yes": True, "no": False, "unknown": None, "": None}
_INDEX = re.compile(r"\[\d+\]")
_LIST_SEPARATORS = re.compile(r"[,\n;]")


@dataclass(frozen=True)
class Draft:
    """Submitted form values by field name (a name may carry several values)."""

    values: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, str]]) -> Draft:
        """From the form's (name, value) pairs, e.g. ``FormData.multi_items()``."""
        grouped: dict[str, list[str]] = {}
        for name, value in pairs:
            if name in intake_questions():
                grouped.setdefault(name, []).append(value)
        return cls({k: tuple(v) for k, v in grouped.items()})

    @classmethod
    def from_contract(cls, data: Mapping[str, Any]) -> Draft:
        """The draft of a stored assessment (contract JSON), to edit it again."""
        values: dict[str, tuple[str, ...]] = {}
        for question in intake_questions().values():
            value = _lookup(data, question.path)
            values[question.path] = _as_strings(question, value)
        return cls({k: v for k, v in values.items() if v})

    @classmethod
    def blank(cls, today: dt.date) -> Draft:
        """A fresh form: only the assessment date is filled in."""
        return cls({"assessed_on": (today.isoformat(),)})

    def value(self, path: str) -> str:
        """The first value of ``path`` ("" when absent)."""
        return next(iter(self.values.get(path, ())), "")

    def has(self, path: str, value: str) -> bool:
        """Whether ``value`` was chosen for ``path`` (radio buttons, checkboxes)."""
        return value in self.values.get(path, ())

    def to_contract(self) -> dict[str, Any]:
        """Contract JSON for ``parse_model(Assessment, ...)``; blanks are left out."""
        data: dict[str, Any] = {"schema": ASSESSMENT_SCHEMA}
        clearance_given = any(
            value.strip()
            for path, values in self.values.items()
            if path.startswith("clearance.")
            for value in values
        )
        profile = profile_of(self.values)
        for path, question in intake_questions().items():
            if path.startswith("clearance.") and not clearance_given:
                continue
            if not asked_under(question, profile):
                continue  # hidden by the chosen profile: never part of the document
            if path == "condition.profile" and profile != NONSPECIFIC:
                continue  # no condition block: a disc herniation, as before profiles
            raw = [v.strip() for v in self.values.get(path, ())]
            present, value = _read(question, raw)
            if present:
                _store(data, path, value)
        return data


def _read(question: Question, raw: list[str]) -> tuple[bool, object]:
    """(present, value) of one question; absent fields take the contract default."""
    if question.control in ("levels", "modalities"):
        chosen = [v for v in raw if v]
        return bool(chosen), chosen
    if question.control == "list":
        items = [i.strip() for v in raw for i in _LIST_SEPARATORS.split(v)]
        return True, [i for i in items if i]
    first = raw[0] if raw else ""
    if question.control == "tri":
        return True, _TRI_IN.get(first.lower(), first)
    return bool(first), first


def _store(data: dict[str, Any], path: str, value: object) -> None:
    section, _, name = path.partition(".")
    if not name:
        data[section] = value
    else:
        data.setdefault(section, {})[name] = value


def _lookup(data: Mapping[str, Any], path: str) -> object:
    section, _, name = path.partition(".")
    if not name:
        return data.get(section)
    inner = data.get(section)
    return inner.get(name) if isinstance(inner, Mapping) else None


def _as_strings(question: Question, value: object) -> tuple[str, ...]:
    if question.control == "tri":
        return ("yes",) if value is True else ("no",) if value is False else ()
    if question.control == "list":
        return (", ".join(str(v) for v in value),) if isinstance(value, list) else ()
    if isinstance(value, list):
        return tuple(str(v) for v in value)
    return () if value is None else (str(value),)


def question_for(path: str) -> Question | None:
    """The question a contract path belongs to (``hernia.levels[0]`` → levels)."""
    questions = intake_questions()
    candidate = _INDEX.sub("", path)
    while candidate:
        if candidate in questions:
            return questions[candidate]
        candidate = candidate.rpartition(".")[0]
    return None


@dataclass(frozen=True)
class PlacedProblems:
    """Field problems by question path; the rest belong to the form as a whole."""

    by_field: dict[str, list[str]]
    general: list[FieldProblem]

    @property
    def count(self) -> int:
        return sum(len(v) for v in self.by_field.values()) + len(self.general)


def place_problems(problems: Sequence[FieldProblem]) -> PlacedProblems:
    """Put each problem next to its question (an item's problem next to its list)."""
    by_field: dict[str, list[str]] = {}
    general: list[FieldProblem] = []
    for problem in problems:
        question = question_for(problem.field)
        if question is None:
            general.append(problem)
            continue
        by_field.setdefault(question.path, []).append(problem.message)
    return PlacedProblems(by_field, general)
