"""Small forms of the pages: submitted values, and problems put next to their fields.

A form that fails comes back with what was typed (``FormValues``) and each problem
beside its field (``FormErrors``); problems no field owns go to the summary.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from starlette.datastructures import ImmutableMultiDict

from spinewise.errors import ConflictError, FieldProblem, InputError


@dataclass(frozen=True)
class FormValues:
    """The submitted strings by field name (a name may carry several values)."""

    values: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def of(cls, form: ImmutableMultiDict[str, Any], names: Iterable[str]) -> FormValues:
        wanted = set(names)
        grouped: dict[str, list[str]] = {}
        for name, value in form.multi_items():
            if name in wanted and isinstance(value, str):
                grouped.setdefault(name, []).append(value)
        return cls({k: tuple(v) for k, v in grouped.items()})

    def value(self, name: str) -> str:
        return next(iter(self.values.get(name, ())), "").strip()

    def all(self, name: str) -> list[str]:
        return [v.strip() for v in self.values.get(name, ()) if v.strip()]

    def has(self, name: str, value: str) -> bool:
        return value in self.values.get(name, ())

    def optional(self, name: str) -> str | None:
        return self.value(name) or None


@dataclass(frozen=True)
class FormErrors:
    """Problems by field name; ``general`` are the ones no field of the form owns."""

    by_field: dict[str, list[str]] = field(default_factory=dict)
    general: list[FieldProblem] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.by_field or self.general)

    @property
    def count(self) -> int:
        return sum(len(v) for v in self.by_field.values()) + len(self.general)

    def get(self, name: str) -> list[str]:
        return self.by_field.get(name, [])


def _owner(path: str, fields: Sequence[str]) -> str | None:
    """The form field a problem's path belongs to (``answers[2]`` → ``answers[2]``
    if the form has it, else ``answers``)."""
    candidates = [path, path.split("[", 1)[0], path.split(".", 1)[0]]
    return next((c for c in candidates if c in fields), None)


def form_errors(
    error: InputError | ConflictError, labels: dict[str, str]
) -> FormErrors:
    """``error``'s problems placed by field; ``labels`` names the form's fields."""
    if isinstance(error, ConflictError):
        problems = [error.problem or FieldProblem("", error.text or str(error))]
    else:
        problems = list(error.problems)
    by_field: dict[str, list[str]] = {}
    general: list[FieldProblem] = []
    for problem in problems:
        owner = _owner(problem.field, list(labels))
        if owner is None:
            general.append(problem)
        else:
            by_field.setdefault(owner, []).append(problem.message)
    return FormErrors(by_field, general, labels)
