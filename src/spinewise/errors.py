"""The Spinewise exception tree.

    SpinewiseError
     +-- InputError            bad input: names the file (if any), the field and the problem
     |    +-- UnknownLanguageError  a language code Spinewise does not speak (or has off)
     +-- KnowledgeBaseError    the knowledge base failed to load: names the file and the rule
     +-- NotFoundError         no such record for this clinic (also: another clinic's record)
     +-- PermissionDeniedError the acting user's role may not do this
     +-- ConflictError         a duplicate, or a concurrent change that lost the race
     +-- PlanRefusedError      no plan without a valid clearance / allowed modality
     +-- StoreError            the database failed

Errors carry data, never HTTP codes: adapters map them (CLI exit 2, HTTP 422/404/403).
"""

from __future__ import annotations

from dataclasses import dataclass


class SpinewiseError(Exception):
    """Root of every error Spinewise raises on purpose."""


@dataclass(frozen=True)
class FieldProblem:
    """One problem with one field: ``field`` is a dotted path (``hernia.levels[0]``)."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class InputError(SpinewiseError):
    """Input that does not meet its schema; carries every problem found."""

    def __init__(self, problems: list[FieldProblem], file: str | None = None) -> None:
        self.problems = problems
        self.file = file
        super().__init__(self.describe())

    def describe(self) -> str:
        prefix = f"{self.file}: " if self.file else ""
        return "\n".join(f"{prefix}{problem}" for problem in self.problems)

    def in_file(self, file: str) -> InputError:
        """The same problems, attributed to ``file``."""
        return InputError(self.problems, file=file)


class UnknownLanguageError(InputError):
    """A language code that names no language this deployment speaks."""

    def __init__(self, code: str, field: str, known: tuple[str, ...]) -> None:
        self.code = code
        message = f"unknown language {code!r} (known: {', '.join(known)})"
        super().__init__([FieldProblem(field, message)])


class KnowledgeBaseError(SpinewiseError):
    """The knowledge base is invalid; names the file, the rule and the problem."""

    def __init__(self, file: str, rule_id: str | None, problem: str) -> None:
        self.file = file
        self.rule_id = rule_id
        self.problem = problem
        where = f"{file}: rule {rule_id}" if rule_id else file
        super().__init__(f"{where}: {problem}")


class NotFoundError(SpinewiseError):
    """No such record visible to the acting user."""

    def __init__(self, kind: str, key: object) -> None:
        self.kind = kind
        self.key = key
        super().__init__(f"{kind} {key} not found")


class PermissionDeniedError(SpinewiseError):
    """The acting user's role does not allow this action."""


class ConflictError(SpinewiseError):
    """A duplicate record, or a change that conflicts with a newer one."""

    def __init__(self, message: str, field: str | None = None) -> None:
        self.field = field
        super().__init__(message)


class PlanRefusedError(SpinewiseError):
    """A course plan cannot be issued (no valid clearance, nothing allowed)."""


class StoreError(SpinewiseError):
    """The database failed in a way the caller cannot fix."""
